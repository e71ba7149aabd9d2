"""Stored catalogue: solution modules, providers, catalogue settings, and an import log.

Each row keeps its entry in the catalogue file layout (`data`, validated by
diagnosis.catalogue before it is written) plus a few columns for listing and SQL.
"""
from typing import Any, Optional

from sqlalchemy import Boolean, ForeignKey, Integer
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, created_at, intpk, json_dict, str16, str32, str64, str255, updated_at


class CatalogueModule(Base):
    __tablename__ = "catalogue_modules"

    id: Mapped[str64] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    category: Mapped[str64]
    cost: Mapped[int] = mapped_column(Integer)
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    data: Mapped[json_dict]
    updated_at: Mapped[updated_at]


class CatalogueProvider(Base):
    __tablename__ = "catalogue_providers"

    id: Mapped[str64] = mapped_column(primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    uscc: Mapped[str32] = mapped_column(index=True)
    type: Mapped[str32]
    status: Mapped[str16] = mapped_column(index=True)
    rating_total: Mapped[int] = mapped_column(Integer)
    data: Mapped[json_dict]
    updated_at: Mapped[updated_at]


class CatalogueSetting(Base):
    """Catalogue-wide settings: instrument, sample flag, rating axes, ranking weights."""

    __tablename__ = "catalogue_settings"

    key: Mapped[str64] = mapped_column(primary_key=True)
    value: Mapped[Optional[dict[str, Any]]]


class CatalogueImport(Base):
    """Who imported which file, when, and how many entries it carried."""

    __tablename__ = "catalogue_imports"

    id: Mapped[intpk]
    kind: Mapped[str16]
    file: Mapped[str255]
    mode: Mapped[str16]
    entries: Mapped[int] = mapped_column(Integer)
    user_id: Mapped[Optional[int]] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[created_at]
