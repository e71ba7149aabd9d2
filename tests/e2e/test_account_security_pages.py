"""The account security pages in Chromium, Chinese on a phone and English on a desktop: the
registration mail page and its confirmation, changing the password, the colleagues page with
invitations to withdraw or send again, account administration. No serious or critical axe
violation, no sideways scrolling, and the Content-Security-Policy blocks nothing the pages use."""
import uuid

import pytest

from services import accounts, invitations
from tests.helpers import PASSWORD

VIEWS = [pytest.param("zh-CN", 375, id="zh-375"), pytest.param("en-US", 1280, id="en-1280")]


@pytest.fixture
def people(live_server):
    """An owner with a pending invitation, and an administrator."""
    app = live_server.app
    tag = uuid.uuid4().hex[:8]
    with app.app_context():
        owner_id = accounts.register(f"owner-{tag}@example.com", PASSWORD, "周经理", "安全测试公司")
        owner = accounts.load_account(owner_id)
        invitations.invite(owner, owner.enterprise_id, f"colleague-{tag}@example.com", 14)
        accounts.create_user(f"admin-{tag}@example.com", PASSWORD, "管理员", ("administrator",))
    return {"owner": f"owner-{tag}@example.com", "admin": f"admin-{tag}@example.com"}


def _open(new_context, email, locale, width):
    page = new_context(locale=locale, width=width).new_page()
    blocked = []
    page.on("console", lambda m: blocked.append(m.text)
            if "Content Security Policy" in m.text else None)
    page.goto("/auth/login")
    if locale.startswith("en"):
        page.click("button[name=locale][value=en]")
    if email:
        page.fill("input[name=email]", email)
        page.fill("input[name=password]", PASSWORD)
        page.click("main form button[type=submit]")
        page.wait_for_load_state()
    return page, blocked


def _check(page, axe, width, blocked):
    assert axe(page) == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
    assert blocked == [], blocked


@pytest.mark.parametrize("locale, width", VIEWS)
def test_colleagues_and_password_pages(new_context, people, axe, locale, width):
    page, blocked = _open(new_context, people["owner"], locale, width)
    page.goto("/auth/invite")
    assert page.locator("table.invitations .state-pending").count() == 1
    _check(page, axe, width, blocked)
    page.click("table.invitations form[action$='/resend'] button")
    page.wait_for_selector(".panel input[readonly]")
    _check(page, axe, width, blocked)
    page.click("table.invitations form[action$='/withdraw'] button")
    page.wait_for_selector("table.invitations .state-withdrawn")
    _check(page, axe, width, blocked)

    page.goto("/auth/password")
    page.fill("#old_password", "wrong password")
    page.fill("#password", "password")
    page.fill("#confirm", "password")
    page.click("main form button[type=submit]")
    page.wait_for_selector(".error-message")
    _check(page, axe, width, blocked)


@pytest.mark.parametrize("locale, width", VIEWS)
def test_account_administration_page(new_context, people, axe, locale, width):
    page, blocked = _open(new_context, people["admin"], locale, width)
    page.goto("/accounts/?q=" + people["owner"])
    assert page.locator(".account").count() == 1
    _check(page, axe, width, blocked)
    page.click(".account form[action$='/disable'] button")
    page.wait_for_selector(".account.disabled")
    _check(page, axe, width, blocked)
    page.click(".account form[action$='/enable'] button")
    page.wait_for_selector(".account:not(.disabled)")
    page.goto("/accounts/?q=" + people["admin"])  # signed in: a session to end
    assert page.locator(".account form[action$='/end-sessions'] button").count() == 1
    _check(page, axe, width, blocked)


@pytest.mark.parametrize("locale, width", VIEWS)
def test_registration_mail_and_confirmation_pages(new_context, live_server, axe, locale, width):
    page, blocked = _open(new_context, None, locale, width)
    email = f"reg-{uuid.uuid4().hex[:8]}@example.com"
    page.goto("/auth/register")
    page.fill("#enterprise_name", "确认测试公司")
    page.fill("#name", "吴女士")
    page.fill("#email", email)
    page.fill("#password", PASSWORD)
    page.fill("#confirm", PASSWORD)
    page.click("form.stack button[type=submit]")
    page.wait_for_selector("main h1")
    _check(page, axe, width, blocked)
    live_server.confirm_registration(page, email)
    _check(page, axe, width, blocked)
