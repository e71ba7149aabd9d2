"""Aggregate maturity tables for the industry bureaus, protected by diagnosis.disclosure.

One function, `table(query, scope)`, serves the `aggregates` command, the bureau pages, their
exports and the API. The query is parsed in services/aggregate_query.py and counted in the
database by services/aggregate_counts.py; only the grouped counts come back to Python, where
disclosure control decides what is published.
"""
from dataclasses import replace
from functools import lru_cache

from threadpoolctl import ThreadpoolController

from diagnosis import disclosure
from services.aggregate_counts import counts
from services.aggregate_query import SIZE_CLASSES
from services.aggregate_query import Query, QueryInvalid, parse  # noqa: F401  (with table())

PROTECTED_KEPT = 512  # protected cross-tables kept per process (their counts and answer)


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
