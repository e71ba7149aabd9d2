"""Regression tests for the defects a security review of the running service found: each
test fails on the code before its fix."""
import logging
import re

import pytest
from sqlalchemy import select

from storage.models import Enterprise, Invitation, Membership, PasswordResetToken
from tests.helpers import PASSWORD, csrf_token, login, logout
from tests.web.test_assess_bad_input import _unchanged, draft  # noqa: F401
from tests.web.test_assess_fixtures import mini_app, owner, owner_client, start, stored  # noqa: F401
from tests.web.test_assess_pages import _fill

BIG = 2**63
PG_BEYOND = 2**31  # ids are INTEGER columns: PostgreSQL's stop at 2^31-1


# 1 — logout ends the session and the remember cookie server-side
def test_cookies_saved_before_logout_no_longer_sign_in(app, sme_user):
    client = app.test_client()
    client.post("/auth/login", data={"email": sme_user.email, "password": PASSWORD,
                                     "remember": "y"})
    assert client.get("/assess/").status_code == 200
    saved = {name: client.get_cookie(name).value for name in ("session", "remember_token")}
    logout(client)

    for name, value in saved.items():
        thief = app.test_client()
        thief.set_cookie(name, value)
        response = thief.get("/assess/")
        assert response.status_code == 302 and "/auth/login" in response.location, name


def test_logging_out_in_one_browser_keeps_the_other_signed_in(app, sme_user, login_as):
    first, second = login_as(sme_user), login_as(sme_user)
    logout(first)
    assert second.get("/assess/").status_code == 200


# 2 — a post that is not a form is refused and changes nothing
@pytest.mark.parametrize("kind", ["json", "text", "empty", "empty-form"])
@pytest.mark.parametrize("route", ["autosave/1", "page/1"])
def test_posts_that_are_not_forms_are_refused_and_change_nothing(owner_client, mini_app, draft,
                                                                kind, route):
    aid, before = draft
    bodies = {"json": {"json": {"gate": None, "items": ["gate"]}},
              "text": {"data": "gate=&items=gate", "content_type": "text/plain"},
              "empty": {"data": b"", "content_type": ""},
              "empty-form": {"data": {}}}
    response = owner_client.post(f"/assess/{aid}/{route}", **bodies[kind])
    assert response.status_code in (400, 415)
    text = response.get_data(as_text=True)
    assert "未保存" in text or "未保存" in (response.get_json(silent=True) or {}).get("message", "")
    if route.startswith("autosave"):
        assert response.get_json()["saved"] is False
    _unchanged(mini_app, aid, before)


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_a_json_autosave_with_a_valid_csrf_header_is_refused(owner, login_as, mini_app):
    client = mini_app.test_client()
    token = csrf_token(client, "/auth/login")
    login(client, owner.email, token=token)
    started = client.post("/assess/start", data={"instrument": "test-mini", "csrf_token": token})
    aid = int(re.search(r"/assess/(\d+)/page/1", started.location).group(1))
    client.post(f"/assess/{aid}/page/1", data={"gate": "no", "maturity": "2", "action": "save",
                                              "csrf_token": token})
    before = stored(mini_app, aid)
    response = client.post(f"/assess/{aid}/autosave/1", json={"items": ["gate"]},
                           headers={"X-CSRFToken": token})
    assert response.status_code == 415 and response.get_json()["saved"] is False
    _unchanged(mini_app, aid, before)


# 4 — not-a-number amounts on the profile form
@pytest.mark.parametrize("value", ["sNaN", "NaN", "Infinity", "-inf", "1e999999999"])
@pytest.mark.parametrize("field", ["annual_revenue", "total_assets"])
def test_amounts_that_are_not_numbers_get_a_field_error(sme_client, db, sme_user, field, value):
    data = {"name": "示例机械有限公司", "uscc": "91110000600037341L", "industry_code": "C36",
            "district": "芝罘区", "employees": "120", "annual_revenue": "5000",
            "total_assets": "", "main_products": "", "has_cio": "no", field: value}
    response = sme_client.post("/profile/edit", data=data)
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert re.search(r'id="%s-error"' % field, html)
    assert db.get(Enterprise, sme_user.enterprise_id).annual_revenue is None


# 5 — ids at or above 2^63 on any id route
def _id_routes(app):
    for rule in app.url_map.iter_rules():
        if any(type(c).__name__ == "DatabaseIdConverter" for c in rule._converters.values()):
            yield rule


