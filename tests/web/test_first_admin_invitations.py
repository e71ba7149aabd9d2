"""An organisation whose first administrator was invited and never joined: the platform
administrator sees its admin invitations with their state on /admin/organisations, sends one
again (new link, old one dead), withdraws one or invites someone else. Nobody else can, and
once the organisation has an admin its own admins look after its invitations (404 here)."""
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from storage.base import utcnow
from storage.organisation_models import OrgMembership, StaffInvitation
from tests.organisation_helpers import make_org, staff_user
from tests.web.test_staff_invitations import _join, _row, _works

PAGE = "/admin/organisations"


@pytest.fixture
def admin(make_user, login_as):
    return login_as(make_user(roles=("administrator",), enterprise=None))


def _link(html: str) -> str:
    return html.split('readonly value="')[1].split('"')[0].replace("http://localhost", "")


def _url(org, invitation_id, action):
    return f"{PAGE}/{org}/invitations/{invitation_id}/{action}"


@pytest.fixture
def invited(app, db, admin):
    """A centre created with an invited first admin: (org id, first link)."""
    html = admin.post(PAGE, data={"kind": "centre", "name": "未激活中心",
                                  "admin_email": "boss@example.com"}).get_data(as_text=True)
    org = db.scalar(select(StaffInvitation.organisation_id))
    return org, _link(html)


def _waiting_part(html):
    return html.split('id="waiting"')[1].split('id="list-title"')[0]


def test_the_waiting_organisation_is_listed_with_its_invitation_in_both_languages(
        app, db, admin, invited):
    db.execute(update(StaffInvitation).values(expires_at=utcnow() - timedelta(minutes=1)))
    db.commit()
    part = _waiting_part(admin.get(PAGE).get_data(as_text=True))
    assert "未激活中心" in part and "boss@example.com" in part and "已过期" in part
    assert "/resend" in part and "/withdraw" in part
    admin.post("/auth/language", data={"locale": "en", "next": "/"})
    english = _waiting_part(admin.get(PAGE).get_data(as_text=True))
    for text in ("Waiting for a first administrator", "Expired", "Send again", "Withdraw",
                 "Invite"):
        assert text in english


def test_sending_again_makes_a_new_link_and_the_person_becomes_admin(app, db, admin, invited):
    org, old = invited
    row = _row(db, "boss@example.com")
    row_id, old_hash = row.id, row.token_hash
    db.execute(update(StaffInvitation).values(expires_at=utcnow() - timedelta(days=1)))
    db.commit()
    assert not _works(app, old)
    response = admin.post(_url(org, row_id, "resend"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and "已用新链接重新发送邀请" in html
    new = _link(html)
    assert new != old and _row(db, "boss@example.com").token_hash != old_hash
    assert _works(app, new) and not _works(app, old)
    assert _join(app, new).status_code == 302
    db.expire_all()
    assert db.scalar(select(OrgMembership.role).where(OrgMembership.organisation_id == org)) \
        == "centre_admin"
    # it has an admin now: the section is gone and the platform administrator's buttons 404
    assert 'id="waiting"' not in admin.get(PAGE).get_data(as_text=True)
    assert admin.post(_url(org, row_id, "withdraw")).status_code == 404


def test_withdrawing_kills_the_link_and_sending_again_revives_it(app, db, admin, invited):
    org, link = invited
    row_id = _row(db, "boss@example.com").id
    done = admin.post(_url(org, row_id, "withdraw"), follow_redirects=True)
    assert "邀请已撤回：其链接不再有效。" in done.get_data(as_text=True)
    assert "已撤回" in _waiting_part(done.get_data(as_text=True))
    assert _row(db, "boss@example.com").withdrawn_at is not None and not _works(app, link)
    again = _link(admin.post(_url(org, row_id, "resend")).get_data(as_text=True))
    assert _row(db, "boss@example.com").withdrawn_at is None and _works(app, again)


def test_inviting_someone_else_when_the_address_was_wrong(app, db, admin, invited):
    org, _ = invited
    html = admin.post(f"{PAGE}/{org}/first-admin", data={"email": " Right@Example.com "}
                      ).get_data(as_text=True)
    assert _works(app, _link(html)) and _row(db, "right@example.com").role == "centre_admin"


def test_an_organisation_without_any_invitation_gets_its_first_admin(app, db, admin,
                                                                     make_user):
    org = make_org(app, "bureau", name="无人主管部门")
    part = _waiting_part(admin.get(PAGE).get_data(as_text=True))
    assert "无人主管部门" in part and "尚未发送邀请。" in part
    person = make_user(enterprise=None, roles=())
    response = admin.post(f"{PAGE}/{org}/first-admin", data={"email": person.email})
    assert response.status_code == 302
    db.expire_all()
    assert db.scalar(select(OrgMembership.role).where(OrgMembership.user_id == person.id)) \
        == "bureau_admin"


@pytest.mark.parametrize("email, status, text", [
    ("not-an-address", 400, "请输入有效的邮箱地址。"), ("", 400, "请输入有效的邮箱地址。")])
def test_a_bad_address_is_named_and_nothing_changes(app, db, admin, invited, email, status,
                                                    text):
    org, _ = invited
    response = admin.post(f"{PAGE}/{org}/first-admin", data={"email": email})
    assert response.status_code == status and text in response.get_data(as_text=True)
    db.expire_all()
    assert len(db.scalars(select(StaffInvitation)).all()) == 1


@pytest.mark.parametrize("who", ["sme", "centre admin", "signed out"])
@pytest.mark.parametrize("action", ["withdraw", "resend", "first-admin"])
def test_nobody_else_touches_the_invitations(app, db, admin, invited, make_user, login_as,
                                             sme_client, who, action):
    org, link = invited
    row = _row(db, "boss@example.com")
    kept = (row.token_hash, row.withdrawn_at, row.expires_at)
    client = {"sme": sme_client, "signed out": app.test_client()}.get(who) or login_as(
        staff_user(app, make_user, make_org(app, "centre"), "centre_admin"))
    url = (f"{PAGE}/{org}/first-admin" if action == "first-admin"
           else _url(org, row.id, action))
    response = client.post(url, data={"email": "intruder@example.com"})
    if who == "signed out":
        assert response.status_code == 302 and "/auth/login" in response.location
    else:
        assert response.status_code == 404
    after = _row(db, "boss@example.com")
    assert (after.token_hash, after.withdrawn_at, after.expires_at) == kept
    assert _row(db, "intruder@example.com") is None and _works(app, link)


def test_another_organisations_or_a_staff_invitation_is_not_found(app, db, admin, invited,
                                                                  make_user, login_as):
    org, _ = invited
    other = make_org(app, "centre", name="另一中心")
    row_id = _row(db, "boss@example.com").id
    assert admin.post(_url(other, row_id, "resend")).status_code == 404
    assert admin.post(_url(org, 999999, "resend")).status_code == 404
    # a staffed centre's consultant invitation belongs to its own admins
    theirs = login_as(staff_user(app, make_user, other, "centre_admin"))
    theirs.post(f"/org/{other}/staff", data={"email": "c@example.com", "role": "consultant"})
    staff_row = _row(db, "c@example.com")
    for action in ("withdraw", "resend"):
        assert admin.post(_url(other, staff_row.id, action)).status_code == 404
    assert _row(db, "c@example.com").token_hash == staff_row.token_hash
    assert admin.post(f"{PAGE}/{other}/first-admin", data={"email": "x@example.com"}
                      ).status_code == 404
