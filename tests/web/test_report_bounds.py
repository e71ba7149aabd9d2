"""PDF rendering is bounded: renders per person and in total per minute (429 / 503 pages in
both languages saying when to try again, nothing rendered or stored), a bounded number of stored
copies per assessment (oldest removed), and `flask reports prune` for old ones. A stored report
is always sent. The renderer is replaced by a stub that counts: the bounds are about how often
it runs, not what it draws."""
from datetime import datetime, timedelta, timezone

import pytest

from tests.integration.test_report_support import report_app, stored_reports, submit_assessment  # noqa: F401

FEW = dict(RATELIMIT_ENABLED=True, REPORT_RENDER_USER_LIMIT="2 per minute",
           REPORT_RENDER_LIMIT="100 per minute")


@pytest.fixture
def renders(monkeypatch):
    from services import reports

    made = []

    def stub(inputs, peers=None):
        made.append(inputs.plan and inputs.plan.get("budget"))
        return b"%PDF-stub " + str(len(made)).encode()

    monkeypatch.setattr(reports, "render_pdf", stub)
    return made


def _budget(client, aid, budget, **extra):
    return client.get(f"/reports/{aid}.pdf?budget={budget}", **extra)


@pytest.mark.app_config(**FEW)
def test_a_person_asking_for_too_many_new_reports_gets_a_429_and_nothing_is_rendered(
        report_app, sme_user, sme_client, renders):
    aid = submit_assessment(report_app, sme_user.enterprise_id, sme_user.id)
    assert _budget(sme_client, aid, 100000).status_code == 200
    assert _budget(sme_client, aid, 200000).status_code == 200
    refused = _budget(sme_client, aid, 300000)
    assert refused.status_code == 429
    assert refused.headers["Retry-After"] == "60"
    assert "请一分钟后再试" in refused.get_data(as_text=True)
    assert len(renders) == 2 and len(stored_reports(report_app)) == 2
    # what is stored is still sent, without counting
    again = _budget(sme_client, aid, 100000)
    assert again.status_code == 200 and again.data == b"%PDF-stub 1"
    assert len(renders) == 2


@pytest.mark.app_config(**FEW)
def test_the_refusal_speaks_english_too(report_app, sme_user, sme_client, renders):
    aid = submit_assessment(report_app, sme_user.enterprise_id, sme_user.id)
    sme_client.post("/auth/language", data={"locale": "en", "next": "/"})
    for budget in (100000, 200000):
        _budget(sme_client, aid, budget)
    refused = _budget(sme_client, aid, 300000)
    assert refused.status_code == 429
    assert "please try again in a minute" in refused.get_data(as_text=True)


@pytest.mark.app_config(RATELIMIT_ENABLED=True, REPORT_RENDER_USER_LIMIT="10 per minute",
                        REPORT_RENDER_LIMIT="1 per minute")
def test_when_the_service_renders_too_many_the_next_person_gets_a_503(
        report_app, sme_user, sme_client, other_sme_user, login_as, renders):
    mine = submit_assessment(report_app, sme_user.enterprise_id, sme_user.id)
    theirs = submit_assessment(report_app, other_sme_user.enterprise_id, other_sme_user.id)
    assert sme_client.get(f"/reports/{mine}.pdf").status_code == 200
    busy = login_as(other_sme_user, report_app.test_client()).get(f"/reports/{theirs}.pdf")
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "60"
    assert "请一分钟后再试" in busy.get_data(as_text=True)
    assert [r[2] for r in stored_reports(report_app)] == [mine]


@pytest.mark.app_config(REPORT_COPIES=2)
def test_an_assessment_keeps_its_newest_copies_and_the_oldest_goes(report_app, sme_user, sme_client, renders):
    aid = submit_assessment(report_app, sme_user.enterprise_id, sme_user.id)
    first = _budget(sme_client, aid, 100000)
    keys = [r[0] for r in stored_reports(report_app)]
    _budget(sme_client, aid, 200000)
    _budget(sme_client, aid, 300000)
    left = stored_reports(report_app)
    assert len(left) == 2 and keys[0] not in [r[0] for r in left]
    # the removed one is made again when asked for, with the same report id
    again = _budget(sme_client, aid, 100000)
    assert again.status_code == 200 and again.headers["X-Report-Id"] == first.headers["X-Report-Id"]
    assert len(renders) == 4


def _age_all(app, days):
    from sqlalchemy import update

    from storage.db import db_session
    from storage.report_models import StoredReport

    with app.app_context():
        db_session.execute(update(StoredReport).values(
            created_at=datetime.now(timezone.utc) - timedelta(days=days)))
        db_session.commit()


def test_prune_removes_reports_older_than_the_given_days(report_app, sme_user, sme_client, renders):
    aid = submit_assessment(report_app, sme_user.enterprise_id, sme_user.id)
    _budget(sme_client, aid, 100000)
    _age_all(report_app, 40)
    _budget(sme_client, aid, 200000)
    out = report_app.test_cli_runner().invoke(args=["reports", "prune", "--older-than", "30"])
    assert out.exit_code == 0 and "removed 1 stored report(s)" in out.output
    assert [r[5] for r in stored_reports(report_app)] == [b"%PDF-stub 2"]
    again = report_app.test_cli_runner().invoke(args=["reports", "prune", "--older-than", "30"])
    assert "removed 0 stored report(s)" in again.output


@pytest.mark.app_config(REPORT_KEEP_DAYS=10, REPORT_COPIES=1)
def test_prune_defaults_to_the_settings_and_also_trims_copies(report_app, sme_user, sme_client, renders):
    aid = submit_assessment(report_app, sme_user.enterprise_id, sme_user.id)
    report_app.config["REPORT_COPIES"] = 5
    for budget in (100000, 200000, 300000):
        _budget(sme_client, aid, budget)
    report_app.config["REPORT_COPIES"] = 1
    out = report_app.test_cli_runner().invoke(args=["reports", "prune"])
    assert "removed 2 stored report(s)" in out.output
    assert [r[5] for r in stored_reports(report_app)] == [b"%PDF-stub 3"]
    _age_all(report_app, 11)
    assert "removed 1 " in report_app.test_cli_runner().invoke(args=["reports", "prune"]).output


def test_prune_refuses_negative_days(report_app):
    out = report_app.test_cli_runner().invoke(args=["reports", "prune", "--older-than", "-1"])
    assert out.exit_code == 2 and "-1" in out.output


@pytest.fixture
def report_queue(report_app):
    """A report queue of this test's own on the test Redis, set as the app's; emptied after."""
    import os
    import uuid

    from redis import Redis
    from rq import Queue

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    name = f"reports-test-{uuid.uuid4().hex[:8]}"
    report_app.config.update(REDIS_URL=url, REPORT_QUEUE=name)
    queue = Queue(name, connection=Redis.from_url(url))
    yield queue
    queue.delete(delete_jobs=True)


@pytest.mark.redis
@pytest.mark.app_config(RATELIMIT_ENABLED=True, REPORT_RENDER_USER_LIMIT="1 per minute",
                        REPORT_RENDER_LIMIT="100 per minute")
def test_with_a_worker_queueing_counts_and_refreshing_a_waiting_report_does_not(
        report_app, sme_user, sme_client, renders, report_queue):
    aid = submit_assessment(report_app, sme_user.enterprise_id, sme_user.id)
    assert _budget(sme_client, aid, 100000).status_code == 202
    assert _budget(sme_client, aid, 100000).status_code == 202  # the page refreshing
    assert _budget(sme_client, aid, 200000).status_code == 429
    assert report_queue.count == 1
