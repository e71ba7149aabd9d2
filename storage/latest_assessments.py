"""Which submitted assessment is its enterprise's latest as of a date.

Each submitted assessment keeps `superseded_at` / `superseded_in_mode_at`: when the
enterprise's next submission of the same instrument version came (any mode; same mode), so
"latest as of D" is a row test (`counted`), no grouping per enterprise. `chain` computes them
in Python for a few enterprises (on flush), `relink_all` in SQL for all (after bulk writes).
Latest means the last by (submitted_at, id).
"""
from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, or_, select, update

from storage.models import Assessment

CURRENT = date(9999, 12, 31)  # the as_of of the summary of "now"


def as_utc(moment):
    if moment is not None and moment.tzinfo is None:  # SQLite gives naive UTC
        return moment.replace(tzinfo=timezone.utc)
    return moment


def until(as_of):
    """The first moment after `as_of` (UTC), or None for CURRENT."""
    if as_of == CURRENT:
        return None
    return datetime.combine(as_of + timedelta(days=1), time(), tzinfo=timezone.utc)


def counted(end, mode):
    """Conditions on Assessment: the latest submitted one of its enterprise and instrument
    version before `end` (None: now) among those of `mode` ("all": any mode)."""
    column = Assessment.superseded_at if mode == "all" else Assessment.superseded_in_mode_at
    out = [Assessment.status == "submitted"]
    if mode != "all":
        out.append(Assessment.mode == mode)
    if end is None:
        return [*out, column.is_(None)]
    return [*out, Assessment.submitted_at < end, or_(column.is_(None), column >= end)]


def chain(rows):
    """{id: (superseded_at, superseded_in_mode_at)} for submitted assessments (rows with id,
    enterprise_id, instrument_id, instrument_version, mode, submitted_at)."""
    series = defaultdict(list)
    for row in rows:
        series[(row.enterprise_id, row.instrument_id, row.instrument_version)].append(row)
    out = {}
    for items in series.values():
        items.sort(key=lambda row: (as_utc(row.submitted_at), row.id))
        for i, row in enumerate(items):
            later = items[i + 1:]
            out[row.id] = (as_utc(later[0].submitted_at) if later else None,
                           next((as_utc(o.submitted_at) for o in later if o.mode == row.mode),
                                None))
    return out


def counted_rows(rows, firms, dates):
    """(summary key, row) for each date and mode at which a row is its enterprise's latest."""
    links = chain(rows)
    for row in rows:
        submitted = as_utc(row.submitted_at)
        any_mode, in_mode = links[row.id]
        place = tuple(value or "" for value in firms.get(row.enterprise_id, ("", "", "")))
        for as_of in dates:
            end = until(as_of)
            if end is not None and not submitted < end:
                continue
            for mode, superseded in (("all", any_mode), (row.mode, in_mode)):
                if superseded is None or (end is not None and superseded >= end):
                    yield (as_of, row.instrument_id, row.instrument_version, mode, *place,
                           row.level_id or ""), row


def relink_all(connection):
    """Recompute every superseded time in SQL (after bulk inserts)."""
    a = Assessment.__table__.c
    series = (a.enterprise_id, a.instrument_id, a.instrument_version)
    order = (a.submitted_at, a.id)
    links = (select(a.id,
                    func.lead(a.submitted_at).over(partition_by=series, order_by=order)
                    .label("any_mode"),
                    func.lead(a.submitted_at).over(partition_by=(*series, a.mode), order_by=order)
                    .label("in_mode"))
             .where(a.status == "submitted", a.submitted_at.is_not(None)).subquery())
    connection.execute(
        update(Assessment.__table__).where(a.id == links.c.id,
                                           or_(a.superseded_at.is_distinct_from(links.c.any_mode),
                                               a.superseded_in_mode_at.is_distinct_from(
                                                   links.c.in_mode)))
        .values(superseded_at=links.c.any_mode, superseded_in_mode_at=links.c.in_mode))
