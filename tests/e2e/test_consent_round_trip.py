"""Consent round trips in Chromium: an SME owner asks a centre for a consultation (consent at
once) and the consultant sees the new client; the centre invites another SME by USCC, its owner
accepts, the consultant opens the client's assessment, the owner revokes, the consultant gets
404. And the organisation's set-up: an administrator creates a centre, its admin joins by the
invitation link and invites staff. axe-core on every new page, on a phone and a desktop."""
import json
import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from services import (accounts, assessments, drafts, instrument_registry, organisations, staff,
                      submission)
from storage.db import db_session
from storage.models import Enterprise, User
from tests.e2e.test_accessibility import _open
from tests.helpers import PASSWORD

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CENTRE = "烟台市中小企业数字化转型促进中心"


def _enterprise(app, name, uscc, submitted=True):
    email = f"owner-{uuid.uuid4().hex[:8]}@example.com"
    with app.app_context():
        user_id = accounts.register(email, PASSWORD, "王总", name)
        eid = accounts.load_account(user_id).enterprise_id
        row = db_session.get(Enterprise, eid)
        row.uscc, row.industry_code, row.district = uscc, "C36", "芝罘区"
        db_session.commit()
        if submitted:
            inst = instrument_registry.instruments(app.config["QUESTIONNAIRES_DIR"])["cn-sme-2024"]
            profile = assessments.profile_of(eid)
            answers = json.loads((EXAMPLES / "cn-sme-2024" / "mixed.json").read_text("utf-8"))
            aid = drafts.start(eid, user_id, inst)
            drafts.save_answers(aid, eid, inst, answers, profile)
            submission.submit(aid, eid, inst, profile, pledged=True)
            return email, aid
    return email, None


@pytest.fixture
def centre(live_server):
    """The centre (created once for the session's database) and a new consultant on it."""
    app = live_server.app
    email = f"consultant-{uuid.uuid4().hex[:8]}@example.com"
    with app.app_context():
        found = [o for o in organisations.directory("centre") if o["name"] == CENTRE]
        org_id = found[0]["id"] if found else organisations.create(
            organisations.OPERATOR, {"kind": "centre", "name": CENTRE},
            organisations.reference(app.config)).id
        user_id = accounts.create_user(email, PASSWORD, "周顾问", (), "zh_CN")
        staff.add_member(org_id, user_id, "consultant")
    return {"id": org_id, "email": email}


def _login(new_context, email, width=375, locale="zh-CN"):
    return _open(new_context, {"email": email}, locale, width)


