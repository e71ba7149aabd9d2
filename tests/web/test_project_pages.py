"""Project pages: asking for help from a plan module, what the provider sees, each side's steps
with their refusals in the page's language, the acceptance pack, the rating; and the access
matrix for every route taking an id (404, or the login page, and nothing changed)."""
import io
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from storage.project_models import Project, ProjectFile, ProjectRating
from tests.integration.test_report_support import submit_assessment
from tests.organisation_helpers import audit_count, consent, make_org, staff_user

PDF = b"%PDF-1.4\n% invoice\n"


@dataclass
class Parties:
    enterprise_id: int
    t0: int
    t1: int
    provider_org: int
    owner: object  # logged-in clients
    provider: object
    other_provider: object
    consultant: object
    other_consultant: object
    stranger: object


@pytest.fixture
def parties(app, make_user, login_as, sme_user, other_sme_user):
    provider_org = make_org(app, "provider", name="烟台达莱集团有限公司（示例）")
    other_provider_org = make_org(app, "provider", provider_ref="p002")
    centre, other_centre = make_org(app, "centre"), make_org(app, "centre")
    t0 = submit_assessment(app, sme_user.enterprise_id, sme_user.id)
    t1 = submit_assessment(app, sme_user.enterprise_id, sme_user.id)
    consent(app, sme_user.enterprise_id, centre)
    return Parties(sme_user.enterprise_id, t0, t1, provider_org, login_as(sme_user),
                   login_as(staff_user(app, make_user, provider_org, "provider_staff")),
                   login_as(staff_user(app, make_user, other_provider_org, "provider_staff")),
                   login_as(staff_user(app, make_user, centre, "consultant")),
                   login_as(staff_user(app, make_user, other_centre, "consultant")),
                   login_as(other_sme_user))


def _ask(parties, **changes):
    data = {"organisation_id": str(parties.provider_org), "assessment_id": str(parties.t0),
            "modules": ["mes-basic"], "share": "summary", "message": "想请贵公司上门看看",
            "valid_until": "2028-06-30", **changes}
    return parties.owner.post("/projects/new", data=data)


def _pid(db):
    db.expire_all()
    return db.scalar(select(Project.id).order_by(Project.id.desc()))


def test_a_plan_module_offers_help_and_the_form_lists_providers_offering_it(parties):
    plan = parties.owner.get(f"/plan/{parties.t0}").get_data(as_text=True)
    assert "就此模块寻求帮助" in plan
    page = parties.owner.get(f"/projects/new?assessment={parties.t0}&module=mes-basic").get_data(as_text=True)
    assert "烟台达莱集团有限公司（示例）" in page and "目录价格 33,000 元" in page
    assert "只共享等级和所求助的模块" in page and "完整报告" in page


def test_the_provider_sees_the_request_and_only_the_shared_part(app, db, parties):
    assert _ask(parties).status_code == 302
    pid = _pid(db)
    before = audit_count(db, parties.enterprise_id)
    page = parties.provider.get(f"/projects/{pid}").get_data(as_text=True)
    assert "想请贵公司上门看看" in page and "改造前等级（T0）" in page
    assert "打开报告" not in page and "改造后评估（T1）</label>" not in page
    assert audit_count(db, parties.enterprise_id) == before + 1
    listing = parties.provider.get("/projects/").get_data(as_text=True)
    assert f"项目 {pid}" in listing


def test_the_client_page_leads_to_the_clients_projects(app, db, parties, make_user, login_as):
    """The provider's and the centre's client page list that enterprise's projects with a link
    (no dead end after opening the client); another enterprise's projects are not listed."""
    assert _ask(parties).status_code == 302
    pid = _pid(db)
    other = make_user()
    for client, org in ((parties.provider, parties.provider_org), (parties.consultant, None)):
        if org is None:
            from storage.organisation_models import Organisation
            org = db.scalar(select(Organisation.id).where(Organisation.kind == "centre")
                            .order_by(Organisation.id))
        page = client.get(f"/org/{org}/clients/{parties.enterprise_id}").get_data(as_text=True)
        section = page.split('id="projects-title"')[1]
        assert f'href="/projects/{pid}"' in section and "生产报工系统" in section
    consent(app, other.enterprise_id, parties.provider_org)
    empty = parties.provider.get(f"/org/{parties.provider_org}/clients/{other.enterprise_id}")
    section = empty.get_data(as_text=True).split('id="projects-title"')[1]
    assert "/projects/" not in section and "还没有项目。" in section


