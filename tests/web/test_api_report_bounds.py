"""The API's report requests count against the same PDF render limits as the report pages
(web/reports/bounds.py): too many new renders by one caller -> 429, by the whole service -> 503,
both problem+json with Retry-After in the caller's language, nothing rendered, stored or
queued. A stored report is always answered. The renderer is a stub that counts."""
import pytest

from tests.api_helpers import bearer, is_problem, make_token
from tests.integration.test_report_support import report_app, stored_reports, submit_assessment  # noqa: F401
from tests.web.test_report_bounds import renders, report_queue  # noqa: F401

ONE_EACH = dict(RATELIMIT_ENABLED=True, REPORT_RENDER_USER_LIMIT="1 per minute",
                REPORT_RENDER_LIMIT="100 per minute")


def _waits_about_a_minute(reply) -> bool:
    # the API's per-token limiter restates Retry-After in whole seconds left of the window
    return 58 <= int(reply.headers["Retry-After"]) <= 60


def _ask(client, token, aid, lang, accept=None):
    return client.post(f"/api/v1/assessments/{aid}/report", headers=bearer(token, accept),
                       json={"lang": lang})


@pytest.mark.app_config(**ONE_EACH)
def test_one_caller_asking_for_too_many_new_reports_gets_a_429_problem(
        report_app, sme_user, client, renders):
    token = make_token(report_app, sme_user)
    aid = submit_assessment(report_app, sme_user.enterprise_id, sme_user.id)
    assert _ask(client, token, aid, "zh").status_code == 200
    refused = _ask(client, token, aid, "en", accept="en")
    body = is_problem(refused, 429, "rate_limited")
    assert _waits_about_a_minute(refused)
    assert "please try again in a minute" in body["detail"]
    assert len(renders) == 1 and [r[3] for r in stored_reports(report_app)] == ["zh"]
    # the stored one is still answered, and answering it does not count
    again = _ask(client, token, aid, "zh")
    assert again.status_code == 200 and again.get_json()["status"] == "ready"
    assert len(renders) == 1


@pytest.mark.app_config(**ONE_EACH)
def test_the_refusal_speaks_chinese(report_app, sme_user, client, renders):
    token = make_token(report_app, sme_user)
    aid = submit_assessment(report_app, sme_user.enterprise_id, sme_user.id)
    _ask(client, token, aid, "zh")
    body = is_problem(_ask(client, token, aid, "en", accept="zh"), 429, "rate_limited")
    assert "请一分钟后再试" in body["detail"]


@pytest.mark.app_config(**ONE_EACH)
def test_the_pages_and_the_api_share_one_count_per_person(
        report_app, sme_user, sme_client, client, renders):
    token = make_token(report_app, sme_user)
    aid = submit_assessment(report_app, sme_user.enterprise_id, sme_user.id)
    assert sme_client.get(f"/reports/{aid}.pdf?lang=zh").status_code == 200
    is_problem(_ask(client, token, aid, "en"), 429, "rate_limited")
    assert len(renders) == 1


@pytest.mark.app_config(RATELIMIT_ENABLED=True, REPORT_RENDER_USER_LIMIT="10 per minute",
                        REPORT_RENDER_LIMIT="1 per minute")
def test_when_the_service_renders_too_many_the_next_caller_gets_a_503_problem(
        report_app, sme_user, other_sme_user, client, renders):
    mine = submit_assessment(report_app, sme_user.enterprise_id, sme_user.id)
    theirs = submit_assessment(report_app, other_sme_user.enterprise_id, other_sme_user.id)
    assert _ask(client, make_token(report_app, sme_user), mine, "zh").status_code == 200
    busy = _ask(client, make_token(report_app, other_sme_user), theirs, "zh", accept="en")
    body = is_problem(busy, 503, "unavailable")
    assert _waits_about_a_minute(busy)
    assert "Many reports are being made right now" in body["detail"]
    assert [r[2] for r in stored_reports(report_app)] == [mine] and len(renders) == 1


@pytest.mark.redis
@pytest.mark.app_config(**ONE_EACH)
def test_with_a_worker_nothing_is_queued_past_the_limit_and_asking_again_is_free(
        report_app, sme_user, client, renders, report_queue):
    token = make_token(report_app, sme_user)
    aid = submit_assessment(report_app, sme_user.enterprise_id, sme_user.id)
    assert _ask(client, token, aid, "zh").status_code == 202
    assert _ask(client, token, aid, "zh").status_code == 202  # polling by asking again
    refused = _ask(client, token, aid, "en")
    is_problem(refused, 429, "rate_limited")
    assert _waits_about_a_minute(refused)
    assert report_queue.count == 1 and renders == []
