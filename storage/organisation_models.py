"""Organisations (centres, providers, bureaus, platforms), their staff, staff invitations, the
enterprises' consents, and the append-only audit trail.

Enterprises stay in storage/models.py (`enterprises`, the SME tenant). Staff roles, consent
scopes and actions are data (data/access.yaml); the database keeps only the fixed lists below.
"""
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import (BigInteger, CheckConstraint, ForeignKey, Index, Integer, String,
                        UniqueConstraint)
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, created_at, intpk, json_dict, str16, str32, str64, str255, text

ORGANISATION_KINDS = ("centre", "provider", "bureau", "platform")
ORGANISATION_STATUSES = ("active", "inactive")
CONSENT_STATUSES = ("requested", "active", "declined", "revoked", "expired")
CONSENT_REQUESTERS = ("enterprise", "organisation")


def _in(column: str, values) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Organisation(Base):
    """A centre, provider, bureau or platform. `scope` (bureaus): {"districts": [...],
    "industries": [...]}, empty lists meaning the whole city; `settings` (centres):
    {"review_required": bool, "follow_up_months": int}; `provider_ref`: the catalogue provider
    id a provider organisation speaks for."""

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint(_in("kind", ORGANISATION_KINDS), name="kind"),
        CheckConstraint(_in("status", ORGANISATION_STATUSES), name="status"),
        UniqueConstraint("kind", "name"),
    )

    id: Mapped[intpk]
    kind: Mapped[str16]
    name: Mapped[str255]
    contact_person: Mapped[Optional[str255]]
    phone: Mapped[Optional[str64]]
    email: Mapped[Optional[str255]]
    address: Mapped[Optional[str255]]
    website: Mapped[Optional[str255]]
    scope: Mapped[json_dict]
    settings: Mapped[json_dict]
    provider_ref: Mapped[Optional[str64]]
    status: Mapped[str16] = mapped_column(default="active")
    created_at: Mapped[created_at]


class OrgMembership(Base):
    """A person on an organisation's staff, with one role of that kind (data/access.yaml)."""

    __tablename__ = "organisation_memberships"
    __table_args__ = (UniqueConstraint("user_id", "organisation_id"),)

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    role: Mapped[str32]
    added_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]


class StaffInvitation(Base):
    """An organisation admin's invitation of a staff member; works only for `email`, once.
    Only the token's hash is stored (services/tokens.py); states as services/invitations.py."""

    __tablename__ = "staff_invitations"

    id: Mapped[intpk]
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    email: Mapped[str255]
    role: Mapped[str32]
    token_hash: Mapped[str64] = mapped_column(unique=True)
    invited_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    expires_at: Mapped[datetime]
    accepted_at: Mapped[Optional[datetime]]
    accepted_by: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    withdrawn_at: Mapped[Optional[datetime]]  # an admin took it back
    sent_at: Mapped[Optional[datetime]]  # last (re-)sent; each sending makes a new token


class Consent(Base):
    """An enterprise's consent to one organisation: in force while `active` and before
    `valid_until`. `scopes` is a list of scope names (data/access.yaml)."""

    __tablename__ = "consents"
    __table_args__ = (
        CheckConstraint(_in("status", CONSENT_STATUSES), name="status"),
        CheckConstraint(_in("requested_by", CONSENT_REQUESTERS), name="requested_by"),
        Index("ix_consents_enterprise_status", "enterprise_id", "status"),
        Index("ix_consents_organisation_status", "organisation_id", "status"),
    )

    id: Mapped[intpk]
    enterprise_id: Mapped[int] = mapped_column(ForeignKey("enterprises.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"))
    scopes: Mapped[list[Any]]
    purpose: Mapped[text]
    valid_until: Mapped[datetime]
    status: Mapped[str16]
    requested_by: Mapped[str16]
    requested_by_user: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    decided_by_user: Mapped[Optional[int]] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
    decided_at: Mapped[Optional[datetime]]
    revoked_at: Mapped[Optional[datetime]]
    revoked_by: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class AuditRecord(Base):
    """One outsider's read or change of an enterprise's data. Append-only: the application never
    deletes a record nor changes one except to redact it once its retention period ended
    (`redacted_at`), and database triggers refuse anything else. `seq` is the position in the
    chain; `hash` is SHA-256 over the canonical JSON of the other fields, `prev_hash` included
    (services/audit.py). Ids are plain integers, not foreign keys: the trail outlives what it
    names."""

    __tablename__ = "audit_records"
    __table_args__ = (Index("ix_audit_records_enterprise_seq", "enterprise_id", "seq"),)

    id: Mapped[intpk]
    seq: Mapped[int] = mapped_column(BigInteger, unique=True)
    at: Mapped[datetime]
    actor_user: Mapped[Optional[int]] = mapped_column(Integer)
    actor_organisation: Mapped[Optional[int]] = mapped_column(Integer)
    action: Mapped[str32]
    enterprise_id: Mapped[int] = mapped_column(Integer)
    object_type: Mapped[Optional[str32]]
    object_id: Mapped[Optional[str64]]
    consent_id: Mapped[Optional[int]] = mapped_column(Integer)
    purpose: Mapped[Optional[text]]
    prev_hash: Mapped[str64]
    hash: Mapped[str64] = mapped_column(String(64), unique=True)
    # Set by `retention purge` when the record's period ended: enterprise_id becomes 0 and the
    # other identifying fields empty; seq, at, action and the hashes stay, so the chain's links
    # still verify (the only change the database triggers allow).
    redacted_at: Mapped[Optional[datetime]]


class AuditChainHead(Base):
    """The one row (id 1) naming the chain's length and newest hash. Appends update it first,
    which serialises them (row lock on PostgreSQL, the write lock on SQLite), and it lets
    `audit verify` notice records removed from the end."""

    __tablename__ = "audit_chain"

    id: Mapped[intpk]
    records: Mapped[int] = mapped_column(BigInteger, default=0)
    last_hash: Mapped[str64]
