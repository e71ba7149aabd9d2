"""Consents: an enterprise lets an organisation do named things with its data, for a purpose,
until a date, and can revoke that at once.

Either side starts. An enterprise's owner asking an organisation gives consent at once; a
member's request waits for an owner. An organisation invites an enterprise (by USCC or the
e-mail of its owner); an owner accepts or declines. A consent is in force while `active` and
before `valid_until`; services.access reads it on every outsider access, so revoking ends
access with the next request.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from diagnosis.uscc import check_uscc
from services import audit
from services.access import valid_id
from services.access_vocabulary import vocabulary
from services.errors import Conflict, InvalidInput, NotFound
from services.text import control_character
from services.tokens import aware
from storage.base import utcnow
from storage.db import db_session, transaction
from storage.models import Enterprise, Membership, User
from storage.organisation_models import Consent, Organisation

MAX_PURPOSE = 500
OPEN = ("requested", "active")


class ConsentInvalid(InvalidInput):
    """Every problem of a consent's terms at once: `problems` maps a field to a code."""

    code = "consent_invalid"

    def __init__(self, problems: dict):
        super().__init__(problems=problems)
        self.problems = problems


def _zone(settings) -> ZoneInfo:
    # The service's local time zone, the same one the pages show dates in.
    return ZoneInfo(settings.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Shanghai")


def local_today(settings) -> date:
    return utcnow().astimezone(_zone(settings)).date()


def _end_of(day: date, settings) -> datetime:
    """The first moment after `day` in the service's time zone: a consent "until 30 June" holds
    through that whole day."""
    local = datetime.combine(day + timedelta(days=1), time.min, tzinfo=_zone(settings))
    return local.astimezone(timezone.utc)  # SQLite keeps no offset: store UTC


def state(consent: Consent, now: datetime | None = None) -> str:
    """The status a person sees: an open consent past its end date is `expired`."""
    now = now or utcnow()
    if consent.status in OPEN and aware(consent.valid_until) <= now:
        return "expired"
    return consent.status


def terms(kind: str, scopes, purpose, valid_until, settings) -> tuple[list, str, datetime]:
    """(scopes, purpose, valid_until as a moment) checked for an organisation of `kind` (None:
    not known), or ConsentInvalid naming every problem. `valid_until`: a date or YYYY-MM-DD."""
    voc, problems = vocabulary(), {}
    scopes = [s for s in dict.fromkeys(scopes or ()) if isinstance(s, str)]
    if not scopes:
        problems["scopes"] = "scopes_required"
    elif any(s not in voc.scopes for s in scopes):
        problems["scopes"] = "scope_unknown"
    elif kind is not None and any(kind not in voc.scopes[s].kinds for s in scopes):
        problems["scopes"] = "scope_not_for_kind"
    purpose = (purpose or "").strip() if isinstance(purpose, str) else ""
    if control_character(purpose, multiline=True):
        problems["purpose"] = "control_characters"
    elif not purpose:
        problems["purpose"] = "purpose_required"
    elif len(purpose) > MAX_PURPOSE:
        problems["purpose"] = "purpose_too_long"
    until = None
    valid_until = _day(valid_until)
    if valid_until in (None, "bad"):
        problems["valid_until"] = ("valid_until_required" if valid_until is None
                                   else "valid_until_format")
    else:
        today = local_today(settings)
        if valid_until < today:
            problems["valid_until"] = "valid_until_past"
        elif valid_until > today + timedelta(days=voc.consent_max_days):
            problems["valid_until"] = "valid_until_too_far"
        else:
            until = _end_of(valid_until, settings)
    if problems:
        raise ConsentInvalid(problems)
    return scopes, purpose, until


def _day(value):
    """A date from a date or a YYYY-MM-DD text; None when empty, "bad" when unreadable."""
    if isinstance(value, datetime):
        return "bad"
    if isinstance(value, date) or value is None:
        return value
    if not isinstance(value, str) or not value.strip():
        return None if value in ("", None) else "bad"
    try:
        return date.fromisoformat(value.strip()) if len(value.strip()) == 10 else "bad"
    except ValueError:
        return "bad"


def _organisation(organisation_id) -> Organisation | None:
    try:
        return db_session.get(Organisation, valid_id(organisation_id))
    except NotFound:
        return None


def _open_between(enterprise_id: int, organisation_id: int) -> bool:
    now = utcnow()
    rows = db_session.scalars(select(Consent).where(
        Consent.enterprise_id == enterprise_id, Consent.organisation_id == organisation_id,
        Consent.status.in_(OPEN)))
    return any(aware(c.valid_until) > now for c in rows)


def _member_role(actor, enterprise_id) -> str | None:
    if not getattr(actor, "is_authenticated", False):
        return None
    return next((role for eid, role in actor.memberships if eid == enterprise_id), None)


def ask(actor, enterprise_id, organisation_id, scopes, purpose, valid_until, settings) -> int:
    """A person of the enterprise asks an organisation (e.g. a centre for a consultation). An
    owner's request is consent given at once; a member's waits for an owner."""
    with transaction():
        return add_request(actor, enterprise_id, organisation_id, scopes, purpose, valid_until,
                           settings).id


def add_request(actor, enterprise_id, organisation_id, scopes, purpose, valid_until,
                settings) -> Consent:
    """`ask` inside the caller's open transaction (a help request adds its consent and its
    project together); everything is checked before anything is added."""
    enterprise_id = valid_id(enterprise_id)
    role = _member_role(actor, enterprise_id)
    if role is None:
        raise NotFound()
    org = _organisation(organisation_id)
    if org is None or org.status != "active":
        problems = {"organisation": "organisation_unknown"}
        try:
            terms(None, scopes, purpose, valid_until, settings)
        except ConsentInvalid as err:  # name every problem at once
            problems.update(err.problems)
        raise ConsentInvalid(problems)
    scopes, purpose, until = terms(org.kind, scopes, purpose, valid_until, settings)
    if _open_between(enterprise_id, org.id):
        raise Conflict("consent_open")
    owner = role == "owner"
    now = utcnow()
    consent = Consent(enterprise_id=enterprise_id, organisation_id=org.id, scopes=scopes,
                      purpose=purpose, valid_until=until,
                      status="active" if owner else "requested", requested_by="enterprise",
                      requested_by_user=actor.id, decided_by_user=actor.id if owner else None,
                      decided_at=now if owner else None)
    db_session.add(consent)
    db_session.flush()
    return consent


def _find_enterprise(uscc, owner_email) -> int:
    uscc, owner_email = (uscc or "").strip(), (owner_email or "").strip().lower()
    if bool(uscc) == bool(owner_email):
        raise ConsentInvalid({"uscc": "uscc_or_email"})
    if uscc:
        code, problem = check_uscc(uscc.upper().replace(" ", ""))
        if problem:
            raise ConsentInvalid({"uscc": problem})
        found = db_session.scalar(select(Enterprise.id).where(Enterprise.uscc == code))
        if found is None:
            raise ConsentInvalid({"uscc": "enterprise_not_found"})
        return found
    found = db_session.scalars(
        select(Membership.enterprise_id).join(User, User.id == Membership.user_id)
        .where(User.email == owner_email, Membership.role == "owner")
        .order_by(Membership.id)).first()
    if found is None:
        raise ConsentInvalid({"owner_email": "enterprise_not_found"})
    return found


def invite(actor, organisation_id, *, uscc=None, owner_email=None, scopes=(), purpose="",
           valid_until=None, settings) -> int:
    """Staff of an organisation ask an enterprise for consent; its owner decides."""
    organisation_id = valid_id(organisation_id)
    if not getattr(actor, "is_authenticated", False) or actor.org_role(organisation_id) is None:
        raise NotFound()
    org = db_session.get(Organisation, organisation_id)
    if org is None or org.status != "active":
        raise NotFound()
    problems = {}
    try:
        scopes, purpose, until = terms(org.kind, scopes, purpose, valid_until, settings)
    except ConsentInvalid as err:
        problems.update(err.problems)
    try:
        enterprise_id = _find_enterprise(uscc, owner_email)
    except ConsentInvalid as err:
        problems.update(err.problems)
    if problems:
        raise ConsentInvalid(problems)
    if _open_between(enterprise_id, org.id):
        raise Conflict("consent_open")
    with transaction():
        consent = Consent(enterprise_id=enterprise_id, organisation_id=org.id, scopes=scopes,
                          purpose=purpose, valid_until=until, status="requested",
                          requested_by="organisation", requested_by_user=actor.id)
        db_session.add(consent)
        db_session.flush()
        return consent.id


def _owned(actor, consent_id) -> Consent:
    consent = db_session.get(Consent, valid_id(consent_id))
    if consent is None or _member_role(actor, consent.enterprise_id) != "owner":
        raise NotFound()
    return consent


def _move(actor, consent_id, from_status: str, values: dict) -> None:
    """Change one consent's status if it is still `from_status` and not past its end; the
    conditional UPDATE makes two tabs deciding at once change it once."""
    consent = _owned(actor, consent_id)
    if state(consent) != from_status:
        raise Conflict(f"not_{from_status}")
    with transaction():
        moved = db_session.execute(
            update(Consent).where(Consent.id == consent.id, Consent.status == from_status)
            .values(**values))
        if moved.rowcount != 1:
            raise Conflict(f"not_{from_status}")


def accept(actor, consent_id) -> None:
    """An owner accepts a request (the organisation's, or a member's)."""
    _move(actor, consent_id, "requested",
          {"status": "active", "decided_by_user": actor.id, "decided_at": utcnow()})


def decline(actor, consent_id) -> None:
    """An owner declines a request."""
    _move(actor, consent_id, "requested",
          {"status": "declined", "decided_by_user": actor.id, "decided_at": utcnow()})


def revoke(actor, consent_id) -> None:
    """An owner revokes a consent in force; access ends with the organisation's next request."""
    _move(actor, consent_id, "active",
          {"status": "revoked", "revoked_by": actor.id, "revoked_at": utcnow()})


def module_names(settings) -> list[dict]:
    """The catalogue's module names ({zh, en}), which help requests' purposes name; none
    without settings."""
    if settings is None:
        return []
    from services import catalogue  # the catalogue reads projects, which write consents
    return [m.name for m in catalogue.current(settings).modules.values()]


def purpose_view(consent: Consent, names) -> dict | str:
    """The purpose as pages show it: {zh, en} for one of the service's own purposes
    (data/access.yaml), else as the person wrote it."""
    return vocabulary().purpose_text(consent.purpose, names)


def _view(consent: Consent, org: Organisation, now, names, enterprise_name=None) -> dict:
    voc = vocabulary()
    return {"id": consent.id, "organisation": org.name, "organisation_id": org.id,
            "kind": org.kind, "kind_name": voc.kinds[org.kind]["name"],
            "enterprise": enterprise_name, "enterprise_id": consent.enterprise_id,
            "scopes": [{"id": s, "name": voc.scopes[s].name,
                        "description": voc.scopes[s].description}
                       for s in consent.scopes if s in voc.scopes],
            "purpose": purpose_view(consent, names), "valid_until": aware(consent.valid_until),
            "state": state(consent, now), "requested_by": consent.requested_by,
            "created_at": aware(consent.created_at),
            "decided_at": consent.decided_at and aware(consent.decided_at),
            "revoked_at": consent.revoked_at and aware(consent.revoked_at)}


@dataclass(frozen=True)
class EnterpriseConsents:
    awaiting: list  # requests an owner decides on
    in_force: list
    past: list  # declined, revoked, expired


def for_enterprise(actor, enterprise_id, settings=None) -> EnterpriseConsents:
    """Every consent of the enterprise, for its own people (with `settings`, help requests'
    purposes name their modules in the reader's language too)."""
    enterprise_id = valid_id(enterprise_id)
    if _member_role(actor, enterprise_id) is None:
        raise NotFound()
    now, groups = utcnow(), {"requested": [], "active": [], "past": []}
    rows = db_session.execute(
        select(Consent, Organisation).join(Organisation, Organisation.id == Consent.organisation_id)
        .where(Consent.enterprise_id == enterprise_id).order_by(Consent.id.desc())).all()
    names = module_names(settings) if rows else []
    for consent, org in rows:
        view = _view(consent, org, now, names)
        groups.get(view["state"], groups["past"]).append(view)
    return EnterpriseConsents(groups["requested"], groups["active"], groups["past"])


def access_log(actor, enterprise_id, page: int = 1) -> audit.LogPage:
    """Who outside the enterprise read or changed its data, newest first (its own people)."""
    enterprise_id = valid_id(enterprise_id)
    if _member_role(actor, enterprise_id) is None:
        raise NotFound()
    return audit.log_for_enterprise(enterprise_id, page)
