"""Reports rendered as RQ jobs on the real Redis server, with a real (in-process) worker."""
import os
import re
import uuid

import pytest
from redis import Redis
from rq import Queue, SimpleWorker

from tests.integration.test_report_support import pdftotext, report_app, submit_assessment  # noqa: F401

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
pytestmark = pytest.mark.redis


@pytest.fixture
def queued_app(report_app):
    name = f"reports-test-{uuid.uuid4().hex[:8]}"
    report_app.config.update(REDIS_URL=REDIS_URL, REPORT_QUEUE=name)
    conn = Redis.from_url(REDIS_URL)
    conn.ping()  # a clear failure when the Redis server is not running
    queue = Queue(name, connection=conn)
    yield report_app, queue
    queue.delete(delete_jobs=True)


def _work(app, queue):
    with app.app_context():
        SimpleWorker([queue], connection=queue.connection).work(burst=True)


def test_first_request_queues_a_job_and_shows_a_refreshing_page(queued_app, sme_user, login_as):
    app, queue = queued_app
    aid = submit_assessment(app, sme_user.enterprise_id, sme_user.id)
    client = login_as(sme_user, app.test_client())
    first = client.get(f"/reports/{aid}.pdf")
    assert first.status_code == 202
    page = first.get_data(as_text=True)
    assert re.search(r'<meta http-equiv="refresh" content="\d+;url=/reports/%d\.pdf\?lang=zh"' % aid, page)
    assert "正在生成报告" in page and "<script" not in page
    assert client.get(f"/reports/{aid}.pdf").status_code == 202
    assert queue.count == 1  # asking again while it waits queues nothing more

    _work(app, queue)
    ready = client.get(f"/reports/{aid}.pdf?lang=zh")
    assert ready.status_code == 200 and ready.mimetype == "application/pdf"
    assert "示例机械有限公司" in pdftotext(ready.data)
    assert queue.count == 0


def test_failed_job_offers_a_retry(queued_app, sme_user, login_as, monkeypatch):
    from services import reports

    app, queue = queued_app
    aid = submit_assessment(app, sme_user.enterprise_id, sme_user.id)
    client = login_as(sme_user, app.test_client())
    assert client.get(f"/reports/{aid}.pdf").status_code == 202

    def broken(inputs, settings):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(reports, "render", broken)
    _work(app, queue)
    failed = client.get(f"/reports/{aid}.pdf")
    assert failed.status_code == 503
    assert f"/reports/{aid}.pdf?lang=zh&amp;retry=1" in failed.get_data(as_text=True)

    monkeypatch.undo()
    assert client.get(f"/reports/{aid}.pdf?lang=zh&retry=1").status_code == 202
    _work(app, queue)
    assert client.get(f"/reports/{aid}.pdf").status_code == 200


def test_job_receives_the_plan_choices(queued_app, sme_user, login_as):
    app, queue = queued_app
    aid = submit_assessment(app, sme_user.enterprise_id, sme_user.id)
    client = login_as(sme_user, app.test_client())
    page = client.get(f"/reports/{aid}.pdf?budget=500000&target=level3&horizon=18")
    refresh = re.search(r'http-equiv="refresh" content="\d+;url=([^"]+)"',
                        page.get_data(as_text=True)).group(1).replace("&amp;", "&")
    assert page.status_code == 202
    assert "budget=500000" in refresh and "target=level3" in refresh and "horizon=18" in refresh
    assert client.get(f"/reports/{aid}.pdf").status_code == 202  # the default plan: its own job
    assert queue.count == 2

    _work(app, queue)
    chosen, default = client.get(refresh), client.get(f"/reports/{aid}.pdf")
    assert chosen.status_code == 200 and default.status_code == 200
    assert "500,000元" in re.sub(r"\s+", "", pdftotext(chosen.data))
    assert "500,000元" not in re.sub(r"\s+", "", pdftotext(default.data))
    assert chosen.headers["X-Report-Id"] != default.headers["X-Report-Id"]


def _start_and_die(queue):
    """A worker takes the waiting job and starts it, then dies without a word (kill -9): its
    heartbeat is left to expire, as it does 90 s later with RQ's default settings."""
    from rq.registry import StartedJobRegistry

    worker = SimpleWorker([queue], connection=queue.connection)
    job, _ = Queue.dequeue_any([queue], None, connection=queue.connection)
    worker.prepare_execution(job)
    worker.prepare_job_execution(job)
    registry = StartedJobRegistry(queue.name, connection=queue.connection)
    entries = queue.connection.zrange(registry.key, 0, -1)
    assert len(entries) == 1
    queue.connection.zadd(registry.key, {entries[0]: 1})  # expired long ago
    return job


def test_job_whose_worker_died_is_queued_again_then_rendered(queued_app, sme_user, login_as):
    app, queue = queued_app
    aid = submit_assessment(app, sme_user.enterprise_id, sme_user.id)
    client = login_as(sme_user, app.test_client())
    assert client.get(f"/reports/{aid}.pdf").status_code == 202
    job = _start_and_die(queue)
    assert queue.count == 0 and job.get_status(refresh=True) == "started"

    again = client.get(f"/reports/{aid}.pdf")
    assert again.status_code == 202 and "正在生成报告" in again.get_data(as_text=True)
    assert queue.count == 1 and job.get_status(refresh=True) == "queued"
    _work(app, queue)
    assert client.get(f"/reports/{aid}.pdf").status_code == 200


def test_job_whose_workers_died_twice_fails_with_a_retry_link(queued_app, sme_user, login_as):
    app, queue = queued_app
    aid = submit_assessment(app, sme_user.enterprise_id, sme_user.id)
    client = login_as(sme_user, app.test_client())
    assert client.get(f"/reports/{aid}.pdf").status_code == 202
    _start_and_die(queue)
    assert client.get(f"/reports/{aid}.pdf").status_code == 202  # queued again once
    job = _start_and_die(queue)

    failed = client.get(f"/reports/{aid}.pdf")
    assert failed.status_code == 503 and job.get_status(refresh=True) == "failed"
    assert f"/reports/{aid}.pdf?lang=zh&amp;retry=1" in failed.get_data(as_text=True)
    assert queue.count == 0  # nothing rendered or queued until the person asks again
    assert client.get(f"/reports/{aid}.pdf?lang=zh&retry=1").status_code == 202
    _work(app, queue)
    assert client.get(f"/reports/{aid}.pdf").status_code == 200
