"""An owner invites a colleague, who joins the same enterprise."""
import re

from sqlalchemy import select

from storage.models import Membership, User
from tests.helpers import PASSWORD, logout


def _invite(client, email):
    response = client.post("/auth/invite", data={"email": email})
    assert response.status_code == 200
    match = re.search(r'value="(http://[^"]+/auth/invitation/[^"]+)"', response.get_data(as_text=True))
    assert match, "the invitation link is shown to the owner"
    return match.group(1).replace("http://localhost", "")


def test_owner_sees_the_people_of_the_enterprise(sme_client, sme_user):
    page = sme_client.get("/auth/invite").get_data(as_text=True)
    assert sme_user.email in page


def test_invited_colleague_creates_an_account_and_joins_as_member(app, sme_client, sme_user, db):
    link = _invite(sme_client, "Colleague@Example.com")
    colleague = app.test_client()

    assert "colleague@example.com" in colleague.get(link).get_data(as_text=True)
    response = colleague.post(link, data={"name": "李强", "password": PASSWORD,
                                          "confirm": PASSWORD})

    assert response.status_code == 302
    user = db.scalar(select(User).where(User.email == "colleague@example.com"))
    membership = db.scalar(select(Membership).where(Membership.user_id == user.id))
    assert (membership.enterprise_id, membership.role) == (sme_user.enterprise_id, "member")
    assert colleague.get("/profile/").status_code == 200
    # The link works once only.
    again = app.test_client().post(link, data={"name": "X", "password": PASSWORD,
                                               "confirm": PASSWORD})
    assert again.status_code == 302 and again.location.endswith("/")


def test_a_signed_in_person_joins_with_the_existing_account(app, sme_client, make_user, login_as,
                                                            sme_user, db):
    other = make_user()
    link = _invite(sme_client, other.email)
    client = login_as(other)

    assert client.post(link).status_code == 302
    rows = db.scalars(select(Membership.enterprise_id).where(Membership.user_id == other.id))
    assert set(rows) == {other.enterprise_id, sme_user.enterprise_id}


def test_someone_with_an_account_is_asked_to_log_in_first(app, sme_client, make_user):
    other = make_user()
    link = _invite(sme_client, other.email)
    page = app.test_client().get(link).get_data(as_text=True)
    assert "请先登录" in page


def test_inviting_a_current_member_is_refused(sme_client, sme_user):
    response = sme_client.post("/auth/invite", data={"email": sme_user.email})
    assert "已是本企业成员" in response.get_data(as_text=True)
    assert "/auth/invitation/" not in response.get_data(as_text=True)


def test_members_see_the_people_but_only_owners_invite(app, sme_client, make_user, login_as):
    link = _invite(sme_client, "member@example.com")
    member = app.test_client()
    member.post(link, data={"name": "M", "password": PASSWORD, "confirm": PASSWORD})
    page = member.get("/auth/invite")
    assert page.status_code == 200 and 'name="email"' not in page.get_data(as_text=True)
    assert member.post("/auth/invite", data={"email": "x@example.com"}).status_code == 404
    staff = login_as(make_user(roles=("consultant",), enterprise=None))
    assert staff.get("/auth/invite").status_code == 404


def test_a_made_up_invitation_is_refused(client):
    response = client.post("/auth/invitation/nonsense", data={"name": "X", "password": PASSWORD,
                                                              "confirm": PASSWORD})
    assert response.status_code == 302


def test_invitations_need_login(client):
    assert client.get("/auth/invite").status_code == 302
    logout(client)


def test_people_of_two_enterprises_choose_which_one_they_act_for(app, sme_client, make_user,
                                                                  login_as, sme_user):
    other = make_user(enterprise="第二家公司")
    link = _invite(sme_client, other.email)
    client = login_as(other)
    client.post(link)

    page = client.get("/profile/").get_data(as_text=True)
    assert "第二家公司" in page and 'id="enterprise-switch"' in page
    response = client.post("/auth/enterprise", data={"enterprise_id": sme_user.enterprise_id,
                                                     "next": "/profile/"})
    assert response.status_code == 302
    assert "示例机械有限公司</h1>" in client.get("/profile/").get_data(as_text=True)
    # An enterprise the person does not belong to cannot be chosen.
    stranger = make_user(enterprise="陌生公司")
    assert client.post("/auth/enterprise",
                       data={"enterprise_id": stranger.enterprise_id}).status_code == 404
    assert client.post("/auth/enterprise", data={"enterprise_id": "x"}).status_code == 400


def test_people_of_one_enterprise_see_no_switch(sme_client):
    assert 'id="enterprise-switch"' not in sme_client.get("/profile/").get_data(as_text=True)
