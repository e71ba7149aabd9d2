"""Counting the bureaus' aggregate queries in the database: each enterprise's latest submitted
assessment as of a date (or within a period of submission), grouped by the query's keys and level,
from the summary of now or of a past quarter end when there is one (storage/aggregate_summary.py),
else from the assessments. Only grouped counts come back to Python."""
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import replace
from datetime import timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError, OperationalError

from storage import aggregate_summary, latest_assessments
from storage.aggregate_models import AggregateCount
from storage.base import utcnow
from storage.db import db_read, db_session
from storage.models import Assessment, Enterprise


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
    since = latest_assessments.until(query.since - timedelta(days=1)) if query.since else None
    return (Assessment.instrument_id == query.instrument,
            Assessment.instrument_version == query.version,
            *latest_assessments.counted(latest_assessments.until(query.as_of), query.mode),
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
    now = latest_assessments.until(query.as_of) > utcnow()
    as_of = latest_assessments.CURRENT if now else query.as_of
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