def test_every_int_route_uses_the_bounded_converter(app):
    int_rules = sorted(r.rule for r in app.url_map.iter_rules() if "<int:" in r.rule)
    assert int_rules and int_rules == sorted(r.rule for r in _id_routes(app))


@pytest.mark.parametrize("big", [BIG, PG_BEYOND])
def test_ids_beyond_the_database_range_answer_404_on_every_id_route(app, sme_client, big):
    for rule in _id_routes(app):
        path = rule.rule
        for name in rule.arguments:
            path = path.replace(f"<int:{name}>", str(big)).replace(f"<{name}>", "x")
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            response = sme_client.open(path, method=method, data={"x": "1"})
            assert response.status_code == 404, (method, path)


# 6 — control characters in `next`
@pytest.mark.parametrize("target", ["/%0D%0ASet-Cookie:x=1", "/profile/%0Aevil", "/\\evil.example",
                                    "/%09x", "%00/x"])
def test_a_next_with_control_characters_is_ignored_not_a_500(client, sme_user, target):
    response = client.post(f"/auth/login?next={target}",
                           data={"email": sme_user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert "\n" not in response.location and "evil" not in response.location
    language = client.post("/auth/language", data={"locale": "en", "next": "/\r\nx: y"})
    assert language.status_code == 302 and language.location == "/"


# 7 — one setting makes both cookies Secure
@pytest.mark.app_config(SESSION_COOKIE_SECURE=True)
def test_with_secure_session_cookies_the_remember_cookie_is_secure_too(client, sme_user):
    response = client.post("/auth/login", data={"email": sme_user.email, "password": PASSWORD,
                                                "remember": "y"})
    cookies = {h.split("=", 1)[0]: h for h in response.headers.getlist("Set-Cookie")}
    for name in ("session", "remember_token", "known_device"):
        assert "Secure" in cookies[name], name


# 8 — older reset links die once a newer one is used
def _reset_links(caplog):
    return [m.group(1).replace("http://localhost", "") for m in
            (re.search(r"(http://\S+/auth/reset/\S+)", r.getMessage()) for r in caplog.records) if m]


def test_an_older_reset_link_dies_once_a_newer_one_is_used(client, sme_user, caplog, db):
    caplog.set_level(logging.WARNING)
    client.post("/auth/reset", data={"email": sme_user.email})
    client.post("/auth/reset", data={"email": sme_user.email})
    older, newer = _reset_links(caplog)
    client.post(newer, data={"password": "a brand new pass", "confirm": "a brand new pass"})

    response = client.post(older, data={"password": "an attacker's pass", "confirm": "an attacker's pass"})
    assert response.status_code == 302 and response.location.endswith("/auth/reset")
    assert login(client, sme_user.email, "a brand new pass").status_code == 302
    assert db.scalar(select(PasswordResetToken).where(PasswordResetToken.used_at.is_(None))) is None


# 9 — registration reveals nothing and is rate limited (the same page: tests/web/test_auth.py)
@pytest.mark.app_config(RATELIMIT_ENABLED=True, REGISTER_LIMIT="2 per hour")
def test_registration_is_rate_limited_per_address(client):
    def attempt(n):
        return client.post("/auth/register", data={
            "enterprise_name": "限速公司", "name": "张三", "email": f"r{n}@example.com",
            "password": PASSWORD, "confirm": PASSWORD}).status_code
    assert [attempt(n) for n in range(3)] == [200, 200, 429]


# 11 — the password rule (see also tests/unit/test_passwords.py)
def test_a_password_reset_to_a_weak_password_is_refused(client, sme_user, caplog):
    caplog.set_level(logging.WARNING)
    client.post("/auth/reset", data={"email": sme_user.email})
    link = _reset_links(caplog)[-1]
    response = client.post(link, data={"password": sme_user.email, "confirm": sme_user.email})
    assert response.status_code == 200 and "不要用邮箱地址作为密码" in response.get_data(as_text=True)
    assert login(client, sme_user.email, PASSWORD).status_code == 302


# 13 — names of only spaces or with control characters
@pytest.mark.parametrize("name, message", [("   ", "此项必填"), ("海鸥\x00机械", "控制字符"),
                                           ("海鸥\u202e机械", "控制字符")])
def test_profile_name_of_spaces_or_control_characters_is_refused(sme_client, db, sme_user, name,
                                                                 message):
    response = sme_client.post("/profile/edit", data={
        "name": name, "uscc": "91110000600037341L", "industry_code": "C36", "district": "芝罘区",
        "employees": "120", "annual_revenue": "5000", "has_cio": "no"})
    assert response.status_code == 200 and message in response.get_data(as_text=True)
    assert db.get(Enterprise, sme_user.enterprise_id).name == "示例机械有限公司"


def test_the_profile_service_refuses_a_blank_name_too(app, sme_user):
    from services.profile import ProfileError, update_profile
    with app.app_context(), pytest.raises(ProfileError) as refused:
        update_profile(sme_user.enterprise_id, {
            "name": " \t ", "uscc": "91110000600037341L", "industry_code": "C36",
            "district": "芝罘区", "employees": 120, "annual_revenue": 50_000_000,
            "has_cio": False}, app.config["SIZE_RULES_FILE"])
    assert refused.value.problems == {"name": "name_required"}


# 14 — an invitation works only for the address it was sent to
def _invitation_link(owner_client, email):
    html = owner_client.post("/auth/invite", data={"email": email}).get_data(as_text=True)
    return re.search(r'value="http://localhost(/auth/invitation/[^"]+)"', html).group(1)


def test_someone_signed_in_under_another_address_cannot_use_an_invitation(
        sme_client, sme_user, make_user, login_as, db):
    link = _invitation_link(sme_client, "invited@example.com")
    intruder = make_user()
    client = login_as(intruder)

    page = client.get(link).get_data(as_text=True)
    assert "只能由被邀请的邮箱接受" in page and 'type="submit">加入' not in page
    response = client.post(link)
    assert response.status_code == 403
    assert "未做任何更改" in response.get_data(as_text=True)
    assert db.scalar(select(Membership.id).where(
        Membership.user_id == intruder.id,
        Membership.enterprise_id == sme_user.enterprise_id)) is None
    assert db.scalar(select(Invitation.accepted_at)) is None


# 15 — Content-Security-Policy everywhere, no-store on private pages
def test_every_page_has_a_content_security_policy_without_inline_code(client, sme_client):
    for c, path in ((client, "/"), (client, "/auth/login"), (sme_client, "/assess/"),
                    (sme_client, "/profile/"), (sme_client, "/no-such-page")):
        csp = c.get(path).headers.get("Content-Security-Policy", "")
        assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp, path
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, path


def test_pages_are_not_stored_by_browsers_or_proxies_but_static_files_may_be(sme_client):
    assert sme_client.get("/profile/").headers["Cache-Control"] == "no-store"
    assert sme_client.get("/").headers["Cache-Control"] == "no-store"
    static = sme_client.get("/static/css/app.css")
    assert static.headers.get("Cache-Control") != "no-store"
    static.close()


# 16 — outside tests, the default SECRET_KEY is refused
@pytest.mark.parametrize("key", ["dev-only-change-me", "", None])
def test_the_service_refuses_to_start_with_the_default_secret_key(database_url, key):
    from app import create_app
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"TESTING": False, "SECRET_KEY": key, "DATABASE_URL": database_url})


