"""Organisations: administrators create them; their staff see them; enterprises find centres.

Plain values in and out. Refusals are domain errors: `OrganisationInvalid` carries every
problem at once ({field: code}); a duplicate name or provider is a `Conflict`.
"""
import re
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from services import staff
from services.staff import EMAIL
from services.text import control_character
from services.access import valid_id
from services.access_vocabulary import KINDS, vocabulary
from services.errors import Conflict, InvalidInput, NotFound
from storage.db import db_session, transaction
from storage.models import User
from storage.organisation_models import Organisation, OrgMembership

OPERATOR = "operator"  # the acting person for the command line: whoever runs the server
PHONE = re.compile(r"^[0-9+()\- ]{3,40}$")
CENTRE_DEFAULTS = {"review_required": False, "follow_up_months": 6}
FOLLOW_UP_MONTHS = (1, 60)
TEXT_LIMITS = {"name": 200, "contact_person": 100, "address": 255, "website": 255, "email": 255}


class OrganisationInvalid(InvalidInput):
    """Every problem of the data at once: `problems` maps a field to a code."""

    code = "organisation_invalid"

    def __init__(self, problems: dict):
        super().__init__(problems=problems)
        self.problems = problems


@dataclass(frozen=True)
class Reference:
    """What the data may name: the city's districts, GB/T 4754 codes, catalogue providers (read
    only when asked for: only providers and platforms name one), priority industries."""

    districts: frozenset[str]
    industry_codes: frozenset[str]
    load_providers: Callable[[], tuple] = tuple  # -> ((id, {zh, en} name), ...)
    priority_industries: dict = field(default_factory=dict, compare=False)  # id -> codes

    @cached_property
    def providers(self) -> tuple:
        return tuple(self.load_providers())

    @property
    def provider_ids(self) -> frozenset[str]:
        return frozenset(pid for pid, _ in self.providers)


def reference(settings) -> Reference:
    """The reference lists from the configured files and the catalogue in use."""
    from services import catalogue
    from services.reference import load_districts, load_industries, load_priority_industries
    industries = load_industries(str(settings["INDUSTRIES_FILE"]))
    districts = load_districts(str(settings["DISTRICTS_FILE"]))
    priority = load_priority_industries(str(settings["PRIORITY_INDUSTRIES_FILE"]),
                                        str(settings["INDUSTRIES_FILE"]))
    return Reference(frozenset(d["value"] for d in districts), frozenset(industries.names),
                     lambda: [(p.id, p.name) for p in catalogue.current(settings).providers.values()],
                     {group["id"]: group["codes"] for group in priority})


@dataclass(frozen=True)
class Created:
    id: int
    admin_added: bool = False  # an existing account joined as the organisation's admin
    invitation_token: str | None = None  # or: the admin e-mail was invited (link token)


def _clean(value) -> str:
    return (value or "").strip() if isinstance(value, str) else ""


def _codes(value) -> list[str]:
    """A list of codes from a list or a comma/space separated text."""
    if isinstance(value, str):
        value = re.split(r"[\s,，、;；]+", value)
    return [v.strip() for v in (value or []) if isinstance(v, str) and v.strip()]


def _texts(data, problems) -> dict:
    out = {}
    for name in ("name", "contact_person", "phone", "email", "address", "website"):
        out[name] = _clean(data.get(name)) or None
        if out[name] and control_character(out[name]):
            problems[name] = "control_characters"
        elif out[name] and len(out[name]) > TEXT_LIMITS.get(name, 64):
            problems[name] = f"{name}_too_long"
    if not out["name"]:
        problems["name"] = "name_required"
    if out["email"] and "email" not in problems and not EMAIL.match(out["email"]):
        problems["email"] = "email_format"
    if out["phone"] and "phone" not in problems and not PHONE.match(out["phone"]):
        problems["phone"] = "phone_format"
    if out["website"] and "website" not in problems and not re.match(
            r"^https?://[^\s/]+\.[^\s]+$", out["website"]):
        problems["website"] = "website_format"
    return out


def _scope(kind, data, ref, problems) -> dict:
    districts, industries = _codes(data.get("districts")), _codes(data.get("industries"))
    if kind != "bureau":
        if districts or industries:
            problems["districts" if districts else "industries"] = "scope_only_bureau"
        return {}
    if any(d not in ref.districts for d in districts):
        problems["districts"] = "district_unknown"
    industries = [i.upper() for i in industries]
    if any(i not in ref.industry_codes for i in industries):
        problems["industries"] = "industry_unknown"
    return {"districts": sorted(set(districts)), "industries": sorted(set(industries))}


def _settings(kind, data, problems) -> dict:
    given = {k: data.get(k) for k in CENTRE_DEFAULTS if data.get(k) not in (None, "", False)}
    if kind != "centre":
        if given:
            problems[next(iter(given))] = "settings_only_centre"
        return {}
    settings = dict(CENTRE_DEFAULTS, review_required=bool(data.get("review_required")))
    months = data.get("follow_up_months")
    if months not in (None, ""):
        try:
            months = int(months)
        except (TypeError, ValueError):
            months = None
        if months is None or not FOLLOW_UP_MONTHS[0] <= months <= FOLLOW_UP_MONTHS[1]:
            problems["follow_up_months"] = "follow_up_range"
        else:
            settings["follow_up_months"] = months
    return settings


def _provider_ref(kind, data, ref, problems) -> str | None:
    provider = _clean(data.get("provider_ref")) or None
    if kind not in ("provider", "platform"):
        if provider:
            problems["provider_ref"] = "provider_ref_only_provider"
        return None
    if provider is None and kind == "provider":
        problems["provider_ref"] = "provider_ref_required"
    elif provider is not None and provider not in ref.provider_ids:
        problems["provider_ref"] = "provider_unknown"
    return provider


