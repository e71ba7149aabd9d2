"""Accounts: the signed-in person as plain data, registration, sign-in, resets.

Plain values in and out; each use case is one transaction.
"""
import hashlib
import secrets
from dataclasses import dataclass, replace
from datetime import timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError

from services.org_roles import OrgRole, organisation_roles
from services.tokens import aware as _aware
from services.tokens import token_hash as _token_hash
from storage.base import utcnow
from storage.db import db_session, transaction
from storage.models import (Enterprise, Invitation, Membership, PasswordResetToken, Role, User,
                            UserRole)


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
    # Changes with the password, so a reset signs out every other session.
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
# roles and memberships (a few rows at most), built once so SQLAlchemy reuses its compiled form.
_ACCOUNT_QUERY = (
    select(User.id, User.email, User.name, User.locale, User.is_active, User.password_hash,
           Role.name.label("role_name"), Membership.enterprise_id, Membership.role)
    .select_from(User)
    .outerjoin(UserRole, UserRole.user_id == User.id)
    .outerjoin(Role, Role.id == UserRole.role_id)
    .outerjoin(Membership, Membership.user_id == User.id)
    .where(User.id == bindparam("user_id"))
    .order_by(Membership.id))


def load_account(user_id) -> AccountUser | None:
    """AccountUser for an id, or None if unknown or deactivated."""
    try:
        rows = db_session.connection().execute(_ACCOUNT_QUERY, {"user_id": int(user_id)}).all()
    except (TypeError, ValueError):
        return None
    if not rows or not rows[0].is_active:
        return None
    first = rows[0]
    memberships = []
    for row in rows:  # each membership repeats once per role
        pair = (row.enterprise_id, row.role)
        if row.enterprise_id is not None and pair not in memberships:
            memberships.append(pair)
    return AccountUser(
        id=first.id, email=first.email, name=first.name, locale=first.locale,
        roles=frozenset(row.role_name for row in rows if row.role_name is not None),
        memberships=tuple(memberships),
        session_key=_session_key(first.password_hash),
        organisations=organisation_roles(first.id),
    )


