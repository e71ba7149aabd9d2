"""The report as a person files it: tagged for screen readers, no page for a lone sentence, no
table row left alone, the quick check's report without a plan chapter or the national pledge,
no developer notes on the cover."""
import io
import json
from datetime import datetime, timezone
from pathlib import Path

import pytest
from pypdf import PdfReader

from diagnosis import load_instruments, score
from reports.demo import demo_inputs
from reports.document import ReportInputs, render_pdf
from tests.integration.test_report_support import page_count, pdftotext

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = load_instruments(ROOT / "questionnaires")


def quick_check_inputs(lang):
    inst = REGISTRY.get("quick-check")
    answers = json.loads((ROOT / "examples" / "quick-check" / "mixed.json").read_text(encoding="utf-8"))
    return ReportInputs(instrument=inst, answers=answers, result=score(inst, answers, {}).to_dict(),
                        profile={}, enterprise={"name": "快测企业"}, lang=lang, plan=None, history=[],
                        assessment_id=9, archival=True,
                        created=datetime(2026, 3, 18, 9, 30, tzinfo=timezone.utc))


@pytest.fixture(scope="module")
def quick_check_pdf():
    return {lang: render_pdf(quick_check_inputs(lang)) for lang in ("zh", "en")}


def body_lines(pdf, page):
    """The page's text lines without the running header (enterprise, report id) and footer."""
    lines = [x for x in pdftotext(pdf, page, page).splitlines() if x.strip()]
    return [x for x in lines if "DR-" not in x and not x.startswith("第 ") and not x.startswith("Page ")]


def test_the_quick_check_report_has_no_plan_chapter_no_pledge_and_no_near_empty_page(quick_check_pdf):
    zh, en = pdftotext(quick_check_pdf["zh"]), pdftotext(quick_check_pdf["en"])
    assert "推荐转型方案：改进规划依据完整评测制定" in zh
    assert "Recommended plan: plans are made from the full assessment" in en
    assert "承诺" not in zh and "pledge" not in en.lower()
    for page in range(1, page_count(quick_check_pdf["zh"]) + 1):
        assert len(body_lines(quick_check_pdf["zh"], page)) >= 4, f"page {page} is nearly empty"


def test_the_cover_speaks_to_the_enterprise_not_to_developers(quick_check_pdf):
    cover = pdftotext(quick_check_pdf["en"], 1, 1)
    assert "re-implementations" not in cover and "to be confirmed" not in cover
    assert "This is a quick check: its level is indicative. The full assessment gives the level that counts." in cover


def test_no_peer_comparison_is_one_line_after_the_history_not_a_section():
    text = pdftotext(render_pdf(demo_inputs("zh")))
    assert "同行对比：本报告未进行同行对比。" in text
    assert "\n同行对比\n" not in text


def test_reports_are_tagged_for_screen_readers(quick_check_pdf):
    catalog = PdfReader(io.BytesIO(quick_check_pdf["zh"])).trailer["/Root"]
    assert "/StructTreeRoot" in catalog and bool(catalog["/MarkInfo"]["/Marked"])
    assert catalog["/Lang"] == "zh-CN"


def test_a_table_never_leaves_a_single_row_on_a_page():
    pdf = render_pdf(demo_inputs("zh"))
    # The level-condition table runs over a page break in the demo: its last rows travel together.
    for page in range(2, page_count(pdf) + 1):
        lines = body_lines(pdf, page)
        if lines and lines[0].startswith("等级 条件 实际 要求"):   # the header repeated on a new page
            rows = [x for x in lines[1:4] if x.startswith(("一级", "二级", "三级", "四级"))]
            assert len(rows) >= 2, f"page {page}: {lines[:4]}"
