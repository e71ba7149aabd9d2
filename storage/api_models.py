"""Bearer tokens of the JSON API. Only the SHA-256 of a token is stored; the token itself is
shown once, when it is made.

A personal token acts as its person (`organisation_id` empty); an organisation's service token
acts for that organisation only, on the access of the staff member who made it, while they are
on its staff (`organisation_id` set).
"""
from datetime import datetime
from typing import Any, Optional

from sqlalchemy import ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, created_at, intpk, str16, str64, str255


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[intpk]
    token_hash: Mapped[str64] = mapped_column(unique=True)
    prefix: Mapped[str16]  # the first characters, to recognise a token in the list
    name: Mapped[str255]
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    scopes: Mapped[list[Any]]
    created_at: Mapped[created_at]
    expires_at: Mapped[Optional[datetime]]
    last_used_at: Mapped[Optional[datetime]]
    revoked_at: Mapped[Optional[datetime]]
