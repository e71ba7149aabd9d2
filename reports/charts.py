"""Radar and bar charts of a result, drawn by matplotlib as SVG text.

The same SVG string is inlined in the results page and in the PDF. Both charts are drawn about
as wide as a phone's text column (WIDTH inches, shown 340–450 px wide) with LABEL-point text, so
their labels stay near 12 px when a phone scales them down. Text stays text
(`svg.fonttype: none`) in Noto Sans CJK SC so Chinese shows in browsers and in WeasyPrint and
can be copied out. Output is deterministic: a fixed hash salt and no date metadata, so the same
context gives the same bytes (the report cache relies on that).
"""
import io
import math
import re
from xml.sax.saxutils import escape, quoteattr

import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402  (after choosing the backend)

from reports.phrases import phrase  # noqa: E402
from reports.svg_attributes import presentation_attributes  # noqa: E402

FONT = "Noto Sans CJK SC"
INK, ACCENT, GRID, TRACK, FAINT = "#1f2937", "#1d4ed8", "#d1d5db", "#e5e7eb", "#4b5563"
WIDTH = 4.4         # inches, both charts
LABEL = 11.5        # points: ~12 px when WIDTH is shown 340 px wide
SMALL = 10.5        # points: the legend and the radar's scale
RADAR_MIN_AXES = 5  # with fewer dimensions the radar shows the indicators
LABEL_RADIUS = 1.1  # radar labels start this far out (1 = the rim)
RADAR_INDICATORS = {"zh": "雷达图，各指标得分率", "en": "Radar chart, share of each indicator's maximum"}
STYLE = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": [FONT, "DejaVu Sans"],
    "font.size": LABEL,
    "axes.unicode_minus": False,
    "text.color": INK,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
}


def _svg(fig, salt, label):
    """Serialise `fig` to an inline-ready, accessible SVG element (no XML prologue)."""
    buffer = io.StringIO()
    with matplotlib.rc_context({**STYLE, "svg.hashsalt": salt}):
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = presentation_attributes(svg[svg.index("<svg"):])
    svg = re.sub(r"\s*<metadata>.*?</metadata>", "", svg, count=1, flags=re.S)
    # Matplotlib names the family "Noto Sans CJK SC" but keeps a generic fallback for browsers.
    svg = svg.replace(f"'{FONT}'", f"'{FONT}', 'Noto Sans CJK', sans-serif")
    # Both charts sit in one page: prefix matplotlib's ids (xtick_1, …) so none repeats.
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{salt}-\1"', svg)
    svg = re.sub(r'url\(#([^)]+)\)', rf'url(#{salt}-\1)', svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#{salt}-\1"', svg)
    svg = re.sub(r"<svg ", f'<svg role="img" aria-label={quoteattr(label)} class="chart" ', svg, count=1)
    return re.sub(r"(<svg[^>]*>)", lambda m: f"{m.group(1)}<title>{escape(label)}</title>", svg, count=1)


def _figure(width, height):
    with matplotlib.rc_context(STYLE):
        return Figure(figsize=(width, height))


def _wrap(text, width=6):
    """Break a label into lines of about `width` CJK characters or twice as many Latin ones:
    CJK text in balanced lines (before a bracket where there is one), other text by words."""
    if " " in text or len(text.encode()) == len(text):
        lines, line = [], ""
        for word in text.split():
            if line and len(line) + len(word) + 1 > width * 2:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        return "\n".join(lines + [line])
    if len(text) <= width:
        return text
    bracket = text.find("（")
    if 0 < bracket <= width and len(text) - bracket <= width:
        return f"{text[:bracket]}\n{text[bracket:]}"
    size = math.ceil(len(text) / math.ceil(len(text) / width))
    return "\n".join(text[i:i + size] for i in range(0, len(text), size))


def _text_inches(text, points=LABEL):
    """Rough width of the widest line of `text`: CJK characters are square, others about half."""
    return max(sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in line)
               for line in text.split("\n")) * points / 72


