"""Core models: accounts, roles, enterprises, memberships, assessments.

Other areas add storage/<area>_models.py on the same `Base`.
"""
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import (Boolean, CheckConstraint, Float, ForeignKey, Index, Integer, UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.base import (Base, bigint, created_at, intpk, json_dict, str16, str32, str64,
                          str255, text, updated_at)

# Roles are rows (seeded by migration 0001_initial); these are their names.
ROLE_NAMES = ("sme_user", "consultant", "centre_admin", "bureau_analyst", "administrator")
MEMBERSHIP_ROLES = ("owner", "member")
ASSESSMENT_STATUSES = ("draft", "submitted")
ASSESSMENT_MODES = ("self", "on_site")  # on-site details: storage/consultation_models.py
SIZE_CLASSES = ("large", "medium", "small", "micro")


class User(Base):
    __tablename__ = "users"

    id: Mapped[intpk]
    email: Mapped[str255] = mapped_column(unique=True)  # stored lower-case
    password_hash: Mapped[str255]
    name: Mapped[str255] = mapped_column(default="")
    locale: Mapped[Optional[str16]]  # "zh_CN" / "en"; None = not chosen yet
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[created_at]
    last_login_at: Mapped[Optional[datetime]]

    roles: Mapped[list["Role"]] = relationship(secondary="user_roles", lazy="selectin")
    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", passive_deletes=True)


class Role(Base):
    __tablename__ = "roles"

    id: Mapped[intpk]
    name: Mapped[str32] = mapped_column(unique=True)


class UserRole(Base):
    __tablename__ = "user_roles"

    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"),
                                         primary_key=True)
    role_id: Mapped[int] = mapped_column(ForeignKey("roles.id", ondelete="CASCADE"),
                                         primary_key=True)


class Enterprise(Base):
    __tablename__ = "enterprises"

    id: Mapped[intpk]
    name: Mapped[str255]
    uscc: Mapped[Optional[str32]] = mapped_column(unique=True)  # 统一社会信用代码
    # indexed for the bureaus' aggregates (services/aggregate_counts.py groups and filters on them)
    industry_code: Mapped[Optional[str16]] = mapped_column(index=True)  # GB/T 4754 大类, "C36"
    district: Mapped[Optional[str64]] = mapped_column(index=True)
    employees: Mapped[Optional[int]]
    annual_revenue: Mapped[Optional[bigint]]  # yuan
    total_assets: Mapped[Optional[bigint]]  # yuan; only some industries' size rules use it
    size_class: Mapped[Optional[str16]] = mapped_column(index=True)  # large|medium|small|micro
    size_reason: Mapped[Optional[dict[str, Any]]]  # {"zh": ..., "en": ...}
    main_products: Mapped[Optional[text]]
    has_cio: Mapped[Optional[bool]]
    created_at: Mapped[created_at]
    updated_at: Mapped[updated_at]
    # Set when an owner deleted the enterprise: the row stays, emptied, while records the rules
    # keep still name it (storage/retention_models.py), then `retention purge` removes it.
    deleted_at: Mapped[Optional[datetime]]

    memberships: Mapped[list["Membership"]] = relationship(
        back_populates="enterprise", cascade="all, delete-orphan", passive_deletes=True)

    @property
    def industry_section(self) -> Optional[str]:
        """GB/T 4754 门类 letter, derived from the 大类 code."""
        return self.industry_code[0] if self.industry_code else None


class Membership(Base):
    __tablename__ = "memberships"
    __table_args__ = (
        UniqueConstraint("user_id", "enterprise_id"),
        CheckConstraint("role IN ('owner', 'member')", name="role"),
    )

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"),
                                               index=True)
    role: Mapped[str16] = mapped_column(default="member")
    created_at: Mapped[created_at]

    user: Mapped[User] = relationship(back_populates="memberships")
    enterprise: Mapped[Enterprise] = relationship(back_populates="memberships")


