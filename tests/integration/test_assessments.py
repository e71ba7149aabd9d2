"""Drafts and submission (services.drafts, services.submission) against a real database (SQLite,
and PostgreSQL with TEST_DATABASE_URL): one transaction per use case, nothing written when
anything is wrong, one submission when two tabs race, and a database failure that keeps what
was saved before."""
import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from diagnosis import check_answers
from services import assessments, drafts, instrument_registry, submission
from storage.db import get_engine
from tests.web.test_assess_fixtures import FULL, MANUFACTURER, mini_app, set_profile, stored  # noqa: F401

PROFILE = {"industry": MANUFACTURER}


@pytest.fixture
def inst(mini_app):
    return instrument_registry.instruments(mini_app.config["QUESTIONNAIRES_DIR"])["test-mini"]


@pytest.fixture
def draft_id(mini_app, make_user, inst):
    user = make_user()
    set_profile(mini_app, user.enterprise_id, industry_code=MANUFACTURER)
    with mini_app.app_context():
        aid = drafts.start(user.enterprise_id, user.id, inst)
        drafts.save_answers(aid, user.enterprise_id, inst, {"gate": "no", "maturity": 1}, PROFILE)
    return aid, user.enterprise_id


@pytest.fixture
def break_updates(mini_app):
    """Call it to make every UPDATE of the assessments table fail as a lost connection would."""
    with mini_app.app_context():
        engine = get_engine()

    def fail(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE ASSESSMENTS"):
            raise OperationalError(statement, parameters, Exception("connection lost"))

    yield lambda: event.listen(engine, "before_cursor_execute", fail)
    if event.contains(engine, "before_cursor_execute", fail):
        event.remove(engine, "before_cursor_execute", fail)


def test_save_merges_changes_and_clears_emptied_answers(mini_app, inst, draft_id):
    aid, eid = draft_id
    with mini_app.app_context():
        out = drafts.save_answers(aid, eid, inst, {"maturity": None, "plan": "yes"}, PROFILE)
    assert out.answers == {"gate": "no", "plan": "yes"}
    assert stored(mini_app, aid)["answers"] == {"gate": "no", "plan": "yes"}


def test_rejected_save_writes_nothing_not_even_the_valid_changes(mini_app, inst, draft_id):
    aid, eid = draft_id
    before = stored(mini_app, aid)
    with mini_app.app_context(), pytest.raises(assessments.AnswersRejected) as caught:
        drafts.save_answers(aid, eid, inst, {"plan": "yes", "maturity": 7}, PROFILE)
    assert [(p.item, p.code) for p in caught.value.problems] == [("maturity", "out_of_range")]
    after = stored(mini_app, aid)
    assert after["answers"] == before["answers"] and after["lock_version"] == before["lock_version"]


def test_unknown_question_is_rejected_by_the_service_too(mini_app, inst, draft_id):
    aid, eid = draft_id
    with mini_app.app_context(), pytest.raises(assessments.AnswersRejected) as caught:
        drafts.save_answers(aid, eid, inst, {"made_up": "x"}, PROFILE)
    assert caught.value.problems[0].code == "unknown_item"


def test_another_enterprise_cannot_save_into_the_draft(mini_app, inst, draft_id, make_user):
    aid, _ = draft_id
    other = make_user()
    with mini_app.app_context(), pytest.raises(assessments.AssessmentNotFound):
        drafts.save_answers(aid, other.enterprise_id, inst, {"plan": "yes"}, PROFILE)


def test_database_failure_while_saving_keeps_the_earlier_answers(mini_app, inst, draft_id,
                                                                 break_updates):
    aid, eid = draft_id
    before = stored(mini_app, aid)
    break_updates()
    with mini_app.app_context(), pytest.raises(OperationalError):
        drafts.save_answers(aid, eid, inst, {"plan": "yes", "maturity": 4}, PROFILE)
    assert stored(mini_app, aid)["answers"] == before["answers"] == {"gate": "no", "maturity": 1}


def test_database_failure_while_submitting_leaves_a_draft(mini_app, inst, draft_id, break_updates):
    aid, eid = draft_id
    _complete(mini_app, inst, aid, eid)
    before = stored(mini_app, aid)
    break_updates()
    with mini_app.app_context(), pytest.raises(OperationalError):
        submission.submit(aid, eid, inst, PROFILE, pledged=True)
    after = stored(mini_app, aid)
    assert after["status"] == "draft" and after["answers"] == before["answers"]
    assert after["dimension_scores"] == {}


def _complete(mini_app, inst, aid, eid):
    with mini_app.app_context():
        drafts.save_answers(aid, eid, inst, dict(FULL), PROFILE)


def test_submit_stores_result_total_level_and_dimension_rows(mini_app, inst, draft_id):
    aid, eid = draft_id
    _complete(mini_app, inst, aid, eid)
    with mini_app.app_context():
        outcome = submission.submit(aid, eid, inst, PROFILE, pledged=True)
    row = stored(mini_app, aid)
    assert outcome["result"]["total"] == row["total"] == 85
    assert row["level_id"] == "l2" and row["max_total"] == 100
    assert row["dimension_scores"] == {"base": (45, 60), "mgmt": (40, 40)}
    assert row["result"]["dimensions"]["base"]["score"] == 45


def test_submit_without_pledge_is_refused(mini_app, inst, draft_id):
    aid, eid = draft_id
    _complete(mini_app, inst, aid, eid)
    with mini_app.app_context(), pytest.raises(submission.PledgeRequired):
        submission.submit(aid, eid, inst, PROFILE, pledged=False)
    assert stored(mini_app, aid)["status"] == "draft"


def test_submit_with_required_answers_missing_names_them(mini_app, inst, draft_id):
    aid, eid = draft_id
    with mini_app.app_context(), pytest.raises(assessments.AnswersRejected) as caught:
        submission.submit(aid, eid, inst, PROFILE, pledged=True)
    assert {p.item for p in caught.value.problems if p.code == "required_missing"} == {
        "devices", "plan", "factory", "sales_scn", "finance_scn"}
    assert stored(mini_app, aid)["status"] == "draft"


def test_two_tabs_submitting_the_same_draft_make_one_submission(mini_app, inst, draft_id):
    aid, eid = draft_id
    _complete(mini_app, inst, aid, eid)
    with mini_app.app_context():
        assessments.get(aid, eid)                 # tab A has read the draft...
        with mini_app.app_context():              # ...when tab B submits it
            submission.submit(aid, eid, inst, PROFILE, pledged=True)
        first = stored(mini_app, aid)
        with pytest.raises(assessments.NotADraft):
            submission.submit(aid, eid, inst, PROFILE, pledged=True)
    after = stored(mini_app, aid)
    assert after["submitted_at"] == first["submitted_at"]
    assert after["lock_version"] == first["lock_version"]
    assert len(after["dimension_scores"]) == 2


def test_two_tabs_autosaving_different_questions_keep_both_answers(mini_app, inst, draft_id):
    aid, eid = draft_id
    with mini_app.app_context():
        assessments.get(aid, eid)                 # tab A has the draft loaded
        with mini_app.app_context():              # tab B saves one question
            drafts.save_answers(aid, eid, inst, {"plan": "yes"}, PROFILE)
        drafts.save_answers(aid, eid, inst, {"maturity": 3}, PROFILE)  # tab A, stale copy
    assert stored(mini_app, aid)["answers"] == {"gate": "no", "maturity": 3, "plan": "yes"}


def test_saving_after_submission_is_refused(mini_app, inst, draft_id):
    aid, eid = draft_id
    _complete(mini_app, inst, aid, eid)
    with mini_app.app_context():
        submission.submit(aid, eid, inst, PROFILE, pledged=True)
    with mini_app.app_context(), pytest.raises(assessments.NotADraft):
        drafts.save_answers(aid, eid, inst, {"plan": "no"}, PROFILE)


def test_follow_up_answer_is_dropped_when_its_gate_hides_it(mini_app, inst, draft_id):
    aid, eid = draft_id
    with mini_app.app_context():
        drafts.save_answers(aid, eid, inst, {"gate": "yes", "follow": ["a"]}, PROFILE)
        out = drafts.save_answers(aid, eid, inst, {"gate": "no"}, PROFILE)
    assert out.dropped == ("follow",)
    assert "follow" not in stored(mini_app, aid)["answers"]


def test_profile_change_drops_answers_at_submission_and_says_which(mini_app, inst, draft_id):
    aid, eid = draft_id
    _complete(mini_app, inst, aid, eid)
    set_profile(mini_app, eid, industry_code="I65")  # no longer a manufacturer: no "factory"
    with mini_app.app_context():
        outcome = submission.submit(aid, eid, inst, {"industry": "I65"}, pledged=True)
    assert outcome["dropped"] == ["factory"]
    assert "factory" not in stored(mini_app, aid)["answers"]


def test_stored_drafts_always_pass_the_cores_checks(mini_app, inst, draft_id):
    aid, eid = draft_id
    attempts = [{"gate": "yes"}, {"follow": ["a", "none"]}, {"follow": ["b"]}, {"devices": {"numerator": 9, "denominator": 3}},
                {"devices": "n/a"}, {"gate": "no"}, {"maturity": "3"}, {"sales_scn": 5}, {"sales_scn": 4}]
    for changes in attempts:
        with mini_app.app_context():
            try:
                drafts.save_answers(aid, eid, inst, changes, PROFILE)
            except assessments.AnswersRejected:
                pass
        assert check_answers(inst, stored(mini_app, aid)["answers"], PROFILE, partial=True) == []
    assert stored(mini_app, aid)["answers"] == {"gate": "no", "maturity": 1, "devices": "n/a",
                                                "sales_scn": 4}
