"""Registration by e-mail: the page answers the same whether or not the address has an
account ("check your mail"), and the mail tells the difference: a link to finish registering,
or word that an account exists (with where to log in or reset the password). The account and
its enterprise are created only when the link is opened and confirmed.
"""
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from services import passwords
from services.accounts import (AccountError, _aware, _token_hash, add_enterprise, email_taken,
                               new_user, normalise_email)
from services.text import clean_line
from storage.account_models import PendingRegistration
from storage.base import utcnow
from storage.db import db_session, transaction


@dataclass(frozen=True)
class RegistrationRequest:
    """What to mail: `token` for a new address, None when the address has an account."""

    email: str
    token: str | None


def request_registration(email: str, password: str, name: str, enterprise_name: str,
                         locale: str | None, hours: int) -> RegistrationRequest:
    """Validate and keep a registration until its address is confirmed. Input problems raise
    before anything is looked up, so the answer never depends on who has an account."""
    email = normalise_email(email)
    name = clean_line(name, code="name_required")
    enterprise_name = clean_line(enterprise_name, code="enterprise_name_required")
    passwords.check_password(password, email=email, names=(name, enterprise_name))
    # Hash in both cases, so the time taken does not tell either.
    password_hash = passwords.hash_password(password)
    if email_taken(email):
        return RegistrationRequest(email, None)
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with transaction():
        db_session.execute(delete(PendingRegistration)
                           .where(PendingRegistration.expires_at < now))
        db_session.add(PendingRegistration(
            email=email, token_hash=_token_hash(token), password_hash=password_hash, name=name,
            enterprise_name=enterprise_name, locale=locale, expires_at=now + timedelta(hours=hours)))
    return RegistrationRequest(email, token)


def _usable(token: str) -> PendingRegistration | None:
    row = db_session.scalar(select(PendingRegistration)
                            .where(PendingRegistration.token_hash == _token_hash(token)))
    if row is None or _aware(row.expires_at) < utcnow():
        return None
    return row


def registration_info(token: str) -> dict | None:
    """{"email", "name", "enterprise_name"} of a usable registration link, else None."""
    row = _usable(token)
    if row is None or email_taken(row.email):
        return None
    return {"email": row.email, "name": row.name, "enterprise_name": row.enterprise_name}


def complete_registration(token: str) -> int:
    """Create the account, its enterprise and the owner membership; every pending registration
    of the address ends. Returns the user id; AccountError("registration_invalid")."""
    row = _usable(token)
    if row is None or email_taken(row.email):
        raise AccountError("registration_invalid")
    try:
        with transaction():
            user = new_user(row.email, row.password_hash, row.name, row.locale)
            add_enterprise(user.id, row.enterprise_name)
            user_id = user.id
            db_session.execute(delete(PendingRegistration)
                               .where(PendingRegistration.email == row.email))
    except IntegrityError:  # the same address confirmed a moment ago, in another tab
        raise AccountError("registration_invalid") from None
    return user_id
