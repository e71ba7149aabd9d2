"""A centre's admin manages staff invitations in Chromium: invites two people, withdraws one
(its link then leads nowhere), sends the other again (only the new link works); the list shows
each state. axe-core and no sideways scrolling on a phone in Chinese and a desktop in English."""
import uuid

import pytest

from services import accounts, organisations, staff
from tests.e2e.test_accessibility import VIEWS, _open
from tests.helpers import PASSWORD


@pytest.fixture
def centre_admin(live_server):
    app = live_server.app
    email = f"centre-admin-{uuid.uuid4().hex[:8]}@example.com"
    with app.app_context():
        org_id = organisations.create(organisations.OPERATOR, {
            "kind": "centre", "name": f"测试中心{uuid.uuid4().hex[:4]}"},
            organisations.reference(app.config)).id
        user_id = accounts.create_user(email, PASSWORD, "吴主任", (), "zh_CN")
        staff.add_member(org_id, user_id, "centre_admin")
    return {"email": email, "org": org_id}


def _invite(page, email):
    page.fill("#email", email)
    page.select_option("#role", "consultant")
    page.click("main form.stack button[type=submit]")
    return page.input_value("main .panel input")


def _row(page, email):
    return page.locator("table.invitations tbody tr", has_text=email)


@pytest.mark.parametrize("locale, width", VIEWS)
def test_an_admin_withdraws_one_invitation_and_sends_another_again(
        new_context, live_server, centre_admin, axe, locale, width):
    page = _open(new_context, centre_admin, locale, width)
    page.goto(f"/org/{centre_admin['org']}/staff")
    english = locale.startswith("en")
    later, again = (f"{who}-{uuid.uuid4().hex[:6]}@example.com" for who in ("later", "again"))
    withdrawn_link = _invite(page, later)
    old_link = _invite(page, again)
    assert axe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    _row(page, later).locator("form[action$='/withdraw'] button").click()
    assert ("Withdrawn" if english else "已撤回") in _row(page, later).inner_text()
    _row(page, again).locator("form[action$='/resend'] button").click()
    new_link = page.input_value("main .panel input")
    assert new_link != old_link
    assert ("Pending" if english else "待接受") in _row(page, again).inner_text()
    assert axe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    visitor = new_context(locale=locale, width=width).new_page()
    for dead in (withdrawn_link, old_link):
        visitor.goto(dead)
        assert visitor.url.rstrip("/") == live_server.url  # sent home, with the reason
    visitor.goto(new_link)
    assert again in visitor.inner_text("main")
