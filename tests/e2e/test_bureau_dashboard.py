"""The bureau analyst's flow in Chromium: open the dashboard, filter, see suppression marks,
download the XLSX and the PDF brief, open the named list; axe-core on every page, on a phone
and a desktop, in Chinese and English."""
import io
import uuid
from datetime import datetime, timezone

import pytest
from openpyxl import load_workbook

from services import accounts, organisations, staff
from tests.e2e.test_accessibility import _open
from tests.helpers import PASSWORD
from tests.organisation_helpers import submitted_firms

BUREAU = "烟台市工业和信息化局（浏览器测试）"
VIEWS = [("zh-CN", 375), ("en-US", 1280)]


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
        submitted_firms([("莱山区", "level1", 30.0)] * 6 + [("莱山区", "level2", 50.0)] * 5
                        + [("芝罘区", "level1", 25.0)] * 3,
                        datetime(2026, 5, 1, tzinfo=timezone.utc), name="【合成】浏览器")
    return {"email": email}


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
    overview = page.locator("dl.figures").inner_text()
    assert "14" in overview
    assert page.locator("abbr.suppressed").count() > 0  # 芝罘区's 3 firms, never shown as 0
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    with page.expect_download() as download:
        page.click("a[href*='export.xlsx']")
    book = load_workbook(io.BytesIO(download.value.path().read_bytes()))
    assert book.sheetnames == ["table", "notes"]
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