def test_steps_in_the_browser_with_refusals_in_chinese(app, db, parties):
    _ask(parties)
    pid = _pid(db)
    assert parties.provider.post(f"/projects/{pid}/step/contact").status_code == 302
    for amount, text in [("-5", "金额不能小于零。"), ("八万", "请用数字填写金额"), ("", "请填写金额")]:
        response = parties.provider.post(f"/projects/{pid}/step/quote", data={"amount": amount})
        assert response.status_code == 400 and text in response.get_data(as_text=True)
    response = parties.consultant.post(f"/projects/{pid}/step/accept")
    assert response.status_code == 400 and "此步骤现在不能进行" in response.get_data(as_text=True)
    response = parties.owner.post(f"/projects/{pid}/step/contact")
    assert response.status_code == 400 and "这一步属于项目的另一方" in response.get_data(as_text=True)
    db.expire_all()
    assert (db.get(Project, pid).status, db.get(Project, pid).quote) == ("contacted", None)
    parties.provider.post(f"/projects/{pid}/step/quote", data={"amount": "86,000"})
    parties.owner.post(f"/projects/{pid}/step/contract")
    page = parties.owner.get(f"/projects/{pid}").get_data(as_text=True)
    assert "合同金额：86,000 元" in page and "补贴 25,800 元" in page


def _to_implementing(parties, pid):
    parties.provider.post(f"/projects/{pid}/step/contact")
    parties.provider.post(f"/projects/{pid}/step/quote", data={"amount": "1000"})
    parties.owner.post(f"/projects/{pid}/step/contract")
    parties.provider.post(f"/projects/{pid}/step/start")


