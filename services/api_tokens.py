"""Bearer tokens of the JSON API: make one (shown once), list, revoke, and find who a presented
token acts for.

Scopes and limits are data (data/api.yaml). A personal token acts as its person, with that
person's enterprises and organisations; an organisation's service token acts only for that
organisation, on the access of the staff admin who made it, and stops working when they leave
its staff or the organisation becomes inactive. Either way the access rule stays the one in
services/access.py: a token only narrows what its person may do.
"""
import re
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select, update

from diagnosis.reader import safe_load
from services.access_vocabulary import vocabulary
from services.accounts import AccountUser, load_account
from services.errors import InvalidInput, NotFound
from services.text import clean_line
from services.tokens import aware, token_hash
from storage.api_models import ApiToken
from storage.base import utcnow
from storage.db import db_session, transaction

DEFAULT_FILE = Path(__file__).resolve().parent.parent / "data" / "api.yaml"
TOKEN_PREFIX = "sdt_"  # lets secret scanners and people recognise the service's tokens
LAST_USE_STEP = timedelta(minutes=1)  # last use is written at most once a minute per token
_DURATION = re.compile(r"^(\d{1,5})d?$")  # "90d" or "90"
MAX_NAME = 255


@dataclass(frozen=True)
class ApiSettings:
    scopes: dict  # scope id -> {"zh": ..., "en": ...}
    token_max_days: int
    rate_limit: str


@lru_cache(maxsize=2)
def settings(path=DEFAULT_FILE) -> ApiSettings:
    """data/api.yaml, checked: every problem names the file and the path in it."""
    raw = safe_load(Path(path).read_text(encoding="utf-8")) or {}
    problems, scopes = [], {}
    for scope_id, spec in (raw.get("scopes") or {}).items():
        name = (spec or {}).get("name") if isinstance(spec, dict) else None
        if not isinstance(name, dict) or not all(isinstance(name.get(k), str) for k in ("zh", "en")):
            problems.append(f"{path}: scopes.{scope_id}.name: needs zh and en texts")
        else:
            scopes[str(scope_id)] = name
    days = raw.get("token_max_days")
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        problems.append(f"{path}: token_max_days: must be a whole number of days, at least 1")
    if not isinstance(raw.get("rate_limit"), str):
        problems.append(f"{path}: rate_limit: must be a limit such as \"120 per minute\"")
    if not scopes:
        problems.append(f"{path}: scopes: at least one scope is needed")
    if problems:
        raise ValueError("\n".join(problems))
    return ApiSettings(scopes, days, raw["rate_limit"])


class TokenInvalid(InvalidInput):
    """Every problem of a token request at once: `problems` maps field -> InvalidInput."""

    def __init__(self, problems: dict):
        super().__init__("token_invalid", fields=sorted(problems))
        self.problems = problems


@dataclass(frozen=True)
class TokenActor:
    """Who a presented token acts for: the person (narrowed to one organisation for a service
    token) and what the token may be used for."""

    token_id: int
    account: AccountUser
    scopes: frozenset[str]
    organisation_id: int | None


@dataclass(frozen=True)
class NewToken:
    id: int
    token: str  # shown once
    expires_at: object


def parse_days(value) -> int | None:
    """"90d" (or "90") → 90; empty → None (no expiry); anything else → InvalidInput."""
    if value is None or str(value).strip() == "":
        return None
    match = _DURATION.match(str(value).strip().lower())
    days = int(match.group(1)) if match else 0
    if not 1 <= days <= settings().token_max_days:
        raise InvalidInput("token_expiry", max_days=settings().token_max_days)
    return days


def parse_scopes(values) -> tuple[str, ...]:
    """Scope ids from a list or "a,b" text: known ones only, at least one, in file order."""
    if isinstance(values, str):
        values = values.split(",")
    wanted = {str(v).strip() for v in values or () if str(v).strip()}
    unknown = sorted(wanted - set(settings().scopes))
    if unknown or not wanted:
        raise InvalidInput("token_scopes", unknown=", ".join(unknown))
    return tuple(s for s in settings().scopes if s in wanted)


