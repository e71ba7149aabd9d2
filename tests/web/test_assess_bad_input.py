"""Forged and broken posts, CSRF, oversized bodies and other enterprises' ids: a clear error,
in the page's language, and the stored draft exactly as it was."""
import pytest

from tests.helpers import csrf_token, login
from tests.web.test_assess_fixtures import (mini_app, owner, owner_client, start,  # noqa: F401
                                            stored)


@pytest.fixture
def draft(owner_client, mini_app):
    """A draft with two answers saved; returns (id, the stored row before the bad post)."""
    aid = start(owner_client)
    owner_client.post(f"/assess/{aid}/page/1", data={"gate": "no", "maturity": "2", "action": "save"})
    return aid, stored(mini_app, aid)


def _unchanged(app, aid, before):
    after = stored(app, aid)
    assert after["answers"] == before["answers"]
    assert after["lock_version"] == before["lock_version"]


PAGE_POSTS = [
    pytest.param({"gate": "maybe"}, "请从给出的选项中选择", id="option-not-offered"),
    pytest.param({"follow": ["a", "zzz"]}, "请从给出的选项中选择", id="multiple-option-not-offered"),
    pytest.param({"maturity": "9"}, "请从给出的选项中选择", id="scale-out-of-range"),
    pytest.param({"maturity": ["1", "2"]}, "只能给出一个答案", id="two-values-for-one-choice"),
    pytest.param({"gate": "n/a"}, "本题不能选择“不适用”", id="na-not-allowed"),
    pytest.param({"devices-numerator": "abc", "devices-denominator": "3"}, "请输入数字", id="rate-not-a-number"),
    pytest.param({"devices-numerator": "3"}, "请填写两个数字", id="rate-half-filled"),
    pytest.param({"devices-numerator": "-1", "devices-denominator": "3"}, "不能为负数", id="rate-negative"),
    pytest.param({"devices-numerator": "5", "devices-denominator": "3"}, "不能大于第二个数字", id="rate-above-one"),
    pytest.param({"devices-numerator": "0", "devices-denominator": "0"}, "必须大于 0", id="rate-zero-denominator"),
    pytest.param({"devices-numerator": "5", "devices-denominator": "5000"}, "不能大于 1000", id="rate-above-max"),
    pytest.param({"devices-numerator": "inf", "devices-denominator": "5"}, "请输入数字", id="rate-infinite"),
    pytest.param({"devices-na": "n/a", "devices-numerator": "1", "devices-denominator": "2"},
                 "“不适用”不能与其他答案同时选择", id="rate-na-and-numbers"),
]


