"""Radar and bar charts of a result, drawn by matplotlib as SVG text.

The same SVG string is inlined in the results page and in the PDF. Text stays text
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

FONT = "Noto Sans CJK SC"
INK, ACCENT, MUTED, GRID = "#1f2937", "#1d4ed8", "#93c5fd", "#d1d5db"
STYLE = {
    "svg.fonttype": "none",
    "font.family": "sans-serif",
    "font.sans-serif": [FONT, "DejaVu Sans"],
    "font.size": 10,
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
    svg = svg[svg.index("<svg"):]
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


def _wrap(text, width=8):
    """Break long labels: CJK text by characters, other text by words."""
    if len(text) <= width or " " not in text and len(text.encode()) == len(text):
        return text
    if " " in text:
        lines, line = [], ""
        for word in text.split():
            if line and len(line) + len(word) + 1 > width * 2:
                lines.append(line)
                line = word
            else:
                line = f"{line} {word}".strip()
        return "\n".join(lines + [line])
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


def radar_svg(ctx):
    """Radar chart of each dimension's score as a percentage of its maximum."""
    dims = ctx["dimensions"]
    lang = ctx["lang"]
    label = phrase("radar_label", lang) + "：" if lang == "zh" else phrase("radar_label", lang) + ": "
    label += phrase("list_sep", lang).join(f"{d['title']} {d['percent']}%" for d in dims)
    with matplotlib.rc_context(STYLE):
        fig = _figure(5.2, 4.2)
        ax = fig.add_subplot(projection="polar")
        count = max(len(dims), 3)
        # First dimension at the top, then clockwise, as people read a radar chart.
        ax.set_theta_offset(math.pi / 2)
        ax.set_theta_direction(-1)
        angles = [2 * math.pi * i / count for i in range(count)]
        values = [d["percent"] for d in dims] + [0] * (count - len(dims))
        ax.set_ylim(0, 100)
        ax.set_rlabel_position(180 / count)  # between the first two spokes, off the labels
        ax.set_yticks([25, 50, 75, 100])
        ax.set_yticklabels(["25", "50", "75", "100"], fontsize=7, color="#6b7280")
        ax.set_xticks(angles)
        ax.set_xticklabels([_wrap(d["title"]) for d in dims] + [""] * (count - len(dims)))
        ax.tick_params(axis="x", pad=16)
        ax.grid(color=GRID, linewidth=0.8)
        ax.spines["polar"].set_color(GRID)
        ax.plot(angles + angles[:1], values + values[:1], color=ACCENT, linewidth=2)
        ax.fill(angles + angles[:1], values + values[:1], color=ACCENT, alpha=0.18)
        for angle, value in zip(angles, values):
            # Near the rim the figure goes inside, away from the dimension labels.
            ax.text(angle, value - 14 if value > 75 else value + 9, f"{value}%", ha="center",
                    va="center", fontsize=8, color=ACCENT)
        fig.subplots_adjust(left=0.16, right=0.84, top=0.86, bottom=0.12)
        return _svg(fig, "radar", label)


def bar_svg(ctx):
    """Horizontal bars: each dimension's score against its maximum."""
    dims = ctx["dimensions"]
    lang = ctx["lang"]
    sep = "：" if lang == "zh" else ": "
    label = phrase("bar_label", lang) + sep + phrase("list_sep", lang).join(
        f"{d['title']} {d['score']}/{d['max']}" for d in dims)
    width, height = 6.2, 0.55 * max(len(dims), 1) + 1.0
    with matplotlib.rc_context(STYLE):
        fig = _figure(width, height)
        ax = fig.add_subplot()
        y = list(range(len(dims)))[::-1]
        maxima = [float(d["max"] or 0) for d in dims]
        scores = [float(d["score"] or 0) for d in dims]
        ax.barh(y, maxima, color="#e5e7eb", height=0.6, label=phrase("bar_max", lang))
        ax.barh(y, scores, color=ACCENT, height=0.6, label=phrase("bar_score", lang))
        for pos, score, maximum in zip(y, scores, maxima):
            ax.text(maximum, pos, f"  {_fmt(score)} / {_fmt(maximum)}", va="center", fontsize=9)
        ax.set_yticks(y)
        ax.set_yticklabels([d["title"] for d in dims])
        ax.set_xlim(0, (max(maxima) if maxima else 1) * 1.28)
        # Every bar carries "score / max", so no x axis: fewer elements for browsers and
        # WeasyPrint to draw (each SVG text costs the PDF renderer a text layout).
        ax.xaxis.set_visible(False)
        for side in ("top", "right", "bottom"):
            ax.spines[side].set_visible(False)
        # Above the plot, so full bars never hide it.
        ax.legend(loc="lower right", bbox_to_anchor=(1.0, 1.0), ncol=2, fontsize=8, frameon=False)
        # Margins from the longest label instead of tight_layout(), which draws the figure twice.
        left = min(0.5, (0.15 + max((_text_inches(d["title"]) for d in dims), default=0)) / width)
        fig.subplots_adjust(left=left, right=0.97, top=1 - 0.35 / height, bottom=0.15 / height)
        return _svg(fig, "bar", label)


def _text_inches(text, points=10):
    """Rough width of `text` at `points`: CJK characters are square, others about half."""
    ems = sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in text)
    return ems * points / 72


def _fmt(value):
    """Like the tables: at most two decimals, no trailing zeros."""
    return f"{round(value, 2):g}"
