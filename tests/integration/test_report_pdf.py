"""The PDF report itself: text, fonts, pages, archival variant, attachment, sameness."""
import json
import re

import pytest
from weasyprint import HTML

from reports.demo import ENTERPRISE, demo_inputs
from reports.document import build_context, render_html, render_pdf
from reports.fetcher import SCHEME, StaticFetcher
from reports.pdf import RESULT_ATTACHMENT
from tests.integration.test_report_support import (attachments, page_count, pdffonts, pdftotext,
                                                   xmp)

PEERS = {"shown": True, "count": 7, "min_peers": 5, "position": "upper_middle", "share_below": 64,
         "industry": "C34", "industry_level": "division", "size_class": "small",
         "as_of": "2026-03-18"}


@pytest.fixture(scope="module")
def rendered():
    """The demo report in both languages, with the fetcher each render used."""
    out = {}
    for lang in ("zh", "en"):
        inputs = demo_inputs(lang)
        fetcher = StaticFetcher()
        out[lang] = (inputs, render_pdf(inputs, peers=PEERS, fetcher=fetcher), fetcher)
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_text_holds_enterprise_level_and_every_dimension(rendered, lang):
    inputs, pdf, _ = rendered[lang]
    text = re.sub(r"\s+", "", pdftotext(pdf))
    level = inputs.result["level"]
    assert ENTERPRISE["name"] in text
    assert level["name"][lang].replace(" ", "") in text
    assert level["meaning"][lang].replace(" ", "") in text
    for dim in inputs.result["dimensions"].values():
        assert dim["title"][lang].replace(" ", "") in text, dim["title"][lang]


def test_chinese_and_english_reports_use_their_own_labels(rendered):
    zh, en = pdftotext(rendered["zh"][1]), pdftotext(rendered["en"][1])
    assert "诊断报告" in zh and "结论摘要" in zh and "附录" in zh
    assert "diagnosis report" in en and "Summary" in en and "Appendix B" in en
    assert "结论摘要" not in en and "Summary" not in zh


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cjk_font_is_embedded_and_subset(rendered, lang):
    fonts = pdffonts(rendered[lang][1])
    cjk = [row for row in fonts if "CJK" in row[0]]
    assert cjk, fonts
    for row in cjk:
        name, emb, sub = row[0], row[-5], row[-4]
        assert re.match(r"^[A-Z]{6}\+", name), f"{name} is not a subset"
        assert (emb, sub) == ("yes", "yes"), row


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_count_is_sane_and_every_page_is_numbered_with_the_report_id(rendered, lang):
    inputs, pdf, _ = rendered[lang]
    pages = page_count(pdf)
    assert 5 <= pages <= 20
    report_id = build_context(inputs)["report"]["id"]
    for number in range(1, pages + 1):
        text = re.sub(r"\s+", "", pdftotext(pdf, number))  # pdftotext drops CJK spacing
        assert report_id in text, f"page {number} lacks the report id"
        label = (f"第{number}页/共{pages}页" if lang == "zh" else f"Page{number}of{pages}")
        assert label in text, f"page {number} lacks '{label}'"


def test_sections_are_all_present(rendered):
    inputs, pdf, _ = rendered["zh"]
    text = re.sub(r"\s+", "", pdftotext(pdf))
    for heading in ("结论摘要", "维度与指标得分", "应用场景", "等级条件核对", "下一等级", "同行对比",
                    "推荐转型方案", "附录A", "附录B", "历次评测"):
        assert heading in text, heading
    assert "位于中上四分之一" in text and "同行总分中位数" not in text  # the peer band passed in
    assert "扣除补贴后的净费用" in text  # the plan passed in, every module by name
    for phase in inputs.plan["phases"]:
        for module in phase["modules"]:
            assert module["name"]["zh"].replace(" ", "") in text


def test_archival_report_is_pdfa3b_with_the_result_attached(rendered):
    inputs, pdf, fetcher = rendered["zh"]
    meta = xmp(pdf)
    assert re.search(r"pdfaid:part[^0-9]*3", meta) and re.search(r"pdfaid:conformance[^A-Z]*B", meta)
    files = attachments(pdf)
    assert list(files) == [RESULT_ATTACHMENT]
    assert json.loads(files[RESULT_ATTACHMENT][0]) == inputs.result
    assert fetcher.requested == ["report-static:css/report.css"] and fetcher.refused == []


