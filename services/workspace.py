"""A centre's workspace: its clients with where each consultation stands, who looks after whom,
and whose follow-up (re-assessment after the baseline T0) is due; the hand-over of a client
from one consultant to another.

Statuses: requested (consent asked, not yet given), consented, assessing, in_review, signed,
reassessment_due (the centre's `follow_up_months` have passed since the enterprise's baseline
and no later assessment of that instrument is submitted). Every client listed leaves a
`list_clients` audit record, as services.clients does.
"""
import calendar
from datetime import datetime

from sqlalchemy import or_, select

from services import access
from services.consents import state as consent_state
from services.errors import InvalidInput, NotFound
from services.organisations import CENTRE_DEFAULTS
from services.tokens import aware
from services.access_vocabulary import vocabulary
from storage.base import utcnow
from storage.consultation_models import ClientAssignment, OnSiteAssessment
from storage.db import db_session, transaction
from storage.models import Assessment, Enterprise, User
from storage.organisation_models import Consent, OrgMembership, Organisation

STATUSES = ("requested", "consented", "assessing", "in_review", "signed", "reassessment_due")
CONSULTANT_ROLES = ("consultant", "centre_admin")
SHOWN = 200  # a centre's page lists at most this many clients; the filters narrow it down


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later (the month's last day when it is shorter)."""
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    return moment.replace(year=year, month=month,
                          day=min(moment.day, calendar.monthrange(year, month)[1]))


def centre_for_staff(actor, organisation_id) -> Organisation:
    """The active centre the actor works for, or NotFound (also for other kinds)."""
    organisation_id = access.valid_id(organisation_id)
    role = actor.org_role(organisation_id) if getattr(actor, "is_authenticated", False) else None
    org = db_session.get(Organisation, organisation_id) if role else None
    if org is None or org.kind != "centre" or org.status != "active":
        raise NotFound()
    return org


def follow_up(enterprise_id, months, now=None):
    """(baseline assessment id, due moment, due now?) of the enterprise's latest baseline (T0),
    or None without one. Due: `months` after the baseline's submission, while no later
    assessment of that instrument is submitted."""
    now = now or utcnow()
    rows = db_session.execute(
        select(Assessment.id, Assessment.instrument_id, Assessment.submitted_at,
               Assessment.baseline_at)
        .where(Assessment.enterprise_id == enterprise_id, Assessment.status == "submitted")
        .order_by(Assessment.submitted_at, Assessment.id)).all()
    baselines = [r for r in rows if r.baseline_at is not None]
    if not baselines:
        return None
    t0 = baselines[-1]
    later = [r for r in rows if r.instrument_id == t0.instrument_id
             and aware(r.submitted_at) > aware(t0.submitted_at)]
    due = add_months(aware(t0.submitted_at), months)
    return t0.id, due, not later and due <= aware(now)


def _status(on_site_state, follow):
    if follow is not None and follow[2]:
        return "reassessment_due"
    return on_site_state or "consented"


def workspace(actor, organisation_id, *, mine=False, query="", district="", industry="",
              status="", now=None) -> dict:
    """{"clients": [...], "due": [...], "consultants": [...], "shown", "more"}: the centre's
    clients (consent in force, plus requests waiting) matching the filters. `query` matches
    the name or USCC; `industry` a GB/T 4754 门类 letter or 大类 code prefix; `mine`: only
    clients assigned to the actor. Each row: enterprise_id, name, uscc, district,
    industry_code, status, consultant (name), consultant_id, on_site_id, due (moment)."""
    org = centre_for_staff(actor, organisation_id)
    if status and status not in STATUSES:
        raise InvalidInput("status_unknown")
    now = now or utcnow()
    months = int((org.settings or {}).get("follow_up_months")
                 or CENTRE_DEFAULTS["follow_up_months"])
    stmt = (select(Consent, Enterprise, ClientAssignment.consultant_id, User.name, User.email)
            .join(Enterprise, Enterprise.id == Consent.enterprise_id)
            .outerjoin(ClientAssignment, (ClientAssignment.organisation_id == org.id)
                       & (ClientAssignment.enterprise_id == Enterprise.id))
            .outerjoin(User, User.id == ClientAssignment.consultant_id)
            .where(Consent.organisation_id == org.id,
                   Consent.status.in_(("active", "requested")))
            .order_by(Enterprise.name, Consent.id))
    text = (query or "").strip()[:100]
    if text:
        pattern = f"%{text.replace('%', '').replace('_', '')}%"
        stmt = stmt.where(or_(Enterprise.name.ilike(pattern), Enterprise.uscc.ilike(pattern)))
    if district:
        stmt = stmt.where(Enterprise.district == district)
    if industry:
        stmt = stmt.where(Enterprise.industry_code.startswith(industry.strip().upper()[:4]))
    if mine:
        stmt = stmt.where(ClientAssignment.consultant_id == actor.id)
    latest = _latest_on_site(org.id)
    rows, seen = [], set()
    with transaction():  # one audit record per client listed, committed together
        for consent, enterprise, consultant_id, name, email in db_session.execute(stmt):
            live = consent_state(consent, now)
            if live not in ("active", "requested") or enterprise.id in seen:
                continue
            seen.add(enterprise.id)
            row = {"enterprise_id": enterprise.id, "name": enterprise.name,
                   "consent_id": consent.id, "consultant_id": consultant_id,
                   "consultant": name or email, "on_site_id": None, "due": None,
                   "uscc": None, "district": None, "industry_code": None}
            if live == "requested":
                row["status"] = "requested"
            else:
                access.authorise(actor, "list_clients", enterprise.id, organisation_id=org.id,
                                 object_type="organisation", object_id=org.id)
                on_site_id, on_site_state = latest.get(enterprise.id, (None, None))
                follow = follow_up(enterprise.id, months, now)
                row.update(uscc=enterprise.uscc, district=enterprise.district,
                           industry_code=enterprise.industry_code, on_site_id=on_site_id,
                           status=_status(on_site_state, follow),
                           due=follow[1] if follow else None)
            if not status or row["status"] == status:
                rows.append(row)
            if len(rows) > SHOWN:
                break
    return {"clients": rows[:SHOWN], "more": len(rows) > SHOWN,
            "due": [r for r in rows if r["status"] == "reassessment_due"],
            "consultants": consultants(org.id), "follow_up_months": months}


def _latest_on_site(organisation_id) -> dict:
    rows = db_session.execute(
        select(Assessment.enterprise_id, OnSiteAssessment.assessment_id, OnSiteAssessment.state)
        .join(Assessment, Assessment.id == OnSiteAssessment.assessment_id)
        .where(OnSiteAssessment.organisation_id == organisation_id)
        .order_by(OnSiteAssessment.assessment_id))
    return {eid: (aid, state) for eid, aid, state in rows}  # the newest wins


def in_review(actor, organisation_id) -> int:
    """How many of the centre's on-site assessments wait for a reviewer (its staff only)."""
    org = centre_for_staff(actor, organisation_id)
    return sum(1 for _, state in _latest_on_site(org.id).values() if state == "in_review")


def consultants(organisation_id) -> list[dict]:
    """The centre's staff who may look after clients: [{"id", "name"}]."""
    rows = db_session.execute(
        select(User.id, User.name, User.email)
        .join(OrgMembership, OrgMembership.user_id == User.id)
        .where(OrgMembership.organisation_id == organisation_id,
               OrgMembership.role.in_(CONSULTANT_ROLES))
        .order_by(User.name, User.id))
    return [{"id": uid, "name": name or email} for uid, name, email in rows]


def hand_over(actor, organisation_id, enterprise_id, consultant_id) -> None:
    """A centre admin gives a client to one of the centre's consultants (also the first
    assignment). NotFound unless the actor is the centre's admin and the client's consent is in
    force; InvalidInput `consultant_unknown` for someone not among the centre's consultants."""
    org = centre_for_staff(actor, organisation_id)
    if not vocabulary().role(actor.org_role(org.id)).admin:
        raise NotFound()
    try:
        consultant_id = access.valid_id(consultant_id)
    except NotFound:
        raise InvalidInput("consultant_unknown") from None
    if consultant_id not in {c["id"] for c in consultants(org.id)}:
        raise InvalidInput("consultant_unknown")
    with access.granted(actor, "list_clients", enterprise_id, organisation_id=org.id,
                        object_type="organisation", object_id=org.id) as grant:
        assign(org.id, grant.enterprise_id, consultant_id, by=actor.id)


def assign(organisation_id, enterprise_id, consultant_id, by=None, only_if_unassigned=False):
    """Record who looks after the client (inside the caller's transaction)."""
    row = db_session.scalars(select(ClientAssignment).where(
        ClientAssignment.organisation_id == organisation_id,
        ClientAssignment.enterprise_id == enterprise_id)).first()
    if row is None:
        db_session.add(ClientAssignment(organisation_id=organisation_id,
                                        enterprise_id=enterprise_id,
                                        consultant_id=consultant_id, assigned_by=by))
    elif not only_if_unassigned:
        row.consultant_id, row.assigned_by, row.assigned_at = consultant_id, by, utcnow()


def signed_reports(actor, organisation_id) -> list[dict]:
    """The centre's signed on-site reports, newest first, from its own signed records only
    (what it signed stays its document after a consent ends; nothing of the enterprise is read
    now): report number, signing moment, enterprise name, level and total as signed."""
    org = centre_for_staff(actor, organisation_id)
    rows = db_session.scalars(
        select(OnSiteAssessment).where(OnSiteAssessment.organisation_id == org.id,
                                       OnSiteAssessment.state == "signed")
        .order_by(OnSiteAssessment.signed_at.desc(), OnSiteAssessment.assessment_id.desc())
        .limit(SHOWN))
    return [{"assessment_id": r.assessment_id, "report_number": r.report_number,
             "signed_at": aware(r.signed_at), "enterprise": (r.signature or {}).get("enterprise"),
             "level": (r.signature or {}).get("level"), "total": (r.signature or {}).get("total")}
            for r in rows]
