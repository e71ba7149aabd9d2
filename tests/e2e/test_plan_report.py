"""A person changes the plan in a real browser, on a phone-sized screen, and downloads the PDF
report with that plan in it."""
import re
from pathlib import Path

from tests.e2e.test_accessibility import _open, person  # noqa: F401
from tests.integration.test_report_support import pdftotext


def test_report_downloaded_from_the_plan_page_carries_the_chosen_plan(new_context, person, axe):  # noqa: F811
    page = _open(new_context, person, "zh-CN", 375)
    aid = person["done"]
    page.goto(f"/plan/{aid}")
    page.click("#choices summary")  # the choices are folded under the summary on a phone
    page.fill("#budget", "500000")
    page.select_option("#target", "level3")
    page.click("form.plan-form button[type=submit]")
    page.wait_for_url(re.compile(r".*budget=500000.*"))
    link = page.locator("[data-testid=plan-pdf]")
    assert link.inner_text().strip() == "下载含此方案的 PDF 报告"
    assert axe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    with page.expect_download() as info:
        link.click()
    pdf = Path(info.value.path()).read_bytes()
    text = re.sub(r"\s+", "", pdftotext(pdf))
    assert "500,000元" in text and "三级" in text