def test_the_command_line_and_workers_read_the_key_scripts_install_keeps(tmp_path, monkeypatch):
    import config
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setattr(config, "ROOT", tmp_path)
    assert config._secret_key() == config.DEFAULT_SECRET_KEY
    (tmp_path / "instance").mkdir()
    (tmp_path / "instance" / "secret_key").write_text("k" * 64 + "\n")
    assert config._secret_key() == "k" * 64
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert config._secret_key() == "from-the-environment"



# 12 — losing a submission race shows the submitted result, not 503
def test_losing_a_submission_race_shows_the_result(owner_client, mini_app, monkeypatch):
    from services import assessments, instrument_registry, submission

    aid = start(owner_client)
    _fill(owner_client, aid)
    real_load, raced = submission.load, []

    def load_then_lose_the_race(assessment_id, enterprise_id, fresh=False):
        found = real_load(assessment_id, enterprise_id, fresh)
        if not raced:  # another tab submits between this request's read and its write
            raced.append(True)
            with mini_app.app_context():
                instrument = instrument_registry.instruments(
                    mini_app.config["QUESTIONNAIRES_DIR"])["test-mini"]
                submission.submit(assessment_id, enterprise_id, instrument,
                                  assessments.profile_of(enterprise_id), pledged=True)
        return found

    monkeypatch.setattr(submission, "load", load_then_lose_the_race)
    response = owner_client.post(f"/assess/{aid}/submit", data={"pledge": "y"})
    assert raced and response.status_code == 302
    assert response.location.endswith(f"/assess/{aid}/result")
    assert "此评测已经提交过" in owner_client.get(response.location).get_data(as_text=True)
