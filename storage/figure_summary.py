"""The figure summary: per place (district, size class, industry) and date, the sums the
bureau's further figures read (totals in whole points for the median, dimension and indicator
scores, scenario levels, default plan modules, T0→T1 pairs, help requests' modules).

`figure_contribution` is what a few enterprises add (on flush, in Python); `build_figures`
groups the same in SQL for a whole date. storage/aggregate_summary.py keeps both current.
"""
import math
from collections import defaultdict

from sqlalchemy import Integer, func, insert, literal, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import aliased
from sqlalchemy.sql.functions import FunctionElement

from storage import latest_assessments
from storage.aggregate_models import PLACE_KEY, AggregateFigure
from storage.models import (Assessment, AssessmentDimensionScore, AssessmentIndicatorScore,
                            AssessmentPlanModule, AssessmentScenarioLevel, Enterprise)
from storage.project_models import Project, ProjectModule

ROW_TABLES = (AssessmentDimensionScore, AssessmentIndicatorScore, AssessmentScenarioLevel,
              AssessmentPlanModule)
FIGURE_KEY = (*PLACE_KEY, "figure", "item", "value")


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


def _baseline(row, rows):
    """The latest (by id) submitted baseline of the row's enterprise and instrument version
    submitted before it, or None (as bureau_figures.uplift pairs them)."""
    utc = latest_assessments.as_utc
    found = [o for o in rows if o.baseline_at is not None and o.enterprise_id == row.enterprise_id
             and (o.instrument_id, o.instrument_version) == (row.instrument_id,
                                                             row.instrument_version)
             and utc(o.submitted_at) < utc(row.submitted_at)]
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

    for cell, row in latest_assessments.counted_rows(rows, firms, dates):
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
        end = latest_assessments.until(key[0])
        for module_id in sorted({module_id for module_id, created in asks.get(row.enterprise_id, ())
                                 if end is None or latest_assessments.as_utc(created) < end}):
            add((*key, "ask", module_id, 0))
    return out


def item_queries():
    """(figure, select of assessment_id, item, value, score, max) per row table."""
    d, i, s, p = ROW_TABLES
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


def items(connection, ids):
    out = defaultdict(list)
    if not ids:
        return out
    for figure, table, stmt in item_queries():
        for aid, item, value, score, most in connection.execute(
                stmt.where(table.assessment_id.in_(sorted(ids)))):
            out[aid].append((figure, item, int(value), score, most))
    return out


def asks(connection, firms):
    out = defaultdict(list)
    for firm, module_id, created in connection.execute(
            select(Project.enterprise_id, ProjectModule.module_id, Project.created_at)
            .join(ProjectModule, ProjectModule.project_id == Project.id)
            .where(Project.enterprise_id.in_(sorted(firms)))):
        out[firm].append((module_id, created))
    return out


def build_figures(connection, as_of, end, mode):
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
                .where(*latest_assessments.counted(end, mode), *where).group_by(*groups, *by))
        connection.execute(insert(table).from_select(list(FIGURE_KEY) + ["n", "score_sum",
                                                                           "max_sum"], stmt))

    zero, none = literal(0), literal("")
    count, nothing = func.count(), literal(0.0)
    points = whole_points(Assessment.total)
    grouped("total", none, points, count, nothing, nothing,
            where=[Assessment.total.is_not(None)], by=[points])
    for figure, _, stmt in item_queries():
        row = stmt.subquery()
        grouped(figure, row.c.item, row.c.value, count, func.sum(row.c.score),
                func.sum(row.c.most), (row, row.c.assessment_id == Assessment.id),
                by=[row.c.item, row.c.value])
    t1 = (select(*[column.label(f"k{i}") for i, column in enumerate(groups)],
                 Assessment.total, Assessment.level_rank, baseline_of(Assessment).label("t0_id"))
          .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
          .where(*latest_assessments.counted(end, mode), Assessment.baseline_at.is_(None))
          .subquery())
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
        connection.execute(insert(table).from_select(list(FIGURE_KEY) + ["n", "score_sum",
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
