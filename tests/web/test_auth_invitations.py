"""An owner invites a colleague, who joins the same enterprise."""
import re

import pytest
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


def _invitation_id(db, email):
    from storage.models import Invitation
    return db.scalar(select(Invitation.id).where(Invitation.email == email))


def test_owner_sees_invitations_with_their_state(app, sme_client, db):
    from datetime import timedelta

    from storage.models import Invitation
    joined = _invite(sme_client, "joined@example.com")
    app.test_client().post(joined, data={"name": "J", "password": PASSWORD, "confirm": PASSWORD})
    _invite(sme_client, "waiting@example.com")
    _invite(sme_client, "late@example.com")
    _invite(sme_client, "taken-back@example.com")
    sme_client.post(f"/auth/invitations/{_invitation_id(db, 'taken-back@example.com')}/withdraw")
    late = db.get(Invitation, _invitation_id(db, "late@example.com"))
    late.expires_at = late.expires_at - timedelta(days=30)
    db.commit()

    page = sme_client.get("/auth/invite").get_data(as_text=True)
    states = dict(re.findall(r"<td>([^<]+@example\.com)</td>\s*<td><span class=\"state state-(\w+)\"",
                             page))
    assert states == {"joined@example.com": "accepted", "waiting@example.com": "pending",
                      "late@example.com": "expired", "taken-back@example.com": "withdrawn"}


def test_a_withdrawn_invitation_no_longer_works(app, sme_client, db):
    link = _invite(sme_client, "colleague@example.com")
    response = sme_client.post(f"/auth/invitations/{_invitation_id(db, 'colleague@example.com')}/withdraw")
    assert response.status_code == 302
    used = app.test_client().post(link, data={"name": "X", "password": PASSWORD,
                                              "confirm": PASSWORD})
    assert used.status_code == 302 and used.location.endswith("/")
    assert db.scalar(select(User.id).where(User.email == "colleague@example.com")) is None


def test_sending_again_makes_a_new_link_and_kills_the_old_one(app, sme_client, sme_user, db):
    old = _invite(sme_client, "colleague@example.com")
    response = sme_client.post(f"/auth/invitations/{_invitation_id(db, 'colleague@example.com')}/resend")
    new = re.search(r'value="http://localhost(/auth/invitation/[^"]+)"',
                    response.get_data(as_text=True)).group(1)
    assert new != old
    assert app.test_client().get(old).status_code == 302  # refused
    joined = app.test_client().post(new, data={"name": "X", "password": PASSWORD,
                                               "confirm": PASSWORD})
    assert joined.status_code == 302
    assert db.scalar(select(Membership.enterprise_id).join(User).where(
        User.email == "colleague@example.com")) == sme_user.enterprise_id


def test_an_accepted_invitation_cannot_be_withdrawn_or_sent_again(app, sme_client, db):
    link = _invite(sme_client, "colleague@example.com")
    app.test_client().post(link, data={"name": "X", "password": PASSWORD, "confirm": PASSWORD})
    invitation_id = _invitation_id(db, "colleague@example.com")
    for action in ("withdraw", "resend"):
        page = sme_client.post(f"/auth/invitations/{invitation_id}/{action}",
                               follow_redirects=True).get_data(as_text=True)
        assert "该邀请已被接受" in page


@pytest.mark.parametrize("action", ["withdraw", "resend"])
def test_only_the_owner_of_the_enterprise_manages_its_invitations(app, sme_client, make_user,
                                                                  login_as, db, action):
    _invite(sme_client, "colleague@example.com")
    invitation_id = _invitation_id(db, "colleague@example.com")
    member_link = _invite(sme_client, "member@example.com")
    member = app.test_client()
    member.post(member_link, data={"name": "M", "password": PASSWORD, "confirm": PASSWORD})
    other_owner = login_as(make_user(enterprise="别家公司"))
    staff = login_as(make_user(roles=("administrator",), enterprise=None))
    for client in (member, other_owner, staff):
        assert client.post(f"/auth/invitations/{invitation_id}/{action}").status_code == 404
    signed_out = app.test_client().post(f"/auth/invitations/{invitation_id}/{action}")
    assert signed_out.status_code == 302 and "/auth/login" in signed_out.location
    for huge in (2**63, 999999):
        assert sme_client.post(f"/auth/invitations/{huge}/{action}").status_code == 404
    from storage.models import Invitation
    row = db.get(Invitation, invitation_id)
    assert row.withdrawn_at is None and row.accepted_at is None


def test_invitation_pages_speak_english(sme_client):
    _invite(sme_client, "colleague@example.com")
    sme_client.post("/auth/language", data={"locale": "en"})
    page = sme_client.get("/auth/invite").get_data(as_text=True)
    assert "Invitations sent" in page and "Pending" in page and "Withdraw" in page
