"""Accounts: register, log in and out, password reset, language choice."""
import logging
import re

import pytest
from sqlalchemy import select

from storage.models import Enterprise, Membership, Role, User, UserRole
from tests.helpers import PASSWORD, login, logout

NEW = {"enterprise_name": "烟台海鸥机械有限公司", "name": "王丽", "email": "Wang.Li@Example.com",
       "password": PASSWORD, "confirm": PASSWORD}


def _mailed_link(caplog, path):
    """The last link to `path` written to the log (no mail server in these tests)."""
    found = [re.search(r"(http://\S+%s\S+)" % re.escape(path), r.getMessage())
             for r in caplog.records]
    links = [m.group(1) for m in found if m]
    assert links, f"no {path} link in the log"
    return links[-1].replace("http://localhost", "")


def test_register_mails_a_link_that_creates_person_enterprise_and_owner_membership(client, db,
                                                                                     caplog):
    caplog.set_level(logging.WARNING)
    response = client.post("/auth/register", data=NEW)

    assert response.status_code == 200 and "请查收邮件" in response.get_data(as_text=True)
    assert db.query(User).count() == 0  # nothing until the address is confirmed
    link = _mailed_link(caplog, "/auth/register/")
    assert "wang.li@example.com" in client.get(link).get_data(as_text=True)
    response = client.post(link)

    assert response.status_code == 302 and response.location.endswith("/profile/edit")
    user = db.scalar(select(User).where(User.email == "wang.li@example.com"))
    membership = db.scalar(select(Membership).where(Membership.user_id == user.id))
    assert membership.role == "owner"
    assert db.get(Enterprise, membership.enterprise_id).name == "烟台海鸥机械有限公司"
    assert [r.name for r in user.roles] == ["sme_user"]
    assert user.password_hash.startswith("$argon2")
    assert client.get("/profile/").status_code == 200  # and is signed in
    again = client.post(link)  # used up
    assert again.status_code == 302 and again.location.endswith("/auth/register")


def test_register_answers_the_same_whether_or_not_the_email_has_an_account(app, db, sme_user,
                                                                            caplog):
    caplog.set_level(logging.WARNING)
    taken = app.test_client().post("/auth/register",
                                   data={**NEW, "email": sme_user.email.upper()})
    fresh = app.test_client().post("/auth/register", data=NEW)

    def page(response):  # the same page but for the address it names
        return response.get_data(as_text=True).replace(sme_user.email, "X").replace(
            "wang.li@example.com", "X")
    assert taken.status_code == fresh.status_code == 200
    assert _without_tokens(page(taken)) == _without_tokens(page(fresh))
    assert db.query(Enterprise).count() == 1  # nothing made for the taken address
    messages = [r.getMessage() for r in caplog.records]
    assert any("您已有账号" in m for m in messages)


def _without_tokens(html):
    return re.sub(r'value="[^"]{20,}"', 'value=""', re.sub(r"[0-9a-f]{32}", "", html))


@pytest.mark.parametrize("change, message", [
    ({"confirm": "something else"}, "两次输入的密码不一致"),
    ({"password": "short", "confirm": "short"}, "至少使用 8 个字符"),
    ({"email": "not-an-email"}, "请输入有效的邮箱地址"),
    ({"enterprise_name": ""}, "此项必填"),
    ({"enterprise_name": "   "}, "此项必填"),
    ({"enterprise_name": "海鸥\x00机械"}, "控制字符"),
    ({"name": "王\r\n丽"}, "控制字符"),
    ({"password": "12345678", "confirm": "12345678"}, "太容易被猜到"),
    ({"password": " " * 8, "confirm": " " * 8}, "太容易被猜到"),
    ({"password": "wang.li@example.com", "confirm": "wang.li@example.com"}, "不要用邮箱地址"),
])
def test_register_refuses_bad_input_in_chinese_next_to_the_field(client, db, change, message):
    response = client.post("/auth/register", data={**NEW, **change})

    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.query(User).count() == 0
    from storage.account_models import PendingRegistration
    assert db.query(PendingRegistration).count() == 0


def test_password_rule_speaks_english_too(client):
    client.post("/auth/language", data={"locale": "en"})
    response = client.post("/auth/register",
                           data={**NEW, "password": "password1", "confirm": "password1"})
    assert "too easy to guess" in response.get_data(as_text=True)


def test_login_with_right_password_reaches_the_first_page_of_the_menu(client, sme_user):
    response = login(client, sme_user.email, sme_user.password)

    assert response.status_code == 302
    assert response.location != "/"  # an SME lands on its own pages, not the public home
    assert client.get(response.location).status_code == 200


