"""The bureau dashboard's figures beyond level counts: median total, dimension and indicator
means, the scenario heatmap, T0→T1 uplift and the demand for solution modules (in help
requests and in default plans).

Each figure is one grouped query: over the figure summary of now or of a past quarter end
(storage/aggregate_summary.py keeps it) when the query's date has one, else over the population
of services.aggregate_counts (`latest` joined with Enterprise under `conditions`) — the same sums
either way. Only grouped numbers reach Python, where diagnosis.disclosure decides what is
published. A suppressed figure is None.
"""
from datetime import datetime, time, timedelta, timezone

from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from diagnosis import disclosure
from services import aggregate_counts, aggregates
from storage.aggregate_models import AggregateFigure
from storage.figure_summary import baseline_of, whole_points
from storage.db import db_read
from storage.models import (Assessment, AssessmentDimensionScore, AssessmentIndicatorScore,
                            AssessmentPlanModule, AssessmentScenarioLevel, Enterprise)
from storage.project_models import Project, ProjectModule

MEDIAN_DIGITS = 0  # a median is one firm's own total when the count is odd: whole points only
MEAN_DIGITS = 1
SUM_DIGITS = 6  # scores are kept to a few decimals


def _population(query, scope):
    return (Assessment.id.in_(aggregate_counts.latest(query)), *aggregate_counts.conditions(query, scope))


def _day_after(query):
    return datetime.combine(query.as_of + timedelta(days=1), time(), tzinfo=timezone.utc)


def _joined(stmt):
    return stmt.join(Enterprise, Enterprise.id == Assessment.enterprise_id)


def _summary(query, scope, figure):
    """[(item, value, n, score_sum, max_sum)] of one figure summed over the summary's micro
    cells in the query, or None when its date has no summary."""
    as_of = aggregate_counts.summary_date(query)
    if as_of is None:
        return None
    f = AggregateFigure
    return db_read.execute(
        select(f.item, f.value, func.sum(f.n), func.sum(f.score_sum), func.sum(f.max_sum))
        .where(f.as_of == as_of, f.instrument_id == query.instrument,
               f.instrument_version == query.version, f.mode == query.mode, f.figure == figure,
               *aggregate_counts.conditions(query, scope, f))
        .group_by(f.item, f.value).having(func.sum(f.n) > 0)).all()


def median_total(query, scope):
    """{n, median}: the median of the totals in whole points (halves up; the mean of the two
    middle ones for an even count), from their histogram, rounded to whole points; None below
    k enterprises."""
    found = _summary(query, scope, "total")
    if found is None:
        points = whole_points(Assessment.total)
        found = [(None, value, n) for value, n in db_read.execute(_joined(
            select(points, func.count()).select_from(Assessment)
            .where(*_population(query, scope), Assessment.total.is_not(None))
            .group_by(points)))]
    histogram = {}
    for _, value, n, *_ in found:
        histogram[int(value)] = histogram.get(int(value), 0) + int(n)
    n, value = sum(histogram.values()), _median(histogram)
    return {"n": disclosure.threshold_count(n, query.k),
            "median": disclosure.central_figure(value, n, query.k, MEDIAN_DIGITS)}