def _lines_inches(text, points=LABEL):
    """Rough height of `text`, line by line."""
    return (text.count("\n") + 1) * points * 1.3 / 72


def radar_axes(ctx):
    """("dimensions" or "indicators", rows): the radar's spokes. With fewer than RADAR_MIN_AXES
    dimensions a radar is a triangle that says little, so it shows the indicators instead."""
    dims = ctx["dimensions"]
    indicators = [ind for d in dims for ind in d.get("indicators") or []]
    if len(dims) < RADAR_MIN_AXES and len(indicators) >= RADAR_MIN_AXES:
        return "indicators", indicators
    return "dimensions", dims


def _radar_label(ctx, kind):
    lang = ctx["lang"]
    sep, join = ("：" if lang == "zh" else ": "), phrase("list_sep", lang)
    if kind == "dimensions":
        return phrase("radar_label", lang) + sep + join.join(
            f"{d['title']} {d['percent']}%" for d in ctx["dimensions"])
    opening, closing = ("（", "）") if lang == "zh" else (" (", ")")
    groups = (d["title"] + opening + join.join(f"{i['title']} {i['percent']}%"
                                               for i in d["indicators"]) + closing
              for d in ctx["dimensions"] if d.get("indicators"))
    return RADAR_INDICATORS[lang] + sep + ("；" if lang == "zh" else "; ").join(groups)


def _anchor(angle):
    """Screen direction of a spoke (clockwise from the top) and the label anchoring that keeps
    its label on the far side of the circle: (x, y, ha, va)."""
    x, y = math.sin(angle), math.cos(angle)
    ha = "center" if abs(x) < 0.2 else "left" if x > 0 else "right"
    va = "center" if abs(y) < 0.6 else "bottom" if y > 0 else "top"
    return x, y, ha, va


def _radar_layout(angles, labels):
    """Where the circle and its labels go, in inches from the circle's centre.

    The radius is the largest that lets every label, set LABEL_RADIUS times the radius out and
    anchored away from the centre, fit in WIDTH. Labels that would overlap are then moved down,
    top to bottom, just far enough. Returns the radius and, per label, (x, top y, ha, box).
    """
    half, radius = WIDTH / 2 - 0.06, 1.6
    for angle, text in zip(angles, labels):
        x, _y, ha, _va = _anchor(angle)
        if ha != "center":
            radius = min(radius, (half - _text_inches(text)) / (LABEL_RADIUS * abs(x)))
    radius = max(radius, 0.8)
    placed = []
    for angle, text in zip(angles, labels):
        x, y, ha, va = _anchor(angle)
        w, h = _text_inches(text), _lines_inches(text)
        x, y = LABEL_RADIUS * radius * x, LABEL_RADIUS * radius * y
        top = y + {"bottom": h, "center": h / 2, "top": 0}[va]
        left = {"left": x, "center": x - w / 2, "right": x - w}[ha]
        placed.append([x, top, ha, (left, left + w, h)])
    done = []
    for label in sorted(placed, key=lambda p: -p[1]):
        left, right, h = label[3]
        for other in done:
            o_left, o_right, o_h = other[3]
            if left < o_right and o_left < right and label[1] > other[1] - o_h - 0.04:
                label[1] = other[1] - o_h - 0.04
        done.append(label)
    return radius, placed


