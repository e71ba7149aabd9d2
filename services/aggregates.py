"""Aggregate maturity tables for the industry bureaus, protected by diagnosis.disclosure.

One function, `table(query, scope)`, serves the `aggregates` command, the bureau pages, their
exports and the API. Counts are grouped in the database (latest submitted assessment per
enterprise as of a date, or within a period of submission: storage/aggregate_summary.py, which
also keeps summary counts of now and of past quarter ends); only the grouped counts come back to
Python, where disclosure control decides what is published.
"""
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, replace
from datetime import date, timedelta
from functools import lru_cache

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError

from threadpoolctl import ThreadpoolController

from diagnosis import disclosure
from services.errors import InvalidInput
from storage import aggregate_summary
from storage.aggregate_models import AggregateCount
from storage.base import utcnow
from storage.db import db_read, db_session
from storage.models import Assessment, Enterprise

BY_KEYS = ("district", "size_class", "industry", "division")
MODES = ("self", "on_site", "all")
SIZE_CLASSES = ("large", "medium", "small", "micro")
PROTECTED_KEPT = 512  # protected cross-tables kept per process (their counts and answer)

MESSAGES = {
    "unknown_instrument": {"zh": "没有这个评测工具：{value}", "en": "No such instrument: {value}"},
    "by_required": {"zh": "请至少选择一个分组维度", "en": "Choose at least one key to group by"},
    "unknown_by": {"zh": "未知的分组维度：{value}（可用：district、size_class、industry、division）",
                   "en": "Unknown key to group by: {value} (known: district, size_class, "
                         "industry, division)"},
    "repeated_by": {"zh": "分组维度重复：{value}", "en": "Key to group by given twice: {value}"},
    "unknown_industry": {"zh": "未知的行业代码：{value}（GB/T 4754 门类字母或大类代码）",
                         "en": "Unknown industry code: {value} (a GB/T 4754 section letter "
                               "or division code)"},
    "unknown_district": {"zh": "未知的区（市）：{value}", "en": "Unknown district: {value}"},
    "unknown_size_class": {"zh": "未知的企业规模：{value}（large、medium、small、micro）",
                           "en": "Unknown size class: {value} (large, medium, small, micro)"},
    "unknown_mode": {"zh": "未知的评测方式：{value}（self、on_site、all）",
                     "en": "Unknown assessment mode: {value} (self, on_site, all)"},
    "bad_date": {"zh": "日期格式应为 YYYY-MM-DD：{value}", "en": "A date must read YYYY-MM-DD: {value}"},
    "future_date": {"zh": "日期不能晚于今天：{value}", "en": "The date is in the future: {value}"},
    "since_after_as_of": {"zh": "起始日期不能晚于截至日期：{value}",
                          "en": "The start date is after the as-of date: {value}"},
    "unknown_priority": {"zh": "未知的重点产业：{value}（all 或 data/priority-industries.yaml 中的编号）",
                         "en": "Unknown priority industry: {value} (all, or an id of "
                               "data/priority-industries.yaml)"},
    "unknown_table": {"zh": "未知的表：{value}（可用：table、median、dimensions、indicators、"
                            "heatmap、uplift、demand、providers、notes）",
                      "en": "Unknown table: {value} (known: table, median, dimensions, "
                            "indicators, heatmap, uplift, demand, providers, notes)"},
    "outside_scope": {"zh": "超出本局的数据范围：{value}", "en": "Outside this bureau's scope: {value}"},
}


class QueryInvalid(InvalidInput):
    """Every problem of an aggregate query: `problems` is a list of (field, code, value)."""

    def __init__(self, problems):
        super().__init__(problems=problems)
        self.problems = problems

    def texts(self, lang="zh"):
        """[(field, message)]: pages name the field by its label."""
        return [(field, MESSAGES[code][lang if lang in ("zh", "en") else "zh"].format(
            value=value)) for field, code, value in self.problems]

    def messages(self, lang="zh"):
        """"field: message" lines (the command line, plain-text answers)."""
        return [f"{field}: {text}" for field, text in self.texts(lang)]


@dataclass(frozen=True)
class Query:
    """A validated aggregate query (`parse` builds one). `mode`: each enterprise's latest
    self-assessment, latest signed on-site assessment, or latest of either ("all"). `since`:
    only assessments submitted from that day to `as_of` count. `priority`: the priority
    industry group ("all" or an id) that `industries` was resolved from."""

    instrument: str
    version: str
    by: tuple[str, ...]
    as_of: date
    industry: str | None = None
    district: str | None = None
    size_class: str | None = None
    mode: str = "all"
    k: int = disclosure.DEFAULT_K
    industries: tuple[str, ...] = ()  # any of these codes (a target's or priority group's)
    since: date | None = None
    priority: str | None = None

    def filters(self):
        return {"industry": self.industry, "district": self.district,
                "size_class": self.size_class, "mode": self.mode,
                "priority": self.priority,
                "since": self.since.isoformat() if self.since else None,
                "as_of": self.as_of.isoformat()}