def _name(value) -> str:
    name = clean_line(value if isinstance(value, str) else "", code="token_name")
    if len(name) > MAX_NAME:
        raise InvalidInput("token_name")
    return name


def _admin_of(account: AccountUser, organisation_id: int) -> bool:
    role = account.org_role(organisation_id)
    kind = next((o.kind for o in account.organisations if o.organisation_id == organisation_id), None)
    return role is not None and role in vocabulary().admin_roles(kind)


def create(account: AccountUser, name: str, scopes, days=None, organisation_id=None) -> NewToken:
    """A new token for `account` (or, with `organisation_id`, for an organisation it
    administers: else NotFound). Raises TokenInvalid naming each bad field (name, scopes,
    days), nothing written."""
    problems, checked = {}, {}
    for field, check, value in (("name", _name, name), ("scopes", parse_scopes, scopes),
                                ("days", parse_days, days)):
        try:
            checked[field] = check(value)
        except InvalidInput as err:
            problems[field] = err
    if problems:
        raise TokenInvalid(problems)
    name, scopes, days = checked["name"], checked["scopes"], checked["days"]
    if organisation_id is not None and not _admin_of(account, organisation_id):
        raise NotFound()
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    expires = utcnow() + timedelta(days=days) if days else None
    row = ApiToken(token_hash=token_hash(raw), prefix=raw[:12], name=name, user_id=account.id,
                   organisation_id=organisation_id, scopes=list(scopes), expires_at=expires)
    with transaction():
        db_session.add(row)
        db_session.flush()
    return NewToken(row.id, raw, expires)


def _state(row, now) -> str:
    if row.revoked_at is not None:
        return "revoked"
    if row.expires_at is not None and aware(row.expires_at) <= now:
        return "expired"
    return "active"


def listed(account: AccountUser) -> list[dict]:
    """The tokens `account` made (personal and for organisations), newest first, as plain data."""
    now = utcnow()
    rows = db_session.scalars(select(ApiToken).where(ApiToken.user_id == account.id)
                              .order_by(ApiToken.id.desc())).all()
    return [{"id": r.id, "name": r.name, "prefix": r.prefix, "scopes": list(r.scopes or ()),
             "organisation_id": r.organisation_id, "created_at": r.created_at,
             "expires_at": r.expires_at, "last_used_at": r.last_used_at,
             "revoked_at": r.revoked_at, "state": _state(r, now)} for r in rows]


def revoke(account: AccountUser, token_id) -> None:
    """Revoke one of `account`'s tokens (NotFound for anyone else's); revoking twice is fine."""
    from services.access import valid_id

    token_id = valid_id(token_id)
    with transaction():
        row = db_session.get(ApiToken, token_id)
        if row is None or row.user_id != account.id:
            raise NotFound()
        if row.revoked_at is None:
            row.revoked_at = utcnow()


def actor_for(raw_token: str) -> TokenActor | None:
    """Who the token acts for, or None (unknown, revoked, expired, person deactivated, or a
    service token whose maker has left the organisation). Records the last use."""
    if not raw_token or not raw_token.startswith(TOKEN_PREFIX) or len(raw_token) > 200:
        return None
    row = db_session.scalar(select(ApiToken).where(ApiToken.token_hash == token_hash(raw_token)))
    now = utcnow()
    if row is None or _state(row, now) != "active":
        return None
    account = load_account(row.user_id)
    if account is None:
        return None
    if row.organisation_id is not None:
        if not _admin_of(account, row.organisation_id):
            return None
        account = replace(account, roles=frozenset(), memberships=(), organisations=tuple(
            o for o in account.organisations if o.organisation_id == row.organisation_id))
    if row.last_used_at is None or now - aware(row.last_used_at) >= LAST_USE_STEP:
        with transaction():
            db_session.execute(update(ApiToken).where(ApiToken.id == row.id)
                               .values(last_used_at=now))
    return TokenActor(row.id, account, frozenset(row.scopes or ()), row.organisation_id)
