"""From a plan module to an accepted project in Chromium, on a phone and a desktop: the SME asks a
provider for help sharing only its level and the module, the provider sees the request (and
only that), quotes (a negative quote is refused), the SME signs, the provider implements, the
SME fills the acceptance pack with its post-upgrade assessment and submits, the centre's
consultant accepts, the SME rates the provider, and the provider's page shows its outcome record
once it has five accepted projects. axe-core on every new page."""
import json
import uuid
from pathlib import Path

import pytest
from flask import current_app
from werkzeug.local import LocalProxy
from sqlalchemy import func, select

from services import (accounts, assessments, consents, drafts, instrument_registry, organisations,
                      planning, staff, submission)
from services import catalogue as catalogues
from storage.db import db_session
from storage.models import Enterprise
from storage.organisation_models import Organisation
from storage.project_models import Project, ProjectStep
from tests.e2e.test_accessibility import _open
from tests.helpers import PASSWORD

CFG = LocalProxy(lambda: current_app.config)  # the settings services take, in an app context

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cn-sme-2024"
CENTRE = "烟台市中小企业数字化转型促进中心"
PDF = {"name": "文件.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n% pack\n%%EOF\n"}


def _submit(app, eid, user_id, answers_file):
    inst = instrument_registry.instruments(app.config["QUESTIONNAIRES_DIR"])["cn-sme-2024"]
    profile = assessments.profile_of(eid)
    aid = drafts.start(eid, user_id, inst)
    drafts.save_answers(aid, eid, inst, json.loads((EXAMPLES / answers_file).read_text("utf-8")),
                        profile)
    submission.submit(aid, eid, inst, profile, pledged=True)
    return aid


def _org(app, kind, name, **data):
    found = db_session.scalar(select(Organisation.id).where(Organisation.name == name))
    return found or organisations.create(organisations.OPERATOR, {"kind": kind, "name": name, **data},
                                         organisations.reference(app.config)).id


def _person(org_id, role):
    email = f"{role}-{uuid.uuid4().hex[:8]}@example.com"
    staff.add_member(org_id, accounts.create_user(email, PASSWORD, "测试人员", (), "zh_CN"), role)
    return email


@pytest.fixture
def world(live_server):
    """An SME with a baseline (T0) and a later assessment (T1) that has consented to the centre;
    a provider organisation for a provider offering the plan's first module, with staff; a
    consultant; and accepted projects of that provider up to four."""
    app = live_server.app
    with app.app_context():
        owner = f"owner-{uuid.uuid4().hex[:8]}@example.com"
        user_id = accounts.register(owner, PASSWORD, "王总", f"烟台项目测试{uuid.uuid4().hex[:4]}有限公司")
        eid = accounts.load_account(user_id).enterprise_id
        row = db_session.get(Enterprise, eid)
        row.industry_code, row.district, row.size_class = "C36", "芝罘区", "small"
        db_session.commit()
        t0 = _submit(app, eid, user_id, "worst.json")
        t1 = _submit(app, eid, user_id, "mixed.json")
        cat = catalogues.current(CFG)
        planned = [m["id"] for ph in planning.plan_for_assessment(t0, CFG).to_dict()["phases"]
                   for m in ph["modules"]]
        module, provider = next((m, sorted(p.id for p in cat.providers_for(m) if p.status == "active"
                                           and p.type != "public_platform")[0])
                                for m in planned if any(p.status == "active" and p.type != "public_platform"
                                                        for p in cat.providers_for(m)))
        org_name = f"{provider} 测试服务商"
        provider_org = _org(app, "provider", org_name, provider_ref=provider, phone="0535-7000000")
        centre = _org(app, "centre", CENTRE)
        until = consents.local_today(app.config).replace(year=consents.local_today(app.config).year + 1)
        consents.ask(accounts.load_account(user_id), eid, centre, ["view_assessments"], "项目验收", until,
                     app.config)
        accepted = db_session.scalar(select(func.count()).select_from(Project).where(
            Project.provider_ref == provider, Project.status == "accepted"))
        for _ in range(max(0, 4 - accepted)):  # earlier accepted projects of this provider
            done = Project(enterprise_id=eid, organisation_id=provider_org, provider_ref=provider,
                           modules=[module], share="summary", status="accepted")
            db_session.add(done)
            db_session.flush()
            db_session.add(ProjectStep(project_id=done.id, step="accept", status="accepted",
                                       side="centre"))
        db_session.commit()
        return {"owner": owner, "provider": _person(provider_org, "provider_staff"),
                "consultant": _person(centre, "consultant"), "t0": t0, "t1": t1, "module": module,
                "provider_id": provider, "org_name": org_name, "earlier": max(accepted, 4)}


def _fits(page, width):
    return page.evaluate("document.documentElement.scrollWidth") <= width


def _check(page, axe, width):
    assert axe(page) == [], page.url
    assert _fits(page, width), f"{page.url} scrolls sideways"


def _step(page, name):
    page.click(f"main button:has-text('{name}')")
    page.wait_for_load_state()