def radar_svg(ctx):
    """Radar chart of each dimension's (or indicator's) score as a percentage of its maximum."""
    kind, rows = radar_axes(ctx)
    count = max(len(rows), 3)
    # First spoke at the top, then clockwise, as people read a radar chart.
    angles = [2 * math.pi * i / count for i in range(count)]
    values = [r["percent"] for r in rows] + [0] * (count - len(rows))
    width = 6  # CJK characters a line (12 Latin ones)
    labels = [f"{_wrap(r['title'], width)}\n{r['percent']}%" for r in rows]
    radius, placed = _radar_layout(angles, labels)
    up = max([radius] + [p[1] for p in placed]) + 0.08
    down = max([radius] + [p[3][2] - p[1] for p in placed]) + 0.08
    height = up + down
    with matplotlib.rc_context(STYLE):
        fig = _figure(WIDTH, height)
        box = (0.5 - radius / WIDTH, (down - radius) / height, 2 * radius / WIDTH, 2 * radius / height)
        ax = fig.add_axes(box, projection="polar")
        ax.set_theta_offset(math.pi / 2)
        ax.set_theta_direction(-1)
        ax.set_ylim(0, 100)
        ax.set_rlabel_position(180 / count)  # between the first two spokes
        ax.set_yticks([25, 50, 75, 100])
        ax.set_yticklabels(["", "50", "", "100"], fontsize=SMALL, color=FAINT)
        ax.set_xticks(angles)
        ax.set_xticklabels([])
        ax.grid(color=GRID, linewidth=0.8)
        ax.spines["polar"].set_color(GRID)
        ax.plot(angles + angles[:1], values + values[:1], color=ACCENT, linewidth=2)
        ax.fill(angles + angles[:1], values + values[:1], color=ACCENT, alpha=0.18)
        ax.plot(angles[:len(rows)], values[:len(rows)], "o", color=ACCENT, markersize=4)
        for text, (x, top, ha, _box) in zip(labels, placed):
            fig.text(WIDTH / 2 + x, down + top, text, ha=ha, va="top", fontsize=LABEL,
                     linespacing=1.15, transform=fig.dpi_scale_trans)
        return _svg(fig, "radar", _radar_label(ctx, kind))


def bar_svg(ctx):
    """Bars of each dimension's score against its maximum, the title and "score / max" above
    each bar so the bars take the chart's full width on a phone."""
    dims = ctx["dimensions"]
    lang = ctx["lang"]
    sep = "：" if lang == "zh" else ": "
    label = phrase("bar_label", lang) + sep + phrase("list_sep", lang).join(
        f"{d['title']} {d['score']}/{d['max']}" for d in dims)
    maxima = [float(d["max"] or 0) for d in dims]
    scores = [float(d["score"] or 0) for d in dims]
    values = [f"{_fmt(s)} / {_fmt(m)}" for s, m in zip(scores, maxima)]
    # Titles wrap only if they would run into the figures on the right.
    room = WIDTH - 0.2 - max((_text_inches(v) for v in values), default=0)
    per_line = max(int(room * 72 / LABEL / 1.1), 4)  # CJK characters (or twice as many Latin)
    titles = [d["title"] if _text_inches(d["title"]) <= room else _wrap(d["title"], per_line)
              for d in dims]
    bar, gap, legend = 0.24, 0.2, 0.34  # inches
    rows = [_lines_inches(t) + 0.04 + bar for t in titles]
    height = legend + sum(rows) + gap * len(rows)
    with matplotlib.rc_context(STYLE):
        fig = _figure(WIDTH, height)
        # y in inches from the bottom; x in points of the instrument.
        ax = fig.add_axes((0.02, 0, 0.96, 1))
        ax.set_ylim(0, height)
        ax.set_xlim(0, max(maxima, default=0) or 1)
        ax.set_axis_off()
        y = height - legend
        handles = []
        for title, value, score, maximum, row in zip(titles, values, scores, maxima, rows):
            ax.text(0, y, title, ha="left", va="top", fontsize=LABEL, linespacing=1.15)
            ax.text(ax.get_xlim()[1], y, value, ha="right", va="top", fontsize=LABEL)
            centre = y - row + bar / 2
            handles = [ax.barh(centre, maximum, height=bar, color=TRACK),
                       ax.barh(centre, score, height=bar, color=ACCENT)]
            y -= row + gap
        if handles:
            ax.legend(handles[::-1], [phrase("bar_score", lang), phrase("bar_max", lang)],
                      loc="upper left", bbox_to_anchor=(0, 1), ncol=2, fontsize=SMALL,
                      frameon=False, borderaxespad=0.1, handlelength=1.2, columnspacing=1.2)
        return _svg(fig, "bar", label)


def _fmt(value):
    """Like the tables: at most two decimals, no trailing zeros."""
    return f"{round(value, 2):g}"