def test_the_pack_refuses_bad_files_and_submitting_early(app, db, parties):
    _ask(parties)
    pid = _pid(db)
    _to_implementing(parties, pid)
    for raw, text in [(b"", "文件是空的；未保存任何内容。"), (b"MZ\x90\x00 a program", "不接受这种文件")]:
        response = parties.owner.post(f"/projects/{pid}/files", data={
            "item": "contract", "file": (io.BytesIO(raw), "a.pdf")}, content_type="multipart/form-data")
        assert response.status_code == 400 and text in response.get_data(as_text=True)
    response = parties.owner.post(f"/projects/{pid}/step/submit")
    assert response.status_code == 400 and "验收材料尚不齐全" in response.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(ProjectFile)) == 0
    response = parties.owner.post(f"/projects/{pid}/files", data={
        "item": "invoices", "file": (io.BytesIO(PDF), "发票.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    fid = db.scalar(select(ProjectFile.id))
    download = parties.provider.get(f"/projects/{pid}/files/{fid}")
    assert download.data == PDF and download.headers["Content-Type"] == "application/pdf"


def test_rating_before_acceptance_is_refused(app, db, parties):
    _ask(parties)
    pid = _pid(db)
    response = parties.owner.post(f"/projects/{pid}/rating", data={"quality": "5"})
    assert response.status_code == 400 and "项目验收通过后才能评价服务商。" in response.get_data(as_text=True)
    assert db.scalar(select(func.count()).select_from(ProjectRating)) == 0


ROUTES = [("get", "/projects/{pid}", {}), ("post", "/projects/{pid}/step/contact", {}),
          ("post", "/projects/{pid}/step/withdraw_enterprise", {"reason": "x"}),
          ("post", "/projects/{pid}/step/accept", {}), ("post", "/projects/{pid}/follow-up", {"assessment_id": "1"}),
          ("post", "/projects/{pid}/rating", {"quality": "5"}), ("get", "/projects/{pid}/files/1", {}),
          ("post", "/projects/{pid}/propose", {}), ("post", "/projects/{pid}/choose", {"provider": "p001"})]


@pytest.mark.parametrize("who", ["stranger", "other_provider", "other_consultant", "revoked_provider", "anonymous"])
def test_every_project_route_answers_404_to_outsiders_and_changes_nothing(app, db, parties, client, who):
    _ask(parties)
    pid = _pid(db)
    if who == "revoked_provider":
        consent_id = db.get(Project, pid).consent_id
        parties.owner.post(f"/consents/{consent_id}/revoke")
    actor = {"revoked_provider": parties.provider, "anonymous": client}.get(who) or getattr(parties, who)
    before = audit_count(db)
    for method, path, data in ROUTES + [("get", "/projects/999999999", {}), ("get", "/projects/99999999999999999999", {})]:
        response = getattr(actor, method)(path.format(pid=pid), data=data)
        if who == "anonymous" and "99999999999999999999" in path:
            assert response.status_code == 404  # no route takes an id that long
        elif who == "anonymous":
            assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
        else:
            assert response.status_code == 404, (method, path)
    db.expire_all()
    assert db.get(Project, pid).status == "requested" and audit_count(db) == before
    if who == "stranger":
        response = parties.stranger.post("/projects/new", data={
            "organisation_id": str(parties.provider_org), "assessment_id": str(parties.t0),
            "share": "summary", "valid_until": "2028-06-30"})
        assert response.status_code == 404
        assert db.scalar(select(func.count()).select_from(Project)) == 1


def test_a_request_through_the_centre_gets_a_short_list_the_sme_chooses_from(app, db, parties, make_user):
    p018 = make_org(app, "provider", name="全市服务商", provider_ref="p018")
    from storage.organisation_models import Organisation
    centre = db.scalar(select(Organisation.id).where(Organisation.kind == "centre").order_by(Organisation.id))
    assert _ask(parties, organisation_id=str(centre)).status_code == 302
    pid = _pid(db)
    assert "中心尚未推荐服务商。" in parties.owner.get(f"/projects/{pid}").get_data(as_text=True)
    assert parties.consultant.post(f"/projects/{pid}/propose").status_code == 302
    page = parties.owner.get(f"/projects/{pid}").get_data(as_text=True)
    assert "中心推荐的服务商" in page and "排序得分" in page and "选择该服务商" in page
    refused = parties.owner.post(f"/projects/{pid}/choose", data={"provider": "p001"})
    assert refused.status_code == 400 and "请从中心推荐的服务商中选择一个。" in refused.get_data(as_text=True)
    assert parties.owner.post(f"/projects/{pid}/choose", data={"provider": "p018"}).status_code == 302
    db.expire_all()
    assert db.get(Project, pid).organisation_id == p018


def test_a_short_list_without_any_provider_account_says_where_to_go_on(app, db, parties):
    from storage.organisation_models import Organisation
    centre = db.scalar(select(Organisation.id).where(Organisation.kind == "centre")
                       .order_by(Organisation.id))
    assert _ask(parties, organisation_id=str(centre), modules=["smart-warehouse"]
                ).status_code == 302
    pid = _pid(db)
    refused = parties.consultant.post(f"/projects/{pid}/propose")
    html = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "目前还没有开通账号" in html
    way_on = html.split('class="panel no-candidates"')[1].split("</div>")[0]
    assert 'href="/plan/modules/smart-warehouse"' in way_on and "平台管理员" in way_on
    db.expire_all()
    assert db.get(Project, pid).proposals in (None, [])


def test_the_plan_says_which_price_a_figure_is_and_shows_the_projects_own(app, db, parties, make_user,
                                                                         login_as):
    import re
    from services import catalogue as catalogues
    plan = parties.owner.get(f"/plan/{parties.t0}").get_data(as_text=True)
    module = re.search(r'data-testid="module-([a-z0-9_.-]+)"', plan).group(1)
    card = plan.split(f'data-testid="module-{module}"')[1].split("</article>")[0]
    assert 'data-basis="quote"' not in card and "目录价" in card  # the catalogue's figure before a quote
    assert f'data-testid="project-price-{module}"' not in plan
    with app.app_context():  # a provider offering the module, with an account
        offering = sorted(p.id for p in catalogues.current(app.config).providers_for(module)
                          if p.status == "active" and p.id != "p001")[0]
    org = make_org(app, "provider", provider_ref=offering)
    provider = login_as(staff_user(app, make_user, org, "provider_staff"))
    assert _ask(parties, modules=[module], organisation_id=str(org)).status_code == 302
    pid = _pid(db)
    provider.post(f"/projects/{pid}/step/contact")
    provider.post(f"/projects/{pid}/step/quote", data={"amount": "12345"})
    plan = parties.owner.get(f"/plan/{parties.t0}").get_data(as_text=True)
    assert f"项目 {pid}</a>: 服务商报价 ¥12,345" in plan
    card = plan.split(f'data-testid="module-{module}"')[1].split("</article>")[0]
    assert 'data-basis="quote"' in card and "¥12,345：项目" in card  # the quote is the price now
    parties.owner.post(f"/projects/{pid}/step/contract")
    plan = parties.owner.get(f"/plan/{parties.t0}").get_data(as_text=True)
    assert f"项目 {pid}</a>: 合同金额 ¥12,345，补贴 ¥3,704" in plan  # C34 small: 30 % of 12,345
    consultant_view = parties.consultant.get(f"/plan/{parties.t0}").get_data(as_text=True)
    assert "服务商报价" not in consultant_view and "合同金额 ¥" not in consultant_view


def test_the_t1_choice_offers_only_later_assessments_and_says_what_to_do_without_one(app, db,
                                                                                      parties):
    _ask(parties, assessment_id=str(parties.t1))  # asked from the later of the two
    pid = _pid(db)
    _to_implementing(parties, pid)
    page = parties.owner.get(f"/projects/{pid}").get_data(as_text=True)
    # The earlier assessment would be refused as T1, so it is not offered: nothing is.
    assert f'action="/projects/{pid}/follow-up"' not in page
    empty = page.split('id="no-follow-up"')[1].split("</div>")[0]
    assert "还没有提交过同一问卷的评测" in empty and 'href="/assess/"' in empty

    parties.owner.post("/auth/language", data={"locale": "en"})
    page = parties.owner.get(f"/projects/{pid}").get_data(as_text=True)
    assert "No assessment of the same questionnaire has been submitted" in page

    _ask(parties)  # asked from the earlier one: the later is offered, the baseline itself not
    pid = _pid(db)
    _to_implementing(parties, pid)
    page = parties.owner.get(f"/projects/{pid}").get_data(as_text=True)
    form = page.split(f'action="/projects/{pid}/follow-up"')[1].split("</form>")[0]
    assert f'value="{parties.t1}"' in form and f'value="{parties.t0}"' not in form
    assert 'id="no-follow-up"' not in page


def test_a_help_requests_purpose_names_the_modules_in_the_readers_language(app, db, parties):
    """The request's consent keeps the purpose the service wrote (Chinese); the provider
    reading in English sees it in English, module names included."""
    assert _ask(parties, modules=["mes-basic", "process-docs"]).status_code == 302
    from storage.organisation_models import Consent
    written = db.scalar(select(Consent.purpose).where(
        Consent.organisation_id == parties.provider_org))
    assert written == "数字化转型求助：生产报工系统、工艺文件电子化"
    client_page = f"/org/{parties.provider_org}/clients/{parties.enterprise_id}"
    assert f"<dd>{written}</dd>" in parties.provider.get(client_page).get_data(as_text=True)
    parties.provider.post("/auth/language", data={"locale": "en", "next": "/"})
    assert ("<dd>Help with our digital transformation: Shop-floor reporting; Digital process "
            "documents</dd>") in parties.provider.get(client_page).get_data(as_text=True)
    parties.owner.post("/auth/language", data={"locale": "en", "next": "/"})
    assert ("<dd>Help with our digital transformation: Shop-floor reporting; Digital process "
            "documents</dd>") in parties.owner.get("/consents/").get_data(as_text=True)
