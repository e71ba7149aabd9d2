"""Rendered PDF reports, kept so the same inputs always give the same file.

A row is one exact file: `cache_key` hashes every input (instrument id and version, answers,
result, profile, plan, language, cover details, template version). `report_id` names the
report's substance and is printed on every page. `report_lookups` finds a row by a key of the
inputs with what the plan is made of instead of the plan (reports.document.lookup_key), so a
stored file is sent without making the plan again.
"""
from typing import Optional

from sqlalchemy import ForeignKey, Integer, LargeBinary
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, created_at, intpk, str16, str32, str64, str255


class StoredReport(Base):
    __tablename__ = "reports"

    id: Mapped[intpk]
    cache_key: Mapped[str64] = mapped_column(unique=True)
    report_id: Mapped[str32] = mapped_column(index=True)
    assessment_id: Mapped[Optional[int]] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True)
    lang: Mapped[str16]
    template_version: Mapped[str32]
    filename: Mapped[str255]
    size: Mapped[int] = mapped_column(Integer)
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[created_at]


class ReportLookup(Base):
    """One lookup key and the stored file it was found or rendered as. Several keys may name
    one file (plan choices that give the same plan); removing the file removes its keys."""
    __tablename__ = "report_lookups"

    lookup_key: Mapped[str64] = mapped_column(primary_key=True)
    stored_report_id: Mapped[int] = mapped_column(
        ForeignKey("reports.id", ondelete="CASCADE"), index=True)
