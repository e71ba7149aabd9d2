"""A centre's consultations: on-site assessments (现场评定), their change history, evidence files
and which consultant looks after which client.

An on-site assessment is an `assessments` row with `mode = 'on_site'` (its `answers` are the
verified answers; it is a draft until signed, then `submitted` with its result like any other)
plus one `on_site_assessments` row with what only on-site work has: the self-reported answers,
per-item verification states, the workflow state and, once signed, the signature, report number
and verification code.
"""
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import JSON, BigInteger, CheckConstraint, ForeignKey, Index, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.organisation_models import _in
from storage.base import Base, created_at, intpk, json_dict, str16, str32, str64, str255, text

ON_SITE_STATES = ("assessing", "in_review", "signed")
ITEM_STATES = ("verified", "adjusted", "not_verifiable")
CHANGE_KINDS = ("answer", "state", "evidence", "submitted", "sent_back", "signed")


class OnSiteAssessment(Base):
    """The on-site part of assessment `assessment_id`. `self_answers`: the self-reported answers
    it started from ({} when started blank); `item_states`: {question id: verified | adjusted |
    not_verifiable}; `signature` (once signed): {centre, consultant, reviewer, instrument,
    version} as they read then; `self_result`: the self-reported answers scored at signing (None
    when they do not make a complete assessment)."""

    __tablename__ = "on_site_assessments"
    __table_args__ = (CheckConstraint(_in("state", ON_SITE_STATES), name="state"),)

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    state: Mapped[str16] = mapped_column(default="assessing")
    self_answers: Mapped[json_dict]
    source_assessment_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL"))
    corrects_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("assessments.id", ondelete="SET NULL"))
    item_states: Mapped[json_dict]
    consultant_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reviewer_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    review_comment: Mapped[Optional[text]]
    signed_at: Mapped[Optional[datetime]]
    signature: Mapped[Optional[dict[str, Any]]]
    self_result: Mapped[Optional[dict[str, Any]]]
    report_number: Mapped[Optional[str32]] = mapped_column(unique=True)
    verification_code: Mapped[Optional[str32]]


class OnSiteChange(Base):
    """One step of an on-site assessment's history: an answer or verification state changed
    (old, new, reason), evidence attached, sent for review, sent back (reason = the comment),
    signed. Written once, never changed."""

    __tablename__ = "on_site_changes"
    __table_args__ = (CheckConstraint(_in("kind", CHANGE_KINDS), name="kind"),
                      Index("ix_on_site_changes_assessment_item", "assessment_id", "item_id"))

    id: Mapped[intpk]
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id", ondelete="CASCADE"))
    item_id: Mapped[Optional[str64]]
    kind: Mapped[str16]
    actor_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[created_at]
    old: Mapped[Optional[Any]] = mapped_column(JSON, nullable=True)  # an answer: any JSON value
    new: Mapped[Optional[Any]] = mapped_column(JSON, nullable=True)
    reason: Mapped[Optional[text]]


class EvidenceFile(Base):
    """A file attached to one item of an on-site assessment; the content is in the file store
    under `sha256` (services/file_store.py), shared by every row naming the same content."""

    __tablename__ = "evidence_files"

    id: Mapped[intpk]
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    item_id: Mapped[str64]
    sha256: Mapped[str64] = mapped_column(index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str255]
    name: Mapped[str255]
    uploaded_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    uploaded_at: Mapped[created_at]


class ClientAssignment(Base):
    """Which of the centre's consultants looks after a client; a hand-over changes it."""

    __tablename__ = "client_assignments"
    __table_args__ = (UniqueConstraint("organisation_id", "enterprise_id"),)

    id: Mapped[intpk]
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"),
                                               index=True)
    consultant_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                               index=True)
    assigned_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[created_at]
