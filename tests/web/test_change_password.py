"""Every signed-in person changes their password: the current one is required, the new one
meets the strength rule, every other session ends and this one stays."""
import pytest

from tests.helpers import PASSWORD, login

NEW = "violet tractor umbrella"


def test_changing_the_password_ends_the_other_sessions_and_keeps_this_one(app, sme_user,
                                                                         login_as):
    here, elsewhere = login_as(sme_user), login_as(sme_user)
    response = here.post("/auth/password", data={"old_password": PASSWORD, "password": NEW,
                                                 "confirm": NEW})
    assert response.status_code == 302
    assert "其他所有设备上的登录已退出" in here.get(response.location).get_data(as_text=True)
    assert here.get("/assess/").status_code == 200
    assert elsewhere.get("/assess/").status_code == 302
    assert login(app.test_client(), sme_user.email, PASSWORD).status_code == 200
    assert login(app.test_client(), sme_user.email, NEW).status_code == 302


@pytest.mark.parametrize("data, message", [
    ({"old_password": "wrong password", "password": NEW, "confirm": NEW}, "当前密码错误"),
    ({"old_password": PASSWORD, "password": "password", "confirm": "password"}, "太容易被猜到"),
    ({"old_password": PASSWORD, "password": NEW, "confirm": NEW + "x"}, "两次输入的密码不一致"),
    ({"old_password": PASSWORD, "password": "", "confirm": ""}, "此项必填"),
])
def test_bad_input_is_refused_next_to_the_field_and_changes_nothing(app, sme_client, sme_user,
                                                                    data, message):
    response = sme_client.post("/auth/password", data=data)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert login(app.test_client(), sme_user.email, PASSWORD).status_code == 302


def test_staff_accounts_change_their_password_too(make_user, login_as):
    client = login_as(make_user(roles=("bureau_analyst",), enterprise=None))
    page = client.get("/auth/password")
    assert page.status_code == 200 and 'name="old_password"' in page.get_data(as_text=True)


def test_signed_out_visitors_are_sent_to_log_in(client):
    response = client.post("/auth/password", data={"old_password": "x"})
    assert response.status_code == 302 and "/auth/login" in response.location


def test_the_page_speaks_english(sme_client):
    sme_client.post("/auth/language", data={"locale": "en"})
    assert "Change your password" in sme_client.get("/auth/password").get_data(as_text=True)
