"""The bureau analyst's flow in Chromium: open the dashboard, filter, see suppression marks,
download the XLSX and the PDF brief, open the named list; axe-core on every page, on a phone
and a desktop, in Chinese and English."""
import io
import os
import uuid
from datetime import datetime, timezone

import pytest
from openpyxl import load_workbook

from services import accounts, organisations, staff
from tests.e2e.test_accessibility import _open
from tests.helpers import PASSWORD
from tests.organisation_helpers import submitted_firms

BUREAU = "烟台市工业和信息化局（浏览器测试）"
VIEWS = [("zh-CN", 375), ("en-US", 1280), ("en-US", 375)]


@pytest.fixture(scope="module")
def analyst(live_server):
    """A city bureau with an analyst, and 14 synthetic enterprises: 11 in 莱山区, 3 in 芝罘区."""
    app = live_server.app
    email = f"analyst-{uuid.uuid4().hex[:8]}@example.com"
    with app.app_context():
        org_id = organisations.create(organisations.OPERATOR, {"kind": "bureau", "name": BUREAU},
                                      organisations.reference(app.config)).id
        user_id = accounts.create_user(email, PASSWORD, "冯分析", (), "zh_CN")
        staff.add_member(org_id, user_id, "bureau_analyst")
        ids = submitted_firms([("莱山区", "level1", 30.0)] * 6 + [("莱山区", "level2", 50.0)] * 5
                              + [("芝罘区", "level1", 25.0)] * 3,
                              datetime(2026, 5, 1, tzinfo=timezone.utc), name="【合成】浏览器")
        _score_rows(ids)
    return {"email": email}


def _score_rows(enterprise_ids):
    """Dimension scores and scenario levels for the synthetic firms' assessments."""
    from sqlalchemy import select

    from storage.db import db_session
    from storage.models import (Assessment, AssessmentDimensionScore, AssessmentScenarioLevel)

    rows = db_session.scalars(select(Assessment).where(
        Assessment.enterprise_id.in_(enterprise_ids))).all()
    for i, row in enumerate(rows):
        row.dimension_scores = [
            AssessmentDimensionScore(dimension_id="foundation", score=12 + i % 5, max=40),
            AssessmentDimensionScore(dimension_id="management", score=6, max=30),
            AssessmentDimensionScore(dimension_id="outcomes", score=20, max=30)]
        row.scenario_levels = [AssessmentScenarioLevel(scenario_id=s, level=(i + j) % 3)
                               for j, s in enumerate(("product_design", "marketing",
                                                      "quality", "finance"))]
    db_session.commit()


@pytest.mark.parametrize("locale, width", VIEWS)
def test_analyst_filters_sees_marks_and_downloads(new_context, analyst, axe, locale, width):
    page = _open(new_context, analyst, locale, width)
    page.goto("/bureau/")
    assert axe(page) == []
    page.fill("input[name=as_of]", "2026-06-30")
    page.select_option("select[name=industry]", "C34")
    page.select_option("select[name=cols]", "district")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert "industry=C34" in page.url
    assert axe(page) == []
    overview = page.locator("dl.figures").first.inner_text()
    assert "14" in overview
    # the further figures: means weakest first, the heatmap, empty states that say so
    assert page.locator("#dimensions-title ~ .chart-box svg").count() == 1
    assert page.locator("#heatmap-title ~ .chart-box svg").count() == 1
    assert page.locator("section[aria-labelledby=uplift-title] .empty").count() == 1
    assert page.locator("section[aria-labelledby=providers-title] .empty").count() == 1
    shots = os.environ.get("SCREENSHOTS_DIR")
    if shots:
        page.screenshot(path=f"{shots}/bureau-{locale}-{width}.png", full_page=True)
    assert page.locator("abbr.suppressed").count() > 0  # 芝罘区's 3 firms, never shown as 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    with page.expect_download() as download:
        page.click("a[href*='export.xlsx']")
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert book.sheetnames == ["table", "median", "dimensions", "indicators", "heatmap",
                               "uplift", "demand", "providers", "notes"]
    with page.expect_download() as download:
        page.click("a[href*='brief.pdf']")
    assert download.value.path().read_bytes()[:4] == b"%PDF"
    page.click("a[href$='/bureau/named']")
    page.wait_for_load_state()
    assert axe(page) == []


