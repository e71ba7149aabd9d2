"""Who may reach which enterprise's data: one question, answered here.

*May this actor do this action on this enterprise's data, and under which consent?* The
enterprise's own people (owner, members) reach their own data. Anyone else — staff of an
organisation, an administrator — is an outsider: they reach it only through a consent in force
whose scope covers the action (data/access.yaml), or, for an administrator's reads, with a
stated purpose; every outsider read or change writes an audit record in the same transaction.
Everything else answers NotFound, the same as for an id that does not exist.

- `authorise(...)`: inside the caller's transaction (use it for changes, so the change and its
  audit record commit together); `granted(...)` wraps that in a transaction.
- `check(...)`: for reads; commits the audit record before the data is read.
- `permits(...)`: a yes/no for showing a link or a button; reads nothing, writes nothing.
See docs/organisations.md.
"""
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from sqlalchemy import select

from services import audit
from services.access_vocabulary import Action, vocabulary
from services.accounts import AccountUser, load_account
from services.assessments import assessment_with_profile
from services.errors import NotFound
from storage.base import utcnow
from storage.db import db_session, transaction
from storage.models import Assessment, Enterprise
from storage.organisation_models import Consent, Organisation

# Ids are INTEGER columns: 32 bits on PostgreSQL, which refuses a larger value with an error
# (SQLite cannot even compare one beyond 2^63). Larger ids cannot exist.
MAX_ID = 2**31 - 1


@dataclass(frozen=True)
class Access:
    """Why an actor may act: for the enterprise's own people `outsider` is False; otherwise the
    consent (or, for administrators, the purpose) it rests on."""

    enterprise_id: int
    action: str
    outsider: bool
    consent_id: int | None = None
    organisation_id: int | None = None
    purpose: str | None = None


def valid_id(value) -> int:
    """A database id from a URL or form value, or NotFound (never an overflow error)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise NotFound() from None
    if not 0 < number <= MAX_ID:
        raise NotFound()
    return number


def _actor(user) -> AccountUser | None:
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if isinstance(user, AccountUser):
        return user  # its memberships were read from the database for this very request
    return load_account(user.id)


def _usable_organisations(actor: AccountUser, rule: Action, organisation_id) -> list[int]:
    return [o.organisation_id for o in actor.organisations
            if (organisation_id is None or o.organisation_id == organisation_id)
            and (not rule.roles or o.role in rule.roles)]


def consent_in_force(enterprise_id: int, organisation_ids, scopes) -> Consent | None:
    """The oldest consent in force from the enterprise to one of these organisations that grants
    any of `scopes`, or None."""
    return consents_in_force([enterprise_id], organisation_ids, scopes).get(enterprise_id)


def consents_in_force(enterprise_ids, organisation_ids, scopes) -> dict[int, Consent]:
    """`consent_in_force` for several enterprises with one query: {enterprise id: consent}."""
    if not enterprise_ids or not organisation_ids or not scopes:
        return {}
    rows = db_session.scalars(
        select(Consent).join(Organisation, Organisation.id == Consent.organisation_id)
        .where(Consent.enterprise_id.in_(enterprise_ids), Consent.status == "active",
               Consent.valid_until > utcnow(), Consent.organisation_id.in_(organisation_ids),
               Organisation.status == "active")
        .order_by(Consent.id))
    found: dict[int, Consent] = {}
    for consent in rows:
        if consent.enterprise_id not in found and set(consent.scopes or ()) & set(scopes):
            found[consent.enterprise_id] = consent
    return found


def _decide(actor, action: str, enterprise_id, organisation_id, purpose, known=None) -> Access:
    """The decision for one enterprise; `known` ({enterprise id: consent}, from
    `consents_in_force`) saves the query when a list is decided at once."""
    rule = vocabulary().action(action)  # unknown action names are bugs: ValueError, not 404
    enterprise_id = valid_id(enterprise_id)
    actor = _actor(actor)
    if actor is None:
        raise NotFound()
    if enterprise_id in actor.enterprise_ids:
        return Access(enterprise_id, action, outsider=False)
    if rule.members_only:
        raise NotFound()
    if organisation_id is not None:
        organisation_id = valid_id(organisation_id)
    consent = (known.get(enterprise_id) if known is not None else
               consent_in_force(enterprise_id, _usable_organisations(actor, rule, organisation_id),
                                rule.scopes))
    if consent is not None:
        return Access(enterprise_id, action, True, consent.id, consent.organisation_id)
    purpose = (purpose or "").strip()
    if (purpose and not rule.changes and organisation_id is None
            and actor.has_role("administrator")
            and db_session.get(Enterprise, enterprise_id) is not None):
        return Access(enterprise_id, action, True, purpose=purpose[:500])
    raise NotFound()


def _entry(actor, grant: Access, object_type, object_id) -> dict:
    return {"action": grant.action, "enterprise_id": grant.enterprise_id,
            "actor_user": _actor(actor).id, "actor_organisation": grant.organisation_id,
            "object_type": object_type, "object_id": object_id, "consent_id": grant.consent_id,
            "purpose": grant.purpose}


def _record(actor, grant: Access, object_type, object_id) -> None:
    audit.append_many([_entry(actor, grant, object_type, object_id)])


def authorise(actor, action: str, enterprise_id, *, organisation_id=None, purpose=None,
              object_type: str | None = None, object_id=None) -> Access:
    """Access for `actor` to do `action` on the enterprise's data, or NotFound. For an outsider,
    the audit record is added to the caller's open transaction (`with transaction():`)."""
    grant = _decide(actor, action, enterprise_id, organisation_id, purpose)
    if grant.outsider:
        _record(actor, grant, object_type, object_id)
    return grant


