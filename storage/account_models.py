"""Account security: server-side sign-in sessions, sign-in throttle counters, registrations
waiting for their e-mail to be confirmed. Only hashes of tokens are stored."""
from datetime import datetime
from typing import Optional

from sqlalchemy import ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, created_at, intpk, str16, str64, str255


class UserSession(Base):
    """One signed-in browser. The session and remember cookies carry its token; ending the row
    (log-out, password change, an administrator) makes both cookies worthless."""

    __tablename__ = "user_sessions"

    id: Mapped[intpk]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str64] = mapped_column(unique=True)
    created_at: Mapped[created_at]
    expires_at: Mapped[datetime]


class SignInThrottle(Base):
    """Failed sign-ins counted under one key (a hash of "scope:value", e.g. an account and an
    address), shared by every worker through the database."""

    __tablename__ = "sign_in_throttles"

    key: Mapped[str64] = mapped_column(primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    last_failure_at: Mapped[datetime] = mapped_column(index=True)


class PendingRegistration(Base):
    """A registration waiting for its e-mail address to be confirmed through the mailed link;
    the account and its enterprise are created only then."""

    __tablename__ = "pending_registrations"

    id: Mapped[intpk]
    email: Mapped[str255] = mapped_column(index=True)  # lower-case
    token_hash: Mapped[str64] = mapped_column(unique=True)
    password_hash: Mapped[str255]
    name: Mapped[str255]
    enterprise_name: Mapped[str255]
    locale: Mapped[Optional[str16]]
    created_at: Mapped[created_at]
    expires_at: Mapped[datetime]