def validate(data: dict, ref: Reference) -> dict:
    """The organisation's column values, or OrganisationInvalid with every problem."""
    problems = {}
    kind = _clean(data.get("kind"))
    if kind not in KINDS:
        problems["kind"] = "kind_unknown"
    values = _texts(data, problems)
    values.update(kind=kind, scope=_scope(kind, data, ref, problems),
                  settings=_settings(kind, data, problems),
                  provider_ref=_provider_ref(kind, data, ref, problems))
    admin_email = _clean(data.get("admin_email")).lower()
    if admin_email and not EMAIL.match(admin_email):
        problems["admin_email"] = "email_format"
    if problems:
        raise OrganisationInvalid(problems)
    return values


def create(actor, data: dict, ref: Reference, *, invitation_days: int = 14) -> Created:
    """A new organisation (administrators, or OPERATOR on the command line). With
    `admin_email`, that person becomes its admin: at once if they have an account, else by an
    invitation whose link token is returned."""
    require_administrator(actor)
    values = validate(data, ref)
    admin_email = _clean(data.get("admin_email")).lower() or None
    _refuse_duplicates(values)
    by_user = None if actor is OPERATOR else actor.id
    try:
        with transaction():
            org = Organisation(**values)
            db_session.add(org)
            db_session.flush()
            created = Created(org.id)
            if admin_email:
                created = appoint_admin(org, admin_email, by_user, invitation_days)
    except IntegrityError:  # the same name created a moment ago
        raise Conflict("name_taken") from None
    return created


def require_administrator(actor) -> None:
    """NotFound unless the actor is a platform administrator (or OPERATOR)."""
    if actor is not OPERATOR and not (getattr(actor, "is_authenticated", False)
                                      and actor.has_role("administrator")):
        raise NotFound()


def appoint_admin(org: Organisation, email: str, by_user: int | None, days: int) -> Created:
    """In the caller's transaction: the person with this e-mail becomes the organisation's
    admin at once if they have an account, else gets an invitation (its token returned)."""
    role = sorted(vocabulary().admin_roles(org.kind))[0]
    user_id = db_session.scalar(select(User.id).where(User.email == email))
    if user_id is not None:
        db_session.add(OrgMembership(user_id=user_id, organisation_id=org.id, role=role,
                                     added_by=by_user))
        return Created(org.id, admin_added=True)
    return Created(org.id, invitation_token=staff.add_invitation(org.id, email, role, by_user,
                                                                 days))


def _refuse_duplicates(values) -> None:
    if db_session.scalar(select(Organisation.id).where(
            Organisation.kind == values["kind"], Organisation.name == values["name"])):
        raise Conflict("name_taken")
    if values["provider_ref"] and db_session.scalar(select(Organisation.id).where(
            Organisation.provider_ref == values["provider_ref"])):
        raise Conflict("provider_taken")


def _summary(org: Organisation, staff_count: int | None = None) -> dict:
    return {"id": org.id, "kind": org.kind, "kind_name": vocabulary().kinds[org.kind]["name"],
            "name": org.name, "status": org.status, "contact_person": org.contact_person,
            "phone": org.phone, "email": org.email, "address": org.address,
            "website": org.website, "scope": dict(org.scope or {}),
            "settings": dict(org.settings or {}), "provider_ref": org.provider_ref,
            "created_at": org.created_at, "staff": staff_count}


def all_organisations(actor) -> list[dict]:
    """Every organisation with its staff count, by kind and name (administrators only)."""
    require_administrator(actor)
    counts = dict(db_session.execute(
        select(OrgMembership.organisation_id, func.count())
        .group_by(OrgMembership.organisation_id)).all())
    rows = db_session.scalars(select(Organisation).order_by(Organisation.kind, Organisation.name))
    return [_summary(org, counts.get(org.id, 0)) for org in rows]


def for_staff(actor, organisation_id) -> dict:
    """The organisation as its staff see it, with the actor's role; NotFound for anyone else."""
    organisation_id = valid_id(organisation_id)
    role = actor.org_role(organisation_id) if getattr(actor, "is_authenticated", False) else None
    if role is None:
        raise NotFound()
    org = db_session.get(Organisation, organisation_id)
    if org is None or org.status != "active":
        raise NotFound()
    data = _summary(org)
    data.update(role=role, role_name=vocabulary().role(role).name,
                is_admin=vocabulary().role(role).admin)
    return data


def mine(actor) -> list[dict]:
    """The active organisations the actor works for, with their role."""
    if not getattr(actor, "is_authenticated", False) or not actor.organisations:
        return []
    rows = db_session.scalars(select(Organisation).where(
        Organisation.id.in_(actor.organisation_ids), Organisation.status == "active"))
    by_id = {org.id: org for org in rows}
    voc = vocabulary()
    return [dict(_summary(by_id[o.organisation_id]), role=o.role, role_name=voc.role(o.role).name)
            for o in actor.organisations if o.organisation_id in by_id]


def directory(kind: str) -> list[dict]:
    """Active organisations of a kind, by name: what an enterprise chooses from (public data)."""
    rows = db_session.scalars(select(Organisation).where(
        Organisation.kind == kind, Organisation.status == "active").order_by(Organisation.name))
    return [_summary(org) for org in rows]


def speaking_for(provider_ref: str) -> dict | None:
    """The active organisation speaking for a catalogue provider (its public contact details),
    or None."""
    org = db_session.scalar(select(Organisation).where(
        Organisation.provider_ref == provider_ref, Organisation.status == "active"))
    return None if org is None else _summary(org)
