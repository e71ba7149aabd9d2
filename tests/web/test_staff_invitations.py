"""Organisation staff invitations: admins see each with its state (pending, accepted, expired,
withdrawn), withdraw it or send it again (a new link by mail; the old one stops working).
Everyone else (staff who are not admins, another organisation's admin, an SME, no login) gets
404 (or the login page) and nothing changes, in the person's language."""
import os
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from storage.base import utcnow
from storage.organisation_models import StaffInvitation
from tests.helpers import login
from tests.organisation_helpers import add_staff, staff_user
from tests.web.test_auth_mail import mail_app, smtp_sink  # noqa: F401
from tests.web.test_organisation_pages import admin, centre  # noqa: F401

REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _invite(client, org, email, role="consultant"):
    html = client.post(f"/org/{org}/staff", data={"email": email, "role": role}
                       ).get_data(as_text=True)
    return html.split('readonly value="')[1].split('"')[0].replace("http://localhost", "")


def _row(db, email) -> StaffInvitation:
    db.expire_all()
    return db.scalar(select(StaffInvitation).where(StaffInvitation.email == email))


def _url(org, invitation_id, action):
    return f"/org/{org}/staff/invitations/{invitation_id}/{action}"


def _works(app, link) -> bool:
    """The link opens the joining page (a dead one sends the visitor home with a message)."""
    return app.test_client().get(link).status_code == 200


def _join(app, link):
    return app.test_client().post(link, data={"name": "新同事", "password": "correct horse battery",
                                              "confirm": "correct horse battery"})


def test_the_page_lists_every_invitation_with_its_state(app, db, centre, admin):
    links = {state: _invite(admin, centre.org, f"{state}@example.com")
             for state in ("pending", "accepted", "expired", "withdrawn")}
    assert _join(app, links["accepted"]).status_code == 302
    db.execute(update(StaffInvitation).where(StaffInvitation.email == "expired@example.com")
               .values(expires_at=utcnow() - timedelta(minutes=1)))
    db.commit()
    assert admin.post(_url(centre.org, _row(db, "withdrawn@example.com").id,
                           "withdraw")).status_code == 302
    page = admin.get(f"/org/{centre.org}/staff").get_data(as_text=True)
    table = page.split('<table class="invitations')[1]
    rows = {r.split("<td>")[1].split("</td>")[0]: r for r in table.split("<tr>")[2:]}
    assert "待接受" in rows["pending@example.com"] and "已接受" in rows["accepted@example.com"]
    assert "已过期" in rows["expired@example.com"] and "已撤回" in rows["withdrawn@example.com"]
    assert "咨询顾问" in rows["pending@example.com"]
    # accepted: nothing to do; withdrawn: only send again; pending and expired: both
    assert "/resend" not in rows["accepted@example.com"]
    assert "/withdraw" not in rows["accepted@example.com"]
    assert "/resend" in rows["withdrawn@example.com"]
    assert "/withdraw" not in rows["withdrawn@example.com"]
    assert "/withdraw" in rows["expired@example.com"] and "/resend" in rows["pending@example.com"]
    admin.post("/auth/language", data={"locale": "en", "next": "/"})
    english = admin.get(f"/org/{centre.org}/staff").get_data(as_text=True)
    for word in ("Pending", "Accepted", "Expired", "Withdrawn", "Invitations sent", "Send again"):
        assert word in english


def test_a_withdrawn_link_is_dead_and_withdrawing_twice_changes_nothing(app, db, centre, admin):
    link = _invite(admin, centre.org, "later@example.com")
    row = _row(db, "later@example.com")
    done = admin.post(_url(centre.org, row.id, "withdraw"), follow_redirects=True)
    assert "邀请已撤回：其链接不再有效。" in done.get_data(as_text=True)
    first = _row(db, "later@example.com").withdrawn_at
    assert first is not None and not _works(app, link)
    assert _join(app, link).status_code == 302 and _row(db, "later@example.com").accepted_at is None
    assert admin.post(_url(centre.org, row.id, "withdraw")).status_code == 302
    assert _row(db, "later@example.com").withdrawn_at == first


def test_sending_again_makes_a_new_link_and_the_old_one_dies(app, db, centre, admin):
    old = _invite(admin, centre.org, "again@example.com")
    before = _row(db, "again@example.com")
    before_id, before_hash = before.id, before.token_hash
    page = admin.post(_url(centre.org, before_id, "resend"))
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "已用新链接重新发送邀请；之前的链接不再有效。" in html
    new = html.split('readonly value="')[1].split('"')[0].replace("http://localhost", "")
    after = _row(db, "again@example.com")
    assert new != old and after.token_hash != before_hash and after.id == before_id
    assert not _works(app, old) and _works(app, new)
    assert _join(app, old).status_code == 302 and _row(db, "again@example.com").accepted_at is None
    assert _join(app, new).status_code == 302
    assert _row(db, "again@example.com").accepted_by is not None


def test_a_withdrawn_or_expired_invitation_sent_again_works_again(app, db, centre, admin):
    _invite(admin, centre.org, "back@example.com")
    row_id = _row(db, "back@example.com").id
    admin.post(_url(centre.org, row_id, "withdraw"))
    db.execute(update(StaffInvitation).where(StaffInvitation.id == row_id)
               .values(expires_at=utcnow() - timedelta(days=1)))
    db.commit()
    html = admin.post(_url(centre.org, row_id, "resend")).get_data(as_text=True)
    link = html.split('readonly value="')[1].split('"')[0].replace("http://localhost", "")
    again = _row(db, "back@example.com")
    assert again.withdrawn_at is None and _works(app, link)


