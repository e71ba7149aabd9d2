"""An SME fills the quick check in a real browser, on a phone-sized screen, in Chinese:
register, fill the profile, answer by clicking, close the page mid-way (autosave keeps every
answer), log in again, resume, submit (the quick check asks no pledge), and read the level on the results page."""
import random
import re
import time
import uuid

import pytest
from stdnum.cn import uscc

from diagnosis import score
from services import assessments, drafts, instrument_registry
from services.profile import profile_dict
from storage.db import db_session
from storage.models import Assessment, User
from tests.helpers import PASSWORD

SAVED = "#autosave-status[data-state=saved]"


def new_uscc():
    while True:
        base = "9137060" + "".join(random.choice("0123456789") for _ in range(10))
        number = base + uscc.calc_check_digit(base)
        if uscc.is_valid(number):
            return number


def register(page, email, live_server):
    page.goto("/auth/register")
    page.fill("input[name=enterprise_name]", "烟台测试机械有限公司")
    page.fill("input[name=name]", "王经理")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.fill("input[name=confirm]", PASSWORD)
    page.click("main form button[type=submit]")
    live_server.confirm_registration(page, email)


def fill_profile(page):
    page.fill("input[name=uscc]", new_uscc())
    page.select_option("select[name=industry_code]", "C36")
    page.select_option("select[name=district]", "莱山区")
    page.fill("input[name=employees]", "120")
    page.fill("input[name=annual_revenue]", "5000")
    page.check("input[name=has_cio][value=yes]")
    page.click("main form button.primary")
    page.wait_for_url(re.compile(r"/profile/(#next-step)?$"))  # the next step follows the saved profile


