"""The plan page in a real browser at phone and desktop width: a budget typed as people write
it, the level conditions each module moves and which hold after each phase, and budget 0."""
import re

import pytest

from tests.e2e.test_accessibility import _open, person  # noqa: F401

SHOTS = None   # set to a folder (e.g. "/tmp/plan-shots") to keep screenshots to look at


@pytest.mark.parametrize("width", [375, 1280])
def test_a_budget_written_as_20_wan_plans_towards_the_level_conditions(new_context, person, axe, width):  # noqa: F811
    page = _open(new_context, person, "zh-CN", width)
    page.goto(f"/plan/{person['done']}")
    page.click("#choices summary")  # the choices are folded under the summary
    page.fill("#budget", "20万")
    page.select_option("#target", "level3")
    page.click("form.plan-form button[type=submit]")
    page.wait_for_url(re.compile(r".*target=level3.*"))
    assert page.locator("#budget-error").count() == 0
    cost = int(re.sub(r"[^\d]", "", page.locator("[data-testid=cost]").inner_text()))
    assert 0 < cost <= 200000
    assert "三级的 3 个条件满足" in page.locator("[data-testid=summary-conditions]").inner_text()
    # every phase says which conditions hold; scenario modules say what they move
    assert page.locator(".phase .conditions li").count() == 3 * page.locator(".phase").count()
    assert page.locator("#cands-title ~ details th .moves li", has_text="三级需要 8 个").count() > 0
    assert "+0.00" not in page.content()
    assert axe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/plan-{width}.png", full_page=True)


def test_a_budget_of_zero_gets_one_message_on_a_phone(new_context, person, axe):  # noqa: F811
    page = _open(new_context, person, "zh-CN", 375)
    page.goto(f"/plan/{person['done']}?budget=0&target=level3")
    assert page.locator("[data-testid=zero-budget]").count() == 1
    assert page.locator("[data-testid=unreachable]").count() == 0
    assert page.locator(".phase").count() == 0
    assert axe(page) == []
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/plan-zero-375.png", full_page=True)
