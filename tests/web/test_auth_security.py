"""CSRF on every form and rate limits on asking for reset links and registrations (wrong
passwords are slowed down by the sign-in throttle: tests/web/test_sign_in_throttle.py)."""
import os
import uuid

import pytest

from storage.db import get_engine

from tests.helpers import PASSWORD, csrf_token, login

csrf_on = pytest.mark.app_config(WTF_CSRF_ENABLED=True)
limits_on = pytest.mark.app_config(RATELIMIT_ENABLED=True, RESET_LIMIT="3 per minute")

FORMS = [
    ("/auth/login", {"email": "a@example.com", "password": "x"}),
    ("/auth/register", {"enterprise_name": "X", "name": "Y", "email": "a@example.com",
                        "password": PASSWORD, "confirm": PASSWORD}),
    ("/auth/reset", {"email": "a@example.com"}),
    ("/auth/language", {"locale": "en"}),
]


@csrf_on
@pytest.mark.parametrize("path, data", FORMS)
@pytest.mark.parametrize("token", [None, "forged-token"])
def test_forms_without_a_valid_csrf_token_answer_400_with_a_clear_message(client, db, path, data,
                                                                          token):
    from storage.models import User

    body = dict(data, **({"csrf_token": token} if token else {}))
    response = client.post(path, data=body)

    assert response.status_code == 400
    assert "安全令牌缺失或错误" in response.get_data(as_text=True)
    assert db.query(User).count() == 0


@csrf_on
def test_signed_in_forms_also_need_the_token(client, sme_user):
    token = csrf_token(client, "/auth/login")
    assert login(client, sme_user.email, token=token).status_code == 302
    assert client.post("/auth/logout").status_code == 400
    assert client.post("/profile/edit", data={"name": "X"}).status_code == 400
    assert client.post("/auth/invite", data={"email": "b@example.com"}).status_code == 400


@csrf_on
def test_csrf_failure_answers_json_to_scripts(client):
    response = client.post("/auth/language", data={"locale": "en"},
                           headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert response.get_json()["error"] == "表单已过期或无效"


@csrf_on
def test_a_valid_token_lets_the_form_through(client, sme_user):
    token = csrf_token(client, "/auth/login")
    assert login(client, sme_user.email, token=token).status_code == 302


@limits_on
def test_reset_requests_are_limited_per_address(client, make_user):
    users = [make_user() for _ in range(2)]
    codes = [client.post("/auth/reset", data={"email": u.email}).status_code
             for u in users for _ in range(2)]
    assert codes == [302, 302, 302, 429]
    assert "尝试次数过多" in client.post("/auth/reset",
                                      data={"email": "x@example.com"}).get_data(as_text=True)


def test_bodies_over_one_megabyte_answer_413(client):
    response = client.post("/auth/login", data={"email": "a@example.com", "password": "x" * 1_100_000})
    assert response.status_code == 413


REDIS_URL = os.environ.get("TEST_REDIS_URL")


@pytest.mark.redis
@pytest.mark.skipif(not REDIS_URL, reason="TEST_REDIS_URL is not set")
def test_limits_are_kept_in_redis_when_configured(make_user, request):
    from app import create_app

    prefix = f"test-{uuid.uuid4().hex}"
    address = f"192.0.2.{uuid.uuid4().int % 250 + 1}"
    settings = dict(request.getfixturevalue("app").config, RATELIMIT_ENABLED=True,
                    RATELIMIT_STORAGE_URI=REDIS_URL, RATELIMIT_KEY_PREFIX=prefix,
                    RESET_LIMIT="2 per minute")
    first, second = create_app(settings), create_app(settings)  # two workers, one Redis
    for worker in (first, second):
        with worker.app_context():
            request.addfinalizer(get_engine().dispose)  # no connections left open after

    def ask(worker):
        client = worker.test_client()
        return client.post("/auth/reset", data={"email": "a@example.com"},
                           environ_base={"REMOTE_ADDR": address}).status_code
    assert [ask(first), ask(second), ask(first)] == [302, 302, 429]
    import redis

    server = redis.Redis.from_url(REDIS_URL)
    # Keys are matched by the address (unique per test): the app-wide limiter keeps the key
    # prefix of the first app it served in this process.
    keys = list(server.scan_iter(match=f"*{address}*"))
    assert keys, "no rate-limit counters in Redis"
    server.delete(*keys)


@pytest.mark.app_config(RATELIMIT_ENABLED=True, TRUSTED_PROXIES=1, RESET_LIMIT="2 per minute")
def test_behind_a_trusted_proxy_each_visitor_has_own_limit(client):
    def attempt(address):
        return client.post("/auth/reset", data={"email": "a@example.com"},
                           headers={"X-Forwarded-For": address}).status_code

    assert [attempt("203.0.113.1") for _ in range(3)] == [302, 302, 429]
    assert attempt("203.0.113.2") == 302


def test_wrong_method_gets_a_translated_page(client):
    response = client.get("/auth/logout")
    assert response.status_code == 405 and "不允许的操作" in response.get_data(as_text=True)
