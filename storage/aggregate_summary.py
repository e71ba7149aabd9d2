"""Each enterprise's latest submitted assessment as of a date, kept cheap for the aggregates.

Two things are kept current on every ORM flush that touches a submitted assessment or the
district, size class or industry of an enterprise with one (so submission, on-site signing,
profile edits, deletions and hand-built test rows alike):
- `superseded_at` / `superseded_in_mode_at` on each submitted assessment: when the
  enterprise's next submission of the same instrument version came (any mode; same mode).
  "Latest as of D" is then the row test `counted`, no grouping per enterprise.
- the summary counts and figure sums (storage/aggregate_models.py) of every listed snapshot
  date: the flush adds the difference between the touched enterprises' contributions after
  and before (an enterprise is touched also by its assessments' score, scenario and plan rows
  and by its help requests).
Bulk writes that bypass the ORM (synthetic populations, the benchmark) call `rebuild`.
Latest means the last by (submitted_at, id).
"""
import math
from collections import defaultdict
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import (Integer, bindparam, delete, event, func, insert, literal, or_,
                        select, update)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session, aliased, attributes
from sqlalchemy.sql.functions import FunctionElement

from storage.aggregate_models import AggregateCount, AggregateFigure, AggregateSnapshot
from storage.base import utcnow
from storage.models import (Assessment, AssessmentDimensionScore, AssessmentIndicatorScore,
                            AssessmentPlanModule, AssessmentScenarioLevel, Enterprise)
from storage.project_models import Project, ProjectModule

CURRENT = date(9999, 12, 31)  # the as_of of the summary of "now"
MODES = ("self", "on_site", "all")
_ASSESSMENT_FIELDS = ("status", "submitted_at", "mode", "level_id", "total", "instrument_id",
                      "instrument_version", "enterprise_id", "baseline_at", "level_rank",
                      "dimension_scores", "indicator_scores", "scenario_levels", "plan_modules")
_ROW_TABLES = (AssessmentDimensionScore, AssessmentIndicatorScore, AssessmentScenarioLevel,
               AssessmentPlanModule)
_FIRM_FIELDS = ("district", "size_class", "industry_code")
_PLACE_KEY = ("as_of", "instrument_id", "instrument_version", "mode", "district", "size_class",
              "industry_code")
_KEY = (*_PLACE_KEY, "level_id")
_FIGURE_KEY = (*_PLACE_KEY, "figure", "item", "value")


class whole_points(FunctionElement):
    """A total in whole points, halves up (totals are not negative): the median's histogram."""

    type = Integer()
    inherit_cache = True


@compiles(whole_points)
def _whole_points(element, compiler, **kw):
    return f"CAST(floor({compiler.process(element.clauses, **kw)} + 0.5) AS INTEGER)"


@compiles(whole_points, "sqlite")
def _whole_points_sqlite(element, compiler, **kw):
    return f"CAST({compiler.process(element.clauses, **kw)} + 0.5 AS INTEGER)"


def whole(total):
    """`whole_points` in Python."""
    return math.floor(total + 0.5)


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


def _counted_rows(rows, firms, dates):
    """(summary key, row) for each date and mode at which a row is its enterprise's latest."""
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
                    yield (as_of, row.instrument_id, row.instrument_version, mode, *place,
                           row.level_id or ""), row


def contribution(rows, firms, dates):
    """{summary key: [n, total]} that these enterprises' assessments add at each date.

    `rows`: their submitted assessments (with enterprise_id, level_id, total); `firms`:
    {enterprise id: (district, size class, industry code)}."""
    out = defaultdict(lambda: [0, 0.0])
    for key, row in _counted_rows(rows, firms, dates):
        out[key][0] += 1
        out[key][1] += row.total or 0.0
    return out


