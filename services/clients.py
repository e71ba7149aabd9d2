"""An organisation's clients: the enterprises whose consent is in force, as its staff see them.

Every read goes through services.access, so each enterprise listed or opened leaves an audit
record. The centres' workspace (and the providers' and bureaus' views) build on these.
"""
from sqlalchemy import func, select

from services import access
from services.access_vocabulary import vocabulary
from services.assessments import history
from services.consents import module_names, purpose_view, state
from services.errors import NotFound
from services.profile import profile_view
from services.tokens import aware
from storage.base import utcnow
from storage.db import db_session, transaction
from storage.models import Enterprise
from storage.organisation_models import Consent, Organisation

PER_PAGE = 50


def _staff_org(actor, organisation_id) -> Organisation:
    organisation_id = access.valid_id(organisation_id)
    if not getattr(actor, "is_authenticated", False) or actor.org_role(organisation_id) is None:
        raise NotFound()
    org = db_session.get(Organisation, organisation_id)
    if org is None or org.status != "active":
        raise NotFound()
    return org


def _scopes(names) -> list[dict]:
    voc = vocabulary()
    return [{"id": s, "name": voc.scopes[s].name} for s in names if s in voc.scopes]


def clients(actor, organisation_id, page: int = 1, settings=None) -> dict:
    """{"clients": [...], "pending": [...], "page", "pages", "total"}: enterprises whose consent
    to this organisation is in force (name, district, industry, scopes, end date), newest
    consent first, and the requests still waiting for an enterprise's decision."""
    org = _staff_org(actor, organisation_id)
    now = utcnow()
    in_force = (select(Consent.id).where(Consent.organisation_id == org.id,
                                         Consent.status == "active", Consent.valid_until > now))
    total = db_session.scalar(select(func.count()).select_from(in_force.subquery())) or 0
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, page), pages)
    rows = db_session.execute(
        select(Consent, Enterprise).join(Enterprise, Enterprise.id == Consent.enterprise_id)
        .where(Consent.id.in_(in_force)).order_by(Consent.id.desc())
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)).all()
    listed, names = [], module_names(settings) if rows else []
    with transaction():  # one audit record per enterprise listed, all committed together
        access.authorise_each(actor, "list_clients", [e.id for _, e in rows],
                              organisation_id=org.id, object_type="organisation", object_id=org.id)
        for consent, enterprise in rows:
            listed.append({"enterprise_id": enterprise.id, "name": enterprise.name,
                           "district": enterprise.district,
                           "industry_code": enterprise.industry_code,
                           "consent_id": consent.id, "scopes": _scopes(consent.scopes),
                           "purpose": purpose_view(consent, names),
                           "valid_until": aware(consent.valid_until)})
    waiting = db_session.execute(
        select(Consent, Enterprise.name).join(Enterprise, Enterprise.id == Consent.enterprise_id)
        .where(Consent.organisation_id == org.id, Consent.status == "requested")
        .order_by(Consent.id.desc())).all()
    pending = [{"consent_id": c.id, "name": name, "scopes": _scopes(c.scopes),
                "requested_by": c.requested_by, "created_at": aware(c.created_at),
                "valid_until": aware(c.valid_until)}
               for c, name in waiting if state(c, now) == "requested"]
    return {"clients": listed, "pending": pending, "page": page, "pages": pages, "total": total}


def client(actor, organisation_id, enterprise_id, settings=None) -> dict:
    """One client as the organisation may see it: its profile, the consent, and — when the
    consent covers assessments — its submitted assessments. NotFound without consent."""
    org = _staff_org(actor, organisation_id)
    grant = access.check(actor, "view_profile", enterprise_id, organisation_id=org.id,
                         object_type="enterprise", object_id=enterprise_id)
    enterprise_id = grant.enterprise_id
    consent = db_session.get(Consent, grant.consent_id) if grant.consent_id else None
    data = {"profile": profile_view(enterprise_id), "assessments": None,
            "consent": consent and {"id": consent.id, "scopes": _scopes(consent.scopes),
                                    "purpose": purpose_view(consent, module_names(settings)),
                                    "valid_until": aware(consent.valid_until)},
            "reports": access.permits(actor, "view_report", enterprise_id,
                                      organisation_id=org.id)}
    if access.permits(actor, "view_assessment", enterprise_id, organisation_id=org.id):
        access.check(actor, "view_assessment", enterprise_id, organisation_id=org.id,
                     object_type="enterprise", object_id=enterprise_id)
        data["assessments"] = list(reversed(history(enterprise_id)))
    return data