@pytest.mark.parametrize("data, message", PAGE_POSTS)
def test_bad_page_post_is_400_with_the_message_next_to_the_field(owner_client, mini_app, draft,
                                                                 data, message):
    aid, before = draft
    response = owner_client.post(f"/assess/{aid}/page/1", data={**data, "action": "next"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in html
    assert 'class="error-summary"' in html and 'class="question has-error"' in html
    _unchanged(mini_app, aid, before)


@pytest.mark.parametrize("data, message", PAGE_POSTS)
def test_bad_autosave_is_400_json_and_changes_nothing(owner_client, mini_app, draft, data, message):
    aid, before = draft
    item = "devices" if any(k.startswith("devices") for k in data) else next(iter(data))
    response = owner_client.post(f"/assess/{aid}/autosave/1", data={**data, "items": [item]})
    assert response.status_code == 400
    reply = response.get_json()
    assert reply["saved"] is False
    assert message in " ".join(reply["errors"][item])
    _unchanged(mini_app, aid, before)


def test_unknown_question_in_a_page_post_is_400(owner_client, mini_app, draft):
    aid, before = draft
    response = owner_client.post(f"/assess/{aid}/page/1", data={"gate": "yes", "hacked": "1"})
    assert response.status_code == 400
    assert "hacked" in response.get_data(as_text=True)
    _unchanged(mini_app, aid, before)


def test_question_of_another_page_in_a_page_post_is_400(owner_client, mini_app, draft):
    aid, before = draft
    response = owner_client.post(f"/assess/{aid}/page/1", data={"plan": "yes"})
    assert response.status_code == 400
    _unchanged(mini_app, aid, before)


@pytest.mark.parametrize("data", [
    {"hacked": "1", "items": ["gate"]},
    {"gate": "yes", "items": ["plan"]},
    {"gate": "yes", "items": ["nonexistent"]},
], ids=["unknown-key", "item-of-other-page", "unknown-item"])
def test_forged_autosave_is_400_json(owner_client, mini_app, draft, data):
    aid, before = draft
    response = owner_client.post(f"/assess/{aid}/autosave/1", data=data)
    assert response.status_code == 400
    assert "未保存" in response.get_json()["message"]
    _unchanged(mini_app, aid, before)


def test_errors_are_in_english_for_an_english_page(owner_client, mini_app, draft):
    aid, before = draft
    owner_client.post("/auth/language", data={"locale": "en", "next": "/"})
    response = owner_client.post(f"/assess/{aid}/page/1", data={"gate": "maybe"})
    assert response.status_code == 400
    assert "Choose one of the options offered." in response.get_data(as_text=True)
    reply = owner_client.post(f"/assess/{aid}/autosave/1", data={
        "devices-numerator": "5", "devices-denominator": "3", "items": ["devices"]}).get_json()
    assert "cannot be larger than the second" in reply["errors"]["devices"][0]


def test_oversized_body_is_413_and_changes_nothing(owner_client, mini_app, draft):
    aid, before = draft
    response = owner_client.post(f"/assess/{aid}/autosave/1",
                                 data={"gate": "yes", "items": ["gate"], "pad": "x" * (1024 * 1024 + 10)},
                                 headers={"Accept": "application/json"})
    assert response.status_code == 413
    assert "1 MB" in response.get_json()["message"]
    response = owner_client.post(f"/assess/{aid}/page/1", data={"gate": "yes", "pad": "x" * (1024 * 1024 + 10)})
    assert response.status_code == 413
    _unchanged(mini_app, aid, before)


def test_unknown_questionnaire_cannot_be_started(owner_client):
    response = owner_client.post("/assess/start", data={"instrument": "no-such"})
    assert response.status_code == 400
    assert "未知的问卷" in response.get_data(as_text=True)


def test_page_number_out_of_range_is_404(owner_client, draft):
    aid, _ = draft
    assert owner_client.get(f"/assess/{aid}/page/99").status_code == 404
    assert owner_client.get(f"/assess/{aid}/page/0").status_code == 404


@pytest.fixture
def csrf_draft(mini_app, owner):
    """With CSRF on: a logged-in client (signed in with the token) and its draft."""
    client = mini_app.test_client()
    assert login(client, owner.email, owner.password,
                 token=csrf_token(client, "/auth/login")).status_code == 302
    token = csrf_token(client, "/assess/")
    response = client.post("/assess/start", data={"instrument": "test-mini", "csrf_token": token})
    aid = int(response.headers["Location"].split("/")[2])
    client.post(f"/assess/{aid}/page/1", data={"gate": "no", "csrf_token": token, "action": "save"})
    return client, aid, stored(mini_app, aid)


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_page_post_without_csrf_token_is_400(mini_app, csrf_draft):
    owner_client, aid, before = csrf_draft
    assert before["answers"] == {"gate": "no"}
    response = owner_client.post(f"/assess/{aid}/page/1", data={"gate": "yes"})
    assert response.status_code == 400
    _unchanged(mini_app, aid, before)
    token = csrf_token(owner_client, f"/assess/{aid}/page/1")
    response = owner_client.post(f"/assess/{aid}/page/1", data={"gate": "yes", "csrf_token": token})
    assert response.status_code == 302
    assert stored(mini_app, aid)["answers"]["gate"] == "yes"


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_autosave_needs_the_csrf_header(mini_app, csrf_draft):
    owner_client, aid, before = csrf_draft
    data = {"gate": "yes", "items": ["gate"]}
    json = {"Accept": "application/json"}
    missing = owner_client.post(f"/assess/{aid}/autosave/1", data=data, headers=json)
    wrong = owner_client.post(f"/assess/{aid}/autosave/1", data=data,
                              headers={**json, "X-CSRFToken": "forged"})
    assert missing.status_code == wrong.status_code == 400
    assert "安全令牌" in wrong.get_json()["message"] or "security token" in wrong.get_json()["message"]
    _unchanged(mini_app, aid, before)
    token = csrf_token(owner_client, f"/assess/{aid}/page/1")
    ok = owner_client.post(f"/assess/{aid}/autosave/1", data=data, headers={**json, "X-CSRFToken": token})
    assert ok.status_code == 200
    assert stored(mini_app, aid)["answers"]["gate"] == "yes"


ROUTES = [("get", "/assess/{id}/"), ("get", "/assess/{id}/page/1"), ("post", "/assess/{id}/page/1"),
          ("post", "/assess/{id}/autosave/1"), ("get", "/assess/{id}/submit"),
          ("post", "/assess/{id}/submit"), ("get", "/assess/{id}/result")]


@pytest.mark.parametrize("method, route", ROUTES)
def test_another_enterprises_assessment_is_404_on_every_route(mini_app, owner, other_sme_user, login_as,
                                                              draft, method, route):
    aid, before = draft
    stranger = login_as(other_sme_user, mini_app.test_client())
    data = {"gate": "yes", "items": ["gate"], "pledge": "y"} if method == "post" else None
    response = getattr(stranger, method)(route.format(id=aid), data=data)
    assert response.status_code == 404
    _unchanged(mini_app, aid, before)


@pytest.mark.parametrize("method, route", ROUTES)
def test_an_id_that_does_not_exist_is_404(owner_client, method, route):
    response = getattr(owner_client, method)(route.format(id=987654), data={} if method == "post" else None)
    assert response.status_code == 404


@pytest.mark.parametrize("method, route", ROUTES + [("get", "/assess/"), ("post", "/assess/start")])
def test_visitors_are_sent_to_log_in(mini_app, draft, method, route):
    aid, _ = draft
    response = getattr(mini_app.test_client(), method)(route.format(id=aid))
    assert response.status_code in (302, 401)
    if response.status_code == 302:
        assert "/auth/login" in response.headers["Location"]


def test_submitted_result_of_another_enterprise_is_404(owner_client, mini_app, other_sme_user, login_as):
    from tests.web.test_assess_results import GOOD, _submit
    aid = _submit(owner_client, *GOOD)
    stranger = login_as(other_sme_user, mini_app.test_client())
    assert stranger.get(f"/assess/{aid}/result").status_code == 404
    assert f"/assess/{aid}/" not in stranger.get("/assess/").get_data(as_text=True)


@pytest.fixture
def broken_updates(mini_app):
    """Every UPDATE of the assessments table fails, as when the database goes away mid-save."""
    from sqlalchemy import event
    from sqlalchemy.exc import OperationalError

    from storage.db import get_engine
    with mini_app.app_context():
        engine = get_engine()

    def fail(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("UPDATE ASSESSMENTS"):
            raise OperationalError(statement, parameters, Exception("database went away"))

    event.listen(engine, "before_cursor_execute", fail)
    yield
    event.remove(engine, "before_cursor_execute", fail)


def test_database_failure_on_a_page_post_is_503_and_keeps_what_was_saved(owner_client, mini_app, draft,
                                                                         broken_updates):
    aid, before = draft
    response = owner_client.post(f"/assess/{aid}/page/1", data={"gate": "yes", "maturity": "4"})
    assert response.status_code == 503
    html = response.get_data(as_text=True)
    assert "之前保存的答案都还在" in html
    assert 'value="yes" checked' in html  # what the person just entered is still on the page
    _unchanged(mini_app, aid, before)


def test_database_failure_on_autosave_is_503_json_and_keeps_what_was_saved(owner_client, mini_app, draft,
                                                                           broken_updates):
    aid, before = draft
    response = owner_client.post(f"/assess/{aid}/autosave/1", data={"maturity": "4", "items": ["maturity"]})
    assert response.status_code == 503
    assert response.get_json()["saved"] is False
    _unchanged(mini_app, aid, before)


def test_every_problem_of_the_page_is_shown_at_once(owner_client, mini_app, draft):
    aid, before = draft
    response = owner_client.post(f"/assess/{aid}/page/1", data={
        "gate": "maybe", "devices-numerator": "5", "devices-denominator": "3", "maturity": "2"})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "请从给出的选项中选择" in html and "不能大于第二个数字" in html
    assert html.count('<li><a href="#') == 2
    assert 'href="#gate-0"' in html and 'href="#devices-numerator"' in html
    _unchanged(mini_app, aid, before)
