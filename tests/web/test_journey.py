"""The SME journey without dead ends: the next step after the profile, how long each
questionnaire takes, one draft per questionnaire, deleting a draft, and the questions the
profile answers prefilled and kept in step with it."""
import json
import re
from pathlib import Path

import pytest
from flask import current_app
from werkzeug.local import LocalProxy

from services import planning
from storage.models import Assessment, Enterprise
from tests.web.test_assess_fixtures import set_profile, start, stored
from tests.web.test_organisation_pages import centre  # noqa: F401
from tests.web.test_profile import VALID

CFG = LocalProxy(lambda: current_app.config)  # the settings services take, in an app context

ROOT = Path(__file__).resolve().parents[2]


def drafts_of(db, enterprise_id):
    db.expire_all()
    return [a.id for a in db.query(Assessment).filter_by(enterprise_id=enterprise_id, status="draft")]


def test_after_saving_the_profile_the_next_step_is_the_assessment_with_its_duration(sme_client):
    response = sme_client.post("/profile/edit", data=VALID)
    assert response.status_code == 302 and response.headers["Location"].endswith("/profile/#next-step")
    page = sme_client.get("/profile/").get_data(as_text=True)
    assert "下一步：开始评测" in page
    assert "共 31 题 · 约 40 分钟" in page and "共 11 题 · 约 10 分钟" in page
    assert page.count('action="/assess/start"') == 3


def test_an_incomplete_profile_offers_no_next_step(sme_client):
    assert "下一步：开始评测" not in sme_client.get("/profile/").get_data(as_text=True)


def test_the_dashboard_cards_say_how_long_each_takes_in_english_too(sme_client):
    sme_client.post("/auth/language", data={"locale": "en"})
    page = sme_client.get("/assess/").get_data(as_text=True)
    assert "31 questions · about 40 minutes" in page and "12 questions · about 20 minutes" in page


def test_a_second_start_opens_the_same_draft(sme_client, sme_user, db):
    first = start(sme_client, "cn-sme-2024")
    again = sme_client.post("/assess/start", data={"instrument": "cn-sme-2024"})
    assert again.status_code == 302 and again.headers["Location"].endswith(f"/assess/{first}/")
    assert drafts_of(db, sme_user.enterprise_id) == [first]
    page = sme_client.get("/assess/").get_data(as_text=True)
    assert f'href="/assess/{first}/">继续填写草稿' in page  # the card continues it, no second draft
    sme_client.post("/assess/start", data={"instrument": "cn-sme-2024"})
    assert "您已有这份问卷的草稿" in sme_client.get(f"/assess/{first}/page/1").get_data(as_text=True)


def test_a_draft_is_deleted_from_the_dashboard(sme_client, sme_user, db):
    aid = start(sme_client, "quick-check")
    assert f'action="/assess/{aid}/delete"' in sme_client.get("/assess/").get_data(as_text=True)
    response = sme_client.post(f"/assess/{aid}/delete", data={"confirm": "yes"})
    assert response.status_code == 302 and response.headers["Location"].endswith("/assess/")
    assert drafts_of(db, sme_user.enterprise_id) == []
    assert "草稿已删除。" in sme_client.get("/assess/").get_data(as_text=True)
    fresh = start(sme_client, "quick-check")  # a fresh one starts now, empty
    assert drafts_of(db, sme_user.enterprise_id) == [fresh]


def test_deleting_is_refused_for_others_and_without_login_and_changes_nothing(
        sme_client, sme_user, other_sme_user, login_as, client, app, db):
    aid = start(sme_client, "quick-check")
    other = login_as(other_sme_user, app.test_client())
    assert other.post(f"/assess/{aid}/delete", data={"confirm": "yes"}).status_code == 404
    assert other.post("/assess/999999/delete", data={"confirm": "yes"}).status_code == 404
    anonymous = app.test_client()
    response = anonymous.post(f"/assess/{aid}/delete", data={"confirm": "yes"})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert drafts_of(db, sme_user.enterprise_id) == [aid]


