"""Drafts of cn-sme-2024 1.0.0 move to 2.0.0: answers that map carry over, the rest are
flagged to answer again, every question of 2.0.0 carries its note until saved, nothing is lost
silently, submitted results never move; through the service, the CLI and by opening the draft."""
import json
import re
from pathlib import Path

import pytest
from sqlalchemy import select

from services import assessments, drafts, instrument_registry, submission, upgrades
from storage.db import db_session
from storage.models import Assessment

ROOT = Path(__file__).resolve().parents[2]
OLD = json.loads((ROOT / "tests" / "data" / "v1" / "mixed.json").read_text(encoding="utf-8"))
FOLDER = ROOT / "questionnaires"


def make_draft(app, user, answers=OLD, version="1.0.0", submit=False):
    with app.app_context():
        registry = instrument_registry.instruments(FOLDER)
        inst = registry.version("cn-sme-2024", version)
        profile = assessments.profile_of(user.enterprise_id)
        aid = drafts.start(user.enterprise_id, user.id, inst)
        drafts.save_answers(aid, user.enterprise_id, inst, dict(answers), profile)
        if submit:
            submission.submit(aid, user.enterprise_id, inst, profile, pledged=True)
        return aid


def row(app, aid):
    with app.app_context():
        found = db_session.get(Assessment, aid)
        return {"version": found.instrument_version, "answers": dict(found.answers),
                "notes": dict(found.answer_notes or {}), "status": found.status, "result": found.result}


def test_a_draft_moves_to_2_0_0_with_a_note_per_question(app, sme_user):
    aid = make_draft(app, sme_user)
    with app.app_context():
        counts = upgrades.upgrade_draft(aid, FOLDER)
    # 1.0.0 mixed: network, security ladder steps "tools"/"backup" → asked again is network and
    # data security (tools → [products] maps); management rules and pass rate are new.
    assert counts == upgrades.UpgradeCounts(drafts=1, carried_over=27, answer_again=2, new_questions=2)
    after = row(app, aid)
    assert after["version"] == "2.0.0"
    assert after["answers"]["network_security"] == ["products"]
    assert after["answers"]["digital_talent"] == ["staff", "training"]
    assert after["answers"]["digital_awareness"] == "planned"
    assert "network" not in after["answers"] and "monthly_output" not in after["answers"]
    assert {q for q, n in after["notes"].items() if n["code"] == "answer_again"} == {"network", "data_security"}
    assert after["notes"]["product_pass_rate"]["previous"][0]["answer"]["zh"] == "改善"
    with app.app_context():
        again = upgrades.upgrade_draft(aid, FOLDER)
    assert again == upgrades.UpgradeCounts() and row(app, aid) == after


def test_submitted_results_never_move(app, sme_user, runner):
    aid = make_draft(app, sme_user, submit=True)
    before = row(app, aid)
    result = runner.invoke(args=["instruments", "upgrade-drafts"])
    assert result.exit_code == 0, result.output
    assert "0 draft(s) upgraded" in result.output
    assert row(app, aid) == before and before["version"] == "1.0.0"


def test_cli_upgrades_every_draft_and_reports_counts(app, sme_user, other_sme_user, make_user, runner):
    first = make_draft(app, sme_user)
    second = make_draft(app, other_sme_user, answers={"network": "none", "finance": 2})
    # an enterprise has one draft per questionnaire: the current-version draft is a third one's
    current = make_draft(app, make_user(), answers={"network": ["none"]}, version="2.0.0")
    result = runner.invoke(args=["instruments", "upgrade-drafts"])
    assert result.exit_code == 0, result.output
    # first: 27 carried, 2 again, 2 new; second: network ["none"] and finance carried, 2 new
    assert result.output.strip() == ("2 draft(s) upgraded: 29 answer(s) carried over, 2 to answer again, "
                                     "4 new question(s)")
    assert row(app, first)["version"] == row(app, second)["version"] == "2.0.0"
    assert row(app, second)["answers"] == {"network": ["none"], "finance": 2}
    assert row(app, current)["notes"] == {}


def test_upgrading_all_is_one_transaction(app, sme_user, other_sme_user, runner):
    first = make_draft(app, sme_user)
    stranded = make_draft(app, other_sme_user)
    with app.app_context():  # a version no file holds any more: no mapping can lead on from it
        db_session.get(Assessment, stranded).instrument_version = "0.9.0"
        db_session.commit()
    result = runner.invoke(args=["instruments", "upgrade-drafts"])
    assert result.exit_code == 1
    assert "no answer mapping from cn-sme-2024 0.9.0 to 2.0.0" in result.output
    assert row(app, first)["version"] == "1.0.0"