def test_bad_filter_page_passes_axe_and_says_what_is_wrong(new_context, analyst, axe):
    page = _open(new_context, analyst, "zh-CN", 375)
    response = page.goto("/bureau/?as_of=2026-02-30")
    assert response.status == 400
    assert "YYYY-MM-DD: 2026-02-30" in page.locator(".error-summary").inner_text()
    assert axe(page) == []


@pytest.fixture(scope="module")
def administrator(live_server, analyst):
    """An administrator of a second bureau (same synthetic population)."""
    app = live_server.app
    email = f"bureau-admin-{uuid.uuid4().hex[:8]}@example.com"
    with app.app_context():
        org_id = organisations.create(organisations.OPERATOR, {
            "kind": "bureau", "name": BUREAU + "（管理员）"},
            organisations.reference(app.config)).id
        user_id = accounts.create_user(email, PASSWORD, "冯管理", (), "zh_CN")
        staff.add_member(org_id, user_id, "bureau_admin")
    return {"email": email}


@pytest.mark.parametrize("locale, width", VIEWS)
def test_administrator_rescores_a_changed_file_on_the_dashboard(new_context, administrator, axe,
                                                               tmp_path, locale, width):
    from pathlib import Path

    page = _open(new_context, administrator, locale, width)
    page.goto("/bureau/")
    page.click("a[href$='/bureau/what-if']")
    page.wait_for_load_state()
    assert axe(page) == []
    national = Path(__file__).resolve().parents[2] / "questionnaires" / "cn-sme-2024.yaml"
    changed = tmp_path / "changed.yaml"
    changed.write_text(national.read_text("utf-8").replace("total_at_least: 40",
                                                           "total_at_least: 45"), "utf-8")
    page.set_input_files("input[name=file]", str(changed))
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert axe(page) == []
    # the synthetic answers are empty: every assessment is counted as not scorable
    assert page.locator("dl.figures").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shots = os.environ.get("SCREENSHOTS_DIR")
    if shots:
        page.screenshot(path=f"{shots}/what-if-{locale}-{width}.png", full_page=True)


@pytest.mark.parametrize("locale, width", VIEWS)
def test_analyst_narrows_to_a_period_and_the_priority_industries(new_context, analyst, axe,
                                                                 locale, width):
    page = _open(new_context, analyst, locale, width)
    if not locale.startswith("en"):  # an earlier test left English as the analyst's choice
        page.click("button[name=locale][value=zh_CN]")
        page.wait_for_load_state()
    page.goto("/bureau/?as_of=2026-06-30")
    for name in ("since", "as_of"):  # date fields as tall as the other filters
        assert page.locator(f"input[name={name}]").bounding_box()["height"] >= 44
    page.fill("input[name=since]", "2026-04-01")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert "since=2026-04-01" in page.url and axe(page) == []
    assert page.input_value("input[name=since]") == "2026-04-01"
    assert "2026-04-01" in page.locator("#overview-title").inner_text()
    assert "14" in page.locator("dl.figures").first.inner_text()  # all submitted on 1 May
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shots = os.environ.get("SCREENSHOTS_DIR")
    if shots:
        page.screenshot(path=f"{shots}/bureau-period-{locale}-{width}.png", full_page=True)
    page.select_option("select[name=priority]", "all")  # the firms are all C34: none of them
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    assert "priority=all" in page.url and page.locator("p.empty").count() == 1
    assert page.input_value("select[name=priority]") == "all" and axe(page) == []
    page.fill("input[name=since]", "2026-07-01")
    page.click("form.filters button[type=submit]")
    page.wait_for_load_state()
    label = "提交起始日期: " if locale.startswith("zh") else "Submitted from: "
    assert page.locator(".error-summary li").inner_text().startswith(label)
    if shots:
        page.screenshot(path=f"{shots}/bureau-period-error-{locale}-{width}.png",
                        full_page=True)
