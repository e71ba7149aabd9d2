"""The deletion page: an owner sees what goes and what is kept (data/retention.yaml), gives the
password and the enterprise's name, and is signed out on a confirmation page; anyone else gets
404 and nothing changes; a wrong password or name changes nothing and says so in zh and en."""
import pytest

from storage.models import Membership
from tests import deletion_helpers as h
from tests.helpers import csrf_token, login
from tests.organisation_helpers import staff_user

NAME = "示例机械有限公司"


@pytest.fixture
def world(app, make_user, sme_user, other_sme_user, tmp_path):
    app.config["FILES_DIR"] = tmp_path / "files"
    return h.build(app, make_user, sme_user, other_sme_user, tmp_path / "files")


def test_the_page_states_what_goes_and_what_is_kept_for_how_long(world, sme_user, login_as):
    page = login_as(sme_user).get("/my-data/delete").get_data(as_text=True)
    assert "删除企业账号及其数据" in page and NAME in page
    assert "立即删除" in page and "数据授权和同事邀请" in page
    for kept, days in (("已签发的现场评定报告", 1095), ("已验收的补贴项目", 1825),
                       ("数据访问审计记录", 1825)):
        assert kept in page and f"删除后保留 {days} 天" in page
    assert "目前 1 条" in page and "目前 2 条" in page  # one report, project; two audit records


def test_the_owner_deletes_and_is_signed_out(app, db, world, sme_user, login_as):
    client = login_as(sme_user)
    reply = client.post("/my-data/delete", data={"password": sme_user.password,
                                                 "confirmation": f" {NAME} "})
    assert reply.status_code == 302 and reply.location.endswith("/my-data/deleted")
    assert "企业已删除" in client.get(reply.location).get_data(as_text=True)
    assert h.census(db, world.enterprise_id, (world.owner_id,)) == {
        "enterprises": 1, "retained_records": 3, "audit_records": 2}
    signed_out = client.get("/my-data/")
    assert signed_out.status_code == 302 and "/auth/login" in signed_out.location
    assert login(app.test_client(), sme_user.email, sme_user.password).status_code != 302


@pytest.mark.parametrize("lang, data, message", [
    ("zh", {"password": "wrong password", "confirmation": NAME}, "密码不正确，未删除任何数据。"),
    ("en", {"password": "wrong password", "confirmation": NAME},
     "The password is wrong. Nothing was deleted."),
    ("zh", {"confirmation": "示例"}, "请按上面显示的企业名称准确输入，未删除任何数据。"),
    ("en", {"confirmation": "示例"}, "name exactly as shown above. Nothing was deleted."),
    ("en", {"password": "", "confirmation": ""}, "This field is required."),
])
def test_a_wrong_password_or_name_changes_nothing(app, db, world, sme_user, login_as, lang,
                                                  data, message):
    client = login_as(sme_user)
    client.post("/auth/language", data={"locale": lang})
    before = h.census(db, world.enterprise_id, (world.owner_id,))
    reply = client.post("/my-data/delete", data={"password": sme_user.password, **data})
    assert reply.status_code == 400 and message in reply.get_data(as_text=True)
    assert h.census(db, world.enterprise_id, (world.owner_id,)) == before
    assert h.kinds(db) == []


@pytest.mark.parametrize("who", ["member", "consultant", "administrator", "nobody"])
def test_anyone_but_an_owner_gets_404_and_nothing_changes(app, db, client, world, make_user,
                                                          login_as, who):
    if who == "member":
        actor = make_user(enterprise=None)
        db.add(Membership(user_id=actor.id, enterprise_id=world.enterprise_id, role="member"))
        db.commit()
    elif who == "consultant":
        actor = staff_user(app, make_user, world.centre_id, role="centre_admin")
    elif who == "administrator":
        actor = make_user(roles=("administrator",), enterprise=None)
    before = h.census(db, world.enterprise_id, (world.owner_id,))
    browser = client if who == "nobody" else login_as(actor)
    data = {"password": getattr(actor, "password", "x") if who != "nobody" else "x",
            "confirmation": NAME}
    for reply in (browser.get("/my-data/delete"), browser.post("/my-data/delete", data=data)):
        if who == "nobody":
            assert reply.status_code == 302 and "/auth/login" in reply.location
        else:
            assert reply.status_code == 404
    assert h.census(db, world.enterprise_id, (world.owner_id,)) == before


def test_another_tenants_owner_deletes_only_their_own_enterprise(app, db, world, other_sme_user,
                                                          login_as):
    before = h.census(db, world.enterprise_id, (world.owner_id,))
    reply = login_as(other_sme_user).post("/my-data/delete", data={
        "password": other_sme_user.password, "confirmation": "另一家公司"})
    assert reply.status_code == 302
    assert h.census(db, world.enterprise_id, (world.owner_id,)) == before
    assert h.census(db, world.other_enterprise_id).keys() == {
        "enterprises", "retained_records", "audit_records"}


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_a_post_without_the_form_token_deletes_nothing(app, db, client, world, sme_user):
    login(client, sme_user.email, token=csrf_token(client, "/auth/login"))
    before = h.census(db, world.enterprise_id, (world.owner_id,))
    reply = client.post("/my-data/delete", data={"password": sme_user.password,
                                                 "confirmation": NAME})
    assert reply.status_code == 400
    assert h.census(db, world.enterprise_id, (world.owner_id,)) == before
    token = csrf_token(client, "/my-data/delete")
    reply = client.post("/my-data/delete", data={"password": sme_user.password,
                                                 "confirmation": NAME, "csrf_token": token})
    assert reply.status_code == 302


def test_my_data_links_owners_to_the_deletion_page(sme_user, login_as):
    assert 'href="/my-data/delete"' in login_as(sme_user).get("/my-data/").get_data(as_text=True)
