"""The bureau dashboard as plain data: figures, cross-table, trend and targets, all from
services.aggregates (so from disclosure control), plus the named list of consenting firms.

Pages, the PDF brief and the API call these with the acting person; nothing here knows Flask.
`page_data` is the whole dashboard page (and brief): the benchmark times exactly it.
"""
from dataclasses import replace
from datetime import date
from functools import lru_cache
from pathlib import Path

from sqlalchemy import select

from diagnosis.reader import safe_load
from services import access, aggregate_counts, aggregates, bureau_figures
from services.errors import NotFound
from storage.db import db_session, read_apart
from storage.models import Enterprise
from storage.organisation_models import Consent


def level_two_plus(entry, levels, min_rank=2):
    """Enterprises at level 2 or above from published figures only, or None when they do not
    give it (the same as a suppressed figure)."""
    if entry["n"] is None or entry["levels"] is None:
        return None
    low = [entry["levels"].get(level) for level in levels[:min_rank]]
    high = [entry["levels"].get(level) for level in levels[min_rank:]]
    if None not in high:
        return sum(high)
    if None not in low:
        return entry["n"] - sum(low)
    return None


def share(part, whole):
    return None if part is None or not whole else round(100 * part / whole, 1)


def quarter_ends(as_of, count=4):
    """The last `count` quarter ends up to `as_of` (`as_of` itself when not one), oldest first."""
    ends = [as_of]
    year, quarter = as_of.year, (as_of.month - 1) // 3  # the quarter before as_of's
    while len(ends) < count:
        if quarter == 0:
            year, quarter = year - 1, 4
        end = date(year, quarter * 3, 31 if quarter in (1, 4) else 30)
        if end < ends[-1]:
            ends.append(end)
        quarter -= 1
    return list(reversed(ends))


def dashboard(query, levels, rows, cols, scope):
    """{overview, levels, cross, trend, targets} for one validated query.

    `rows`, `cols`: two of aggregate_query.BY_KEYS for the cross-table (the same key twice gives a
    one-way table); `levels`: the instrument's level ids, lowest first.
    """
    by = (rows,) if rows == cols else (rows, cols)
    cross = aggregates.table(replace(query, by=by), levels, scope)
    total = cross["total"]
    plus = level_two_plus(total, levels)
    level_rows = [{"id": level, "n": None if total["levels"] is None else total["levels"][level],
                   "share": None} for level in levels]
    for row in level_rows:
        row["share"] = share(row["n"], total["n"])
    trend = []
    for end in quarter_ends(query.as_of):
        found = aggregates.table(replace(query, by=(rows,), as_of=end), levels, scope)["total"]
        part = level_two_plus(found, levels)
        trend.append({"as_of": end.isoformat(), "n": found["n"], "level_two_plus": part,
                      "share": share(part, found["n"]), "mean_total": found["mean_total"]})
    return {"overview": {"n": total["n"], "suppressed": total["suppressed"],
                         "level_two_plus": plus, "share_level_two_plus": share(plus, total["n"]),
                         "mean_total": total["mean_total"]},
            "levels": level_rows, "cross": _cross(cross, rows, cols, levels), "trend": trend,
            "table": cross}


def page_data(query, levels, rows, cols, scope, settings, lang):
    """(data, level names, charts) of the dashboard page and its brief: `dashboard`, the
    targets, every further figure (services/bureau_figures.py) and the SVG charts.

    `levels`: the instrument's Level objects, lowest first; `settings`: the app's config."""
    level_ids = [level.id for level in levels]
    with aggregate_counts.one_reading():
        # the further figures' queries run while the tables are protected here
        further = [read_apart(bureau_figures.for_settings, query, scope, settings, names)
                   for names in bureau_figures.APART]
        data = dashboard(query, level_ids, rows, cols, scope)
        data["targets"] = targets(query, level_ids, scope, settings["TARGETS_FILE"])
        for part in further:
            data.update(part())
    names = {level.id: level.name for level in levels}
    from reports import bureau_charts  # matplotlib: loaded by the first chart

    charts = {"levels": bureau_charts.levels_svg(data["levels"], names, lang),
              "means": (bureau_charts.means_svg(data["dimensions"], lang)
                        if any(row["n"] for row in data["dimensions"]) else None),
              "heatmap": (None if data["heatmap"]["empty"]
                          else bureau_charts.heatmap_svg(data["heatmap"], lang))}
    return data, names, charts


