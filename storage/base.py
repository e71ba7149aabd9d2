"""Declarative base and reusable column types for every model module.

Models live in storage/models.py (accounts, enterprises, assessments) and in
storage/<area>_models.py for other areas; all share this `Base` so one
metadata (and one Alembic history) covers them.
"""
from datetime import datetime, timezone
from typing import Annotated, Any

from sqlalchemy import JSON, BigInteger, DateTime, MetaData, String, Text
from sqlalchemy.orm import DeclarativeBase, mapped_column

# Named constraints keep migrations stable across SQLite (batch mode) and PostgreSQL.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """Current time, timezone-aware UTC (the only clock models use)."""
    return datetime.now(timezone.utc)


class Base(DeclarativeBase):
    """Base class of every model; `Mapped[dict[str, Any]]` maps to JSON."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        dict[str, Any]: JSON,
        list[Any]: JSON,
        datetime: DateTime(timezone=True),
    }


# Reusable column types (pypi/warehouse style): `id: Mapped[intpk]`.
intpk = Annotated[int, mapped_column(primary_key=True)]
bigint = Annotated[int, mapped_column(BigInteger)]
str16 = Annotated[str, mapped_column(String(16))]
str32 = Annotated[str, mapped_column(String(32))]
str64 = Annotated[str, mapped_column(String(64))]
str255 = Annotated[str, mapped_column(String(255))]
text = Annotated[str, mapped_column(Text)]
json_dict = Annotated[dict[str, Any], mapped_column(JSON, default=dict)]
created_at = Annotated[datetime, mapped_column(DateTime(timezone=True), default=utcnow)]
updated_at = Annotated[
    datetime, mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
]