def test_a_submitted_assessment_is_not_deleted(sme_client, sme_user, db):
    aid = start(sme_client, "quick-check")
    row = db.get(Assessment, aid)
    row.status = "submitted"
    db.commit()
    response = sme_client.post(f"/assess/{aid}/delete", data={"confirm": "yes"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/assess/{aid}/result")
    db.expire_all()
    assert db.get(Assessment, aid) is not None


def test_delete_refuses_a_post_that_is_not_a_form(sme_client, sme_user, db):
    aid = start(sme_client, "quick-check")
    assert sme_client.post(f"/assess/{aid}/delete", json={"confirm": "yes"}).status_code == 415
    assert drafts_of(db, sme_user.enterprise_id) == [aid]


def test_revenue_and_who_owns_digitalisation_come_prefilled_from_the_profile(sme_client, sme_user, app):
    set_profile(app, sme_user.enterprise_id, annual_revenue=12_000_000, has_cio=True)
    aid = start(sme_client, "cn-sme-2024")
    page = sme_client.get(f"/assess/{aid}/page/2").get_data(as_text=True)
    denominator = re.search(r'<input[^>]*name="digital_spend_rate-denominator"[^>]*>', page).group(0)
    assert 'value="1200"' in denominator
    numerator = re.search(r'<input[^>]*name="digital_spend_rate-numerator"[^>]*>', page).group(0)
    assert 'value=""' in numerator or "value" not in numerator
    staff = re.search(r'<input[^>]*name="digital_talent"[^>]*value="staff"[^>]*>', page).group(0)
    assert "checked" in staff
    assert page.count("此答案来自企业信息，请核对。") == 2
    assert stored(app, aid)["answers"] == {}   # shown, not saved until the person saves it


def test_the_answer_on_who_owns_digitalisation_updates_the_profile(sme_client, sme_user, app, db):
    set_profile(app, sme_user.enterprise_id, has_cio=True)
    aid = start(sme_client, "cn-sme-2024")
    reply = sme_client.post(f"/assess/{aid}/autosave/2", data={"items": ["digital_talent"],
                                                              "digital_talent": ["none"]})
    assert reply.get_json()["saved"]
    db.expire_all()
    assert db.get(Enterprise, sme_user.enterprise_id).has_cio is False
    sme_client.post(f"/assess/{aid}/autosave/2", data={"items": ["digital_talent"],
                                                       "digital_talent": ["department", "training"]})
    db.expire_all()
    assert db.get(Enterprise, sme_user.enterprise_id).has_cio is True


def test_a_profile_change_carries_into_the_open_draft(sme_client, sme_user, app):
    sme_client.post("/profile/edit", data=VALID)           # 5000 万元, someone responsible
    aid = start(sme_client, "cn-sme-2024")
    sme_client.post(f"/assess/{aid}/autosave/2", data={
        "items": ["digital_spend_rate", "digital_talent"], "digital_spend_rate-numerator": "50",
        "digital_spend_rate-denominator": "5000", "digital_talent": ["staff", "training"]})
    sme_client.post("/profile/edit", data={**VALID, "annual_revenue": "6000", "has_cio": "no"})
    draft = stored(app, aid)
    assert draft["answers"]["digital_spend_rate"] == {"numerator": 50, "denominator": 6000}
    assert draft["answers"]["digital_talent"] == ["training"]
    assert draft["answer_notes"] == {"digital_spend_rate": {"code": "from_profile"},
                                     "digital_talent": {"code": "from_profile"}}


def test_the_plan_reads_the_answer_not_a_stale_profile(app):
    with app.app_context():
        inst = planning.instrument("cn-sme-2024", CFG)
        answers = json.loads((ROOT / "examples/cn-sme-2024/mixed.json").read_text())
        answers["digital_talent"] = ["department"]
        choices = planning.Choices(200000, None, 12)
        plan = planning.plan_for(inst, answers, {"has_cio": False, "industry": "C36"}, choices, CFG).to_dict()
        assert plan["cio_recommendation"] is None
        answers["digital_talent"] = ["training"]
        plan = planning.plan_for(inst, answers, {"has_cio": True, "industry": "C36"}, choices, CFG).to_dict()
        assert plan["cio_recommendation"] is not None


def submitted(app, user, instrument_id, answers_file, pledged=True):
    """A submitted assessment of `user`'s enterprise with the example answers; its id."""
    from services import assessments, drafts, instrument_registry, submission
    with app.app_context():
        inst = instrument_registry.instruments(app.config["QUESTIONNAIRES_DIR"])[instrument_id]
        answers = json.loads((ROOT / answers_file).read_text())
        aid = drafts.start(user.enterprise_id, user.id, inst)
        profile = assessments.profile_of(user.enterprise_id)
        drafts.save_answers(aid, user.enterprise_id, inst, answers, profile)
        submission.submit(aid, user.enterprise_id, inst, profile, pledged=pledged)
    return aid


def test_the_quick_check_is_submitted_without_the_national_pledge(sme_client, sme_user, app):
    from services import drafts, instrument_registry
    with app.app_context():
        inst = instrument_registry.instruments(app.config["QUESTIONNAIRES_DIR"])["quick-check"]
        aid = drafts.start(sme_user.enterprise_id, sme_user.id, inst)
        answers = json.loads((ROOT / "examples/quick-check/mixed.json").read_text())
        drafts.save_answers(aid, sme_user.enterprise_id, inst, answers, {})
    review = sme_client.get(f"/assess/{aid}/submit").get_data(as_text=True)
    assert "<h2>真实性承诺</h2>" not in review and 'name="pledge"' not in review
    assert "快速自测仅供参考，不需要真实性承诺" in review
    response = sme_client.post(f"/assess/{aid}/submit", data={"confirm": "yes"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/assess/{aid}/result")
    row = stored(app, aid)
    assert row["status"] == "submitted" and row["pledged_at"] is None


def test_the_national_index_still_needs_the_pledge(sme_client, sme_user, app):
    aid = start(sme_client, "cn-sme-2024")
    from services import instrument_registry, submission
    with app.app_context(), pytest.raises(submission.PledgeRequired):
        inst = instrument_registry.instruments(app.config["QUESTIONNAIRES_DIR"])["cn-sme-2024"]
        submission.submit(aid, sme_user.enterprise_id, inst, {}, pledged=False)


def test_the_quick_check_plan_button_starts_the_national_index_with_its_answers(sme_client, sme_user, app):
    qc = submitted(app, sme_user, "quick-check", "examples/quick-check/mixed.json", pledged=False)
    page = sme_client.get(f"/assess/{qc}/result").get_data(as_text=True)
    assert "查看改进规划" not in page and f'name="from" value="{qc}"' in page
    assert '<input type="hidden" name="instrument" value="cn-sme-2024">' in page
    response = sme_client.post("/assess/start", data={"instrument": "cn-sme-2024", "from": str(qc)})
    aid = int(re.search(r"/assess/(\d+)/page/1", response.headers["Location"]).group(1))
    draft = stored(app, aid)
    assert draft["instrument_id"] == "cn-sme-2024" and draft["answers"]["system_coverage"]
    carried = {q for q, n in draft["answer_notes"].items() if n["code"] == "carried_over"}
    assert carried == set(draft["answers"]) and len(carried) >= 5
    assert "快速自测" in sme_client.get(f"/assess/{aid}/page/1").get_data(as_text=True)


def test_a_new_assessment_starts_from_the_last_submitted_answers_marked_to_check(sme_client, sme_user, app, db):
    last = submitted(app, sme_user, "cn-sme-2024", "examples/cn-sme-2024/mixed.json")
    page = sme_client.get("/assess/").get_data(as_text=True)
    assert f'name="from" value="{last}"' in page
    response = sme_client.post("/assess/start", data={"instrument": "cn-sme-2024", "from": str(last)})
    aid = int(re.search(r"/assess/(\d+)/page/1", response.headers["Location"]).group(1))
    draft = stored(app, aid)
    assert draft["answers"] == stored(app, last)["answers"]
    assert set(draft["answer_notes"]) == set(draft["answers"])
    assert {n["code"] for n in draft["answer_notes"].values()} == {"from_last_assessment"}
    first_page = sme_client.get(f"/assess/{aid}/page/1").get_data(as_text=True)
    assert "此答案来自您上一次的评测，请核对。" in first_page


def test_starting_from_another_enterprises_or_a_draft_is_refused_and_starts_nothing(
        sme_client, sme_user, other_sme_user, app, db):
    theirs = submitted(app, other_sme_user, "cn-sme-2024", "examples/cn-sme-2024/mixed.json")
    refused = sme_client.post("/assess/start", data={"instrument": "cn-sme-2024", "from": str(theirs)})
    assert refused.status_code == 404
    assert sme_client.post("/assess/start", data={"instrument": "cn-sme-2024", "from": "x"}).status_code == 404
    qc_draft = start(sme_client, "quick-check")
    refused = sme_client.post("/assess/start", data={"instrument": "cn-sme-2024", "from": str(qc_draft)})
    assert refused.status_code == 400 and "不能用来开始" in refused.get_data(as_text=True)
    assert drafts_of(db, sme_user.enterprise_id) == [qc_draft]


def test_the_page_list_counts_follow_each_autosave(sme_client, sme_user):
    aid = start(sme_client, "quick-check")
    page = sme_client.get(f"/assess/{aid}/page/1").get_data(as_text=True)
    first = re.search(r'data-page-status="1">([^<]*)<', page).group(1)
    open_before = int(re.search(r"(\d+)", first).group(1))
    reply = sme_client.post(f"/assess/{aid}/autosave/1", data={"items": ["qc_network"], "qc_network": "office"})
    pages = reply.get_json()["pages"]
    assert pages["1"] == {"open": open_before - 1, "text": f"{open_before - 1} 题未答"}
    assert set(pages) == {str(n) for n in range(1, len(pages) + 1)}


@pytest.mark.parametrize("who", ["consented centre", "other centre", "revoked consent"])
def test_centre_staff_neither_delete_a_draft_nor_start_from_a_result(app, db, centre, who):  # noqa: F811
    from tests.organisation_helpers import audit_records, consent
    if who != "other centre":
        consent(app, centre.enterprise_id, centre.org, status="revoked" if who == "revoked consent" else "active")
    staff = centre.other_consultant if who == "other centre" else centre.consultant
    draft = start(centre.owner, "quick-check")
    before = len(audit_records(db, centre.enterprise_id))
    assert staff.post(f"/assess/{draft}/delete", data={"confirm": "yes"}).status_code == 404
    refused = staff.post("/assess/start", data={"instrument": "cn-sme-2024", "from": str(centre.assessment_id)})
    assert refused.status_code in (400, 404)   # staff have no enterprise to start for
    assert drafts_of(db, centre.enterprise_id) == [draft]
    assert len(audit_records(db, centre.enterprise_id)) == before  # nothing read, nothing recorded
