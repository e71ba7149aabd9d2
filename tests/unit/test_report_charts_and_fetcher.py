"""Charts (SVG text, accessible, deterministic, legible on a phone, no global matplotlib state)
and the locked URL fetcher of the PDF renderer."""
import html
import json
import re

import matplotlib
import pytest

from config import ROOT
from diagnosis import load_instrument, score
from reports.charts import bar_svg, radar_svg
from reports.context import result_context
from reports.demo import ANSWERS, INSTRUMENT_FILE, PROFILE
from reports.fetcher import RefusedURL, StaticFetcher

INSTRUMENT = load_instrument(INSTRUMENT_FILE)
RESULT = score(INSTRUMENT, ANSWERS, PROFILE).to_dict()


def ctx(lang):
    return result_context(RESULT, INSTRUMENT, PROFILE, {}, lang)


@pytest.mark.parametrize("chart", [radar_svg, bar_svg])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chart_is_inline_accessible_svg_with_text_kept_as_text(chart, lang):
    svg = chart(ctx(lang))
    assert svg.startswith("<svg ") and svg.rstrip().endswith("</svg>")
    assert 'role="img"' in svg and "aria-label=" in svg and "<title>" in svg
    for dim in RESULT["dimensions"].values():
        assert f">{dim['title'][lang]}<" in svg or dim["title"][lang] in re.sub(r"\s+", " ", svg)
    assert "Noto Sans CJK SC" in svg
    assert "<?xml" not in svg and "<dc:date>" not in svg


@pytest.mark.parametrize("chart", [radar_svg, bar_svg])
def test_chart_is_deterministic_and_leaves_matplotlib_settings_alone(chart):
    before = dict(matplotlib.rcParams)
    first, second = chart(ctx("zh")), chart(ctx("zh"))
    assert first == second
    assert dict(matplotlib.rcParams) == before


def test_both_charts_on_one_page_share_no_element_id():
    ids = re.findall(r'\bid="([^"]+)"', radar_svg(ctx("zh")) + bar_svg(ctx("zh")))
    assert ids and len(ids) == len(set(ids))


PHONE_PX = 340  # the text column of a 375 px wide phone


def _texts(svg):
    """The visible text of an SVG, each line once, whitespace removed (lines may wrap anywhere)."""
    return re.sub(r"\s+", "", html.unescape("".join(re.findall(r"<text[^>]*>([^<]*)</text>", svg))))


def _unspaced(text):
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("chart", [radar_svg, bar_svg])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chart_text_stays_legible_when_a_phone_scales_it_down(chart, lang):
    svg = chart(ctx(lang))
    width = float(re.search(r'viewBox="0 0 ([\d.]+) [\d.]+"', svg).group(1))
    sizes = [float(size) for size in re.findall(r'font-size="([\d.]+)px"', svg)]
    assert sizes, "no text sizes found"
    shown = [size * PHONE_PX / width for size in sizes]  # px once the SVG is 340 px wide
    assert min(shown) >= 11, f"smallest text {min(shown):.1f} px on a phone"
    assert max(shown) >= 12, f"labels {max(shown):.1f} px on a phone"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_radar_of_three_dimensions_shows_each_indicator_by_name_and_percent(lang):
    svg = radar_svg(ctx(lang))
    shown = _texts(svg)
    indicators = [i for d in ctx(lang)["dimensions"] for i in d["indicators"]]
    assert len(ctx(lang)["dimensions"]) == 3 and len(indicators) == 9
    for indicator in indicators:
        assert _unspaced(f"{indicator['title']}{indicator['percent']}%") in shown
    label = re.search(r'aria-label="([^"]+)"', svg).group(1)
    assert all(f"{i['title']} {i['percent']}%" in html.unescape(label) for i in indicators)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_radar_of_five_or_more_dimensions_shows_the_dimensions(lang):
    instrument = load_instrument(ROOT / "questionnaires" / "eu-dma.yaml")
    answers = json.loads((ROOT / "examples" / "eu-dma" / "mixed.json").read_text(encoding="utf-8"))
    result = score(instrument, answers, PROFILE).to_dict()
    context = result_context(result, instrument, PROFILE, {}, lang)
    assert len(context["dimensions"]) >= 5
    svg = radar_svg(context)
    shown = _texts(svg)
    for dim in context["dimensions"]:
        assert _unspaced(f"{dim['title']}{dim['percent']}%") in shown
    # One spoke per dimension: as many percentages as dimensions, none for the indicators.
    assert len(re.findall(r"<text[^>]*>\d+%</text>", svg)) == len(context["dimensions"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_bar_chart_names_each_dimension_with_score_and_maximum(lang):
    shown = _texts(bar_svg(ctx(lang)))
    for dim in ctx(lang)["dimensions"]:
        assert _unspaced(f"{dim['title']}") in shown
        assert _unspaced(f"{dim['score']} / {dim['max']}") in shown


def test_fetcher_serves_the_bundled_stylesheet():
    fetcher = StaticFetcher()
    response = fetcher("report-static:css/report.css")
    assert b"@page" in response.read()
    assert fetcher.requested == ["report-static:css/report.css"] and not fetcher.refused


@pytest.mark.parametrize("url", [
    "file:///etc/passwd", "FILE:///etc/passwd", "http://example.com/x.css",
    "https://127.0.0.1/x.png", "data:text/css,body{}", "ftp://example.com/x",
    "report-static:../config.py", "report-static:../../etc/passwd",
    "report-static:/etc/passwd", "report-static:css/../../app.py", "report-static:css/missing.css",
    "//example.com/x.css", "css/report.css",
])
def test_fetcher_refuses_everything_else(url):
    fetcher = StaticFetcher()
    with pytest.raises(RefusedURL):
        fetcher(url)
    assert fetcher.refused == [url]


def test_fetcher_refuses_file_types_a_report_does_not_need(tmp_path):
    (tmp_path / "notes.txt").write_text("secret")
    (tmp_path / "style.css").write_text("p{}")
    fetcher = StaticFetcher(tmp_path)
    assert fetcher("report-static:style.css").read() == b"p{}"
    with pytest.raises(RefusedURL):
        fetcher("report-static:notes.txt")
