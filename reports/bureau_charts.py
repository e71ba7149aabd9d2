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
