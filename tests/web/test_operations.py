"""Health probes and logging: /healthz and /readyz for load balancers, a request id on every
log line (echoed in the response), JSON lines on request, no personal data in the lines."""
import io
import json
import logging

import pytest
from sqlalchemy import text

import logsetup


def test_healthz_answers_without_a_session_cookie(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.get_json() == {"status": "ok"}
    assert "Set-Cookie" not in response.headers


def test_readyz_checks_the_database_and_the_migrations(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "failing": [],
                                   "checks": {"database": "ok", "migrations": "ok"}}
    assert "Set-Cookie" not in response.headers


def test_readyz_names_a_database_behind_the_migrations(app, client):
    from storage.db import get_engine
    with app.app_context(), get_engine().begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0003_reports'"))
    body = client.get("/readyz")
    assert body.status_code == 503
    assert body.get_json()["failing"] == ["migrations"]
    assert "0003_reports" in body.get_json()["checks"]["migrations"]


@pytest.mark.app_config(DATABASE_URL="postgresql+psycopg://nobody@127.0.0.1:1/none")
def test_readyz_names_an_unreachable_database(client):
    body = client.get("/readyz")
    assert body.status_code == 503 and body.get_json()["failing"] == ["database"]


@pytest.mark.app_config(REDIS_URL="redis://127.0.0.1:1/0")
def test_readyz_names_an_unreachable_redis(client):
    body = client.get("/readyz")
    assert body.status_code == 503 and body.get_json()["failing"] == ["redis"]


@pytest.mark.redis
def test_readyz_with_a_reachable_redis(app, client):
    import os
    app.config["REDIS_URL"] = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    assert client.get("/readyz").get_json()["checks"]["redis"] == "ok"


@pytest.mark.app_config(RATELIMIT_ENABLED=True, RATELIMIT_DEFAULT="2 per minute")
def test_probes_are_never_rate_limited(client):
    assert all(client.get("/healthz").status_code == 200 for _ in range(5))


def _capture(fmt):
    stream = io.StringIO()
    logsetup.configure(fmt, "INFO", stream=stream)
    return stream


@pytest.fixture
def restore_logging(app):
    yield
    logsetup.configure(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])


def test_a_sane_request_id_is_taken_echoed_and_on_every_line(client, restore_logging):
    stream = _capture("text")
    response = client.get("/auth/login", headers={"X-Request-ID": "edge-42.a:b"})
    assert response.headers["X-Request-ID"] == "edge-42.a:b"
    lines = stream.getvalue().splitlines()
    assert lines and all("[edge-42.a:b]" in line for line in lines)


@pytest.mark.parametrize("given", ["", "x" * 65, "a b", "evil;rm -rf", "<script>"])
def test_an_insane_request_id_is_replaced(client, given):
    response = client.get("/healthz", headers={"X-Request-ID": given} if given else {})
    rid = response.headers["X-Request-ID"]
    assert rid != given and len(rid) == 32 and rid.isalnum()


def test_json_lines_for_log_collectors(client, sme_user, restore_logging):
    stream = _capture("json")
    client.post("/auth/login", data={"email": sme_user.email, "password": "wrong"},
                headers={"X-Request-ID": "r-1"})
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    request_line = next(r for r in records if r["logger"] == "web.request")
    assert request_line["request_id"] == "r-1" and request_line["status"] == 200
    assert request_line["route"] == "/auth/login" and request_line["level"] == "INFO"


def test_log_lines_hold_no_emails_names_or_tokens(app, client, sme_user, restore_logging,
                                                  caplog):
    stream = _capture("text")
    caplog.set_level(logging.INFO)
    client.post("/auth/login", data={"email": sme_user.email, "password": "wrong"})
    client.post("/auth/reset", data={"email": sme_user.email})
    token_link = next(r.getMessage() for r in caplog.records if "/auth/reset/" in r.getMessage())
    token = token_link.rsplit("/", 1)[1]
    client.get(f"/auth/reset/{token}")
    logged = stream.getvalue()
    assert sme_user.email not in logged and "Test User" not in logged
    # The one line with the token is the clearly marked development-only mail stand-in.
    assert [line for line in logged.splitlines() if token in line] == [
        line for line in logged.splitlines() if "MAIL NOT CONFIGURED" in line]
    assert "GET /auth/reset/<token> 200" in logged


def test_an_unknown_log_format_is_refused():
    with pytest.raises(ValueError, match="LOG_FORMAT"):
        logsetup.configure("xml")


def _database_gone(app):
    """The database stops answering (restarting, failed over, out of reach)."""
    from storage.db import make_engine
    app.extensions["storage.engine"] = make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none")


@pytest.mark.parametrize("locale, words", [("zh_CN", "服务暂时无法连接数据库，没有任何内容被更改"),
                                           ("en", "cannot reach its database just now; nothing was changed")])
def test_a_database_out_of_reach_answers_503_in_the_language_not_500(app, sme_client, locale, words):
    with sme_client.session_transaction() as session:
        session["locale"] = locale
    _database_gone(app)
    page = sme_client.get("/assess/")
    assert page.status_code == 503 and page.headers["Retry-After"] == "5"
    assert words in page.get_data(as_text=True)


def test_a_database_out_of_reach_answers_autosave_and_sign_in_with_503(app, sme_user, sme_client):
    _database_gone(app)
    save = sme_client.post("/assess/1/autosave/1", data={"items": "x"},
                           headers={"Accept": "application/json"})
    assert save.status_code == 503 and "数据库" in save.get_json()["message"]
    fresh = app.test_client()
    sign_in = fresh.post("/auth/login", data={"email": sme_user.email, "password": sme_user.password})
    assert sign_in.status_code == 503
