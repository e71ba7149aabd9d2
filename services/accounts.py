"""Accounts: the signed-in person as plain data, sign-in, creating accounts, resets.

Plain values in and out; each use case is one transaction. Sessions live in
services.sessions, the password rule in services.passwords, invitations in
services.invitations, registration by e-mail in services.registration.
"""
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError

from services import passwords, sessions, tokens
from services.errors import InvalidInput
from services.org_roles import OrgRole
from services.passwords import MIN_PASSWORD, hash_password  # noqa: F401  (used by the forms)
from services.text import clean_line
from storage.account_models import UserSession
from storage.base import utcnow
from storage.db import db_session, transaction
from storage.models import Enterprise, Membership, PasswordResetToken, Role, User, UserRole
from storage.organisation_models import Organisation, OrgMembership


@dataclass(frozen=True)
class AccountUser:
    """The signed-in person as Flask-Login's `current_user` (plain values, no ORM)."""

    id: int
    email: str
    name: str
    locale: str | None
    roles: frozenset[str]
    # (enterprise_id, membership role) pairs, first joined first.
    memberships: tuple[tuple[int, str], ...]
    # This browser's session token (services.sessions); "" when not signed in through one.
    session_key: str = ""
    # The enterprise chosen in this session, for people who belong to several.
    chosen_enterprise: int | None = None
    # The organisations (centres, providers, bureaus) the person works for, and the role in each.
    organisations: tuple[OrgRole, ...] = ()

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_key}"

    def has_role(self, *names: str) -> bool:
        return bool(self.roles.intersection(names))

    @property
    def enterprise_ids(self) -> tuple[int, ...]:
        return tuple(eid for eid, _ in self.memberships)

    @property
    def enterprise_id(self) -> int | None:
        """The enterprise the person acts for: the one chosen, else the first joined."""
        if self.chosen_enterprise in self.enterprise_ids:
            return self.chosen_enterprise
        return self.memberships[0][0] if self.memberships else None

    def is_owner(self, enterprise_id: int) -> bool:
        return (enterprise_id, "owner") in self.memberships

    @property
    def organisation_ids(self) -> tuple[int, ...]:
        return tuple(o.organisation_id for o in self.organisations)

    def org_role(self, organisation_id: int) -> str | None:
        """The person's role in that organisation, or None if they are not on its staff."""
        return next((o.role for o in self.organisations
                     if o.organisation_id == organisation_id), None)


# One round trip per request for the signed-in person: the user row, left-joined with their
# roles, memberships and organisations (a few rows at most), built once so SQLAlchemy reuses its
# compiled form.
def _account_query(with_session: bool):
    columns = [User.id, User.email, User.name, User.locale, User.is_active,
               Role.name.label("role_name"), Membership.enterprise_id, Membership.role,
               OrgMembership.organisation_id, Organisation.kind.label("org_kind"),
               OrgMembership.role.label("org_role")]
    query = select(*columns).select_from(User)
    if with_session:  # ...and the session row the cookie names, which must exist
        query = query.join(UserSession, (UserSession.user_id == User.id)
                           & (UserSession.token_hash == bindparam("token_hash"))
                           ).add_columns(UserSession.expires_at)
    # Active organisations only: an inactive one's staff reach nothing through it.
    return (query.outerjoin(UserRole, UserRole.user_id == User.id)
            .outerjoin(Role, Role.id == UserRole.role_id)
            .outerjoin(Membership, Membership.user_id == User.id)
            .outerjoin(OrgMembership, OrgMembership.user_id == User.id)
            .outerjoin(Organisation, (Organisation.id == OrgMembership.organisation_id)
                       & (Organisation.status == "active"))
            .where(User.id == bindparam("user_id"))
            .order_by(Membership.id, OrgMembership.id))


_ACCOUNT_QUERY = _account_query(False)
_SESSION_ACCOUNT_QUERY = _account_query(True)


