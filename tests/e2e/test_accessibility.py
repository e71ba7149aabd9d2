"""axe-core on the questionnaire and results pages in Chromium: no serious or critical
WCAG 2.1 A/AA violation, in Chinese on a phone and in English on a desktop screen."""
import json
import uuid
from pathlib import Path

import pytest

from services import accounts, assessments, drafts, instrument_registry, submission
from storage.db import db_session
from storage.models import Enterprise
from tests.helpers import PASSWORD

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
VIEWS = [pytest.param("zh-CN", 375, id="zh-375"), pytest.param("en-US", 1280, id="en-1280")]


@pytest.fixture
def person(live_server):
    """A manufacturer with a draft of the national instrument and a submitted one."""
    app = live_server.app
    email = f"a11y-{uuid.uuid4().hex[:10]}@example.com"
    with app.app_context():
        user_id = accounts.register(email, PASSWORD, "张女士", "无障碍测试公司")
        eid = accounts.load_account(user_id).enterprise_id
        db_session.get(Enterprise, eid).industry_code = "C36"
        db_session.commit()
        registry = instrument_registry.instruments(app.config["QUESTIONNAIRES_DIR"])
        inst = registry["cn-sme-2024"]
        profile = assessments.profile_of(eid)
        answers = json.loads((EXAMPLES / "cn-sme-2024" / "mixed.json").read_text(encoding="utf-8"))
        answers = answers.get("answers", answers)
        done = drafts.start(eid, user_id, inst)
        drafts.save_answers(done, eid, inst, answers, profile)
        submission.submit(done, eid, inst, profile, pledged=True)
        draft = drafts.start(eid, user_id, inst)
    return {"email": email, "draft": draft, "done": done}


def _open(new_context, person, locale, width):
    page = new_context(locale=locale, width=width).new_page()
    page.goto("/auth/login")
    page.fill("input[name=email]", person["email"])
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    if locale.startswith("en"):
        page.click("button[name=locale][value=en]")
        page.wait_for_load_state()
    return page


@pytest.mark.parametrize("locale, width", VIEWS)
def test_questionnaire_pages_pass_axe(new_context, person, axe, locale, width):
    page = _open(new_context, person, locale, width)
    aid = person["draft"]
    for path in ("/assess/", f"/assess/{aid}/page/1", f"/assess/{aid}/page/4", f"/assess/{aid}/submit"):
        page.goto(path)
        assert axe(page) == [], path
        assert page.evaluate("document.documentElement.scrollWidth") <= width, f"{path} scrolls sideways"
    # A page with an error summary and messages next to the fields (posted without script).
    page.goto(f"/assess/{aid}/page/1")
    page.fill("#equipment_digital_rate-numerator", "9")
    page.fill("#equipment_digital_rate-denominator", "3")
    page.evaluate("document.querySelector('form.questionnaire').submit()")
    page.wait_for_selector(".error-summary")
    assert axe(page) == []


@pytest.mark.parametrize("locale, label", [("zh-CN", "等级："), ("en-US", "Level:")])
def test_on_a_phone_each_result_in_the_list_shows_its_level_and_total(new_context, person, axe,
                                                                       locale, label):
    page = _open(new_context, person, locale, 375)
    page.goto("/assess/")
    row = page.locator("section[aria-labelledby=done-title] tbody tr").first
    date, level, total = (row.locator("td").nth(i) for i in (0, 2, 3))
    # Level and total sit below the date, on the screen, labelled: nothing to scroll sideways for.
    assert level.bounding_box()["y"] > date.bounding_box()["y"]
    assert level.bounding_box()["x"] + level.bounding_box()["width"] <= 375
    assert level.inner_text().startswith(label) and "/ 100" in total.inner_text()
    assert axe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= 375


@pytest.mark.parametrize("locale, width", VIEWS)
def test_results_page_passes_axe(new_context, person, axe, locale, width):
    page = _open(new_context, person, locale, width)
    page.goto(f"/assess/{person['done']}/result")
    assert page.locator("[data-testid=level]").count() == 1
    assert axe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width
