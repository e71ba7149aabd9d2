"""Helpers for the organisation, consent and audit tests: organisations with staff, consents in
any state, the audit records of an enterprise. (No tests here.)"""
import uuid
from datetime import timedelta

from sqlalchemy import func, select

FULL_SCOPES = ("view_assessments", "on_site_assessment")


def make_org(app, kind="centre", name=None, **data) -> int:
    """An organisation created through the service, as the command line does."""
    from services import organisations

    defaults = {"provider": {"provider_ref": "p001"}}.get(kind, {})
    with app.app_context():
        ref = organisations.reference(app.config)
        created = organisations.create(organisations.OPERATOR, {
            "kind": kind, "name": name or f"{kind} {uuid.uuid4().hex[:6]}", **defaults, **data},
            ref)
    return created.id


def add_staff(app, org_id, user, role) -> None:
    from services import staff

    with app.app_context():
        staff.add_member(org_id, user.id, role)


def staff_user(app, make_user, org_id, role="consultant"):
    """A new account (no enterprise) on the organisation's staff."""
    user = make_user(roles=(), enterprise=None)
    add_staff(app, org_id, user, role)
    return user


def consent(app, enterprise_id, org_id, scopes=FULL_SCOPES, status="active", days=30) -> int:
    """A consent in any state, written directly (`days` < 0: its end date has passed)."""
    from storage.base import utcnow
    from storage.db import db_session, transaction
    from storage.organisation_models import Consent

    now = utcnow()
    with app.app_context(), transaction():
        row = Consent(enterprise_id=enterprise_id, organisation_id=org_id, scopes=list(scopes),
                      purpose="测试用途", valid_until=now + timedelta(days=days), status=status,
                      requested_by="enterprise", decided_at=now,
                      revoked_at=now if status == "revoked" else None)
        db_session.add(row)
        db_session.flush()
        return row.id


def account(app, user):
    """The AccountUser of a test user, as a request would see it."""
    from services.accounts import load_account

    with app.app_context():
        return load_account(user.id)


def audit_count(db, enterprise_id=None) -> int:
    from storage.organisation_models import AuditRecord

    db.expire_all()
    query = select(func.count()).select_from(AuditRecord)
    if enterprise_id is not None:
        query = query.where(AuditRecord.enterprise_id == enterprise_id)
    return db.scalar(query)


def audit_records(db, enterprise_id):
    from storage.organisation_models import AuditRecord

    db.expire_all()
    return db.scalars(select(AuditRecord).where(AuditRecord.enterprise_id == enterprise_id)
                      .order_by(AuditRecord.seq)).all()


def submitted_firms(specs, when, name="企业"):
    """Enterprises with one submitted cn-sme-2024 2.0.0 assessment each, written directly (call
    inside an app context): `specs` lists (district, level id, total); returns their ids."""
    from storage.db import db_session
    from storage.models import Assessment, Enterprise

    ids = []
    for i, (district, level, total) in enumerate(specs):
        firm = Enterprise(name=f"{name}{i}", district=district, size_class="small",
                          industry_code="C34")
        db_session.add(firm)
        db_session.flush()
        db_session.add(Assessment(enterprise_id=firm.id, instrument_id="cn-sme-2024",
                                  instrument_version="2.0.0", status="submitted", answers={},
                                  total=total, level_id=level, submitted_at=when))
        ids.append(firm.id)
    db_session.commit()
    return ids
