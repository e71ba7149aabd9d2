"""On PostgreSQL a web request's statement gives up after DATABASE_STATEMENT_TIMEOUT seconds:
the page (or API problem) says 503 with Retry-After in the visitor's language, never 500, and
nothing is changed. The report worker and the command line run without that limit."""
import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from tests.conftest import BACKENDS

# On the PostgreSQL test database only (TEST_DATABASE_URL): statement_timeout is PostgreSQL's.
pytestmark = [pytest.mark.postgres, pytest.mark.parametrize(
    "database_url", [b for b in BACKENDS if b == "postgresql"], indirect=True)]
DEADLINE = {"DATABASE_STATEMENT_TIMEOUT": 0.2}
SLOW = text("SELECT pg_sleep(1)")


@pytest.fixture
def slow_app(app):
    """The app on PostgreSQL with test-only routes whose statements outlast the deadline."""
    from storage.db import db_session
    from storage.models import Enterprise

    def slow():
        db_session.execute(SLOW)
        return "done"

    def quick():
        db_session.execute(text("SELECT pg_sleep(0.01)"))
        return "done"

    def rename_slowly(enterprise_id):
        db_session.get(Enterprise, enterprise_id).name = "改名之后"
        db_session.flush()
        db_session.execute(SLOW)
        db_session.commit()
        return "renamed"

    app.add_url_rule("/test-only/slow", "test_slow", slow)
    app.add_url_rule("/test-only/quick", "test_quick", quick)
    app.add_url_rule("/api/test-only/slow", "test_api_slow", slow)
    app.add_url_rule("/test-only/rename/<int:enterprise_id>", "test_rename", rename_slowly,
                     methods=["POST"])
    return app


@pytest.mark.app_config(**DEADLINE)
@pytest.mark.parametrize("locale, words", [
    ("zh_CN", "服务繁忙，未能及时完成；没有任何内容被更改"),
    ("en", "The service is very busy and could not finish this in time; nothing was changed."),
])
def test_a_statement_past_the_deadline_answers_503_in_the_language(slow_app, locale, words):
    client = slow_app.test_client()
    with client.session_transaction() as session:
        session["locale"] = locale
    page = client.get("/test-only/slow")
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert page.mimetype == "text/html" and words in page.get_data(as_text=True)


@pytest.mark.app_config(**DEADLINE)
@pytest.mark.parametrize("language, words", [("zh", "服务繁忙，未能及时完成"),
                                             ("en", "The service is very busy")])
def test_the_api_answers_a_problem_with_retry_after_in_the_language(slow_app, language, words):
    reply = slow_app.test_client().get("/api/test-only/slow", headers={"Accept-Language": language})
    assert reply.status_code == 503 and reply.headers["Retry-After"] == "5"
    assert reply.mimetype == "application/problem+json"
    body = reply.get_json()
    assert body["code"] == "unavailable" and body["status"] == 503 and words in body["detail"]


@pytest.mark.app_config(**DEADLINE)
def test_nothing_is_changed_when_the_deadline_passes(slow_app, sme_user, db):
    from storage.models import Enterprise

    before = db.get(Enterprise, sme_user.enterprise_id).name
    reply = slow_app.test_client().post(f"/test-only/rename/{sme_user.enterprise_id}")
    assert reply.status_code == 503
    db.expire_all()
    assert db.get(Enterprise, sme_user.enterprise_id).name == before


@pytest.mark.app_config(**DEADLINE)
def test_a_statement_within_the_deadline_and_pages_after_a_timeout_are_answered(slow_app, sme_user,
                                                                              login_as):
    client = login_as(sme_user, slow_app.test_client())
    assert client.get("/test-only/slow").status_code == 503
    assert client.get("/test-only/quick").status_code == 200
    assert client.get("/assess/").status_code == 200  # the pooled connection is fine again


@pytest.mark.app_config(DATABASE_STATEMENT_TIMEOUT=0)
def test_no_deadline_when_it_is_zero(slow_app):
    assert slow_app.test_client().get("/test-only/slow").status_code == 200


@pytest.mark.app_config(**DEADLINE)
def test_the_command_line_and_the_report_worker_are_not_limited(slow_app):
    from storage.db import db_session
    from worker import create_worker_app

    with slow_app.test_request_context("/"), pytest.raises(OperationalError) as err:
        db_session.execute(SLOW)  # the same statement in a web request is cancelled
    assert err.value.orig.sqlstate == "57014"
    with slow_app.app_context():  # as `flask ...` commands run
        assert db_session.execute(SLOW).all() == [("",)]
    worker_app = create_worker_app({"DATABASE_URL": slow_app.config["DATABASE_URL"], **DEADLINE})
    with worker_app.app_context():  # as worker.py runs its jobs
        assert db_session.execute(SLOW).all() == [("",)]
    worker_app.extensions["storage.engine"].dispose()
