"""The bureau dashboard's further figures (services.bureau_figures) as sheets of rows, for the
XLSX workbook (one sheet each) and the CSV download (one file each, `table=<sheet>`).

Headers are the field names of the API (stable for scripts); titles are in the reader's
language. A suppressed figure is the mark aggregate_exports.SUPPRESSED, a figure with no data
behind it (nothing to suppress) an empty cell: neither is ever written as 0.
"""
from diagnosis.texts import tr as _text
from services.aggregate_exports import SUPPRESSED


def _shown(value, n):
    """A published figure; None is empty where nothing was counted (n == 0), else suppressed."""
    if value is not None:
        return value
    return "" if n == 0 else SUPPRESSED


def median(figures, lang="zh"):
    found = figures["median"]
    return [["n", "median"], [_shown(found["n"], 1), _shown(found["median"], found["n"])]]


def dimensions(figures, lang="zh"):
    out = [["id", "title", "n", "mean", "max", "percent"]]
    for row in figures["dimensions"]:
        out.append([row["id"], _text(row["title"], lang), _shown(row["n"], 1),
                    *(_shown(row[key], row["n"]) for key in ("mean", "max", "percent"))])
    return out


def indicators(figures, lang="zh"):
    out = [["id", "dimension", "title", "n", "mean", "max", "percent"]]
    for row in figures["indicators"]:
        out.append([row["id"], _text(row["dimension"], lang), _text(row["title"], lang),
                    _shown(row["n"], 1),
                    *(_shown(row[key], row["n"]) for key in ("mean", "max", "percent"))])
    return out


def heatmap(figures, lang="zh"):
    """A row per scenario: its enterprises, then the count and the share (%) at each level."""
    found = figures["heatmap"]
    levels = found["levels"]
    out = [["id", "title", "group", "mandatory", "n"]
           + [f"level{lv}_n" for lv in levels] + [f"level{lv}_share" for lv in levels]]
    for row in found["rows"]:
        cells = row["cells"]
        out.append([row["id"], _text(row["title"], lang), row["group"],
                    "yes" if row["mandatory"] else "no", _shown(row["n"], 1)]
                   + [_shown(cell["n"], row["n"]) for cell in cells]
                   + [_shown(cell["share"], row["n"]) for cell in cells])
    return out


def uplift(figures, lang="zh"):
    found = figures["uplift"]
    pairs = 0 if found["empty"] else found["pairs"]
    keys = ("up", "share_up", "mean_points", "mean_levels")
    return [["pairs", *keys],
            [_shown(found["pairs"], 0 if found["empty"] else 1),
             *(_shown(found[key], pairs) for key in keys)]]


def demand(figures, lang="zh"):
    """Help requests' modules, then (when kept) the modules of the default plans."""
    out = [["source", "category", "module", "name", "enterprises"]]
    for source in ("demand", "plan_demand"):
        for group in figures.get(source) or ():
            for module in group["modules"]:
                out.append(["help_requests" if source == "demand" else "plans",
                            group["category"], module["id"], _text(module["name"], lang),
                            _shown(module["enterprises"], 1)])
    return out


def providers(figures, lang="zh"):
    """Public outcome records: an empty cell is a median the record does not give."""
    keys = ("accepted", "accepted_share", "assessed_pairs", "median_level_uplift",
            "median_point_uplift", "median_satisfaction")
    out = [["provider", "name", *keys]]
    for row in figures["providers"]:
        out.append([row["provider"], _text(row["name"], lang),
                    *("" if row[key] is None else row[key] for key in keys)])
    return out


SHEETS = {"median": median, "dimensions": dimensions, "indicators": indicators,
          "heatmap": heatmap, "uplift": uplift, "demand": demand, "providers": providers}


def sheets(figures, lang="zh"):
    """[(name, rows)] of every sheet, in the dashboard's order."""
    return [(name, make(figures, lang)) for name, make in SHEETS.items()]
