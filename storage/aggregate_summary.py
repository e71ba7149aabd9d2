"""Each enterprise's latest submitted assessment as of a date, kept cheap for the aggregates.

Two things are kept current on every ORM flush that touches a submitted assessment or the
district, size class or industry of an enterprise with one (so submission, on-site signing,
profile edits, deletions and hand-built test rows alike):
- `superseded_at` / `superseded_in_mode_at` on each submitted assessment: when the
  enterprise's next submission of the same instrument version came (any mode; same mode).
  "Latest as of D" is then the row test `counted`, no grouping per enterprise.
- the summary counts (storage/aggregate_models.py) of every listed snapshot date: the flush
  adds the difference between the touched enterprises' contributions after and before.
Bulk writes that bypass the ORM (synthetic populations, the benchmark) call `rebuild`.
Latest means the last by (submitted_at, id).
"""
from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import bindparam, delete, event, func, insert, literal, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, attributes

from storage.aggregate_models import AggregateCount, AggregateSnapshot
from storage.base import utcnow
from storage.models import Assessment, Enterprise

CURRENT = date(9999, 12, 31)  # the as_of of the summary of "now"
MODES = ("self", "on_site", "all")
_ASSESSMENT_FIELDS = ("status", "submitted_at", "mode", "level_id", "total", "instrument_id",
                      "instrument_version", "enterprise_id")
_FIRM_FIELDS = ("district", "size_class", "industry_code")
_KEY = ("as_of", "instrument_id", "instrument_version", "mode", "district", "size_class",
        "industry_code", "level_id")


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


# --- one enterprise, in Python ------------------------------------------------------------

def _utc(moment):
    if moment is not None and moment.tzinfo is None:  # SQLite gives naive UTC
        return moment.replace(tzinfo=timezone.utc)
    return moment


def chain(rows):
    """{id: (superseded_at, superseded_in_mode_at)} for submitted assessments (rows with id,
    enterprise_id, instrument_id, instrument_version, mode, submitted_at)."""
    series = defaultdict(list)
    for row in rows:
        series[(row.enterprise_id, row.instrument_id, row.instrument_version)].append(row)
    out = {}
    for items in series.values():
        items.sort(key=lambda row: (_utc(row.submitted_at), row.id))
        for i, row in enumerate(items):
            later = items[i + 1:]
            out[row.id] = (_utc(later[0].submitted_at) if later else None,
                           next((_utc(o.submitted_at) for o in later if o.mode == row.mode), None))
    return out


def contribution(rows, firms, dates):
    """{summary key: [n, total]} that these enterprises' assessments add at each date.

    `rows`: their submitted assessments (with enterprise_id, level_id, total); `firms`:
    {enterprise id: (district, size class, industry code)}."""
    out = defaultdict(lambda: [0, 0.0])
    links = chain(rows)
    for row in rows:
        submitted = _utc(row.submitted_at)
        any_mode, in_mode = links[row.id]
        place = tuple(value or "" for value in firms.get(row.enterprise_id, ("", "", "")))
        for as_of in dates:
            end = until(as_of)
            if end is not None and not submitted < end:
                continue
            for mode, superseded in (("all", any_mode), (row.mode, in_mode)):
                if superseded is None or (end is not None and superseded >= end):
                    cell = out[(as_of, row.instrument_id, row.instrument_version, mode, *place,
                                row.level_id or "")]
                    cell[0] += 1
                    cell[1] += row.total or 0.0
    return out


# --- keeping it current on flush ----------------------------------------------------------