def _baseline(row, rows):
    """The latest (by id) submitted baseline of the row's enterprise and instrument version
    submitted before it, or None (as bureau_figures.uplift pairs them)."""
    found = [o for o in rows if o.baseline_at is not None and o.enterprise_id == row.enterprise_id
             and (o.instrument_id, o.instrument_version) == (row.instrument_id,
                                                             row.instrument_version)
             and _utc(o.submitted_at) < _utc(row.submitted_at)]
    return max(found, key=lambda o: o.id) if found else None


def figure_contribution(rows, firms, dates, items, asks):
    """{figure summary key: [n, score_sum, max_sum]} that these enterprises add at each date.

    `items`: {assessment id: [(figure, item, value, score, max)]} of their score, scenario and
    plan rows; `asks`: {enterprise id: [(module id, created_at)]} of their help requests."""
    out = defaultdict(lambda: [0, 0.0, 0.0])

    def add(key, n=1, score=0.0, most=0.0):
        out[key][0] += n
        out[key][1] += score
        out[key][2] += most

    for cell, row in _counted_rows(rows, firms, dates):
        key = cell[:-1]  # figures are kept per place, not per level
        if row.total is not None:
            add((*key, "total", "", whole(row.total)))
        for figure, item, value, score, most in items.get(row.id, ()):
            add((*key, figure, item, value), 1, score or 0.0, most or 0.0)
        t0 = None if row.baseline_at is not None else _baseline(row, rows)
        if t0 is not None:
            add((*key, "uplift", "pairs", 0), 1, (row.total or 0.0) - (t0.total or 0.0),
                (row.level_rank or 0) - (t0.level_rank or 0))
            if (row.level_rank or 0) > (t0.level_rank or 0):
                add((*key, "uplift", "up", 0))
        end = until(key[0])
        for module_id in sorted({module_id for module_id, created in asks.get(row.enterprise_id, ())
                                 if end is None or _utc(created) < end}):
            add((*key, "ask", module_id, 0))
    return out


# --- keeping it current on flush ----------------------------------------------------------

def _changed(obj, fields):
    state = attributes.instance_state(obj)
    return any(state.attrs[name].history.has_changes() for name in fields)


def _touched(session):
    firms, assessments, projects = set(), set(), set()
    for obj in session.new:
        if isinstance(obj, Assessment) and obj.status == "submitted":
            firms.add(obj.enterprise_id)
    for obj in session.dirty:
        if isinstance(obj, Assessment) and _changed(obj, _ASSESSMENT_FIELDS):
            firms.update(attributes.instance_state(obj).attrs.enterprise_id.history.sum())
        elif isinstance(obj, Enterprise) and _changed(obj, _FIRM_FIELDS):
            firms.add(obj.id)
        elif isinstance(obj, Project) and _changed(obj, ("enterprise_id", "created_at")):
            firms.update(attributes.instance_state(obj).attrs.enterprise_id.history.sum())
    for obj in session.deleted:
        if isinstance(obj, (Assessment, Project)):
            firms.add(obj.enterprise_id)
        elif isinstance(obj, Enterprise):
            firms.add(obj.id)
    for obj in [*session.new, *session.deleted]:
        if isinstance(obj, _ROW_TABLES):
            assessments.add(obj.assessment_id)
        elif isinstance(obj, Project):
            firms.add(obj.enterprise_id)
        elif isinstance(obj, ProjectModule):
            projects.add(obj.project_id)
    assessments.discard(None)
    projects.discard(None)
    if assessments:
        firms.update(session.execute(select(Assessment.enterprise_id)
                                     .where(Assessment.id.in_(sorted(assessments)))).scalars())
    if projects:
        firms.update(session.execute(select(Project.enterprise_id)
                                     .where(Project.id.in_(sorted(projects)))).scalars())
    return {firm for firm in firms if firm is not None}