@pytest.mark.parametrize("width", [375, 1280])
def test_from_a_plan_module_to_an_accepted_project_and_the_providers_record(new_context, world, axe, width):
    owner = _open(new_context, {"email": world["owner"]}, "zh-CN", width)
    owner.goto(f"/plan/{world['t0']}")
    owner.click(f"[data-testid=help-{world['module']}]")
    owner.wait_for_load_state()
    _check(owner, axe, width)
    owner.click("main form button[type=submit]")  # nobody chosen yet
    assert "请从列出的服务商或中心中选择一个。" in owner.inner_text("main")
    _check(owner, axe, width)
    owner.check(f"label:has-text('{world['org_name']}') input")
    owner.fill("#message", "请上门看看我们的车间")
    owner.click("main form button[type=submit]")
    owner.wait_for_load_state()
    assert "已提出" in owner.inner_text("[data-testid=status]")
    _check(owner, axe, width)
    project_url = owner.url

    provider = _open(new_context, {"email": world["provider"]}, "zh-CN", width)
    provider.goto("/projects/")
    _check(provider, axe, width)
    provider.goto(project_url)
    shared = provider.inner_text("main")
    assert "请上门看看我们的车间" in shared and "改造前等级（T0）" in shared
    assert "打开报告" not in shared and "T1" not in provider.inner_text("section[aria-labelledby=shared-title]")
    _check(provider, axe, width)
    _step(provider, "确认已联系企业")
    # The amount is a text field like every other: as tall as a finger needs, as wide as the form.
    amount = provider.locator("#amount-quote").bounding_box()
    assert amount["height"] >= 44 and amount["width"] > 250
    provider.fill("#amount-quote", "-1")
    _step(provider, "报价")
    assert "金额不能小于零。" in provider.inner_text("main")
    _check(provider, axe, width)
    provider.fill("#amount-quote", "50,000")
    _step(provider, "报价")
    assert "服务商报价：50,000 元" in provider.inner_text("main")

    owner.goto(project_url)
    _step(owner, "按报价签约")
    assert "合同金额：50,000 元" in owner.inner_text("[data-testid=contracted]")
    provider.goto(project_url)
    _step(provider, "开始实施")

    owner.goto(project_url)
    for item in ("contract", "invoices", "summary", "results"):
        owner.select_option("#item", item)
        owner.set_input_files("#file", PDF)
        owner.click("button:has-text('加入验收材料')")
        owner.wait_for_load_state()
    owner.select_option("#assessment_id", str(world["t1"]))
    owner.click("button:has-text('关联为 T1')")
    owner.wait_for_load_state()
    assert "缺少" not in owner.inner_text("section[aria-labelledby=pack-title] ul")
    _check(owner, axe, width)
    _step(owner, "提交验收")
    assert "已提交验收" in owner.inner_text("[data-testid=status]")

    consultant = _open(new_context, {"email": world["consultant"]}, "zh-CN", width)
    consultant.goto("/projects/")
    assert "已提交验收" in consultant.inner_text("main")
    consultant.goto(project_url)
    _check(consultant, axe, width)
    _step(consultant, "验收通过")
    assert "已通过验收" in consultant.inner_text("[data-testid=status]")

    owner.goto(project_url)
    owner.click("button:has-text('提交评价')")  # nothing chosen
    assert "请在 1 到 5 之间选择。" in owner.inner_text("main")
    _check(owner, axe, width)
    for aspect, value in (("quality", 5), ("timeliness", 4), ("communication", 5), ("value", 4)):
        owner.check(f"input[name={aspect}][value='{value}']")
    owner.fill("#comment", "交付及时")
    owner.click("button:has-text('提交评价')")
    owner.wait_for_load_state()
    assert "交付及时" in owner.inner_text("main")

    owner.goto(f"/plan/providers/{world['provider_id']}")
    record = owner.inner_text("[data-testid=outcome]")
    assert "通过验收的项目" in record and str(world["earlier"] + 1) in record
    assert "0535-7000000" in owner.inner_text("[data-testid=contact]")
    _check(owner, axe, width)


@pytest.mark.parametrize("width", [375, 1280])
def test_catalogue_administration_pages_pass_axe(new_context, live_server, axe, width):
    email = f"admin-{uuid.uuid4().hex[:8]}@example.com"
    with live_server.app.app_context():
        accounts.create_user(email, PASSWORD, "管理员", ("administrator",), "zh_CN")
    page = _open(new_context, {"email": email}, "zh-CN", width)
    for path in ("/plan/admin/catalogue", "/plan/admin/catalogue/format",
                 "/plan/admin/catalogue/providers/p001"):
        page.goto(path)
        _check(page, axe, width)
    page.fill("#entry", "id: p001\nrating: nonsense\n")
    page.click("main form button[type=submit]")
    assert "未做任何更改" in page.inner_text("[data-testid=problems]")
    _check(page, axe, width)


@pytest.mark.parametrize("locale", ["zh-CN", "en-US"])
def test_the_before_and_after_tables_can_be_scrolled_by_keyboard_on_a_phone(new_context, world,
                                                                             axe, locale):
    owner = _open(new_context, {"email": world["owner"]}, locale, 375)
    owner.goto(f"/assess/{world['t0']}/result")
    owner.click(f"form[action$='/assess/{world['t0']}/baseline'] button")
    owner.goto(f"/assess/{world['t1']}/result")
    owner.click(".before-after details summary")  # the scenario levels too
    # axe-core refuses a region that scrolls but cannot be reached by keyboard.
    _check(owner, axe, 375)
    regions = owner.locator(".before-after .table-scroll")
    assert regions.count() == 2
    for i in range(2):
        region = regions.nth(i)
        assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-label")