def _fits(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


def test_an_owner_asks_a_centre_and_the_consultant_sees_the_new_client(new_context, live_server,
                                                                       centre, axe):
    name = f"烟台咨询测试{uuid.uuid4().hex[:4]}有限公司"
    owner_email, _ = _enterprise(live_server.app, name, None, submitted=False)
    owner = _login(new_context, owner_email)
    page_text = owner.inner_text("main")
    assert "申请咨询" in page_text  # the dashboard offers it
    owner.click("a[href$='#consultation']")
    assert axe(owner) == [] and _fits(owner, 375)
    owner.select_option("#organisation", label=CENTRE)
    owner.fill("#purpose", "")
    owner.click("#consultation button[type=submit]")
    assert "请说明数据的用途。" in owner.inner_text("#consultation")  # nothing given yet
    assert axe(owner) == [] and _fits(owner, 375)
    owner.fill("#purpose", "请帮助我们解读评估结果")
    owner.click("#consultation button[type=submit]")
    assert "已授权" in owner.inner_text(".flashes")
    assert CENTRE in owner.inner_text("#in-force-title + ul")
    assert axe(owner) == []

    consultant = _login(new_context, centre["email"], width=1280)
    assert consultant.url.endswith(f"/org/{centre['id']}/")
    assert name in consultant.inner_text("main")
    assert axe(consultant) == []


@pytest.mark.parametrize("width, locale", [(375, "zh-CN"), (1280, "en-US")])
def test_invite_accept_open_revoke_and_404(new_context, live_server, centre, axe, width, locale):
    uscc = {375: "91370602MA3C4H5K12", 1280: "91370613MA3E6L8Q3N"}[width]
    name = f"烟台邀请测试{uuid.uuid4().hex[:4]}有限公司"
    owner_email, assessment_id = _enterprise(live_server.app, name, uscc)
    consultant = _login(new_context, centre["email"], width=width, locale=locale)

    consultant.goto(f"/org/{centre['id']}/invite")
    assert axe(consultant) == [] and _fits(consultant, width)
    consultant.fill("#uscc", uscc)
    consultant.fill("#purpose", "评估结果解读")
    consultant.click("main form.stack button[type=submit]")
    consultant.wait_for_url(re.compile(rf".*/org/{centre['id']}/$"))
    assert name in consultant.inner_text("#pending-title + ul")

    owner = _login(new_context, owner_email, width=width, locale=locale)
    owner.goto("/consents/")
    assert axe(owner) == [] and _fits(owner, width)
    owner.click("#awaiting-title + ul button.primary")
    assert CENTRE in owner.inner_text("#in-force-title + ul")

    consultant.goto(f"/org/{centre['id']}/")
    consultant.click(f"text={name}")
    assert axe(consultant) == [] and _fits(consultant, width)
    consultant.click(f"a[href='/assess/{assessment_id}/result']")
    assert consultant.locator("[data-testid=level]").count() == 1

    owner.goto("/consents/log")
    assert "周顾问" in owner.inner_text("main")
    assert axe(owner) == [] and _fits(owner, width)
    owner.goto("/consents/")
    owner.click("#in-force-title + ul button")
    assert "no longer" in owner.inner_text(".flashes") or "撤回" in owner.inner_text(".flashes")

    response = consultant.goto(f"/assess/{assessment_id}/result")
    assert response.status == 404
    assert name not in consultant.inner_text("main")


def test_an_administrator_sets_up_a_centre_whose_admin_joins_and_invites(new_context,
                                                                         live_server, axe):
    app = live_server.app
    admin_email = f"admin-{uuid.uuid4().hex[:8]}@example.com"
    with app.app_context():
        accounts.create_user(admin_email, PASSWORD, "管理员", ("administrator",), "zh_CN")
    admin = _login(new_context, admin_email, width=1280)
    admin.goto("/admin/organisations")
    assert axe(admin) == []
    centre_name = f"测试中心{uuid.uuid4().hex[:4]}"
    boss = f"boss-{uuid.uuid4().hex[:8]}@example.com"
    admin.select_option("#kind", "centre")
    admin.fill("#name", centre_name)
    admin.fill("#admin_email", boss)
    admin.click("main form[action$='/admin/organisations'] button[type=submit]")
    link = admin.input_value("main .panel[role=status] input")
    assert "/org/invitation/" in link
    assert centre_name in admin.inner_text("section[aria-labelledby=list-title] table")
    assert centre_name in admin.inner_text("#waiting-section")  # no admin yet: it waits for one
    assert axe(admin) == []

    newcomer = new_context().new_page()
    newcomer.goto(link)
    assert boss in newcomer.inner_text("main")
    assert axe(newcomer) == [] and _fits(newcomer, 375)
    newcomer.fill("#name", "吴主任")
    newcomer.fill("#password", PASSWORD)
    newcomer.fill("#confirm", PASSWORD)
    newcomer.click("main form button[type=submit]")
    assert centre_name in newcomer.inner_text("h1")
    newcomer.click(".subnav li:last-child a")
    assert axe(newcomer) == [] and _fits(newcomer, 375)
    newcomer.fill("#email", f"c-{uuid.uuid4().hex[:6]}@example.com")
    newcomer.select_option("#role", "consultant")
    newcomer.click("main form.stack button[type=submit]")
    assert "/org/invitation/" in newcomer.input_value("main .panel input")
    assert axe(newcomer) == []

    with app.app_context():  # on a second organisation's staff too: /org/ lists both
        second = organisations.create(organisations.OPERATOR, {
            "kind": "bureau", "name": f"测试局{uuid.uuid4().hex[:4]}"},
            organisations.reference(app.config)).id
        boss_id = db_session.scalar(select(User.id).where(User.email == boss))
        staff.add_member(second, boss_id, "bureau_analyst")
    newcomer.goto("/org/")
    assert centre_name in newcomer.inner_text("main") and "测试局" in newcomer.inner_text("main")
    assert axe(newcomer) == [] and _fits(newcomer, 375)
