"""The bureau dashboard's charts (matplotlib → SVG, like reports/charts.py): the level
distribution, the dimension means and the scenario heatmap.

The tables beside each chart carry every number, so the charts stay light: few text artists
(matplotlib lays out each one, the dashboard's costliest part) and suppressed figures drawn as
"×" markers. The same published figures always give the same SVG bytes, so charts are kept
per figures and language (`_drawn`): the dashboard, its brief and other analysts asking for the
same selection reuse them.
"""
import json
from functools import lru_cache

from reports.charts import ACCENT, GRID, INK, STYLE, _figure, _svg

SUPPRESSED_NOTE = {"zh": "（×：已抑制）", "en": " (×: suppressed)"}
TITLE = {"zh": "各等级企业数量", "en": "Enterprises at each level"}
MEANS_TITLE = {"zh": "各维度平均得分率（最弱在前）", "en": "Mean share of each dimension's maximum (weakest first)"}
HEAT_TITLE = {"zh": "各场景处于各等级的企业占比", "en": "Share of enterprises at each level of each scenario"}
CHARTS_KEPT = 256  # distinct (chart, figures, language): a few MB of SVG text


def levels_svg(level_rows, names, lang):
    """Horizontal bars of enterprises per level; a suppressed level shows "×", no bar."""
    rows = [{"label": _name(names[row["id"]], lang), "value": row["n"],
             "text": "×" if row["n"] is None else str(row["n"])} for row in level_rows]
    title = TITLE[lang] + (SUPPRESSED_NOTE[lang] if any(r["n"] is None for r in level_rows) else "")
    return _drawn("bars", json.dumps({"rows": rows, "title": title, "salt": "levels",
                                      "left": 0.3}, ensure_ascii=False, sort_keys=True))


def means_svg(rows, lang):
    """Horizontal bars of each dimension's mean percent of its maximum; "×" where suppressed."""
    bars = [{"label": _name(row["title"], lang), "value": row["percent"],
             "text": "×" if row["percent"] is None else f"{row['percent']}%"} for row in rows]
    return _drawn("bars", json.dumps({"rows": bars, "title": MEANS_TITLE[lang], "salt": "means",
                                      "left": 0.34, "top": 100}, ensure_ascii=False,
                                     sort_keys=True))


def heatmap_svg(heat, lang):
    """Scenarios × levels coloured by share; a suppressed cell is blank with an "×" marker."""
    spec = {"levels": [str(level) for level in heat["levels"]],
            "labels": [_name(row["title"], lang) for row in heat["rows"]],
            "shares": [[cell["share"] for cell in row["cells"]] for row in heat["rows"]],
            "hidden": [[x, y] for y, row in enumerate(heat["rows"])
                       for x, cell in enumerate(row["cells"]) if cell["n"] is None],
            "title": HEAT_TITLE[lang] + (SUPPRESSED_NOTE[lang] if any(
                cell["n"] is None for row in heat["rows"] for cell in row["cells"]) else "")}
    return _drawn("heatmap", json.dumps(spec, ensure_ascii=False, sort_keys=True))


def _name(text, lang):
    return text.get(lang) or text["zh"]


@lru_cache(maxsize=CHARTS_KEPT)
def _drawn(kind, spec):
    """The SVG of one chart from its figures as canonical JSON (the cache key)."""
    import matplotlib

    # text artists take their font when made, not when saved: draw inside the style
    with matplotlib.rc_context(STYLE):
        return (_bars if kind == "bars" else _heatmap)(json.loads(spec))


def _labels(ax, labels, **style):
    """Row labels left of the axes, one per data row from the top (text, not ticks: ticks
    cost four artists each)."""
    transform = ax.get_yaxis_transform()  # x in axes fractions, y in data
    for y, label in enumerate(labels):
        ax.text(-0.02, y, label, transform=transform, ha="right", va="center", **style)


def _bars(spec):
    rows = spec["rows"]
    height = 0.5 + 0.42 * len(rows)
    fig = _figure(4.4, height)
    bottom = 0.32 / height  # room for the value axis' numbers below the bars
    ax = fig.add_axes([spec["left"], bottom, 0.92 - spec["left"], 0.96 - bottom])
    values = [row["value"] or 0 for row in rows]
    top = spec.get("top") or max(values + [1])
    ax.barh(range(len(rows)), values, color=ACCENT, height=0.6)
    for y, (row, value) in enumerate(zip(rows, values)):
        ax.text(value + top * 0.02, y, row["text"], va="center", color=INK)
    ax.set_ylim(len(rows) - 0.5, -0.5)  # the first row on top
    ax.set_xlim(0, top * 1.15)
    ax.set_yticks([])
    _labels(ax, [row["label"] for row in rows])
    ax.tick_params(axis="x", colors=GRID, labelcolor=INK)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _svg(fig, spec["salt"], spec["title"])


def _heatmap(spec):
    import numpy as np

    levels, labels = spec["levels"], spec["labels"]
    shares = np.array([[np.nan if share is None else share for share in row]
                       for row in spec["shares"]], dtype=float).reshape(len(labels), len(levels))
    fig = _figure(4.4, 0.6 + 0.3 * len(labels))
    ax = fig.add_axes([0.42, 0.04, 0.55, 0.88])
    # vector cells (pcolormesh), not imshow: an image would reach the SVG as a data: URI, which
    # the PDF renderer's fetcher refuses, and the brief would lose its colours
    ax.pcolormesh(np.arange(len(levels) + 1) - 0.5, np.arange(len(labels) + 1) - 0.5,
                  np.ma.masked_invalid(shares), cmap="Blues", vmin=0, vmax=100)
    if spec["hidden"]:
        xs, ys = zip(*spec["hidden"])
        ax.scatter(xs, ys, marker="x", color=INK, s=24, linewidths=1.2)
    ax.set_xlim(-0.5, len(levels) - 0.5)
    ax.set_ylim(len(labels) - 0.5, -0.5)  # the first scenario on top
    ax.set_xticks(range(len(levels)), levels)
    ax.xaxis.tick_top()
    ax.set_yticks([])
    _labels(ax, labels, fontsize=9)
    return _svg(fig, "heatmap", spec["title"])