def parse(raw, reference, instruments, today, k=disclosure.DEFAULT_K, scope=None):
    """A Query from text values (command line, form, API), or QueryInvalid naming every problem.

    `raw`: instrument, by ("a,b" or a list), as_of, since, industry, priority, district,
    size_class, mode.
    `reference`: services.organisations.Reference; `instruments`: the registry;
    `scope`: a services.access.BureauScope the filters must stay inside.
    """
    problems = []
    instrument = (raw.get("instrument") or "").strip()
    version = None
    try:
        version = instruments[instrument].version
    except (KeyError, TypeError):
        problems.append(("instrument", "unknown_instrument", instrument))
    by_raw = raw.get("by") or ""
    by = tuple(part.strip() for part in (by_raw.split(",") if isinstance(by_raw, str)
                                         else by_raw) if part.strip())
    if not by:
        problems.append(("by", "by_required", ""))
    for key in dict.fromkeys(by):
        if key not in BY_KEYS:
            problems.append(("by", "unknown_by", key))
    for key in sorted({key for key in by if by.count(key) > 1}):
        problems.append(("by", "repeated_by", key))
    industry = _text(raw.get("industry"))
    if industry and industry not in reference.industry_codes:
        problems.append(("industry", "unknown_industry", industry))
    district = _text(raw.get("district"))
    if district and district not in reference.districts:
        problems.append(("district", "unknown_district", district))
    size_class = _text(raw.get("size_class"))
    if size_class and size_class not in SIZE_CLASSES:
        problems.append(("size_class", "unknown_size_class", size_class))
    mode = _text(raw.get("mode")) or "all"
    if mode not in MODES:
        problems.append(("mode", "unknown_mode", mode))
    as_of = _date(raw.get("as_of"), today, problems, "as_of") or today
    since = _date(raw.get("since"), today, problems, "since")
    if since and as_of < since <= today:
        problems.append(("since", "since_after_as_of", since.isoformat()))
    priority = _text(raw.get("priority"))
    groups = reference.priority_industries
    industries = (tuple(dict.fromkeys(code for codes in groups.values() for code in codes))
                  if priority == "all" else tuple(groups.get(priority, ())))
    if priority and not industries:
        problems.append(("priority", "unknown_priority", priority))
    if scope is not None:
        if district and scope.districts and district not in scope.districts:
            problems.append(("district", "outside_scope", district))
        if industry and scope.industries and not any(industry.startswith(code)
                                                     for code in scope.industries):
            problems.append(("industry", "outside_scope", industry))
        if industries and scope.industries and not any(
                code.startswith(mine) or mine.startswith(code)
                for code in industries for mine in scope.industries):
            problems.append(("priority", "outside_scope", priority))
    if problems:
        raise QueryInvalid(problems)
    return Query(instrument, version, by, as_of, industry, district, size_class, mode, k,
                 industries, since, priority)


def _text(value):
    return value.strip() if isinstance(value, str) and value.strip() else None