def _rows(connection, firms):
    rows = connection.execute(
        select(Assessment.id, Assessment.enterprise_id, Assessment.instrument_id,
               Assessment.instrument_version, Assessment.mode, Assessment.submitted_at,
               Assessment.level_id, Assessment.total, Assessment.superseded_at,
               Assessment.superseded_in_mode_at, Assessment.baseline_at, Assessment.level_rank)
        .where(Assessment.enterprise_id.in_(sorted(firms)), Assessment.status == "submitted",
               Assessment.submitted_at.is_not(None))).all()
    places = {row.id: (row.district, row.size_class, row.industry_code)
              for row in connection.execute(
                  select(Enterprise.id, Enterprise.district, Enterprise.size_class,
                         Enterprise.industry_code).where(Enterprise.id.in_(sorted(firms))))}
    return rows, places, _items(connection, [row.id for row in rows]), _asks(connection, firms)


def _item_queries():
    """(figure, select of assessment_id, item, value, score, max) per row table."""
    d, i, s, p = _ROW_TABLES
    out = []
    for figure, table, item, value, score, most in (
            ("dimension", d, d.dimension_id, None, d.score, d.max),
            ("indicator", i, i.indicator_id, None, i.score, i.max),
            ("scenario", s, s.scenario_id, s.level, None, None),
            ("plan", p, p.module_id, None, None, None)):
        out.append((figure, table, select(
            table.assessment_id.label("assessment_id"), item.label("item"),
            (literal(0) if value is None else value).label("value"),
            (literal(0.0) if score is None else score).label("score"),
            (literal(0.0) if most is None else most).label("most"))))
    return out


def _items(connection, ids):
    out = defaultdict(list)
    if not ids:
        return out
    for figure, table, stmt in _item_queries():
        for aid, item, value, score, most in connection.execute(
                stmt.where(table.assessment_id.in_(sorted(ids)))):
            out[aid].append((figure, item, int(value), score, most))
    return out


def _asks(connection, firms):
    out = defaultdict(list)
    for firm, module_id, created in connection.execute(
            select(Project.enterprise_id, ProjectModule.module_id, Project.created_at)
            .join(ProjectModule, ProjectModule.project_id == Project.id)
            .where(Project.enterprise_id.in_(sorted(firms)))):
        out[firm].append((module_id, created))
    return out


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
        firms, (rows_before, places_before, items_before, asks_before) = pending
        connection = session.connection()
        rows, places, items, asks = _rows(connection, firms)
        _relink(session, connection, rows)
        # read after this flush's writes hold their row locks: a snapshot built concurrently
        # either is listed here or waits for this transaction (see `build`)
        dates = list(connection.execute(select(AggregateSnapshot.as_of)).scalars())
        if dates:
            for table, key, before, after in (
                    (AggregateCount.__table__, _KEY, contribution(rows_before, places_before, dates),
                     contribution(rows, places, dates)),
                    (AggregateFigure.__table__, _FIGURE_KEY,
                     figure_contribution(rows_before, places_before, dates, items_before,
                                         asks_before),
                     figure_contribution(rows, places, dates, items, asks))):
                _add(connection, table, key, {
                    cell: [a - b for a, b in zip(after.get(cell, (0, 0, 0)),
                                                 before.get(cell, (0, 0, 0)))]
                    for cell in set(before) | set(after)})


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


def _add(connection, table, key, delta):
    """Add differences of the sums (every column after `key`, in order) to the summary rows
    of `table`; rows whose n reaches zero go."""
    sums = [c.name for c in table.columns if c.name not in key]
    rows = [{**dict(zip(key, cell)), **dict(zip(sums, values))}
            for cell, values in sorted(delta.items()) if any(abs(v) > 1e-9 for v in values)]
    if not rows:
        return
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(table)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c[name] for name in key],
        set_={name: table.c[name] + stmt.excluded[name] for name in sums})
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
    connection.execute(delete(AggregateFigure.__table__)
                       .where(AggregateFigure.__table__.c.as_of == as_of))
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
        _build_figures(connection, as_of, end, mode)
    snapshots = AggregateSnapshot.__table__
    connection.execute(delete(snapshots).where(snapshots.c.as_of == as_of))
    connection.execute(insert(snapshots).values(as_of=as_of, built_at=utcnow()))