def _account_from(rows) -> AccountUser | None:
    if not rows or not rows[0].is_active:
        return None
    first = rows[0]
    memberships, organisations = [], []
    for row in rows:  # each membership and organisation repeats once per role and per the other
        pair = (row.enterprise_id, row.role)
        if row.enterprise_id is not None and pair not in memberships:
            memberships.append(pair)
        staff = OrgRole(row.organisation_id, row.org_kind, row.org_role)
        if row.org_kind is not None and staff not in organisations:
            organisations.append(staff)
    return AccountUser(
        id=first.id, email=first.email, name=first.name, locale=first.locale,
        roles=frozenset(row.role_name for row in rows if row.role_name is not None),
        memberships=tuple(memberships), organisations=tuple(organisations))


def load_account(user_id) -> AccountUser | None:
    """AccountUser for an id, or None if unknown or deactivated."""
    try:
        rows = db_session.connection().execute(_ACCOUNT_QUERY, {"user_id": int(user_id)}).all()
    except (TypeError, ValueError, OverflowError):
        return None
    return _account_from(rows)


def account_for_session(session_id: str, chosen_enterprise=None) -> AccountUser | None:
    """The account a session cookie names ("id:token"), while that session lasts."""
    user_id, _, token = (session_id or "").partition(":")
    if not token or not user_id.isdigit() or len(user_id) > 18:
        return None
    rows = db_session.connection().execute(_SESSION_ACCOUNT_QUERY, {
        "user_id": int(user_id), "token_hash": sessions.token_hash(token)}).all()
    account = _account_from(rows)
    if account is None or _aware(rows[0].expires_at) < utcnow():
        return None
    return replace(account, session_key=token, chosen_enterprise=chosen_enterprise)


def signed_in(account: AccountUser, days: int) -> AccountUser:
    """`account` with a new server-side session of `days` at most (for login_user)."""
    return replace(account, session_key=sessions.open_session(account.id, days))


def enterprise_choices(account: AccountUser) -> list[dict]:
    """[{"id", "name"}] of the enterprises a person belongs to, in joining order."""
    names = dict(db_session.execute(select(Enterprise.id, Enterprise.name)
                                    .where(Enterprise.id.in_(account.enterprise_ids))).all())
    return [{"id": eid, "name": names[eid]} for eid in account.enterprise_ids]


# --- creating accounts, sign-in, password resets and changes, language ------------


class AccountError(InvalidInput):
    """A use-case refusal; `code` is a stable key the web layer translates."""


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


# Link tokens of every kind (resets, invitations) share one mechanism: services/tokens.py.
_token_hash = tokens.token_hash
_aware = tokens.aware


def email_taken(email: str) -> bool:
    return db_session.scalar(select(User.id).where(User.email == normalise_email(email))) is not None


def new_user(email, password_hash, name, locale, roles=("sme_user",)) -> User:
    """Add a person (inside the caller's transaction) with an already hashed password."""
    user = User(email=email, password_hash=password_hash, name=clean_line(name, required=False),
                locale=locale)
    db_session.add(user)
    db_session.flush()
    for role_id in db_session.scalars(select(Role.id).where(Role.name.in_(roles))):
        db_session.add(UserRole(user_id=user.id, role_id=role_id))
    return user


def add_enterprise(user_id: int, enterprise_name: str) -> int:
    """Add an enterprise owned by `user_id` (inside the caller's transaction); its id."""
    enterprise = Enterprise(name=clean_line(enterprise_name, code="enterprise_name_required"))
    db_session.add(enterprise)
    db_session.flush()
    db_session.add(Membership(user_id=user_id, enterprise_id=enterprise.id, role="owner"))
    return enterprise.id


def register(email: str, password: str, name: str, enterprise_name: str,
             locale: str | None = None) -> int:
    """Create the person, their enterprise and the owner membership at once; return the user id.

    For the command line, the demo and tests; people on the web register through
    services.registration, which confirms the e-mail address first."""
    email = normalise_email(email)
    clean_line(enterprise_name, code="enterprise_name_required")
    passwords.check_password(password, email=email, names=(name, enterprise_name))
    if email_taken(email):
        raise AccountError("email_taken")
    try:
        with transaction():
            user = new_user(email, hash_password(password), name, locale)
            add_enterprise(user.id, enterprise_name)
            user_id = user.id
    except IntegrityError:  # the same e-mail registered a moment ago
        raise AccountError("email_taken") from None
    return user_id