@pytest.mark.parametrize("lang, text", [
    ("zh", "该邀请已被接受。"), ("en", "This invitation has been accepted already.")])
def test_an_accepted_invitation_is_neither_withdrawn_nor_sent_again(app, db, centre, admin,
                                                                     lang, text):
    assert _join(app, _invite(admin, centre.org, "joined@example.com")).status_code == 302
    row = _row(db, "joined@example.com")
    row_id, token_hash = row.id, row.token_hash
    admin.post("/auth/language", data={"locale": lang, "next": "/"})
    for action in ("withdraw", "resend"):
        refused = admin.post(_url(centre.org, row_id, action))
        assert refused.status_code == 409 and text in refused.get_data(as_text=True)
    after = _row(db, "joined@example.com")
    assert (after.token_hash, after.withdrawn_at) == (token_hash, None)


def test_sending_again_to_someone_already_on_the_staff_is_refused(app, db, centre, admin,
                                                                   make_user):
    person = make_user(enterprise=None, roles=())
    _invite(admin, centre.org, person.email)
    row = _row(db, person.email)
    row_id, token_hash = row.id, row.token_hash
    add_staff(app, centre.org, person, "consultant")  # joined some other way meanwhile
    refused = admin.post(_url(centre.org, row_id, "resend"))
    assert refused.status_code == 409 and "此人已是本机构人员。" in refused.get_data(as_text=True)
    assert _row(db, person.email).token_hash == token_hash


@pytest.mark.parametrize("who", ["consultant", "other centre's admin", "owner", "signed out"])
@pytest.mark.parametrize("action", ["withdraw", "resend"])
def test_only_the_organisations_admins_withdraw_or_resend_its_invitations(
        app, db, centre, admin, make_user, login_as, who, action):
    link = _invite(admin, centre.org, "keep@example.com")
    row = _row(db, "keep@example.com")
    kept = (row.token_hash, None, row.expires_at)
    if who == "other centre's admin":
        client = login_as(staff_user(app, make_user, centre.other_org, "centre_admin"))
        tries = [_url(centre.other_org, row.id, action), _url(centre.org, row.id, action)]
    else:
        client = {"consultant": centre.consultant, "owner": centre.owner,
                  "signed out": app.test_client()}[who]
        tries = [_url(centre.org, row.id, action)]
    for url in tries:
        response = client.post(url)
        if who == "signed out":
            assert response.status_code == 302 and "/auth/login" in response.location
        else:
            assert response.status_code == 404
    after = _row(db, "keep@example.com")
    assert (after.token_hash, after.withdrawn_at, after.expires_at) == kept
    assert _works(app, link)


def test_an_unknown_invitation_id_is_not_found(db, centre, admin):
    for action in ("withdraw", "resend"):
        assert admin.post(_url(centre.org, 999999, action)).status_code == 404


def test_another_organisations_invitation_is_not_found_for_this_admin(
        app, db, centre, admin, make_user, login_as):
    theirs = login_as(staff_user(app, make_user, centre.other_org, "centre_admin"))
    link = _invite(theirs, centre.other_org, "theirs@example.com")
    row = _row(db, "theirs@example.com")
    row_id, token_hash = row.id, row.token_hash
    for action in ("withdraw", "resend"):
        assert admin.post(_url(centre.org, row_id, action)).status_code == 404
    after = _row(db, "theirs@example.com")
    assert (after.token_hash, after.withdrawn_at) == (token_hash, None) and _works(app, link)


@pytest.mark.redis
def test_the_new_link_goes_out_through_the_mail_queue(mail_app, db, centre, admin):
    from redis import Redis
    from rq import Queue

    app, inbox = mail_app
    name = f"mail-test-{uuid.uuid4().hex[:8]}"
    app.config.update(REDIS_URL=REDIS_URL, MAIL_QUEUE=name)
    queue = Queue(name, connection=Redis.from_url(REDIS_URL))
    try:
        _invite(admin, centre.org, "mailed@example.com")
        assert queue.count == 1
        admin.post(_url(centre.org, _row(db, "mailed@example.com").id, "resend"))
        assert queue.count == 2 and inbox == []
        message = queue.jobs[-1].args[0]
        assert message["to"] == "mailed@example.com" and "/org/invitation/" in message["body"]
    finally:
        queue.delete(delete_jobs=True)


def test_someone_signed_in_with_the_invited_address_joins_with_the_new_link_only(
        app, db, centre, admin, make_user):
    person = make_user(enterprise=None, roles=())
    old = _invite(admin, centre.org, person.email)
    html = admin.post(_url(centre.org, _row(db, person.email).id, "resend")).get_data(as_text=True)
    new = html.split('readonly value="')[1].split('"')[0].replace("http://localhost", "")
    visitor = app.test_client()
    login(visitor, person.email)
    assert visitor.post(old).status_code == 302 and _row(db, person.email).accepted_at is None
    assert visitor.post(new).status_code == 302 and _row(db, person.email).accepted_at is not None
