"""Sign-in sessions kept server-side: one row per signed-in browser.

The browser's session and remember cookies hold the user id and a random token; only the
token's hash is stored. A request is signed in only while its row exists and has not expired,
so logging out, changing the password or an administrator ending someone's sessions takes
effect at once, whatever cookies were saved before.
"""
import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import delete

from storage.account_models import UserSession
from storage.base import utcnow
from storage.db import db_session, transaction


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def open_session(user_id: int, days: int) -> str:
    """Start a session of `days` at most; returns its token (the cookies carry it)."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with transaction():
        # Sessions people never logged out of are cleared as new ones open.
        db_session.execute(delete(UserSession).where(UserSession.user_id == user_id,
                                                     UserSession.expires_at < now))
        db_session.add(UserSession(user_id=user_id, token_hash=token_hash(token),
                                   expires_at=now + timedelta(days=days)))
    return token


def end_session(token: str) -> None:
    """Log out one browser."""
    with transaction():
        db_session.execute(delete(UserSession).where(UserSession.token_hash == token_hash(token)))


def end_sessions(user_id: int, keep_token: str | None = None) -> int:
    """End every session of a person (but the one holding `keep_token`); returns how many."""
    query = delete(UserSession).where(UserSession.user_id == user_id)
    if keep_token:
        query = query.where(UserSession.token_hash != token_hash(keep_token))
    with transaction():
        return db_session.execute(query).rowcount


def _end_sessions_in(user_id: int) -> None:
    """The same, inside a transaction the caller owns (a password change, a deactivation)."""
    db_session.execute(delete(UserSession).where(UserSession.user_id == user_id))