def test_login_with_wrong_password_says_so_without_telling_which(client, sme_user):
    wrong = login(client, sme_user.email, "wrong password")
    unknown = login(client, "nobody@example.com", "wrong password")

    assert wrong.status_code == unknown.status_code == 200
    assert "邮箱或密码错误" in wrong.get_data(as_text=True)
    assert "邮箱或密码错误" in unknown.get_data(as_text=True)
    assert client.get("/profile/").status_code == 302  # still logged out


def test_login_follows_a_local_next_but_never_an_outside_one(client, sme_user):
    inside = client.post("/auth/login?next=/profile/edit",
                         data={"email": sme_user.email, "password": PASSWORD})
    logout(client)
    outside = client.post("/auth/login?next=//evil.example/x",
                          data={"email": sme_user.email, "password": PASSWORD})

    assert inside.location == "/profile/edit"
    assert "evil.example" not in outside.location


def test_logout_needs_a_post_and_ends_the_session(sme_client):
    assert sme_client.get("/auth/logout").status_code == 405
    assert logout(sme_client).status_code == 302
    assert sme_client.get("/profile/").status_code == 302


def test_pages_behind_login_send_visitors_to_the_login_page(client):
    response = client.get("/profile/")
    assert response.status_code == 302 and "/auth/login" in response.location


def test_session_cookie_is_httponly_and_samesite(client, sme_user):
    response = login(client, sme_user.email)
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def _reset_link(caplog):
    found = [re.search(r"(http://\S+/auth/reset/\S+)", r.getMessage()) for r in caplog.records]
    links = [m.group(1) for m in found if m]
    assert links, "no reset link in the log"
    return links[-1].replace("http://localhost", "")


def test_password_reset_link_is_logged_and_sets_a_new_password_once(client, sme_user, caplog):
    caplog.set_level(logging.WARNING)
    response = client.post("/auth/reset", data={"email": sme_user.email})
    assert response.status_code == 302
    link = _reset_link(caplog)

    assert client.get(link).status_code == 200
    done = client.post(link, data={"password": "a brand new pass", "confirm": "a brand new pass"})
    assert done.status_code == 302
    assert login(client, sme_user.email, PASSWORD).status_code == 200  # old one refused
    assert login(client, sme_user.email, "a brand new pass").status_code == 302
    reused = client.get(link)  # single use
    assert reused.status_code == 302 and reused.location.endswith("/auth/reset")


def test_password_reset_for_an_unknown_email_answers_the_same_and_logs_nothing(client, caplog):
    caplog.set_level(logging.WARNING)
    response = client.post("/auth/reset", data={"email": "nobody@example.com"})
    assert response.status_code == 302
    assert not any("/auth/reset/" in r.getMessage() for r in caplog.records)


def test_a_made_up_reset_token_is_refused(client):
    response = client.post("/auth/reset/made-up", data={"password": "x" * 10, "confirm": "x" * 10})
    assert response.status_code == 302 and response.location.endswith("/auth/reset")


def test_language_choice_persists_for_the_user_across_sessions(app, client, sme_user, db):
    login(client, sme_user.email)
    response = client.post("/auth/language", data={"locale": "en", "next": "/profile/"})
    assert response.status_code == 302 and response.location == "/profile/"
    assert 'lang="en"' in client.get("/profile/").get_data(as_text=True)

    fresh = app.test_client()  # another browser: no session yet
    login(fresh, sme_user.email)
    page = fresh.get("/profile/").get_data(as_text=True)
    assert 'lang="en"' in page and "Enterprise profile" in page
    assert db.scalar(select(User.locale).where(User.id == sme_user.id)) == "en"


def test_visitors_language_lives_in_the_session(client):
    assert 'lang="zh-CN"' in client.get("/").get_data(as_text=True)
    client.post("/auth/language", data={"locale": "en"})
    assert 'lang="en"' in client.get("/").get_data(as_text=True)


def test_unknown_language_is_refused(client):
    assert client.post("/auth/language", data={"locale": "xx"}).status_code == 400


def test_staff_accounts_carry_their_roles(make_user, db):
    analyst = make_user(roles=("bureau_analyst",), enterprise=None)
    names = db.scalars(select(Role.name).join(UserRole).where(UserRole.user_id == analyst.id))
    assert list(names) == ["bureau_analyst"] and analyst.enterprise_id is None


def test_a_password_reset_signs_out_other_sessions(app, sme_client, sme_user, caplog):
    caplog.set_level(logging.WARNING)
    assert sme_client.get("/profile/").status_code == 200
    other = app.test_client()
    other.post("/auth/reset", data={"email": sme_user.email})
    link = _reset_link(caplog)
    other.post(link, data={"password": "a brand new pass", "confirm": "a brand new pass"})

    assert sme_client.get("/profile/").status_code == 302  # the old session is gone


def test_signed_in_people_skip_the_login_and_register_pages(sme_client):
    assert sme_client.get("/auth/login").status_code == 302
    assert sme_client.get("/auth/register").status_code == 302