def _changed(obj, fields):
    state = attributes.instance_state(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _touched(session):
    firms = set()
    for obj in session.new:
        if isinstance(obj, Assessment) and obj.status == "submitted":
            firms.add(obj.enterprise_id)
    for obj in session.dirty:
        if isinstance(obj, Assessment) and _changed(obj, _ASSESSMENT_FIELDS):
            firms.update(attributes.instance_state(obj).attrs.enterprise_id.history.sum())
        elif isinstance(obj, Enterprise) and _changed(obj, _FIRM_FIELDS):
            firms.add(obj.id)
    for obj in session.deleted:
        if isinstance(obj, Assessment):
            firms.add(obj.enterprise_id)
        elif isinstance(obj, Enterprise):
            firms.add(obj.id)
    return {firm for firm in firms if firm is not None}


def _rows(connection, firms):
    rows = connection.execute(
        select(Assessment.id, Assessment.enterprise_id, Assessment.instrument_id,
               Assessment.instrument_version, Assessment.mode, Assessment.submitted_at,
               Assessment.level_id, Assessment.total, Assessment.superseded_at,
               Assessment.superseded_in_mode_at)
        .where(Assessment.enterprise_id.in_(sorted(firms)), Assessment.status == "submitted",
               Assessment.submitted_at.is_not(None))).all()
    places = {row.id: (row.district, row.size_class, row.industry_code)
              for row in connection.execute(
                  select(Enterprise.id, Enterprise.district, Enterprise.size_class,
                         Enterprise.industry_code).where(Enterprise.id.in_(sorted(firms))))}
    return rows, places


@event.listens_for(Session, "before_flush")
def _before_flush(session, _context, _instances):
    # set, not added to: what a failed flush left behind must not be applied by the next one
    session.info.pop("aggregate_summary", None)
    firms = _touched(session)
    if firms:
        with session.no_autoflush:  # column queries: the database as it was before this flush
            session.info["aggregate_summary"] = (firms, _rows(session.connection(), firms))


@event.listens_for(Session, "after_flush")
def _after_flush(session, _context):
    pending = session.info.pop("aggregate_summary", None)
    if pending is not None:
        firms, (rows_before, places_before) = pending
        connection = session.connection()
        rows, places = _rows(connection, firms)
        _relink(session, connection, rows)
        # read after this flush's writes hold their row locks: a snapshot built concurrently
        # either is listed here or waits for this transaction (see `build`)
        dates = list(connection.execute(select(AggregateSnapshot.as_of)).scalars())
        if dates:
            before = contribution(rows_before, places_before, dates)
            after = contribution(rows, places, dates)
            _add(connection, {key: (after.get(key, [0, 0.0])[0] - before.get(key, [0, 0.0])[0],
                                    after.get(key, [0, 0.0])[1] - before.get(key, [0, 0.0])[1])
                              for key in set(before) | set(after)})


def _relink(session, connection, rows):
    """Store the chain's superseded times where they differ (and in loaded objects)."""
    links = chain(rows)
    changes = [{"row_id": row.id, "any_mode": links[row.id][0], "in_mode": links[row.id][1]}
               for row in rows
               if links[row.id] != (_utc(row.superseded_at), _utc(row.superseded_in_mode_at))]
    if not changes:
        return
    connection.execute(update(Assessment.__table__)
                       .where(Assessment.__table__.c.id == bindparam("row_id"))
                       .values(superseded_at=bindparam("any_mode"),
                               superseded_in_mode_at=bindparam("in_mode")), changes)
    for change in changes:
        obj = session.identity_map.get((Assessment, (change["row_id"],), None))
        if obj is not None:
            attributes.set_committed_value(obj, "superseded_at", change["any_mode"])
            attributes.set_committed_value(obj, "superseded_in_mode_at", change["in_mode"])


def _add(connection, delta):
    """Add (n, total) differences to the summary rows; rows that reach zero go."""
    rows = [dict(zip(_KEY, key), n=n, total_sum=total)
            for key, (n, total) in sorted(delta.items()) if n or abs(total) > 1e-9]
    if not rows:
        return
    table = AggregateCount.__table__
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c[name] for name in _KEY],
        set_={"n": table.c.n + stmt.excluded.n,
              "total_sum": table.c.total_sum + stmt.excluded.total_sum})
    connection.execute(stmt, rows)
    for as_of in {row["as_of"] for row in rows}:
        connection.execute(delete(table).where(table.c.as_of == as_of, table.c.n <= 0))


# --- building in SQL ----------------------------------------------------------------------

def build(connection, as_of):
    """(Re)compute the summary of one date (CURRENT: now) in SQL and list it."""
    table = AggregateCount.__table__
    if connection.dialect.name == "postgresql":
        # writers of assessments and profiles wait: none can slip between this count and
        # the listing of the date their flush reads
        connection.exec_driver_sql("LOCK TABLE assessments, enterprises IN SHARE MODE")
    connection.execute(delete(table).where(table.c.as_of == as_of))
    end = until(as_of)
    for mode in MODES:
        place = [func.coalesce(Enterprise.district, ""), func.coalesce(Enterprise.size_class, ""),
                 func.coalesce(Enterprise.industry_code, ""), func.coalesce(Assessment.level_id, "")]
        rows = (select(literal(as_of, table.c.as_of.type).label("as_of"),
                       Assessment.instrument_id, Assessment.instrument_version,
                       literal(mode, table.c.mode.type).label("mode"),
                       *place, func.count(), func.coalesce(func.sum(Assessment.total), 0.0))
                .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
                .where(*counted(end, mode))
                .group_by(Assessment.instrument_id, Assessment.instrument_version, *place))
        connection.execute(insert(table).from_select(list(_KEY) + ["n", "total_sum"], rows))
    snapshots = AggregateSnapshot.__table__
    connection.execute(delete(snapshots).where(snapshots.c.as_of == as_of))
    connection.execute(insert(snapshots).values(as_of=as_of, built_at=utcnow()))


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


def rebuild(connection, dates=()):
    """Superseded times and the summaries of every listed date, of CURRENT and of `dates`,
    recomputed in SQL (after writes that bypass the ORM)."""
    relink_all(connection)
    listed = set(connection.execute(select(AggregateSnapshot.as_of)).scalars())
    for as_of in sorted(listed | {CURRENT} | set(dates)):
        build(connection, as_of)


def listed(connection, as_of):
    """Whether the summary of `as_of` exists (read in the caller's transaction)."""
    return connection.execute(select(AggregateSnapshot.as_of)
                              .where(AggregateSnapshot.as_of == as_of)).first() is not None
