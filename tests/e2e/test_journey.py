"""The SME journey in Chromium, on a phone in Chinese and on a desktop in English, with axe-core:
the profile leads to the assessment, the industry picker finds everyday words, revenue is
prefilled from the profile, the quick check's plan button starts the national assessment with
its answers, a draft can be deleted, and the plan page shows its summary and phases first."""
import json
import re
import uuid
from pathlib import Path

import pytest

from services import accounts, assessments, drafts, instrument_registry, submission
from storage.db import db_session
from storage.models import Enterprise
from tests.e2e.test_self_assessment import fill_profile, log_in, new_uscc  # noqa: F401
from tests.helpers import PASSWORD

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
VIEWS = [pytest.param("zh-CN", 375, id="zh-375"), pytest.param("en-US", 1280, id="en-1280")]


def _person(live_server, profile=True):
    """A new owner; with `profile`, a complete profile and a submitted quick check and national
    assessment (the example answers)."""
    app = live_server.app
    email = f"journey-{uuid.uuid4().hex[:10]}@example.com"
    with app.app_context():
        user_id = accounts.register(email, PASSWORD, "刘先生", "旅程测试公司")
        eid = accounts.load_account(user_id).enterprise_id
        found = {"email": email}
        if profile:
            e = db_session.get(Enterprise, eid)
            e.uscc, e.industry_code, e.district, e.employees = new_uscc(), "C36", "莱山区", 120
            e.annual_revenue, e.size_class, e.has_cio = 50_000_000, "small", False
            db_session.commit()
            registry = instrument_registry.instruments(app.config["QUESTIONNAIRES_DIR"])
            for iid in ("quick-check", "cn-sme-2024"):
                inst = registry[iid]
                answers = json.loads((EXAMPLES / iid / "mixed.json").read_text(encoding="utf-8"))
                aid = drafts.start(eid, user_id, inst)
                prof = assessments.profile_of(eid)
                drafts.save_answers(aid, eid, inst, answers, prof)
                submission.submit(aid, eid, inst, prof, pledged=not inst.indicative)
                found[iid] = aid
    return found


def _open(new_context, email, locale, width):
    page = new_context(locale=locale, width=width).new_page()
    log_in(page, email)
    if locale.startswith("en"):
        page.click("button[name=locale][value=en]")
        page.wait_for_load_state()
    return page


def _fits(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("locale, width", VIEWS)
def test_profile_to_assessment_with_everyday_industry_words_and_prefilled_revenue(
        live_server, new_context, axe, locale, width):
    person = _person(live_server, profile=False)
    page = _open(new_context, person["email"], locale, width)
    page.goto("/profile/edit")
    page.fill("#industry_code-filter", "五金")
    assert page.eval_on_selector_all("#industry_code optgroup option", "o => o.map(x => x.value)") == ["C33"]
    page.fill("#industry_code-filter", "")
    page.select_option("select[name=industry_code]", "A05")
    chosen = page.text_content("#industry_code-chosen")
    assert "fishery" in chosen or "渔" in chosen           # the whole name, not cut off
    assert axe(page) == []
    fill_profile(page)                                     # C36, revenue 5000 万元, has CIO
    assert page.url.endswith("/profile/#next-step")
    next_step = page.locator("#next-step")
    assert next_step.is_visible()
    assert re.search(r"约 40 分钟|about 40 minutes", next_step.text_content())
    assert axe(page) == [] and _fits(page, width)
    next_step.locator("form:has(input[value=cn-sme-2024]) button[type=submit]").first.click()
    page.wait_for_url(re.compile(r"/assess/\d+/page/1"))
    aid = int(re.search(r"/assess/(\d+)/", page.url).group(1))
    page.goto(f"/assess/{aid}/page/2")
    assert page.input_value("#digital_spend_rate-denominator") == "5000"
    assert page.locator("#digital_spend_rate-note").is_visible()
    assert axe(page) == []
    # a second start opens the same draft
    page.goto("/assess/")
    assert page.locator(f"a[href='/assess/{aid}/']").count() >= 1
    assert page.locator("form:has(input[value=cn-sme-2024]) button.primary").count() == 0


@pytest.mark.parametrize("locale, width", VIEWS)
def test_quick_check_plan_button_then_delete_the_draft(live_server, new_context, axe, locale, width):
    person = _person(live_server)
    page = _open(new_context, person["email"], locale, width)
    page.goto(f"/assess/{person['quick-check']}/result")
    assert axe(page) == [] and _fits(page, width)
    page.click(f"button[name=from][value='{person['quick-check']}']")
    page.wait_for_url(re.compile(r"/assess/\d+/page/1"))
    draft = int(re.search(r"/assess/(\d+)/", page.url).group(1))
    assert page.locator(".answer-note[data-note=carried_over]").count() >= 1
    assert axe(page) == []
    page.goto("/assess/")
    page.locator(f"form[action='/assess/{draft}/delete']").locator("xpath=..").locator("summary").click()
    page.locator(f"form[action='/assess/{draft}/delete'] button[type=submit]").click()
    page.wait_for_url("**/assess/")
    assert page.locator(f"form[action='/assess/{draft}/delete']").count() == 0
    assert axe(page) == [] and _fits(page, width)


@pytest.mark.parametrize("locale, width", VIEWS)
def test_plan_page_shows_summary_and_phases_first_with_one_price(live_server, new_context, axe, locale, width):
    person = _person(live_server)
    page = _open(new_context, person["email"], locale, width)
    page.goto(f"/plan/{person['cn-sme-2024']}")
    summary = page.locator("#summary-title").bounding_box()["y"]
    first_phase = page.locator("section.phase").first.bounding_box()["y"]
    candidates = page.locator("#cands-title").bounding_box()["y"]
    assert summary < first_phase < candidates
    assert not page.locator("details.candidates table").is_visible()     # folded
    assert page.locator(".module-card .price").first.is_visible()
    assert axe(page) == [] and _fits(page, width)
    page.locator("details.candidates > summary").click()
    assert page.locator("details.candidates table").is_visible()
    assert axe(page) == []