def log_in(page, email):
    page.goto("/auth/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()


def answer_by_clicking(page, question_id, option_index):
    """Click the label of an option, as a person taps it, and wait for the autosave."""
    page.evaluate("document.getElementById('autosave-status').removeAttribute('data-state')")
    page.click(f"label[for='{question_id}-{option_index}']")
    page.wait_for_selector(SAVED, state="attached")


def visible_questions(page):
    return page.eval_on_selector_all(".question:not([hidden])", "els => els.map(e => e.dataset.item)")


def test_quick_check_from_registration_to_the_level_with_a_break_in_between(new_context, live_server):
    email = f"e2e-{uuid.uuid4().hex[:10]}@example.com"
    first = new_context()  # phone-sized, Chinese
    page = first.new_page()
    register(page, email, live_server)
    fill_profile(page)

    page.goto("/assess/")
    page.click("form:has(input[name=instrument][value=quick-check]) button[type=submit]")
    page.wait_for_url("**/page/1")
    assert page.get_attribute("html", "lang") == "zh-CN"
    chosen = {}
    for i, qid in enumerate(visible_questions(page)):
        answer_by_clicking(page, qid, i % 3 + 1)
        chosen[qid] = i % 3 + 1
    assert page.inner_text("#autosave-status") == "所有答案已保存。"
    assert page.get_attribute("#assess-progress", "value") == str(len(chosen))
    page.click("button[name=action][value=next]")
    page.wait_for_url("**/page/2")

    # Page 2: answer two questions by clicking, then close the page without pressing anything.
    on_page_2 = visible_questions(page)
    for qid in on_page_2[:2]:
        answer_by_clicking(page, qid, 2)
        chosen[qid] = 2
    page.close()
    first.close()

    # Later, in a new browser: log in, find the draft, resume where it stopped.
    again = new_context().new_page()
    log_in(again, email)
    again.goto("/assess/")
    assert "必答题已答 7 / 11" in again.inner_text("main")  # 5 on page 1, 2 before closing
    again.click("main a.button[href^='/assess/'][href$='/']")
    again.wait_for_url("**/page/2")
    for qid in on_page_2[:2]:
        assert again.is_checked(f"#{qid}-2"), f"{qid}: the answer given before closing is lost"
    for qid in visible_questions(again)[2:]:
        answer_by_clicking(again, qid, 1)
        chosen[qid] = 1
    again.click("button[name=action][value=next]")
    again.wait_for_url("**/page/3")
    for qid in visible_questions(again):
        answer_by_clicking(again, qid, 2)
        chosen[qid] = 2
    again.click("button[name=action][value=review]")
    again.wait_for_url("**/submit")

    assert again.locator("#pledge").count() == 0  # the quick check asks no truthfulness pledge
    again.click("main form button.primary")
    again.wait_for_url("**/result")
    shown_level = again.inner_text("[data-testid=level]").strip()

    with live_server.app.app_context():
        user = db_session.query(User).filter_by(email=email).one()
        row = db_session.query(Assessment).filter_by(created_by=user.id).one()
        inst = instrument_registry.instruments(live_server.app.config["QUESTIONNAIRES_DIR"])["quick-check"]
        profile = profile_dict(row.enterprise_id)
        answers, result, status = dict(row.answers), row.result, row.status
    assert status == "submitted"
    # Every click was stored, as the option it showed, and nothing else.
    expected = {}
    for qid, index in chosen.items():
        q = inst.question(qid)
        value = q.options[index].id if q.kind in ("single", "multiple") else index + int(q.min)
        expected[qid] = [value] if q.kind == "multiple" else value
    assert answers == expected
    level = score(inst, expected, profile).level
    assert shown_level == level["name"]["zh"] == result["level"]["name"]["zh"]


@pytest.mark.parametrize("width", [375, 1280])
def test_the_whole_quick_check_works_without_javascript(new_context, live_server, width):
    from services import accounts
    email = f"nojs-{uuid.uuid4().hex[:10]}@example.com"
    with live_server.app.app_context():
        accounts.register(email, PASSWORD, "李会计", "无脚本测试公司")
    page = new_context(javascript=False, width=width).new_page()
    log_in(page, email)
    page.goto("/assess/")
    page.click("form:has(input[name=instrument][value=quick-check]) button[type=submit]")
    page.wait_for_url("**/page/1")
    first = visible_questions(page)[0]
    page.click(f"label[for='{first}-1']")
    page.click("button[name=action][value=save]")
    page.wait_for_url("**/page/1")
    assert page.is_checked(f"#{first}-1")
    assert "本页答案已保存" in page.inner_text("main")
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    while "/page/" in page.url:
        for qid in visible_questions(page):
            page.click(f"label[for='{qid}-1']")
        page.click("button.primary[name=action]")
        page.wait_for_load_state()
    assert page.url.endswith("/submit")
    assert page.locator("#pledge").count() == 0  # the quick check asks no truthfulness pledge
    page.click("main form button.primary")
    page.wait_for_url("**/result")
    assert "谢谢" in page.inner_text("main")
    with live_server.app.app_context():
        user = db_session.query(User).filter_by(email=email).one()
        row = db_session.query(Assessment).filter_by(created_by=user.id).one()
        assert row.status == "submitted" and len(row.answers) == 11
        level = row.result["level"]["name"]["zh"]
    assert page.inner_text("[data-testid=level]").strip() == level


@pytest.fixture
def manufacturer(live_server):
    """A signed-up manufacturer (its profile makes the equipment questions apply)."""
    from services import accounts
    from storage.models import Enterprise
    email = f"mfg-{uuid.uuid4().hex[:10]}@example.com"
    with live_server.app.app_context():
        user_id = accounts.register(email, PASSWORD, "赵工", "示例制造公司")
        enterprise = db_session.get(Enterprise, accounts.load_account(user_id).enterprise_id)
        enterprise.industry_code = "C36"
        db_session.commit()
    return email


def _start(page, instrument):
    page.goto("/assess/")
    page.click(f"form:has(input[name=instrument][value={instrument}]) button[type=submit]")
    page.wait_for_url("**/page/1")
    return int(page.url.split("/assess/")[1].split("/")[0])


def _answers(live_server, assessment_id):
    with live_server.app.app_context():
        return dict(db_session.get(Assessment, assessment_id).answers)


def test_follow_up_question_appears_and_hides_as_the_person_answers(new_context, live_server, manufacturer):
    page = new_context().new_page()
    log_in(page, manufacturer)
    aid = _start(page, "eu-dma")
    page.goto(f"/assess/{aid}/page/5")
    assert page.is_hidden("#q-ai_areas")
    answer_by_clicking(page, "ai_use", 2)            # piloting: the follow-up appears
    page.wait_for_selector("#q-ai_areas", state="visible")
    answer_by_clicking(page, "ai_areas", 0)
    assert _answers(live_server, aid)["ai_areas"] == ["quality"]
    answer_by_clicking(page, "ai_use", 0)            # not used: it hides, its answer is dropped
    page.wait_for_selector("#q-ai_areas", state="hidden")
    assert _answers(live_server, aid) == {"ai_use": "none"}
    answer_by_clicking(page, "ai_use", 3)            # in use: back, with the answer still ticked
    page.wait_for_selector("#q-ai_areas", state="visible")
    assert page.is_checked("#ai_areas-0")
    for _ in range(20):
        if _answers(live_server, aid).get("ai_areas") == ["quality"]:
            break
        page.wait_for_timeout(200)
    assert _answers(live_server, aid) == {"ai_use": "in_use", "ai_areas": ["quality"]}


def test_a_wrong_figure_is_explained_next_to_the_field_while_typing(new_context, live_server, manufacturer):
    page = new_context().new_page()
    log_in(page, manufacturer)
    aid = _start(page, "cn-sme-2024")
    page.fill("#equipment_digital_rate-numerator", "9")
    page.fill("#equipment_digital_rate-denominator", "3")
    page.wait_for_selector("#equipment_digital_rate-error", state="visible")
    assert "不能大于" in page.inner_text("#equipment_digital_rate-error")
    assert page.get_attribute("#equipment_digital_rate-numerator", "aria-invalid") == "true"
    assert "equipment_digital_rate" not in _answers(live_server, aid)
    page.fill("#equipment_digital_rate-numerator", "2")
    page.wait_for_selector("#equipment_digital_rate-error", state="hidden")
    for _ in range(20):
        if "equipment_digital_rate" in _answers(live_server, aid):
            break
        page.wait_for_timeout(200)
    assert _answers(live_server, aid)["equipment_digital_rate"] == {"numerator": 2, "denominator": 3}


def test_two_tabs_submitting_the_same_draft_make_one_submission(new_context, live_server, manufacturer):
    context = new_context(width=1280)
    tab_a = context.new_page()
    log_in(tab_a, manufacturer)
    aid = _start(tab_a, "quick-check")
    inst = instrument_registry.instruments(live_server.app.config["QUESTIONNAIRES_DIR"])["quick-check"]
    with live_server.app.app_context():
        row = db_session.get(Assessment, aid)
        answers = {q.id: (q.options[0].id if q.kind == "single" else
                          [q.options[0].id] if q.kind == "multiple" else int(q.min))
                   for q in inst.questions}
        drafts.save_answers(aid, row.enterprise_id, inst, answers,
                            assessments.profile_of(row.enterprise_id))
    tab_b = context.new_page()
    for tab in (tab_a, tab_b):
        tab.goto(f"/assess/{aid}/submit")
        if tab.locator("#pledge").count():  # the national index asks for it, the quick check not
            tab.check("#pledge")
    tab_a.click("main form button.primary")
    tab_a.wait_for_url("**/result")
    with live_server.app.app_context():
        first = db_session.get(Assessment, aid).submitted_at
    tab_b.click("main form button.primary")
    tab_b.wait_for_url("**/result")
    assert "已经提交过" in tab_b.inner_text("main")
    with live_server.app.app_context():
        assert db_session.get(Assessment, aid).submitted_at == first
        assert db_session.query(Assessment).filter_by(enterprise_id=row_enterprise_id(aid)).count() == 1


def row_enterprise_id(assessment_id):
    return db_session.get(Assessment, assessment_id).enterprise_id


def test_an_answer_clicked_just_before_closing_the_tab_is_saved(new_context, live_server, manufacturer):
    page = new_context().new_page()
    log_in(page, manufacturer)
    aid = _start(page, "quick-check")
    page.click("label[for='qc_network-3']")
    page.close(run_before_unload=True)  # at once: the pause before an autosave has not passed
    for _ in range(25):
        if _answers(live_server, aid):
            break
        time.sleep(0.2)
    assert _answers(live_server, aid) == {"qc_network": "full"}


def test_a_wrong_figure_does_not_hold_back_the_answers_changed_with_it(new_context, live_server, manufacturer):
    page = new_context().new_page()
    log_in(page, manufacturer)
    aid = _start(page, "cn-sme-2024")
    page.fill("#equipment_digital_rate-numerator", "9")
    page.fill("#equipment_digital_rate-denominator", "3")
    page.click("label[for='network-2']")         # sent in the same autosave as the wrong rate
    page.wait_for_selector("#equipment_digital_rate-error", state="visible")
    for _ in range(25):
        if _answers(live_server, aid):
            break
        time.sleep(0.2)
    assert _answers(live_server, aid) == {"network": ["system_network"]}
    page.wait_for_selector(SAVED, state="attached")
    assert "标出的答案除外" in page.inner_text("#autosave-status")
