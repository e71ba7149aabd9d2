"""Help requests that become projects, each step taken, the acceptance pack's files, the SME's
rating of the provider, and the providers' lifecycle history.

Statuses, steps and pack items are data (data/projects.yaml); the database keeps their names.
"""
from datetime import date
from typing import Any, Optional

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, created_at, intpk, json_dict, str16, str32, str64, str255, text, updated_at

SHARES = ("summary", "report")  # what the SME shares: level and plan summary, or the full report


class Project(Base):
    """A help request (status `requested`) and the project it becomes. `organisation_id` is
    whom the SME asked (a provider organisation, or a centre to find one: then it becomes the
    provider organisation the SME chooses from the centre's proposals); `provider_ref` the
    catalogue provider doing the work once known; `share` what the SME chose to share, under
    the consent `consent_id`. T0 is the assessment the request came from, T1 the post-upgrade
    assessment of the acceptance pack."""

    __tablename__ = "projects"
    __table_args__ = (Index("ix_projects_organisation_status", "organisation_id", "status"),)

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(
        ForeignKey("enterprises.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"))
    provider_ref: Mapped[Optional[str64]] = mapped_column(index=True)
    modules: Mapped[list[Any]]
    share: Mapped[str16]
    consent_id: Mapped[Optional[int]] = mapped_column(ForeignKey("consents.id", ondelete="SET NULL"))
    message: Mapped[Optional[text]]
    # A centre consultant's short list for "any suitable provider": [{"provider", "reason"}].
    proposals: Mapped[Optional[list[Any]]]
    status: Mapped[str16] = mapped_column(default="requested")
    quote: Mapped[Optional[int]] = mapped_column(BigInteger)
    contracted_amount: Mapped[Optional[int]] = mapped_column(BigInteger)
    subsidy: Mapped[Optional[int]] = mapped_column(BigInteger)
    t0_assessment_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL"))
    t1_assessment_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL"))
    reason: Mapped[Optional[text]]
    created_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    updated_at: Mapped[updated_at]


class ProjectModule(Base):
    """One solution module a help request asks for (Project.modules as rows: the bureaus'
    module demand is counted in plain SQL)."""

    __tablename__ = "project_modules"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"),
                                            primary_key=True)
    module_id: Mapped[str64] = mapped_column(primary_key=True)


class ProjectStep(Base):
    """One step taken: who (person and organisation, or the enterprise's own people), when, and
    what it carried (an amount, a reason)."""

    __tablename__ = "project_steps"

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    step: Mapped[str32]
    status: Mapped[str16]
    side: Mapped[str16]
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organisation_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"))
    amount: Mapped[Optional[int]] = mapped_column(BigInteger)
    reason: Mapped[Optional[text]]
    at: Mapped[created_at]


class ProjectFile(Base):
    """A document of the acceptance pack; the bytes are in the shared file store under `sha256`
    (services/file_store.py). `content_type`: the kind its bytes show (pdf, png, docx, ...)."""

    __tablename__ = "project_files"

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    item: Mapped[str32]
    filename: Mapped[str255]
    content_type: Mapped[str64]
    size: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str64]
    uploaded_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]


class ProjectRating(Base):
    """The SME's rating of the provider at acceptance: aspect -> 1..5, and a comment."""

    __tablename__ = "project_ratings"
    __table_args__ = (UniqueConstraint("project_id"),)

    id: Mapped[intpk]
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    scores: Mapped[json_dict]
    comment: Mapped[Optional[text]]
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]


class ProviderEvent(Base):
    """One step of a provider's lifecycle (warn, suspend, reinstate, remove, appeal): who, when,
    why, the deadline to fix a warning, and the status it left the provider in."""

    __tablename__ = "provider_events"

    id: Mapped[intpk]
    provider_ref: Mapped[str64] = mapped_column(index=True)
    action: Mapped[str16]
    status: Mapped[str16]
    reason: Mapped[text]
    deadline: Mapped[Optional[date]]
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    organisation_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("organisations.id", ondelete="SET NULL"))
    at: Mapped[created_at]