def _cross(table, rows, cols, levels):
    """Rows × columns of {n, share at level 2+} with margins, from the protected table."""
    if rows == cols:
        row_values = [m[rows] for m in table["margins"][rows]]
        return {"rows": rows, "cols": None, "col_values": [],
                "lines": [{"value": m[rows], "cells": [], "margin": _figure(m, levels)}
                          for m in table["margins"][rows]],
                "col_margins": [], "total": _figure(table["total"], levels),
                "row_values": row_values}
    cells = {(c[rows], c[cols]): c for c in table["cells"]}
    col_values = [m[cols] for m in table["margins"][cols]]
    lines = []
    for margin in table["margins"][rows]:
        value = margin[rows]
        lines.append({"value": value, "margin": _figure(margin, levels),
                      "cells": [_figure(cells[(value, col)], levels) if (value, col) in cells
                                else {"n": 0, "suppressed": False, "share": None}
                                for col in col_values]})
    return {"rows": rows, "cols": cols, "col_values": col_values, "lines": lines,
            "col_margins": [_figure(m, levels) for m in table["margins"][cols]],
            "total": _figure(table["total"], levels)}


def _figure(entry, levels):
    return {"n": entry["n"], "suppressed": entry["suppressed"],
            "share": share(level_two_plus(entry, levels), entry["n"])}


# --- targets ----------------------------------------------------------------------------------

class TargetsInvalid(ValueError):
    def __init__(self, problems):
        self.problems = problems
        super().__init__("\n".join(problems))


@lru_cache(maxsize=4)
def load_targets(path):
    """The city's numeric targets (data/targets.yaml), validated: every problem names the file
    and the path inside it."""
    path = Path(path)
    raw = safe_load(path.read_text(encoding="utf-8"))
    problems, out = [], []
    if not isinstance(raw, dict) or not isinstance(raw.get("targets"), list):
        raise TargetsInvalid([f"{path}: targets: missing (a list)"])
    for i, item in enumerate(raw["targets"]):
        where = f"{path}: targets[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{where}: must be a mapping")
            continue
        name = item.get("name")
        if not (isinstance(name, dict) and name.get("zh") and name.get("en")):
            problems.append(f"{where}.name: needs zh and en")
        if not (isinstance(item.get("count"), int) and item["count"] > 0):
            problems.append(f"{where}.count: must be a whole number above 0")
        if not (isinstance(item.get("min_level"), int) and 1 <= item["min_level"] <= 4):
            problems.append(f"{where}.min_level: must be 1 to 4")
        if not isinstance(item.get("by"), date):
            problems.append(f"{where}.by: must be a date YYYY-MM-DD")
        industries = item.get("industries", [])
        if not (isinstance(industries, list) and all(isinstance(c, str) for c in industries)):
            problems.append(f"{where}.industries: must be a list of GB/T 4754 codes")
        out.append(item)
    if problems:
        raise TargetsInvalid(problems)
    return tuple(out)


def targets(query, levels, scope, path):
    """Each target with the current count (published figures only), share reached and trend.
    The industry, priority, district, size and period filters do not apply (the mode does)."""
    listed = []
    for item in load_targets(str(path)):
        found = aggregates.table(replace(query, by=("size_class",), industry=None,
                                         district=None, size_class=None, since=None,
                                         priority=None,
                                         industries=tuple(item.get("industries") or ())),
                                 levels, scope)["total"]
        current = level_two_plus(found, levels, item["min_level"])
        listed.append({"id": item["id"], "name": item["name"], "count": item["count"],
                       "by": item["by"].isoformat(), "current": current,
                       "share": share(current, item["count"])})
    return listed


# --- the named list -------------------------------------------------------------------------

def named_list(actor, scope):
    """Enterprises that consented to be listed by name to this bureau (each read audited)."""
    ids = db_session.scalars(
        select(Consent.enterprise_id).where(Consent.organisation_id == scope.organisation_id,
                                            Consent.status == "active")
        .order_by(Consent.enterprise_id)).all()
    listed = []
    for enterprise_id in dict.fromkeys(ids):
        try:
            access.check(actor, "list_named", enterprise_id,
                         organisation_id=scope.organisation_id,
                         object_type="enterprise", object_id=enterprise_id)
        except NotFound:
            continue  # revoked, expired or without the named_list scope
        firm = db_session.get(Enterprise, enterprise_id)
        if firm is None or not scope.covers(firm.district, firm.industry_code):
            continue
        listed.append({"id": firm.id, "name": firm.name, "uscc": firm.uscc,
                       "district": firm.district, "industry_code": firm.industry_code,
                       "size_class": firm.size_class})
    return listed
