"""Account administration: administrators list and search accounts, disable and re-enable
them, and end a person's sessions. Anyone else gets NotFound, as for any page not theirs."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select

from services import sessions
from services.access_vocabulary import vocabulary
from services.accounts import AccountError, AccountUser, _aware
from services.errors import NotFound
from storage.account_models import UserSession
from storage.base import utcnow
from storage.db import db_session, transaction
from storage.models import Role, User, UserRole
from storage.organisation_models import Organisation, OrgMembership

PER_PAGE = 25
ADMIN_ROLE = "administrator"


@dataclass(frozen=True)
class OrganisationRole:
    """A person's role in one organisation: its name in both languages (data/access.yaml)."""
    organisation: str
    role: str
    role_name: dict


@dataclass(frozen=True)
class AccountRow:
    id: int
    email: str
    name: str
    roles: tuple[str, ...]
    organisation_roles: tuple[OrganisationRole, ...]
    active: bool
    created_at: datetime
    last_login_at: datetime | None
    sessions: int


@dataclass(frozen=True)
class AccountPage:
    rows: list[AccountRow]
    total: int
    page: int
    pages: int
    query: str


def _require_admin(actor: AccountUser | None) -> None:
    if actor is None or not getattr(actor, "is_authenticated", False) \
            or not actor.has_role(ADMIN_ROLE):
        raise NotFound()


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def list_accounts(actor: AccountUser, query: str = "", page: int = 1,
                  per_page: int = PER_PAGE) -> AccountPage:
    """Accounts whose e-mail or name contains `query`, by e-mail, one page of them."""
    _require_admin(actor)
    query = (query or "").strip()[:200]
    where = []
    if query:
        pattern = _like(query.lower())
        where.append(or_(User.email.like(pattern, escape="\\"),
                         func.lower(User.name).like(pattern, escape="\\")))
    total = db_session.scalar(select(func.count(User.id)).where(*where))
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    users = db_session.execute(
        select(User.id, User.email, User.name, User.is_active, User.created_at,
               User.last_login_at).where(*where).order_by(User.email)
        .limit(per_page).offset((page - 1) * per_page)).all()
    ids = [u.id for u in users]
    roles: dict[int, list[str]] = {}
    for user_id, role in db_session.execute(select(UserRole.user_id, Role.name).join(Role)
                                            .where(UserRole.user_id.in_(ids))
                                            .order_by(Role.name)):
        roles.setdefault(user_id, []).append(role)
    voc = vocabulary()
    staff: dict[int, list[OrganisationRole]] = {}
    for user_id, organisation, role in db_session.execute(
            select(OrgMembership.user_id, Organisation.name, OrgMembership.role).join(Organisation)
            .where(OrgMembership.user_id.in_(ids)).order_by(Organisation.name)):
        staff.setdefault(user_id, []).append(
            OrganisationRole(organisation, role, voc.role(role).name))
    counts = dict(db_session.execute(
        select(UserSession.user_id, func.count(UserSession.id))
        .where(UserSession.user_id.in_(ids), UserSession.expires_at > utcnow())
        .group_by(UserSession.user_id)).all())
    rows = [AccountRow(u.id, u.email, u.name, tuple(roles.get(u.id, ())),
                       tuple(staff.get(u.id, ())), u.is_active,
                       _aware(u.created_at), u.last_login_at and _aware(u.last_login_at),
                       counts.get(u.id, 0)) for u in users]
    return AccountPage(rows, total, page, pages, query)


def _target(actor: AccountUser, user_id: int) -> User:
    _require_admin(actor)
    user = db_session.get(User, user_id)
    if user is None:
        raise NotFound()
    return user


def set_active(actor: AccountUser, user_id: int, active: bool) -> str:
    """Disable (ending every session) or re-enable an account; returns its e-mail.
    Administrators cannot disable themselves."""
    user = _target(actor, user_id)
    if not active and user.id == actor.id:
        raise AccountError("cannot_disable_self")
    with transaction():
        user.is_active = active
        if not active:
            sessions._end_sessions_in(user.id)
        email = user.email
    return email


def end_sessions(actor: AccountUser, user_id: int) -> int:
    """Sign a person out everywhere (the administrator's own current session excepted)."""
    user = _target(actor, user_id)
    keep = actor.session_key if user.id == actor.id else None
    return sessions.end_sessions(user.id, keep_token=keep or None)
