"""The summaries the bureau aggregates read, kept current.

On every ORM flush that touches a submitted assessment or the district, size class or industry
of an enterprise with one (so submission, on-site signing, profile edits, deletions and
hand-built test rows alike):
- the touched enterprises' superseded times are stored again (storage/latest_assessments.py);
- the summary counts and figure sums (storage/aggregate_models.py; the figures'
  storage/figure_summary.py) of every listed snapshot date get the difference between the
  touched enterprises' contributions after and before (an enterprise is touched also by its
  assessments' score, scenario and plan rows and by its help requests).
`build` computes one date's summary in SQL; bulk writes that bypass the ORM (synthetic
populations, the benchmark) call `rebuild`.
"""
from collections import defaultdict

from sqlalchemy import bindparam, delete, event, func, insert, literal, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, attributes

from storage import figure_summary, latest_assessments
from storage.aggregate_models import PLACE_KEY, AggregateCount, AggregateFigure, AggregateSnapshot
from storage.base import utcnow
from storage.models import Assessment, Enterprise
from storage.project_models import Project, ProjectModule

MODES = ("self", "on_site", "all")
_ASSESSMENT_FIELDS = ("status", "submitted_at", "mode", "level_id", "total", "instrument_id",
                      "instrument_version", "enterprise_id", "baseline_at", "level_rank",
                      "dimension_scores", "indicator_scores", "scenario_levels", "plan_modules")
_FIRM_FIELDS = ("district", "size_class", "industry_code")
_KEY = (*PLACE_KEY, "level_id")


# --- one enterprise, in Python ------------------------------------------------------------

def contribution(rows, firms, dates):
    """{summary key: [n, total]} that these enterprises' assessments add at each date.

    `rows`: their submitted assessments (with enterprise_id, level_id, total); `firms`:
    {enterprise id: (district, size class, industry code)}."""
    out = defaultdict(lambda: [0, 0.0])
    for key, row in latest_assessments.counted_rows(rows, firms, dates):
        out[key][0] += 1
        out[key][1] += row.total or 0.0
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
        if isinstance(obj, figure_summary.ROW_TABLES):
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
    return (rows, places, figure_summary.items(connection, [row.id for row in rows]),
            figure_summary.asks(connection, firms))


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
            figures = figure_summary.figure_contribution
            for table, key, before, after in (
                    (AggregateCount.__table__, _KEY, contribution(rows_before, places_before, dates),
                     contribution(rows, places, dates)),
                    (AggregateFigure.__table__, figure_summary.FIGURE_KEY,
                     figures(rows_before, places_before, dates, items_before, asks_before),
                     figures(rows, places, dates, items, asks))):
                _add(connection, table, key, {
                    cell: [a - b for a, b in zip(after.get(cell, (0, 0, 0)),
                                                 before.get(cell, (0, 0, 0)))]
                    for cell in set(before) | set(after)})


def _relink(session, connection, rows):
    """Store the chain's superseded times where they differ (and in loaded objects)."""
    links, utc = latest_assessments.chain(rows), latest_assessments.as_utc
    changes = [{"row_id": row.id, "any_mode": links[row.id][0], "in_mode": links[row.id][1]}
               for row in rows
               if links[row.id] != (utc(row.superseded_at), utc(row.superseded_in_mode_at))]
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
    end = latest_assessments.until(as_of)
    for mode in MODES:
        place = [func.coalesce(Enterprise.district, ""), func.coalesce(Enterprise.size_class, ""),
                 func.coalesce(Enterprise.industry_code, ""), func.coalesce(Assessment.level_id, "")]
        rows = (select(literal(as_of, table.c.as_of.type).label("as_of"),
                       Assessment.instrument_id, Assessment.instrument_version,
                       literal(mode, table.c.mode.type).label("mode"),
                       *place, func.count(), func.coalesce(func.sum(Assessment.total), 0.0))
                .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
                .where(*latest_assessments.counted(end, mode))
                .group_by(Assessment.instrument_id, Assessment.instrument_version, *place))
        connection.execute(insert(table).from_select(list(_KEY) + ["n", "total_sum"], rows))
        figure_summary.build_figures(connection, as_of, end, mode)
    snapshots = AggregateSnapshot.__table__
    connection.execute(delete(snapshots).where(snapshots.c.as_of == as_of))
    connection.execute(insert(snapshots).values(as_of=as_of, built_at=utcnow()))


def rebuild(connection, dates=()):
    """Superseded times and the summaries of every listed date, of CURRENT and of `dates`,
    recomputed in SQL (after writes that bypass the ORM)."""
    latest_assessments.relink_all(connection)
    listed = set(connection.execute(select(AggregateSnapshot.as_of)).scalars())
    for as_of in sorted(listed | {latest_assessments.CURRENT} | set(dates)):
        build(connection, as_of)


def listed(connection, as_of):
    """Whether the summary of `as_of` exists (read in the caller's transaction)."""
    return connection.execute(select(AggregateSnapshot.as_of)
                              .where(AggregateSnapshot.as_of == as_of)).first() is not None
