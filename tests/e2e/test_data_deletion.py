"""Deleting the enterprise in Chromium, Chinese on a phone and English on a desktop: from My data
to the deletion page (what goes, what is kept and until when), a wrong password refused next to
the field, then the deletion, the confirmation page signed out, and no way back in. No serious
or critical axe violation on the pages, no sideways scrolling."""
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from services import accounts
from storage.db import db_session
from storage.models import Enterprise, User
from tests.helpers import PASSWORD

VIEWS = [pytest.param("zh-CN", 375, id="zh-375"), pytest.param("en-US", 1280, id="en-1280")]
SHOTS = Path(__file__).resolve().parents[2] / "instance" / "screenshots"
NAME = "删除测试有限公司"


def _check(page, axe, width, shot):
    assert axe(page) == [], page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{shot}-{width}.png"), full_page=True)


@pytest.mark.parametrize("locale, width", VIEWS)
def test_an_owner_deletes_the_enterprise(live_server, new_context, axe, locale, width):
    app = live_server.app
    email = f"delete-{uuid.uuid4().hex[:8]}@example.com"
    with app.app_context():
        user_id = accounts.register(email, PASSWORD, "吴经理", NAME)
        enterprise_id = accounts.load_account(user_id).enterprise_id
    page = new_context(locale=locale, width=width).new_page()
    page.goto("/auth/login")
    if locale.startswith("en"):
        page.click("button[name=locale][value=en]")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", PASSWORD)
    page.click("main form button[type=submit]")
    page.wait_for_load_state()

    page.goto("/my-data/")
    page.click("a[href='/my-data/delete']")
    page.wait_for_selector("form button.danger")
    assert "1825" in page.inner_text("main")
    _check(page, axe, width, "delete")

    page.fill("#password", "not my password")
    page.fill("#confirmation", NAME)
    page.click("form button.danger")
    page.wait_for_selector("#password-error")
    _check(page, axe, width, "delete-refused")

    page.fill("#password", PASSWORD)
    page.fill("#confirmation", NAME)
    page.click("form button.danger")
    page.wait_for_url("**/my-data/deleted")
    assert ("企业已删除" if locale.startswith("zh") else "The enterprise was deleted") in \
        page.inner_text("h1")
    _check(page, axe, width, "deleted")

    page.goto("/my-data/")
    assert "/auth/login" in page.url
    with app.app_context():
        assert db_session.scalar(select(User.id).where(User.email == email)) is None
        tombstone = db_session.get(Enterprise, enterprise_id)
        assert tombstone.name == "" and tombstone.deleted_at is not None
