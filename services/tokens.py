"""One-time link tokens (invitations, password resets): only their SHA-256 is stored.

Shared by every link kind (password resets in services/accounts.py, invitations of enterprise
colleagues and organisation staff in services/invitations.py), so hashing follows one rule.
"""
import hashlib
import secrets
from datetime import datetime, timezone


def new_token() -> tuple[str, str]:
    """(token to put in the link, hash to store)."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256((token or "").encode()).hexdigest()


def aware(moment: datetime) -> datetime:
    """SQLite hands datetimes back without tzinfo; they were stored as UTC."""
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)
