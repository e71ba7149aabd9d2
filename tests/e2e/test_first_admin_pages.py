"""The platform administrator rescues an organisation whose first administrator never joined,
in Chromium: the organisation waits on /admin/organisations with its invitation; sending it
again gives a new link (the old one leads nowhere) and the invited person joins as its admin,
after which it no longer waits. axe-core and no sideways scrolling on a phone in Chinese and a
desktop in English."""
import uuid

import pytest

from services import accounts, organisations
from tests.e2e.test_accessibility import VIEWS, _open
from tests.helpers import PASSWORD


@pytest.fixture
def waiting(live_server):
    app = live_server.app
    email = f"platform-{uuid.uuid4().hex[:8]}@example.com"
    name = f"待激活中心{uuid.uuid4().hex[:4]}"
    boss = f"boss-{uuid.uuid4().hex[:6]}@example.com"
    with app.app_context():
        accounts.create_user(email, PASSWORD, "平台管理员", ("administrator",), "zh_CN")
        created = organisations.create(organisations.OPERATOR, {
            "kind": "centre", "name": name, "admin_email": boss},
            organisations.reference(app.config))
    return {"email": email, "name": name, "boss": boss,
            "old_link": f"/org/invitation/{created.invitation_token}"}


@pytest.mark.parametrize("locale, width", VIEWS)
def test_a_lost_first_admin_invitation_is_sent_again(new_context, live_server, waiting, axe,
                                                     locale, width):
    page = _open(new_context, waiting, locale, width)
    page.goto("/admin/organisations")
    box = page.locator(".waiting-organisation", has_text=waiting["name"])
    assert waiting["boss"] in box.inner_text()
    assert axe(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    box.locator("form[action$='/resend'] button").click()
    new_link = page.input_value("main .panel input")
    assert new_link.endswith(waiting["old_link"]) is False
    assert axe(page) == []

    visitor = new_context(locale=locale, width=width).new_page()
    visitor.goto(waiting["old_link"])
    assert visitor.url.rstrip("/") == live_server.url  # sent home, with the reason
    visitor.goto(new_link)
    visitor.fill("input[name=name]", "新主任")
    visitor.fill("input[name=password]", "correct horse battery")
    visitor.fill("input[name=confirm]", "correct horse battery")
    visitor.click("main form button[type=submit]")
    assert "/org/" in visitor.url

    page.goto("/admin/organisations")
    assert page.locator(".waiting-organisation", has_text=waiting["name"]).count() == 0


@pytest.mark.parametrize("locale, kind", [("zh-CN", "类型："), ("en-US", "Kind:")])
def test_on_a_phone_each_organisation_is_a_block_of_labelled_facts(new_context, waiting, axe,
                                                                    locale, kind):
    page = _open(new_context, waiting, locale, 375)
    page.goto("/admin/organisations")
    table = page.locator("section[aria-labelledby=list-title] table")
    row = table.locator("tbody tr", has_text=waiting["name"])
    name = row.locator("td").first.bounding_box()
    facts = row.locator("td").nth(1)
    # The name takes the whole width of the page, the kind comes below it with its label.
    assert name["width"] > 300
    assert facts.bounding_box()["y"] > name["y"] and facts.inner_text().startswith(kind)
    assert table.locator("thead").bounding_box()["height"] <= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert axe(page) == []
