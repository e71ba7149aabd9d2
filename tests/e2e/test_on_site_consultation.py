"""The whole consultation in Chromium: the SME asks a centre for a consultation (its owner's
request is consent at once) → the consultant, on a phone, starts an on-site assessment from the
self-assessment, adjusts one item with a reason and uploads a photo → the reviewer, on a
desktop, sends it back once, then signs → the PDF says on-site and lists the adjustment → the
public verification page confirms the report → the SME revokes its consent → the consultant
gets 404. axe-core on every new page at 375 px and 1280 px."""
import re
import subprocess
import uuid

import pytest

from services import accounts, organisations, staff
from tests.e2e.test_consent_round_trip import _enterprise, _fits, _login
from tests.helpers import PASSWORD

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64


@pytest.fixture
def centre(live_server):
    """A centre of its own that requires a second person's review, with a consultant and a
    reviewer."""
    app = live_server.app
    name = f"现场评定测试中心{uuid.uuid4().hex[:4]}"
    people = {}
    with app.app_context():
        org_id = organisations.create(organisations.OPERATOR, {
            "kind": "centre", "name": name, "review_required": True},
            organisations.reference(app.config)).id
        for role, person in (("consultant", "周顾问"), ("reviewer", "孙审核")):
            email = f"{role}-{uuid.uuid4().hex[:8]}@example.com"
            staff.add_member(org_id, accounts.create_user(email, PASSWORD, person, (), "zh_CN"),
                             role)
            people[role] = email
    return {"id": org_id, "name": name, **people}


def _item_number(app, assessment_id, qid):
    from storage.db import db_session
    from storage.models import Assessment
    from web.on_site.context import instrument_of, item_ids
    with app.app_context():
        row = db_session.get(Assessment, assessment_id)
        data = {"instrument_id": row.instrument_id, "instrument_version": row.instrument_version,
                "answers": row.answers, "enterprise_id": row.enterprise_id}
        return item_ids(instrument_of(data), data).index(qid) + 1


def _pdftotext(pdf):
    return subprocess.run(["pdftotext", "-raw", "-", "-"], input=pdf, capture_output=True,
                          check=True).stdout.decode()


def test_a_whole_consultation(new_context, live_server, centre, axe, tmp_path):
    app = live_server.app
    app.config["FILES_DIR"] = tmp_path / "files"
    name = f"烟台现场测试{uuid.uuid4().hex[:4]}有限公司"
    owner_email, _self_id = _enterprise(app, name, None)

    # The SME asks the centre for a consultation, on-site assessment included.
    owner = _login(new_context, owner_email)
    owner.goto("/consents/#consultation")
    owner.select_option("#organisation", label=centre["name"])
    owner.check("#consultation input[name=scopes][value=on_site_assessment]")
    owner.fill("#purpose", "请来现场评定我们的数字化水平")
    owner.click("#consultation button[type=submit]")
    assert centre["name"] in owner.inner_text("#in-force-title + ul")

    # The consultant, on a phone: the consultations page, the client, a new on-site assessment.
    consultant = _login(new_context, centre["consultant"])
    consultant.goto(f"/org/{centre['id']}/workspace")
    assert name in consultant.inner_text("main")
    assert axe(consultant) == [] and _fits(consultant, 375)
    consultant.click(f"text={name}")
    assert axe(consultant) == [] and _fits(consultant, 375)
    consultant.click("#on-site-title ~ form button[type=submit]")
    consultant.wait_for_url(re.compile(r".*/on-site/\d+/$"))
    overview_url = consultant.url
    assessment_id = int(re.search(r"/on-site/(\d+)/", overview_url).group(1))
    assert axe(consultant) == [] and _fits(consultant, 375)

    # One item adjusted with a reason (autosave), one photo uploaded.
    number = _item_number(app, assessment_id, "system_coverage")
    consultant.goto(f"/on-site/{assessment_id}/item/{number}")
    assert "覆盖两个及以上业务环节" in consultant.inner_text(".self-side")
    assert axe(consultant) == [] and _fits(consultant, 375)
    consultant.fill("#reason", "现场只见到财务系统在用")
    consultant.check("input[name=system_coverage][value=one_area]")
    consultant.locator("#save-status", has_text="已保存").wait_for()
    photo = tmp_path / "车间照片.jpg"
    photo.write_bytes(JPEG)
    consultant.set_input_files("#files", str(photo))
    consultant.click(".evidence-upload button[type=submit]")
    assert "车间照片.jpg" in consultant.inner_text(".evidence-files")
    assert "覆盖一个业务环节" in consultant.inner_text(".verified-side")
    assert axe(consultant) == [] and _fits(consultant, 375)
    consultant.goto(overview_url)
    consultant.click("button[value=submit]")
    assert "审核中" in consultant.inner_text(".on-site-state")

    # The reviewer, on a desktop, sends it back once, then signs.
    reviewer = _login(new_context, centre["reviewer"], width=1280)
    reviewer.goto(overview_url)
    assert axe(reviewer) == []
    reviewer.fill("#comment", "请补充财务系统截图")
    reviewer.click("#comment ~ button, form:has(#comment) button[type=submit]")
    assert "评定中" in reviewer.inner_text(".on-site-state")
    consultant.goto(overview_url)
    assert "请补充财务系统截图" in consultant.inner_text(".review-comment")
    consultant.click("button[value=submit]")
    reviewer.goto(overview_url)
    reviewer.click("button[value=sign]")
    assert "已签发" in reviewer.inner_text(".on-site-state")
    number_text = reviewer.inner_text(".report-number").strip()
    code_text = reviewer.inner_text(".verification-code").strip()
    assert axe(reviewer) == []

    # The PDF says on-site and lists the adjustment.
    pdf = reviewer.request.get(reviewer.get_attribute("a[href$='.pdf']", "href"))
    assert pdf.status == 200
    text = _pdftotext(pdf.body())
    assert "现场评定" in text.split("\f")[0] and number_text in text
    assert "现场只见到财务系统在用" in text and "车间照片.jpg" in text

    # Anyone with the PDF checks it; only the level is told.
    visitor = new_context(width=375).new_page()
    visitor.goto("/verify/")
    assert axe(visitor) == [] and _fits(visitor, 375)
    visitor.fill("#report_number", number_text)
    visitor.fill("#code", code_text.lower())
    visitor.click("main form button[type=submit]")
    assert "真实有效" in visitor.inner_text(".verification-result")
    assert name not in visitor.inner_text("main")
    assert axe(visitor) == []

    # The SME revokes; the consultant gets 404.
    owner.goto("/consents/")
    owner.click("#in-force-title + ul button")
    response = consultant.goto(overview_url)
    assert response.status == 404
    assert name not in consultant.inner_text("main")