def _median(histogram):
    """The median of a {value: count} histogram (None when empty)."""
    n = sum(histogram.values())
    if not n:
        return None
    middle, seen = [], 0
    for value in sorted(histogram):
        seen += histogram[value]
        middle += [value] * sum(1 for rank in {(n + 1) // 2, (n + 2) // 2}
                                if seen - histogram[value] < rank <= seen)
    return sum(middle) / len(middle)


def dimension_means(query, scope, instrument):
    """Per dimension {id, title, n, mean, max, percent}, weakest (lowest percent) first."""
    found = _sums(query, scope, AssessmentDimensionScore, AssessmentDimensionScore.dimension_id,
                  "dimension")
    return _means([(d.id, d.title, found.get(d.id)) for d in instrument.dimensions], query.k)


def indicator_means(query, scope, instrument):
    """Per indicator {id, dimension, title, n, mean, max, percent}, weakest first."""
    found = _sums(query, scope, AssessmentIndicatorScore, AssessmentIndicatorScore.indicator_id,
                  "indicator")
    listed = _means([(ind.id, ind.title, found.get(ind.id))
                     for d in instrument.dimensions for ind in d.indicators], query.k)
    dimension_of = {ind.id: d.title for d in instrument.dimensions for ind in d.indicators}
    return [{**row, "dimension": dimension_of[row["id"]]} for row in listed]


def _sums(query, scope, score, key, figure):
    """{key: (enterprises, sum of scores, sum of maxima)} of a score table, grouped by `key`."""
    found = _summary(query, scope, figure)
    if found is not None:
        return {item: (int(n), total, most) for item, _, n, total, most in found}
    rows = db_read.execute(_joined(
        select(key, func.count(), func.sum(score.score), func.sum(score.max))
        .select_from(Assessment).join(score, score.assessment_id == Assessment.id)
        .where(*_population(query, scope)).group_by(key)))
    return {row[0]: tuple(row[1:]) for row in rows}


def _means(entries, k):
    """Rows of means as published; those without a published mean last, in instrument order."""
    out = []
    for key, title, found in entries:
        n, total, most = found or (0, None, None)
        # sums kept by adding and subtracting differ from fresh ones in the last bits
        total, most = (None if x is None else round(x, SUM_DIGITS) for x in (total, most))
        mean = disclosure.central_figure(total / n if n else None, n, k, MEAN_DIGITS)
        top = disclosure.central_figure(most / n if n else None, n, k, MEAN_DIGITS)
        percent = (disclosure.central_figure(100 * total / most, n, k, MEAN_DIGITS)
                   if most else None)
        out.append({"id": key, "title": title, "n": disclosure.threshold_count(n, k),
                    "mean": mean, "max": top, "percent": percent})
    return sorted(out, key=lambda row: (row["percent"] is None, row["percent"] or 0))


def scenario_heatmap(query, scope, instrument):
    """{levels: [0..4], rows: [{id, title, group, mandatory, n, cells: [{level, n, share}]}]}:
    for each scenario the enterprises that answered it and the share at each level, protected
    as rows that each add up to their count (no total across scenarios: they overlap)."""
    level = AssessmentScenarioLevel
    found = _summary(query, scope, "scenario")
    rows = (db_read.execute(_joined(
        select(level.scenario_id, level.level, func.count())
        .select_from(Assessment).join(level, level.assessment_id == Assessment.id)
        .where(*_population(query, scope)).group_by(level.scenario_id, level.level)))
        if found is None else [row[:3] for row in found])
    counts = {(sid, int(lv)): int(n) for sid, lv, n in rows}
    micro, figures, equations = disclosure.rows_by_level(counts)
    hidden = aggregates.protect(micro, figures, query.k, equations=equations)
    levels = list(range(len(instrument.scenario_levels)))
    listed = []
    for scenario in instrument.scenarios:
        n = sum(counts.get((scenario.id, lv), 0) for lv in levels)
        row_hidden = ("row", scenario.id) in hidden
        cells = []
        for lv in levels:
            found = counts.get((scenario.id, lv), 0)
            shown = None if row_hidden or ("level", scenario.id, lv) in hidden else found
            cells.append({"level": lv, "n": shown,
                          "share": None if shown is None or not n else round(100 * shown / n, 1)})
        listed.append({"id": scenario.id, "title": scenario.text, "group": scenario.group,
                       "mandatory": scenario.mandatory, "n": None if row_hidden else n,
                       "cells": cells})
    return {"levels": levels, "level_names": list(instrument.scenario_levels), "rows": listed,
            "empty": not counts}


def uplift(query, scope):
    """T0→T1 where pairs exist: each enterprise's latest assessment (not itself a new baseline)
    against the latest baseline of the same instrument version submitted before it.

    {pairs, up, share_up, mean_points, mean_levels}; every figure None below k pairs, and
    `up` also when the pairs that did not move up are 1 … k−1 (they could be told apart).
    """
    found = _summary(query, scope, "uplift")
    if found is not None:
        sums = {item: (int(n), total, most) for item, _, n, total, most in found}
        pairs, points, levels = sums.get("pairs", (0, None, None))
        up = sums.get("up", (0,))[0]
        return _uplift(pairs or 0, up or 0, points, levels, query.k)
    t1 = _joined(select(Assessment.total, Assessment.level_rank,
                        baseline_of(Assessment).label("t0_id")).select_from(Assessment)) \
        .where(*_population(query, scope), Assessment.baseline_at.is_(None)).subquery()
    t0 = aliased(Assessment)
    pairs, up, points, levels = db_read.execute(
        select(func.count(),
               func.sum(case((func.coalesce(t1.c.level_rank, 0)
                              > func.coalesce(t0.level_rank, 0), 1), else_=0)),
               func.sum(func.coalesce(t1.c.total, 0.0) - func.coalesce(t0.total, 0.0)),
               func.sum(func.coalesce(t1.c.level_rank, 0) - func.coalesce(t0.level_rank, 0)))
        .select_from(t1).join(t0, t0.id == t1.c.t0_id)).one()
    return _uplift(pairs or 0, up or 0, points, levels, query.k)


def _uplift(pairs, up, points, levels, k):
    """The uplift figures as published from the sums over the pairs."""
    points = None if points is None else round(points, SUM_DIGITS)
    hidden = aggregates.protect({"up": up, "not_up": pairs - up},
                                {"pairs": {"up", "not_up"}, "up": {"up"}}, k,
                                keep=["pairs"])
    shown_pairs = None if "pairs" in hidden else pairs
    shown_up = None if shown_pairs is None or "up" in hidden else up
    return {"pairs": shown_pairs, "up": shown_up,
            "share_up": None if shown_up is None or not pairs else round(100 * up / pairs, 1),
            "mean_points": disclosure.central_figure(points / pairs if pairs else None, pairs,
                                                     k, MEAN_DIGITS),
            "mean_levels": disclosure.central_figure(levels / pairs if pairs else None, pairs,
                                                     k, 2),
            "empty": pairs == 0}


def module_demand(query, scope, catalogue):
    """Solution modules asked for in help requests by enterprises of the population, by
    category: [{category, modules: [{id, name, enterprises}]}], most asked first; a count of
    1 … k−1 enterprises is None. Module counts overlap (one request, several modules): no
    total is published, so the threshold alone protects them."""
    found = _summary(query, scope, "ask")
    if found is not None:
        return _by_category([(item, int(n)) for item, _, n, *_ in found], catalogue, query.k)
    asked = db_read.execute(_joined(
        select(ProjectModule.module_id, func.count(func.distinct(Project.enterprise_id)))
        .select_from(Assessment)
        .join(Project, Project.enterprise_id == Assessment.enterprise_id)
        .join(ProjectModule, ProjectModule.project_id == Project.id))
        .where(*_population(query, scope), Project.created_at < _day_after(query))
        .group_by(ProjectModule.module_id)).all()
    return _by_category(asked, catalogue, query.k)


def plan_demand(query, scope, catalogue):
    """Solution modules in the default plan of each enterprise's counted assessment (kept on
    submission), by category, as `module_demand`: one plan per enterprise, so a count is of
    enterprises. Assessments submitted before the rows were kept have none."""
    found = _summary(query, scope, "plan")
    if found is not None:
        return _by_category([(item, int(n)) for item, _, n, *_ in found], catalogue, query.k)
    planned = db_read.execute(_joined(
        select(AssessmentPlanModule.module_id, func.count())
        .select_from(Assessment)
        .join(AssessmentPlanModule, AssessmentPlanModule.assessment_id == Assessment.id))
        .where(*_population(query, scope))
        .group_by(AssessmentPlanModule.module_id)).all()
    return _by_category(planned, catalogue, query.k)


def _by_category(counted, catalogue, k):
    """[(module id, enterprises)] grouped by the catalogue's categories, most first."""
    by_category = {}
    for module_id, n in sorted(counted, key=lambda row: (-row[1], row[0])):
        module = catalogue.modules.get(module_id)
        category = module.category if module is not None else "other"
        by_category.setdefault(category, []).append(
            {"id": module_id, "name": dict(module.name) if module is not None
             else {"zh": module_id, "en": module_id},
             "enterprises": disclosure.threshold_count(n, k)})
    return [{"category": category, "modules": by_category[category]}
            for category in sorted(by_category)]


def provider_summary(records):
    """The providers whose outcome record is public (from their accepted projects, as on their
    own pages: services.provider_outcomes), most accepted projects first; [] when none yet."""
    shown = [{"provider": r["provider"], "name": r["name"], **{key: r["record"][key] for key in (
              "accepted", "accepted_share", "assessed_pairs", "median_level_uplift",
              "median_point_uplift", "median_satisfaction")}}
             for r in records if r["record"]["shown"]]
    for row in shown:
        row["accepted_share"] = (None if row["accepted_share"] is None
                                 else round(100 * row["accepted_share"], 1))
    return sorted(shown, key=lambda row: (-row["accepted"], row["provider"]))


# The dashboard reads these two groups on two connections at once: the heatmap's and the
# median's summary rows are the most numerous, about as many as all the others'.
APART = (("heatmap", "median"),
         ("dimensions", "indicators", "uplift", "demand", "plan_demand", "providers"))


def for_settings(query, scope, settings, names=None):
    """`further` with the instrument, solution catalogue and provider records in use
    (dashboard, brief, exports and API alike)."""
    from services import catalogue, instrument_registry, provider_outcomes

    found = catalogue.current(settings)
    instrument = instrument_registry.instruments(settings["QUESTIONNAIRES_DIR"])[query.instrument]
    records = (provider_outcomes.outcomes(settings=settings, catalogue=found)
               if names is None or "providers" in names else [])
    return further(query, scope, instrument, found, records, names)


def further(query, scope, instrument, catalogue, outcome_records, names=None):
    """The figures of this module named in `names` (None: all) for one validated query
    (the dashboard and its brief)."""
    figures = {"median": lambda: median_total(query, scope),
               "dimensions": lambda: dimension_means(query, scope, instrument),
               "indicators": lambda: indicator_means(query, scope, instrument),
               "heatmap": lambda: scenario_heatmap(query, scope, instrument),
               "uplift": lambda: uplift(query, scope),
               "demand": lambda: module_demand(query, scope, catalogue),
               "plan_demand": lambda: plan_demand(query, scope, catalogue),
               "providers": lambda: provider_summary(outcome_records)}
    return {name: make() for name, make in figures.items() if names is None or name in names}
