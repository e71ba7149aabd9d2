"""A provider's standing in the library: warned (with a deadline to fix), suspended, reinstated,
removed, and its appeals; every step kept as history (provider_events).

The catalogue file gives each provider's starting status; the newest lifecycle step that
changes it wins (`overlay`, applied by services.catalogue.current), so the ranking, the plan and
the provider page all read one status. Steps are data (data/projects.yaml, provider_lifecycle).
"""
from dataclasses import replace
from datetime import date

from sqlalchemy import func, select

from services import consents
from services.errors import InvalidInput, NotFound
from services.projects import rules
from services.text import control_character
from services.tokens import aware
from storage.db import db_session, transaction
from storage.organisation_models import Organisation
from storage.project_models import ProviderEvent

MAX_REASON = 1000


def revision() -> int:
    """Changes whenever a lifecycle step is recorded (part of the catalogue's cache key)."""
    return db_session.scalar(select(func.max(ProviderEvent.id))) or 0


def _standing() -> dict:
    """provider id -> its newest status-changing event."""
    found = {}
    for event in db_session.scalars(select(ProviderEvent).where(ProviderEvent.status != "")
                                    .order_by(ProviderEvent.id)):
        found[event.provider_ref] = event
    return found


def overlay(catalogue):
    """The catalogue with each provider's status (and note) from its newest lifecycle step."""
    standing = _standing()
    if not standing:
        return catalogue
    providers = dict(catalogue.providers)
    for ref, event in standing.items():
        if ref in providers:
            providers[ref] = replace(providers[ref], status=event.status,
                                     note={"zh": event.reason, "en": event.reason})
    return replace(catalogue, providers=providers, _offering={})


def sides(actor, provider_ref: str) -> set:
    """"library" for administrators and centre admins; "provider" for the provider's staff."""
    if not getattr(actor, "is_authenticated", False):
        return set()
    found = set()
    if actor.has_role("administrator") or any(o.role == "centre_admin" for o in actor.organisations):
        found.add("library")
    own = {o.organisation_id for o in actor.organisations if o.kind == "provider"}
    if own and db_session.scalar(select(Organisation.id).where(
            Organisation.id.in_(own), Organisation.provider_ref == provider_ref)):
        found.add("provider")
    return found


def _deadline(value, settings):
    if isinstance(value, date):
        day = value
    else:
        try:
            day = date.fromisoformat(str(value or "").strip())
        except ValueError:
            raise InvalidInput("deadline_format") from None
    if day < consents.local_today(settings):
        raise InvalidInput("deadline_past")
    return day


def act(actor, provider_ref: str, step_id: str, *, reason, deadline=None, catalogue,
        settings) -> str:
    """Take a lifecycle step for a catalogue provider; its status afterwards. NotFound for
    anyone without a side in it; InvalidInput for a step not open now or a missing reason or
    deadline."""
    provider = catalogue.providers.get(provider_ref or "")
    mine = sides(actor, provider_ref) if provider is not None else set()
    if not mine:
        raise NotFound()
    step = (rules(settings).lifecycle or {}).get(step_id)
    if step is None or step.side not in mine:
        raise InvalidInput("step_unknown" if step is None else "not_your_step")
    if provider.status not in step.sources:
        raise InvalidInput("step_out_of_order")
    reason = reason.strip() if isinstance(reason, str) else ""
    if not reason:
        raise InvalidInput("reason_required")
    if len(reason) > MAX_REASON or control_character(reason, multiline=True):
        raise InvalidInput("reason_too_long" if len(reason) > MAX_REASON else "control_characters")
    day = _deadline(deadline, settings) if "deadline" in step.needs else None
    org = next((o.organisation_id for o in actor.organisations if o.kind == "provider"), None) \
        if step.side == "provider" else None
    with transaction():
        db_session.add(ProviderEvent(provider_ref=provider.id, action=step.id,
                                     status=step.target or "", reason=reason, deadline=day,
                                     user_id=actor.id, organisation_id=org))
    return step.target or provider.status


def history(provider_ref: str, settings) -> list[dict]:
    """Every lifecycle step of a provider, oldest first (public: the library's decisions and
    the provider's appeals)."""
    names = {s.id: s.name for s in (rules(settings).lifecycle or {}).values()}
    rows = db_session.scalars(select(ProviderEvent).where(
        ProviderEvent.provider_ref == provider_ref).order_by(ProviderEvent.id))
    return [{"action": e.action, "name": names.get(e.action, {"zh": e.action, "en": e.action}),
             "status": e.status or None, "reason": e.reason, "deadline": e.deadline,
             "at": aware(e.at)} for e in rows]