def test_opening_an_old_draft_moves_it_and_shows_the_notes(app, sme_user, sme_client):
    aid = make_draft(app, sme_user)
    page = sme_client.get(f"/assess/{aid}/page/1").get_data(as_text=True)
    assert row(app, aid)["version"] == "2.0.0"
    # network did not map: asked again, the old answer shown; rates carried over: check them
    network = re.search(r'id="q-network".*?</fieldset>', page, re.S).group(0)
    assert "您之前的答案（本问卷 1.0.0 版）无法直接沿用，请重新作答。" in network
    assert "之前对“企业网络建设达到什么程度？”的回答：办公区和部分生产/经营场所已联网" in network
    rate = re.search(r'id="q-equipment_digital_rate".*?</fieldset>', page, re.S).group(0)
    assert "此答案沿用自本问卷 1.0.0 版，请核对。" in rate and 'value="confirm:equipment_digital_rate"' in rate


def test_saving_a_question_settles_its_note_and_the_review_lists_the_rest(app, sme_user, sme_client):
    aid = make_draft(app, sme_user)
    sme_client.get(f"/assess/{aid}/page/1")
    reply = sme_client.post(f"/assess/{aid}/autosave/1", data={
        "items": ["equipment_digital_rate"], "equipment_digital_rate-numerator": "30",
        "equipment_digital_rate-denominator": "50"}).get_json()
    assert reply["saved"] and "equipment_digital_rate" not in reply["notes"] and "network" in reply["notes"]
    notes = row(app, aid)["notes"]
    assert "equipment_digital_rate" not in notes and "equipment_networked_rate" in notes
    # the confirm button of a page posted without JavaScript saves the page: every answered
    # question on it is settled, the unanswered one keeps its note
    form = {"action": "confirm:equipment_networked_rate", "equipment_digital_rate-numerator": "30",
            "equipment_digital_rate-denominator": "50", "equipment_networked_rate-numerator": "15",
            "equipment_networked_rate-denominator": "50", "data_collection_areas": ["production_control"]}
    response = sme_client.post(f"/assess/{aid}/page/1", data=form)
    assert response.status_code == 302 and response.headers["Location"].endswith(
        f"/assess/{aid}/page/1#q-equipment_networked_rate")
    notes = row(app, aid)["notes"]
    assert "equipment_networked_rate" not in notes and "network" in notes
    review = sme_client.get(f"/assess/{aid}/submit").get_data(as_text=True)
    listed = re.search(r'<ul class="status-list to-check">(.*?)</ul>', review, re.S).group(1)
    assert "企业已经建设了哪些网络？" in listed and "主要生产设备中有多少台已联网？" not in listed
    assert "本版本新增的题目。" in listed  # management rules, product pass rate


def test_notes_are_only_for_the_enterprises_own_people(app, sme_user, other_sme_user, login_as):
    aid = make_draft(app, sme_user)
    other = login_as(other_sme_user, app.test_client())
    assert other.get(f"/assess/{aid}/page/1").status_code == 404
    assert other.post(f"/assess/{aid}/autosave/1", data={"items": ["network"], "network": "none"}).status_code == 404
    assert row(app, aid)["version"] == "1.0.0"  # nothing moved for someone else
    assert app.test_client().get(f"/assess/{aid}/page/1").status_code in (302, 401)


def test_an_old_result_opens_with_its_own_version(app, sme_user, sme_client):
    aid = make_draft(app, sme_user, submit=True)
    page = sme_client.get(f"/assess/{aid}/result").get_data(as_text=True)
    assert row(app, aid)["version"] == "1.0.0"
    assert "47" in page and "二级" in page
    plan = sme_client.get(f"/plan/{aid}").get_data(as_text=True)
    assert "此结果按问卷 1.0.0 版评分" in plan
    with app.app_context():
        listed = assessments.for_enterprise(sme_user.enterprise_id, instrument_registry.instruments(FOLDER), {})
    assert [(a["instrument_version"], a["title"]["zh"]) for a in listed] == [("1.0.0", "中小企业数字化水平评测（2024年版结构）")]


@pytest.mark.parametrize("code, text", [("from_last_assessment", "此答案来自您上一次的评测，请核对。"),
                                        ("from_profile", "此答案来自企业信息，请核对。")])
def test_notes_written_by_other_features_show_too(app, sme_user, sme_client, code, text):
    aid = make_draft(app, sme_user, answers={"network": ["none"]}, version="2.0.0")
    with app.app_context():
        db_session.get(Assessment, aid).answer_notes = {"network": {"code": code}}
        db_session.commit()
    page = sme_client.get(f"/assess/{aid}/page/1").get_data(as_text=True)
    assert text in re.search(r'id="q-network".*?</fieldset>', page, re.S).group(0)
    with app.app_context():
        assert db_session.scalar(select(Assessment.answer_notes).where(Assessment.id == aid)) == {"network": {"code": code}}