def authenticate(email: str, password: str) -> AccountUser | None:
    """The account for these credentials, or None (same answer for any failure)."""
    user = db_session.scalar(select(User).where(User.email == normalise_email(email)))
    if not passwords.verify(user.password_hash if user else None, password):
        return None
    if not user.is_active:
        return None
    with transaction():
        if passwords.needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        user.last_login_at = utcnow()
        user_id = user.id
    return load_account(user_id)


def start_password_reset(email: str, hours: int) -> str | None:
    """A one-time reset token for that e-mail, or None if no such account."""
    user = db_session.scalar(select(User).where(User.email == normalise_email(email)))
    if user is None or not user.is_active:
        return None
    token = secrets.token_urlsafe(32)
    with transaction():
        db_session.add(PasswordResetToken(user_id=user.id, token_hash=_token_hash(token),
                                          expires_at=utcnow() + timedelta(hours=hours)))
    return token


def _usable_reset(token: str) -> PasswordResetToken | None:
    row = db_session.scalar(select(PasswordResetToken)
                            .where(PasswordResetToken.token_hash == _token_hash(token or "")))
    if row is None or row.used_at is not None or _aware(row.expires_at) < utcnow():
        return None
    return row


def reset_token_valid(token: str) -> bool:
    return _usable_reset(token) is not None


def reset_email(token: str) -> str | None:
    """The e-mail of a usable reset token's account (for the strength rule), else None."""
    row = _usable_reset(token)
    return None if row is None else db_session.scalar(select(User.email)
                                                      .where(User.id == row.user_id))


def _set_password(user: User, new_password: str) -> None:
    # Inside the caller's transaction: every reset link of the person dies with the change.
    user.password_hash = hash_password(new_password)
    db_session.execute(update(PasswordResetToken)
                       .where(PasswordResetToken.user_id == user.id,
                              PasswordResetToken.used_at.is_(None))
                       .values(used_at=utcnow()))


def finish_password_reset(token: str, new_password: str) -> int:
    """Set the new password, spend this and every other reset link of the person, end all
    their sessions; return the user id."""
    row = _usable_reset(token)
    if row is None:
        raise AccountError("reset_invalid")
    user = db_session.get(User, row.user_id)
    passwords.check_password(new_password, email=user.email, names=(user.name,))
    with transaction():
        _set_password(user, new_password)
        sessions._end_sessions_in(user.id)
        user_id = user.id
    return user_id


def change_password(account: AccountUser, old_password: str, new_password: str) -> None:
    """The signed-in person changes their password; their other sessions end."""
    user = db_session.get(User, account.id)
    if user is None or not passwords.verify(user.password_hash, old_password):
        raise AccountError("old_password_wrong")
    passwords.check_password(new_password, email=user.email, names=(user.name,))
    with transaction():
        _set_password(user, new_password)
    sessions.end_sessions(account.id, keep_token=account.session_key or None)


def set_locale(user_id: int, locale: str) -> None:
    """Remember the person's language."""
    with transaction():
        user = db_session.get(User, user_id)
        if user is not None:
            user.locale = locale


def members(enterprise_id: int) -> list[dict]:
    """People of an enterprise: [{"name", "email", "role"}]."""
    rows = db_session.execute(
        select(User.name, User.email, Membership.role).join(Membership)
        .where(Membership.enterprise_id == enterprise_id).order_by(Membership.id)).all()
    return [{"name": n, "email": e, "role": r} for n, e, r in rows]


def create_user(email: str, password: str, name: str, roles=("sme_user",),
                locale: str | None = None) -> int:
    """An account without an enterprise (staff: consultants, analysts, administrators)."""
    email = normalise_email(email)
    passwords.check_password(password, email=email, names=(name,))
    if email_taken(email):
        raise AccountError("email_taken")
    with transaction():
        user_id = new_user(email, hash_password(password), name, locale, roles).id
    return user_id


def grant_roles(user_id: int, roles) -> None:
    """Add roles (by name) a person does not have yet."""
    with transaction():
        have = set(db_session.scalars(select(UserRole.role_id).where(UserRole.user_id == user_id)))
        for role_id in db_session.scalars(select(Role.id).where(Role.name.in_(list(roles)))):
            if role_id not in have:
                db_session.add(UserRole(user_id=user_id, role_id=role_id))
