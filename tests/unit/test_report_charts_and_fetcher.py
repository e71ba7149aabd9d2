"""Charts (SVG text, accessible, deterministic, no global matplotlib state) and the locked
URL fetcher of the PDF renderer."""
import re

import matplotlib
import pytest

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