def _build_figures(connection, as_of, end, mode):
    """The figure rows of one date and mode, grouped in SQL like `figure_contribution`."""
    table = AggregateFigure.__table__
    place = [func.coalesce(Enterprise.district, ""), func.coalesce(Enterprise.size_class, ""),
             func.coalesce(Enterprise.industry_code, "")]
    head = [literal(as_of, table.c.as_of.type), Assessment.instrument_id,
            Assessment.instrument_version, literal(mode, table.c.mode.type), *place]
    groups = [Assessment.instrument_id, Assessment.instrument_version, *place]

    def grouped(figure, item, value, n, score, most, *joins, where=(), by=()):
        stmt = select(*head, literal(figure), item, value, n, score, most).select_from(Assessment)
        for target, on in joins:
            stmt = stmt.join(target, on)
        stmt = (stmt.join(Enterprise, Enterprise.id == Assessment.enterprise_id)
                .where(*counted(end, mode), *where).group_by(*groups, *by))
        connection.execute(insert(table).from_select(list(_FIGURE_KEY) + ["n", "score_sum",
                                                                           "max_sum"], stmt))

    zero, none = literal(0), literal("")
    count, nothing = func.count(), literal(0.0)
    points = whole_points(Assessment.total)
    grouped("total", none, points, count, nothing, nothing,
            where=[Assessment.total.is_not(None)], by=[points])
    for figure, _, stmt in _item_queries():
        row = stmt.subquery()
        grouped(figure, row.c.item, row.c.value, count, func.sum(row.c.score),
                func.sum(row.c.most), (row, row.c.assessment_id == Assessment.id),
                by=[row.c.item, row.c.value])
    t1 = (select(*[column.label(f"k{i}") for i, column in enumerate(groups)],
                 Assessment.total, Assessment.level_rank, baseline_of(Assessment).label("t0_id"))
          .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
          .where(*counted(end, mode), Assessment.baseline_at.is_(None)).subquery())
    t0 = aliased(Assessment)
    keys = [t1.c[f"k{i}"] for i in range(len(groups))]
    up = func.coalesce(t1.c.level_rank, 0) > func.coalesce(t0.level_rank, 0)
    for item, sums, where in (
            ("pairs", (func.sum(func.coalesce(t1.c.total, 0.0) - func.coalesce(t0.total, 0.0)),
                       func.sum(func.coalesce(t1.c.level_rank, 0)
                                - func.coalesce(t0.level_rank, 0))), []),
            ("up", (nothing, nothing), [up])):
        stmt = (select(head[0], keys[0], keys[1], head[3], *keys[2:], literal("uplift"),
                       literal(item), zero, count, *sums)
                .select_from(t1).join(t0, t0.id == t1.c.t0_id).where(*where).group_by(*keys))
        connection.execute(insert(table).from_select(list(_FIGURE_KEY) + ["n", "score_sum",
                                                                           "max_sum"], stmt))
    asked = (select(Project.enterprise_id, ProjectModule.module_id)
             .join(ProjectModule, ProjectModule.project_id == Project.id)
             .where(*([] if end is None else [Project.created_at < end]))
             .distinct().subquery())
    grouped("ask", asked.c.module_id, zero, count, nothing, nothing,
            (asked, asked.c.enterprise_id == Assessment.enterprise_id), by=[asked.c.module_id])


def baseline_of(outer):
    """The id of the latest (by id) submitted baseline (T0) of `outer`'s enterprise and
    instrument version submitted before it, as a correlated scalar subquery (None: no pair)."""
    before = aliased(Assessment)
    return (select(func.max(before.id))
            .where(before.enterprise_id == outer.enterprise_id, before.baseline_at.is_not(None),
                   before.status == "submitted", before.instrument_id == outer.instrument_id,
                   before.instrument_version == outer.instrument_version,
                   before.submitted_at < outer.submitted_at)
            .correlate(outer).scalar_subquery())


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