def authorise_each(actor, action: str, enterprise_ids, *, organisation_id=None,
                   object_type: str | None = None, object_id=None) -> list[Access]:
    """`authorise` for every enterprise of a list, in order (NotFound if one is refused), the
    outsiders' audit records added together to the caller's open transaction."""
    ids, person, known = [valid_id(e) for e in enterprise_ids], _actor(actor), None
    if person is not None:
        rule = vocabulary().action(action)
        organisations = _usable_organisations(
            person, rule, None if organisation_id is None else valid_id(organisation_id))
        known = consents_in_force([e for e in ids if e not in person.enterprise_ids],
                                  organisations, rule.scopes)
    grants = [_decide(person, action, eid, organisation_id, None, known) for eid in ids]
    audit.append_many([_entry(actor, g, object_type, object_id) for g in grants if g.outsider])
    return grants


@contextmanager
def granted(actor, action: str, enterprise_id, **kwargs) -> Iterator[Access]:
    """`with granted(actor, "edit_on_site", eid) as grant:` — a transaction in which the change
    and its audit record commit together, or neither does."""
    with transaction():
        yield authorise(actor, action, enterprise_id, **kwargs)


def check(actor, action: str, enterprise_id, *, organisation_id=None, purpose=None,
          object_type: str | None = None, object_id=None) -> Access:
    """Access for a read: an outsider's audit record is committed before anything is shown.
    The enterprise's own people cost no write (and no commit)."""
    grant = _decide(actor, action, enterprise_id, organisation_id, purpose)
    if grant.outsider:
        with transaction():
            _record(actor, grant, object_type, object_id)
    return grant


def permits(actor, action: str, enterprise_id, *, organisation_id=None) -> bool:
    """Whether `check` would grant it (without a purpose); writes no audit record."""
    try:
        _decide(actor, action, enterprise_id, organisation_id, None)
    except NotFound:
        return False
    return True


# --- bureaus: aggregates within their scope (not a consent) -----------------------------------

@dataclass(frozen=True)
class BureauScope:
    """What a bureau's aggregates may cover: districts and industries (GB/T 4754 门类 letters or
    大类 codes); an empty set means the whole city for that dimension."""

    organisation_id: int
    districts: frozenset[str]
    industries: frozenset[str]

    def covers(self, district: str | None, industry_code: str | None) -> bool:
        if self.districts and district not in self.districts:
            return False
        code = industry_code or ""
        return not self.industries or any(code.startswith(i) for i in self.industries)


def bureau_scope(actor, organisation_id=None) -> BureauScope:
    """The scope of a bureau the actor works for (the given one, else their first), or
    NotFound. Aggregates use it as a filter; a named list still needs `list_named` consent."""
    actor = _actor(actor)
    wanted = None if organisation_id is None else valid_id(organisation_id)
    ids = [o.organisation_id for o in (actor.organisations if actor else ())
           if o.kind == "bureau" and wanted in (None, o.organisation_id)]
    if not ids:
        raise NotFound()
    org = db_session.get(Organisation, ids[0])
    scope = org.scope or {}
    return BureauScope(org.id, frozenset(scope.get("districts") or ()),
                       frozenset(scope.get("industries") or ()))


# --- the helpers today's routes use ---------------------------------------------------------

def enterprise_for_user_or_404(user, enterprise_id, *, action=None, purpose=None) -> Enterprise:
    """The enterprise if `user` is one of its people; with an `action`, also for an outsider the
    vocabulary lets do it (audited). Else NotFound."""
    enterprise_id = valid_id(enterprise_id)
    enterprise = db_session.get(Enterprise, enterprise_id)
    if enterprise is None:
        raise NotFound()
    check(user, action or "fill_self_assessment", enterprise_id, purpose=purpose,
          object_type="enterprise", object_id=enterprise_id)
    return enterprise


def assessment_for_user_or_404(user, assessment_id, *, action=None, purpose=None) -> Assessment:
    """The assessment if it belongs to one of `user`'s enterprises; with an `action` (e.g.
    "view_assessment", "view_report"), also for an outsider allowed it (audited). Else NotFound."""
    assessment_id = valid_id(assessment_id)
    found = db_session.execute(select(Assessment.enterprise_id)
                               .where(Assessment.id == assessment_id)).scalar_one_or_none()
    if found is None:
        raise NotFound()
    check(user, action or "fill_self_assessment", found, purpose=purpose,
          object_type="assessment", object_id=assessment_id)
    return db_session.get(Assessment, assessment_id)


def assessment_data_for_user_or_404(user, assessment_id, *, action=None,
                                    purpose=None) -> tuple[dict, dict]:
    """(assessment as a plain dict, its enterprise's profile) in one read, with the same rule
    and the same NotFound as assessment_for_user_or_404."""
    assessment_id = valid_id(assessment_id)
    found = assessment_with_profile(assessment_id)
    if found is None:
        raise NotFound()
    check(user, action or "fill_self_assessment", found[0]["enterprise_id"], purpose=purpose,
          object_type="assessment", object_id=assessment_id)
    return found
