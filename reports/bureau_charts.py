"""The bureau dashboard's level distribution chart (matplotlib → SVG, like reports/charts.py)."""
from reports.charts import ACCENT, GRID, INK, _figure, _svg

SUPPRESSED_NOTE = {"zh": "（×：已抑制）", "en": " (×: suppressed)"}
TITLE = {"zh": "各等级企业数量", "en": "Enterprises at each level"}


def levels_svg(level_rows, names, lang):
    """Horizontal bars of enterprises per level; a suppressed level shows "×", no bar."""
    fig = _figure(4.4, 0.5 + 0.42 * len(level_rows))
    ax = fig.add_axes([0.3, 0.08, 0.62, 0.84])
    labels = [names[row["id"]].get(lang) or names[row["id"]]["zh"] for row in level_rows]
    counts = [row["n"] or 0 for row in level_rows]
    positions = list(range(len(level_rows)))[::-1]
    ax.barh(positions, counts, color=ACCENT, height=0.6)
    top = max(counts + [1])
    for y, row in zip(positions, level_rows):
        ax.text((row["n"] or 0) + top * 0.02, y, "×" if row["n"] is None else str(row["n"]),
                va="center", color=INK)
    ax.set_yticks(positions, labels)
    ax.set_xlim(0, top * 1.2)
    ax.tick_params(axis="x", colors=GRID, labelcolor=INK)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    title = TITLE[lang] + (SUPPRESSED_NOTE[lang] if any(r["n"] is None for r in level_rows) else "")
    return _svg(fig, "levels", title)


MEANS_TITLE = {"zh": "各维度平均得分率（最弱在前）", "en": "Mean share of each dimension's maximum (weakest first)"}
HEAT_TITLE = {"zh": "各场景处于各等级的企业占比", "en": "Share of enterprises at each level of each scenario"}


def _name(text, lang):
    return text.get(lang) or text["zh"]


def means_svg(rows, lang):
    """Horizontal bars of each dimension's mean percent of its maximum; "×" where suppressed."""
    fig = _figure(4.4, 0.5 + 0.42 * len(rows))
    ax = fig.add_axes([0.34, 0.1, 0.58, 0.84])
    positions = list(range(len(rows)))[::-1]
    ax.barh(positions, [row["percent"] or 0 for row in rows], color=ACCENT, height=0.6)
    for y, row in zip(positions, rows):
        ax.text((row["percent"] or 0) + 2, y, "×" if row["percent"] is None
                else f"{row['percent']}%", va="center", color=INK)
    ax.set_yticks(positions, [_name(row["title"], lang) for row in rows])
    ax.set_xlim(0, 115)
    ax.tick_params(axis="x", colors=GRID, labelcolor=INK)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    return _svg(fig, "means", MEANS_TITLE[lang])


def heatmap_svg(heat, lang):
    """Scenarios × levels coloured by share; a suppressed cell is blank and marked "×"."""
    import numpy as np

    rows, levels = heat["rows"], heat["levels"]
    shares = np.array([[np.nan if cell["share"] is None else cell["share"] for cell in row["cells"]]
                       for row in rows])
    fig = _figure(4.4, 0.6 + 0.3 * len(rows))
    ax = fig.add_axes([0.42, 0.04, 0.55, 0.88])
    # vector cells (pcolormesh), not imshow: an image would reach the SVG as a data: URI, which
    # the PDF renderer's fetcher refuses, and the brief would lose its colours
    ax.pcolormesh(np.arange(len(levels) + 1) - 0.5, np.arange(len(rows) + 1) - 0.5,
                  np.ma.masked_invalid(shares), cmap="Blues", vmin=0, vmax=100)
    ax.set_ylim(len(rows) - 0.5, -0.5)  # the first scenario on top
    for y, row in enumerate(rows):
        for x, cell in enumerate(row["cells"]):
            mark = "×" if cell["n"] is None else ("" if cell["share"] is None
                                                 else f"{cell['share']:.0f}")
            ax.text(x, y, mark, ha="center", va="center", fontsize=8,
                    color="white" if (cell["share"] or 0) > 60 else INK)
    ax.set_xticks(range(len(levels)), [str(level) for level in levels])
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(rows)), [_name(row["title"], lang) for row in rows], fontsize=9)
    return _svg(fig, "heatmap", HEAT_TITLE[lang])
