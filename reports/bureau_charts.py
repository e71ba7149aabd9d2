"""The bureau dashboard's charts (matplotlib → SVG, like reports/charts.py): the level
distribution, the dimension means and the scenario heatmap.

The tables beside each chart carry every number, so the charts stay light: no axes (shapes and
labels placed in figure fractions), few text artists (matplotlib lays out each one) and
suppressed figures drawn as "×" markers. The same published figures always give the same SVG bytes, so charts are kept
per figures and language (`_drawn`): the dashboard, its brief and other analysts asking for the
same selection reuse them.
"""
import json
from functools import lru_cache

from reports.charts import ACCENT, GRID, INK, LABEL, STYLE, WIDTH, _figure, _svg

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


def _labels(fig, x, ys, labels, **style):
    """Row labels right-aligned at figure fraction `x`, one per row centre in `ys`."""
    for y, label in zip(ys, labels):
        fig.text(x, y, label, ha="right", va="center", **style)


def _inches(label, size=LABEL):
    """About how wide a label sets: a CJK character one em, another about half of one."""
    return sum(1.0 if ord(ch) >= 0x2E80 else 0.6 for ch in label) * size / 72


def _bars(spec):
    """Bars as figure rectangles, no axes: an Axes and its ticks cost matplotlib more than
    everything drawn here, and the values stand at the bars' ends."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    rows = spec["rows"]
    height = 0.24 + 0.42 * len(rows)
    fig = _figure(WIDTH, height)
    # wide enough for the longest label (English names run longer than the Chinese)
    left = max(spec["left"], min(0.5, (max(_inches(row["label"]) for row in rows) + 0.2) / WIDTH))
    span = (0.92 - left) / 1.15  # room for the value after a bar
    values = [row["value"] or 0 for row in rows]
    top = spec.get("top") or max(values + [1])
    step, margin = 0.42 / height, 0.12 / height
    ys = [1 - margin - step * (i + 0.5) for i in range(len(rows))]  # the first row on top
    for y, row, value in zip(ys, rows, values):
        if value:
            fig.add_artist(Rectangle((left, y - 0.3 * step), span * value / top, 0.6 * step,
                                     color=ACCENT, linewidth=0))
        fig.text(left + span * value / top + 0.02 * span, y, row["text"], va="center",
                 color=INK)
    fig.add_artist(Line2D([left, left], [margin, 1 - margin], color=GRID, linewidth=0.8))
    _labels(fig, left - 0.02, ys, [row["label"] for row in rows])
    return _svg(fig, spec["salt"], spec["title"])


def _heatmap(spec):
    """Scenario × level cells as one mesh in figure fractions (no axes, as in `_bars`)."""
    import numpy as np
    from matplotlib.collections import QuadMesh
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    levels, labels = spec["levels"], spec["labels"]
    shares = np.ma.masked_invalid(np.array(
        [[np.nan if share is None else share for share in row] for row in spec["shares"]],
        dtype=float).reshape(len(labels), len(levels)))
    height = 0.6 + 0.3 * len(labels)
    fig = _figure(4.4, height)
    x0, width, y0, top = 0.42, 0.55, 0.04, 1 - 0.48 / height  # level names above the cells
    xs = x0 + width * np.arange(len(levels) + 1) / len(levels)
    ys = top - (top - y0) * np.arange(len(labels) + 1) / len(labels)  # the first scenario on top
    mesh = QuadMesh(np.dstack(np.meshgrid(xs, ys)), cmap="Blues", linewidth=0)
    mesh.set_array(shares)
    mesh.set_clim(0, 100)
    fig.add_artist(mesh)
    fig.add_artist(Rectangle((x0, y0), width, top - y0, fill=False, edgecolor=INK,
                             linewidth=0.8))
    centres_x, centres_y = (xs[:-1] + xs[1:]) / 2, (ys[:-1] + ys[1:]) / 2
    if spec["hidden"]:
        fig.add_artist(Line2D([centres_x[x] for x, _ in spec["hidden"]],
                              [centres_y[y] for _, y in spec["hidden"]], linestyle="none",
                              marker="x", color=INK, markersize=5, markeredgewidth=1.2))
    for x, level in zip(centres_x, levels):
        fig.text(x, top + 0.08 / height, level, ha="center", va="bottom")
    _labels(fig, x0 - 0.02, centres_y, labels, fontsize=9)
    return _svg(fig, "heatmap", spec["title"])