@pytest.mark.parametrize("width, locale", [(375, "zh-CN"), (1280, "en-US")])
def test_the_verification_page_reads_in_both_languages(new_context, axe, width, locale):
    page = new_context(width=width, locale=locale).new_page()
    page.goto("/verify/")
    if locale.startswith("en"):
        page.click("button[name=locale][value=en]")
    page.fill("#report_number", "XC-001-2026-000001")
    page.fill("#code", "AAAA-BBBB-CCCC")
    page.click("main form button[type=submit]")
    expected = "No signed report" if locale.startswith("en") else "没有与"
    assert expected in page.inner_text(".verification-result")
    assert axe(page) == [] and _fits(page, width)


def test_the_centre_pages_on_a_desktop_in_english(new_context, live_server, centre, axe):
    """The consultations page, a client, the overview and an item at 1280 px in English."""
    from sqlalchemy import select

    from services import consents
    from storage.db import db_session
    from storage.models import Enterprise, Membership

    app = live_server.app
    name = f"烟台桌面测试{uuid.uuid4().hex[:4]}有限公司"
    _owner_email, _ = _enterprise(app, name, None)
    with app.app_context():
        eid = db_session.scalar(select(Enterprise.id).where(Enterprise.name == name))
        owner = accounts.load_account(db_session.scalar(select(Membership.user_id).where(
            Membership.enterprise_id == eid)))
        until = consents.local_today(app.config).replace(year=consents.local_today(
            app.config).year + 1)
        consents.ask(owner, eid, centre["id"], ["view_assessments", "on_site_assessment"],
                     "On-site assessment", until, app.config)
    page = _login(new_context, centre["consultant"], width=1280, locale="en-US")
    page.goto(f"/org/{centre['id']}/workspace")
    assert "Consultations" in page.inner_text("main") and name in page.inner_text("main")
    assert axe(page) == [] and _fits(page, 1280)
    page.click(f"text={name}")
    page.click("#from-blank")
    page.click("#on-site-title ~ form button[type=submit]")
    page.wait_for_url(re.compile(r".*/on-site/\d+/$"))
    assert "On-site assessment" in page.inner_text("h1")
    assert axe(page) == [] and _fits(page, 1280)
    page.click(".on-site-items li:first-child a")
    assert "Self-reported" in page.inner_text("main") and "Sufficient evidence" in page.inner_text(
        "main")
    assert axe(page) == [] and _fits(page, 1280)


@pytest.mark.parametrize("locale, status", [("zh-CN", "状态："), ("en-US", "Status:")])
def test_the_centre_admin_hands_a_client_over_on_a_phone(new_context, live_server, centre, axe,
                                                         locale, status):
    """On a phone each client of the consultations list is a block of labelled facts with its
    hand-over form, and the page does not scroll sideways."""
    from sqlalchemy import select

    from services import consents
    from storage.db import db_session
    from storage.models import User

    app = live_server.app
    name = f"烟台移交测试{uuid.uuid4().hex[:4]}有限公司"
    owner_email, _ = _enterprise(app, name, None)
    admin_email = f"admin-{uuid.uuid4().hex[:8]}@example.com"
    with app.app_context():
        staff.add_member(centre["id"], accounts.create_user(admin_email, PASSWORD, "吴主任", (),
                                                            "zh_CN"), "centre_admin")
        owner = accounts.load_account(db_session.scalar(select(User.id).where(
            User.email == owner_email)))
        until = consents.local_today(app.config).replace(year=consents.local_today(
            app.config).year + 1)
        consents.ask(owner, owner.enterprise_id, centre["id"], ["view_assessments"], "咨询",
                     until, app.config)
    page = _login(new_context, admin_email, locale=locale)
    page.goto(f"/org/{centre['id']}/workspace")
    row = page.locator("table.workspace tbody tr", has_text=name)
    assert row.locator("td").first.bounding_box()["width"] > 300
    assert row.locator("td").nth(1).inner_text().startswith(status)
    assert axe(page) == [] and _fits(page, 375)
    row.locator("select").select_option(label="周顾问")
    row.locator("button[type=submit]").click()
    row = page.locator("table.workspace tbody tr", has_text=name)
    assert "周顾问" in row.locator("td").nth(4).inner_text()
    assert _fits(page, 375)