def test_report_without_a_submitted_assessment_is_plain_and_attaches_nothing():
    pdf = render_pdf(demo_inputs("en", archival=False, with_plan=False))
    assert attachments(pdf) == {}
    assert "pdfaid" not in xmp(pdf)
    text = pdftotext(pdf)
    assert "not an archival copy" in text
    assert "No plan was computed" in text
    assert "No peer comparison" in text


def test_same_inputs_render_the_same_bytes(rendered):
    inputs, pdf, _ = rendered["en"]
    assert render_pdf(inputs, peers=PEERS) == pdf


def test_report_is_small(rendered):
    for _, pdf, _ in rendered.values():
        assert len(pdf) < 500 * 1024


def test_table_headers_repeat_on_every_page_a_table_continues_on(rendered):
    inputs, pdf, _ = rendered["en"]
    pages = page_count(pdf)
    starts = next(n for n in range(1, pages + 1) if "Appendix B" in pdftotext(pdf, n))
    questions = [row["question"] for row in build_context(inputs)["answers"]]
    continued = [n for n in range(starts + 1, pages + 1)
                 if any(q[:20] in pdftotext(pdf, n) for q in questions)]
    assert continued, "the answers table should run over more than one page"
    for number in continued:
        assert "Question" in pdftotext(pdf, number), f"page {number} lacks the table header"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_heading_is_left_alone_at_the_foot_of_a_page(rendered, lang):
    inputs, pdf, _ = rendered[lang]
    html = render_html(build_context(inputs))
    headings = {re.sub(r"<[^>]+>|\s+", "", h) for h in re.findall(r"<h[23][^>]*>(.*?)</h[23]>", html, re.S)}
    report_id = build_context(inputs)["report"]["id"]
    margin = re.compile(rf"{report_id}|^第\d+页/共\d+页$|^Page\d+of\d+$")
    assert headings
    for number in range(1, page_count(pdf) + 1):
        lines = [re.sub(r"\s+", "", line) for line in pdftotext(pdf, number).splitlines()]
        body = [line for line in lines if line and not margin.search(line)]  # no header/footer
        assert body and body[-1] not in headings, f"page {number} ends with heading {body[-1]!r}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_chart_stays_on_one_page_with_its_caption(rendered, lang):
    """Laid out by WeasyPrint itself: every chart and its caption share one page."""
    inputs, _, _ = rendered[lang]
    html = render_html(build_context(inputs))
    document = HTML(string=html, base_url=SCHEME, url_fetcher=StaticFetcher()).render()
    figures = {}  # figure element -> [(page number, tags inside it on that page)]
    for number, page in enumerate(document.pages, start=1):
        for box in page._page_box.descendants():
            if box.element_tag == "figure":
                tags = {inner.element_tag for inner in box.descendants()}
                figures.setdefault(id(box.element), []).append((number, tags))
    assert len(figures) == 2  # the radar and the bar chart
    for parts in figures.values():
        pages = {number for number, _ in parts}
        assert len(pages) == 1, f"a chart runs over pages {sorted(pages)}"
        inside = {tag.rsplit("}", 1)[-1] for _, tags in parts for tag in tags}  # drop the SVG namespace
        assert {"svg", "figcaption"} <= inside


def test_methodology_says_when_the_installed_instrument_is_a_newer_version():
    import dataclasses

    inputs = demo_inputs("en", archival=False, with_plan=False)
    newer = dataclasses.replace(inputs, instrument=dataclasses.replace(inputs.instrument, version="9.9.9"))
    text = re.sub(r"\s+", " ", pdftotext(render_pdf(newer)))
    assert "version 9.9.9" in text
    assert f"scored with version {inputs.result['version']}" in text
    assert "scored with version" not in re.sub(r"\s+", " ", pdftotext(render_pdf(inputs)))


def test_a_report_after_a_result_of_another_version_shows_no_change_instead_of_failing():
    import dataclasses

    inputs = demo_inputs("en", archival=False, with_plan=False)
    other = [dict(h, version="0.9.0") for h in inputs.history]
    text = re.sub(r"\s+", " ", pdftotext(render_pdf(dataclasses.replace(inputs, history=other))))
    assert "(this report)" in text and "Earlier assessments" in text
