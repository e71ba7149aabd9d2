"""Summary counts for the bureaus' aggregates, kept current by storage/aggregate_summary.py.

A row counts the enterprises whose latest submitted assessment (of an instrument version, in a
mode: "self", "on_site" or "all") as of a date falls in one micro cell (district, size class,
GB/T 4754 大类, level). `as_of` 9999-12-31 is "now"; other dates are past snapshots (quarter
ends), listed in aggregate_snapshots. A missing profile value is stored as "".
"""
from datetime import date, datetime

from sqlalchemy import Date, Float, Integer
from sqlalchemy.orm import Mapped, mapped_column

from storage.base import Base, str16, str32, str64


class AggregateSnapshot(Base):
    __tablename__ = "aggregate_snapshots"

    as_of: Mapped[date] = mapped_column(Date, primary_key=True)
    built_at: Mapped[datetime]


PLACE_KEY = ("as_of", "instrument_id", "instrument_version", "mode", "district", "size_class",
             "industry_code")  # SummaryPlace's columns, in the order the summaries write them


class SummaryPlace:
    """The key of a summary row: date, instrument version, mode and place (district, size
    class, 大类)."""

    as_of: Mapped[date] = mapped_column(Date, primary_key=True)
    instrument_id: Mapped[str64] = mapped_column(primary_key=True)
    instrument_version: Mapped[str32] = mapped_column(primary_key=True)
    mode: Mapped[str16] = mapped_column(primary_key=True)
    district: Mapped[str64] = mapped_column(primary_key=True)
    size_class: Mapped[str16] = mapped_column(primary_key=True)
    industry_code: Mapped[str16] = mapped_column(primary_key=True)


class AggregateCount(SummaryPlace, Base):
    """The counts per micro cell: place and level."""

    __tablename__ = "aggregate_counts"

    level_id: Mapped[str32] = mapped_column(primary_key=True, sort_order=1)  # after the place

    n: Mapped[int] = mapped_column(Integer)
    total_sum: Mapped[float] = mapped_column(Float)


class AggregateFigure(SummaryPlace, Base):
    """The further figures' sums per place of a summary (no level: no figure is read by
    level, and without it the rows are fewer, the heatmap's 2.5 times): `figure`
    "total" (value: total in whole points, n: enterprises — the median's histogram),
    "dimension" / "indicator" (item: its id; n, score_sum, max_sum), "scenario" (item: its id,
    value: level), "plan" / "ask" (item: module id; n: enterprises with it in the default plan /
    in a help request made by then), "uplift" (item "pairs": n, score_sum points, max_sum
    levels; item "up": n)."""

    __tablename__ = "aggregate_figures"

    figure: Mapped[str16] = mapped_column(primary_key=True)
    item: Mapped[str64] = mapped_column(primary_key=True)
    value: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer)
    score_sum: Mapped[float] = mapped_column(Float)
    max_sum: Mapped[float] = mapped_column(Float)