class Assessment(Base):
    """One filling of one instrument version by one enterprise.

    `lock_version` is SQLAlchemy's version counter: an UPDATE from a stale copy
    raises StaleDataError, so two tabs submitting the same draft make one
    submission.
    """

    __tablename__ = "assessments"
    __table_args__ = (
        CheckConstraint("status IN ('draft', 'submitted')", name="status"),
        CheckConstraint("mode IN ('self', 'on_site')", name="mode"),
        # each enterprise's latest submitted assessment of an instrument (aggregates, peers)
        Index("ix_assessments_latest", "instrument_id", "instrument_version", "status",
              "enterprise_id", "submitted_at"),
        # the assessments counted as of a date (storage/latest_assessments.counted)
        Index("ix_assessments_as_of", "instrument_id", "instrument_version", "status",
              "superseded_at", "submitted_at"),
    )

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"),
                                               index=True)
    created_by: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    instrument_id: Mapped[str64]
    instrument_version: Mapped[str32]
    status: Mapped[str16] = mapped_column(default="draft", index=True)
    mode: Mapped[str16] = mapped_column(default="self", server_default="self")
    # Marked as the baseline (T0) of an improvement effort; later assessments of the same
    # instrument are its follow-ups (T1, T2, ...).
    baseline_at: Mapped[Optional[datetime]]
    answers: Mapped[json_dict]
    # {question id: {"code": ..., params}}: why a draft's answer is there or missing (carried
    # over from an earlier version, to answer again, ...); a note goes when its question is saved.
    answer_notes: Mapped[Optional[dict[str, Any]]]
    result: Mapped[Optional[dict[str, Any]]]  # Result.to_dict() once submitted
    total: Mapped[Optional[float]] = mapped_column(Float)
    max_total: Mapped[Optional[float]] = mapped_column(Float)
    level_id: Mapped[Optional[str32]]
    level_rank: Mapped[Optional[int]] = mapped_column(Integer, index=True)
    pledged_at: Mapped[Optional[datetime]]  # truthfulness pledge ticked
    submitted_at: Mapped[Optional[datetime]]
    # When the enterprise's next submission of this instrument version came (of any mode; of
    # this mode): "latest as of D" is then one row test, no grouping per enterprise. Kept by
    # storage/aggregate_summary.py on every flush.
    superseded_at: Mapped[Optional[datetime]]
    superseded_in_mode_at: Mapped[Optional[datetime]]
    created_at: Mapped[created_at]
    updated_at: Mapped[updated_at]
    lock_version: Mapped[int] = mapped_column(Integer, default=1)

    dimension_scores: Mapped[list["AssessmentDimensionScore"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True)
    indicator_scores: Mapped[list["AssessmentIndicatorScore"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True)
    scenario_levels: Mapped[list["AssessmentScenarioLevel"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True)
    plan_modules: Mapped[list["AssessmentPlanModule"]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True)

    __mapper_args__ = {"version_id_col": lock_version}


class AssessmentDimensionScore(Base):
    """Score per dimension of a submitted assessment, for plain-SQL aggregates."""

    __tablename__ = "assessment_dimension_scores"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    dimension_id: Mapped[str64] = mapped_column(primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    max: Mapped[float] = mapped_column(Float)


class AssessmentIndicatorScore(Base):
    """Score per indicator of a submitted assessment (the bureaus' indicator means)."""

    __tablename__ = "assessment_indicator_scores"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    indicator_id: Mapped[str64] = mapped_column(primary_key=True)
    dimension_id: Mapped[str64]
    score: Mapped[float] = mapped_column(Float)
    max: Mapped[float] = mapped_column(Float)


class AssessmentScenarioLevel(Base):
    """Level (0–4) of each application scenario answered in a submitted assessment (the
    bureaus' scenario heatmap); a scenario marked not applicable has no row."""

    __tablename__ = "assessment_scenario_levels"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    scenario_id: Mapped[str64] = mapped_column(primary_key=True)
    level: Mapped[int] = mapped_column(Integer)


class AssessmentPlanModule(Base):
    """A solution module of the plan for the default budget, target and horizon as it stood
    when the assessment was submitted (the bureaus' plan demand in plain SQL; the plan itself
    is computed when shown and not stored)."""

    __tablename__ = "assessment_plan_modules"

    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), primary_key=True)
    module_id: Mapped[str64] = mapped_column(primary_key=True)


class Invitation(Base):
    """An owner's invitation of a colleague; only the token's hash is stored."""

    __tablename__ = "invitations"

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"),
                                               index=True)
    email: Mapped[str255]
    token_hash: Mapped[str64] = mapped_column(unique=True)
    invited_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    expires_at: Mapped[datetime]
    accepted_at: Mapped[Optional[datetime]]
    accepted_by: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[Optional[datetime]]  # the owner took it back
    sent_at: Mapped[Optional[datetime]]  # last (re-)sent; each sending makes a new token


class PasswordResetToken(Base):
    """A single-use password reset; only the token's hash is stored."""

    __tablename__ = "password_reset_tokens"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str64] = mapped_column(unique=True)
    created_at: Mapped[created_at]
    expires_at: Mapped[datetime]
    used_at: Mapped[Optional[datetime]]


# Imported with the models, which every flush of an assessment or a profile needs: its flush
# listeners keep the aggregate summaries current (last: it imports the classes above).
import storage.aggregate_summary  # noqa: E402,F401