def _session_key(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


def account_for_session(session_id: str, chosen_enterprise=None) -> AccountUser | None:
    """The account a session cookie names ("id:key"), unless its password changed since."""
    user_id, _, key = (session_id or "").partition(":")
    account = load_account(user_id)
    if account is None or not secrets.compare_digest(account.session_key, key):
        return None
    return replace(account, chosen_enterprise=chosen_enterprise)


def enterprise_choices(account: AccountUser) -> list[dict]:
    """[{"id", "name"}] of the enterprises a person belongs to, in joining order."""
    names = dict(db_session.execute(select(Enterprise.id, Enterprise.name)
                                    .where(Enterprise.id.in_(account.enterprise_ids))).all())
    return [{"id": eid, "name": names[eid]} for eid in account.enterprise_ids]


# --- registration, sign-in, password resets, invitations, language ------------

MIN_PASSWORD = 8
_hasher = PasswordHasher()
# Verifying against this keeps the timing of "unknown e-mail" like "wrong password".
_DUMMY_HASH = _hasher.hash("not-a-real-password")


class AccountError(Exception):
    """A use-case refusal; `code` is a stable key the web layer translates."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _check_password_rule(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise AccountError("password_too_short")


def _email_taken(email: str) -> bool:
    return db_session.scalar(select(User.id).where(User.email == email)) is not None


def _new_user(email, password, name, locale, roles=("sme_user",)) -> User:
    user = User(email=email, password_hash=hash_password(password), name=(name or "").strip(),
                locale=locale)
    db_session.add(user)
    db_session.flush()
    for role_id in db_session.scalars(select(Role.id).where(Role.name.in_(roles))):
        db_session.add(UserRole(user_id=user.id, role_id=role_id))
    return user


def register(email: str, password: str, name: str, enterprise_name: str,
             locale: str | None = None) -> int:
    """Create the person, their enterprise and the owner membership; return the user id."""
    email = normalise_email(email)
    _check_password_rule(password)
    if not (enterprise_name or "").strip():
        raise AccountError("enterprise_name_required")
    if _email_taken(email):
        raise AccountError("email_taken")
    try:
        with transaction():
            user = _new_user(email, password, name, locale)
            enterprise = Enterprise(name=enterprise_name.strip())
            db_session.add(enterprise)
            db_session.flush()
            db_session.add(Membership(user_id=user.id, enterprise_id=enterprise.id, role="owner"))
            user_id = user.id
    except IntegrityError:  # the same e-mail registered a moment ago
        raise AccountError("email_taken") from None
    return user_id


def authenticate(email: str, password: str) -> AccountUser | None:
    """The account for these credentials, or None (same answer for any failure)."""
    user = db_session.scalar(select(User).where(User.email == normalise_email(email)))
    try:
        _hasher.verify(user.password_hash if user else _DUMMY_HASH, password or "")
    except (VerificationError, InvalidHashError):
        return None
    if user is None or not user.is_active:
        return None
    with transaction():
        if _hasher.check_needs_rehash(user.password_hash):
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


def finish_password_reset(token: str, new_password: str) -> int:
    """Set the new password and spend the token; return the user id."""
    _check_password_rule(new_password)
    row = _usable_reset(token)
    if row is None:
        raise AccountError("reset_invalid")
    with transaction():
        row.used_at = utcnow()
        user = db_session.get(User, row.user_id)
        user.password_hash = hash_password(new_password)
        user_id = user.id
    return user_id


def invite(owner: AccountUser, enterprise_id: int, email: str, days: int) -> str:
    """An owner invites a colleague by e-mail; returns the one-time token."""
    if not owner.is_owner(enterprise_id):
        raise AccountError("not_owner")
    email = normalise_email(email)
    already = db_session.scalar(
        select(Membership.id).join(User, User.id == Membership.user_id)
        .where(User.email == email, Membership.enterprise_id == enterprise_id))
    if already is not None:
        raise AccountError("already_member")
    token = secrets.token_urlsafe(32)
    with transaction():
        db_session.add(Invitation(enterprise_id=enterprise_id, email=email, invited_by=owner.id,
                                  token_hash=_token_hash(token),
                                  expires_at=utcnow() + timedelta(days=days)))
    return token


def _usable_invitation(token: str) -> Invitation | None:
    row = db_session.scalar(select(Invitation)
                            .where(Invitation.token_hash == _token_hash(token or "")))
    if row is None or row.accepted_at is not None or _aware(row.expires_at) < utcnow():
        return None
    return row


def invitation_info(token: str) -> dict | None:
    """{"email", "enterprise_name", "has_account"} for a usable invitation, else None."""
    row = _usable_invitation(token)
    if row is None:
        return None
    enterprise = db_session.get(Enterprise, row.enterprise_id)
    return {"email": row.email, "enterprise_name": enterprise.name,
            "has_account": _email_taken(row.email)}


def accept_invitation(token: str, *, user_id: int | None = None, name: str = "",
                      password: str = "", locale: str | None = None) -> int:
    """Join the enterprise as member: a signed-in person (user_id) or a new account."""
    row = _usable_invitation(token)
    if row is None:
        raise AccountError("invitation_invalid")
    if user_id is None:
        _check_password_rule(password)
        if _email_taken(row.email):
            raise AccountError("email_taken")
    try:
        with transaction():
            if user_id is None:
                user_id = _new_user(row.email, password, name, locale).id
            elif db_session.scalar(select(Membership.id).where(
                    Membership.user_id == user_id,
                    Membership.enterprise_id == row.enterprise_id)) is not None:
                raise AccountError("already_member")
            db_session.add(Membership(user_id=user_id, enterprise_id=row.enterprise_id,
                                      role="member"))
            row.accepted_at = utcnow()
            row.accepted_by = user_id
    except IntegrityError:
        raise AccountError("already_member") from None
    return user_id


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
    _check_password_rule(password)
    if _email_taken(email):
        raise AccountError("email_taken")
    with transaction():
        user_id = _new_user(email, password, name, locale, roles).id
    return user_id


def grant_roles(user_id: int, roles) -> None:
    """Add roles (by name) a person does not have yet."""
    with transaction():
        have = set(db_session.scalars(select(UserRole.role_id).where(UserRole.user_id == user_id)))
        for role_id in db_session.scalars(select(Role.id).where(Role.name.in_(list(roles)))):
            if role_id not in have:
                db_session.add(UserRole(user_id=user_id, role_id=role_id))


def add_account(email: str, password: str, name: str, locale: str | None = None,
                roles=()) -> int:
    """A new account added to the caller's open transaction (the same checks as registration),
    for use cases that create a person as one step of theirs, e.g. joining an organisation."""
    email = normalise_email(email)
    _check_password_rule(password)
    if _email_taken(email):
        raise AccountError("email_taken")
    return _new_user(email, password, name, locale, roles).id