def _date(value, today, problems, field):
    """A day from YYYY-MM-DD, None when empty or malformed (then a problem is noted)."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        parsed = value
    else:
        try:
            parsed = date.fromisoformat(str(value).strip())
        except ValueError:
            problems.append((field, "bad_date", str(value)[:40]))
            return None
    if parsed > today:
        problems.append((field, "future_date", parsed.isoformat()))
    return parsed


# --- counting in the database ---------------------------------------------------------------

def _column(key, on=Enterprise):
    return {"district": on.district, "size_class": on.size_class,
            "industry": func.substr(on.industry_code, 1, 1),
            "division": on.industry_code}[key]


def latest(query):
    """The ids of each enterprise's latest submitted assessment the query counts (as of its
    date, from `since` when given, of its instrument version and mode): the population every
    bureau figure is drawn from."""
    return select(Assessment.id).where(*_counted(query))


def _counted(query):
    # the latest as of the date that was submitted from `since` on is the latest within the period
    since = aggregate_summary.until(query.since - timedelta(days=1)) if query.since else None
    return (Assessment.instrument_id == query.instrument,
            Assessment.instrument_version == query.version,
            *aggregate_summary.counted(aggregate_summary.until(query.as_of), query.mode),
            *([Assessment.submitted_at >= since] if since else []))


def counts(query, scope=None):
    """{(by values, level id): (enterprises, sum of totals)} grouped in the database: from the
    summary of now or of a past quarter end when there is one, else from the assessments.
    Within `one_reading`, each selection is counted once, and a table by fewer keys is summed
    from a finer one of the same selection already counted (a page's trend from its cross-table)."""
    memo = _READING.get()
    if memo is None:
        return _counted_now(query, scope)
    key = (query, scope)
    if key not in memo["counts"]:
        finer = next(((other, found) for (other, other_scope), found in memo["counts"].items()
                      if other_scope == scope and set(query.by) < set(other.by)
                      and replace(other, by=query.by) == query), None)
        memo["counts"][key] = (_margin(query.by, *finer) if finer
                               else _counted_now(query, scope))
    return memo["counts"][key]


def _margin(by, finer, found):
    """`found` (counted by `finer.by`) summed over the keys not in `by`."""
    at = [finer.by.index(key) for key in by]
    summed = {}
    for (values, level), (n, total_sum) in found.items():
        key = (tuple(values[i] for i in at), level)
        had = summed.get(key, (0, 0.0))
        summed[key] = (had[0] + n, had[1] + total_sum)
    return summed


def _counted_now(query, scope):
    as_of = summary_date(query)
    if as_of is not None:
        return _summed(query, scope, as_of)
    columns = [_column(key).label(key) for key in query.by]
    stmt = (select(*columns, Assessment.level_id, func.count(), func.sum(Assessment.total))
            .join(Enterprise, Enterprise.id == Assessment.enterprise_id)
            .where(*_counted(query), *conditions(query, scope))
            .group_by(*columns, Assessment.level_id))
    return {(tuple(row[:-3]), row[-3]): (row[-2], float(row[-1] or 0.0))
            for row in db_read.execute(stmt)}


def summary_date(query):
    """The `as_of` of the listed summary (now or the query's date) the query reads, or None:
    then the caller counts the assessments, and a missing summary of now or of a quarter end
    is built for the next query. Never for a period of submission (`since`): a summary holds the
    latest as of a date, whenever it was submitted."""
    if query.since is not None:
        return None
    now = aggregate_summary.until(query.as_of) > utcnow()
    as_of = aggregate_summary.CURRENT if now else query.as_of
    if _listed(as_of):
        return as_of
    if now or (as_of.month, as_of.day) in {(3, 31), (6, 30), (9, 30), (12, 31)}:
        _build(as_of)
    return None


_READING = ContextVar("aggregate_reading", default=None)


@contextmanager
def one_reading():
    """Within, whether a date's summary is listed is read once per date, and each selection
    is counted once (`counts`): one dashboard page asks some twenty times (every table,
    neighbour and figure), often the same."""
    token = _READING.set({"listed": {}, "counts": {}})
    try:
        yield
    finally:
        _READING.reset(token)


def _listed(as_of):
    memo = _READING.get()
    if memo is None:
        return aggregate_summary.listed(db_read.connection(), as_of)
    listed = memo["listed"]
    if as_of not in listed:
        listed[as_of] = aggregate_summary.listed(db_read.connection(), as_of)
    return listed[as_of]


def _summed(query, scope, as_of):
    cell = AggregateCount
    columns = [_column(key, cell).label(key) for key in query.by]
    stmt = (select(*columns, cell.level_id, func.sum(cell.n), func.sum(cell.total_sum))
            .where(cell.as_of == as_of, cell.instrument_id == query.instrument,
                   cell.instrument_version == query.version, cell.mode == query.mode,
                   *conditions(query, scope, cell))
            .group_by(*columns, cell.level_id).having(func.sum(cell.n) > 0))
    return {(tuple(value or None for value in row[:-3]), row[-3] or None):
            (int(row[-2]), float(row[-1] or 0.0)) for row in db_read.execute(stmt)}


def _build(as_of):
    """Build a missing summary on the primary in its own transaction; a concurrent builder or
    a busy database only means the next query builds it."""
    try:
        with db_session.get_bind().begin() as connection:
            if not aggregate_summary.listed(connection, as_of):
                aggregate_summary.build(connection, as_of)
    except (IntegrityError, OperationalError):
        pass


def conditions(query, scope, on=Enterprise):
    """The filters and the bureau's scope as conditions on the joined Enterprise (or on the
    same columns of another table, `on`)."""
    if query.industry:
        yield on.industry_code.startswith(query.industry, autoescape=True)
    if query.district:
        yield on.district == query.district
    if query.size_class:
        yield on.size_class == query.size_class
    if query.industries:
        yield or_(*[on.industry_code.startswith(code, autoescape=True)
                    for code in query.industries])
    if scope is not None and scope.districts:
        yield on.district.in_(sorted(scope.districts))
    if scope is not None and scope.industries:
        yield or_(*[on.industry_code.startswith(code, autoescape=True)
                    for code in sorted(scope.industries)])


def _neighbours(query):
    """The same query with one filter changed (dropped, or a 大类 widened to its 门类)."""
    if query.since:
        yield replace(query, since=None)
    if query.industry:
        yield replace(query, industry=None)
        if len(query.industry) > 1:
            yield replace(query, industry=query.industry[0])
    if query.district:
        yield replace(query, district=None)
    if query.size_class:
        yield replace(query, size_class=None)
    if query.industries:
        yield replace(query, industries=())
    if query.mode != "all":
        yield replace(query, mode="all")


# --- the published table --------------------------------------------------------------------

def table(query, level_ids, scope=None):
    """The protected table as plain data (the JSON of the `aggregates` command).

    {k, instrument, version, filters, by, levels, cells: [{<by keys>, n, suppressed, levels,
    mean_total}], margins: {key: [...]}, total: {...}}; a suppressed figure is None.
    """
    found = counts(query, scope)
    micro = {key: n for key, (n, _) in found.items()}
    sums = {key: s for key, (_, s) in found.items()}
    cells, figures = disclosure.cross_table(micro)
    forced = set()
    for other in _neighbours(query):
        wider = {key: n for key, (n, _) in counts(other, scope).items()}
        _, wider_figures = disclosure.cross_table(wider)
        for key, members in figures.items():
            if key in wider_figures:
                here = sum(micro[cell] for cell in members)
                diff = sum(wider.get(cell, 0) for cell in wider_figures[key]) - here
                if disclosure.is_small(diff, query.k):
                    forced.add(key)
    hidden = _protected_cross(tuple(sorted(cells.items(), key=repr)), query.k,
                              frozenset(forced))
    levels = [lid for lid in level_ids]
    extra = sorted({level for _, level in micro if level not in levels}, key=str)

    def entry(count_key, level_key, members, labels):
        n = sum(micro[cell] for cell in members)
        suppressed = count_key in hidden
        total_sum = sum(sums[cell] for cell in members)
        return {**labels, "n": None if suppressed else n, "suppressed": suppressed,
                "levels": None if suppressed else {
                    level: (None if level_key(level) in hidden
                            else sum(micro[cell] for cell in members if cell[1] == level))
                    for level in levels + extra},
                "mean_total": None if suppressed or not n else round(total_sum / n, 2)}

    by_values = sorted({by for by, _ in micro}, key=_order)
    result_cells = [entry(("cell", by), lambda lv, by=by: ("level", by, lv),
                          figures[("cell", by)], dict(zip(query.by, by))) for by in by_values]
    margins = {}
    for i, key in enumerate(query.by):
        values = sorted({by[i] for by in by_values}, key=_order_value)
        margins[key] = [entry(("margin", i, v), lambda lv, i=i, v=v: ("margin_level", i, v, lv),
                              figures[("margin", i, v)], {key: v}) for v in values]
    total = (entry(("total",), lambda lv: ("total_level", lv), figures[("total",)], {})
             if micro else {"n": 0, "suppressed": False, "levels": {lv: 0 for lv in levels},
                            "mean_total": None})
    return {"k": query.k, "instrument": query.instrument, "version": query.version,
            "filters": query.filters(), "by": list(query.by), "levels": levels + extra,
            "cells": result_cells, "margins": margins, "total": total}


@lru_cache(maxsize=PROTECTED_KEPT)
def _protected_cross(cells, k, forced):
    """The suppressed figures of a cross-table from its micro cells ((key, count) pairs in a
    fixed order) and the figures forced by its neighbours: the same counts always give the
    same answer, so past quarter ends' tables (which never change) and repeated selections
    are protected once per process."""
    micro = dict(cells)
    _, figures = disclosure.cross_table(micro)
    return protect(micro, figures, k, forced=forced, keep=[("total",)],
                   equations=disclosure.cross_equations(figures))


def protect(*args, **kwargs):
    """diagnosis.disclosure.protect with one BLAS thread: its matrices are small, and more
    threads only contend (with another request's, or on a busy machine, for seconds)."""
    with _blas().limit(limits=1, user_api="blas"):
        return disclosure.protect(*args, **kwargs)


@lru_cache(maxsize=1)
def _blas():
    """The thread pools, inspected once and only after numpy is loaded: a controller made
    before that (the web process starts without numpy) sees no BLAS and limits nothing."""
    import numpy  # noqa: F401

    return ThreadpoolController()


def _order_value(value):
    # size classes from large to micro, as the statistics offices list them; the rest by code
    rank = SIZE_CLASSES.index(value) if value in SIZE_CLASSES else len(SIZE_CLASSES)
    return (value is None, rank, str(value or ""))


def _order(by):
    return tuple(_order_value(v) for v in by)
