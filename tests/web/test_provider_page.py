"""The provider page: contact details, status with its deadline, the outcome record (or "not
enough projects yet"), and the lifecycle forms for the library's admins and the provider."""
from sqlalchemy import func, select

from storage.project_models import ProviderEvent
from tests.organisation_helpers import make_org, staff_user


def test_contact_details_and_not_enough_projects_yet(app, client):
    make_org(app, "provider", name="达莱", phone="0535-1234567", email="sales@dalai.demo",
             address="烟台市莱山区", website="https://dalai.example")
    page = client.get("/plan/providers/p001").get_data(as_text=True)
    for text in ("0535-1234567", "sales@dalai.demo", "烟台市莱山区", "https://dalai.example",
                 "项目还不够多：通过验收的项目达到 5 个后才显示成效记录（目前 0 个）。", "服务商库评级",
                 "0.4 × 评级/100", "0.1 × 成效因子 0.50"):
        assert text in page
    assert "服务商库管理决定" not in page


def test_a_centre_admin_warns_and_the_provider_appeals(app, db, make_user, login_as, client):
    centre, provider_org = make_org(app, "centre"), make_org(app, "provider")
    admin = login_as(staff_user(app, make_user, centre, "centre_admin"))
    provider = login_as(staff_user(app, make_user, provider_org, "provider_admin"))
    assert "服务商库管理决定" in admin.get("/plan/providers/p001").get_data(as_text=True)
    refused = admin.post("/plan/providers/p001/lifecycle/warn", data={"reason": "逾期", "deadline": ""})
    assert refused.status_code == 400 and "请按“年-月-日”填写期限" in refused.get_data(as_text=True)
    assert admin.post("/plan/providers/p001/lifecycle/warn",
                      data={"reason": "逾期交付", "deadline": "2099-03-31"}).status_code == 302
    page = provider.get("/plan/providers/p001").get_data(as_text=True)
    assert "已被服务商库警示" in page or "警示" in page
    assert "整改期限" in page and "贵机构的申诉" in page
    assert provider.post("/plan/providers/p001/lifecycle/appeal", data={"reason": "已整改"}).status_code == 302
    assert db.scalar(select(func.count()).select_from(ProviderEvent)) == 2


def test_outsiders_cannot_take_lifecycle_steps(app, db, sme_client):
    client = app.test_client()  # nobody signed in
    assert sme_client.post("/plan/providers/p001/lifecycle/warn",
                           data={"reason": "x", "deadline": "2099-01-01"}).status_code == 404
    response = client.post("/plan/providers/p001/lifecycle/warn", data={"reason": "x"})
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]
    assert client.get("/plan/providers/nobody").status_code == 404
    assert db.scalar(select(func.count()).select_from(ProviderEvent)) == 0


def test_free_public_platforms_are_listed_before_market_providers(app, sme_user, sme_client):
    from tests.integration.test_report_support import submit_assessment
    aid = submit_assessment(app, sme_user.enterprise_id, sme_user.id)
    page = sme_client.get(f"/plan/modules/ehs-saas?assessment={aid}").get_data(as_text=True)
    listed = page[page.index('<ol class="providers">'):]
    first_public = min(listed.index(f"/plan/providers/{p}") for p in ("p059", "p061", "p062"))
    market = [listed.index(f"/plan/providers/{p}") for p in ("p004", "p006", "p012", "p017", "p019") if f"/plan/providers/{p}" in listed]
    assert market and first_public < min(market)


def test_the_districts_served_are_named_in_the_pages_language(client):
    chinese = client.get("/plan/providers/p001").get_data(as_text=True)
    assert "莱山区、蓬莱区、莱阳市、黄渤海新区（烟台开发区）" in chinese
    client.post("/auth/language", data={"locale": "en", "next": "/"})
    english = client.get("/plan/providers/p001").get_data(as_text=True)
    served = english.split("Districts served")[1].split("</dd>")[0]
    assert "Laishan District, Penglai District, Laiyang City" in served
    assert "Huangbohai New Area (Yantai Development Zone)" in served
    assert "莱山区" not in served and "黄渤海" not in served


def test_certifications_are_named_in_the_pages_language(client):
    chinese = client.get("/plan/providers/p002").get_data(as_text=True)
    held = chinese.split("资质认证")[1].split("</dd>")[0]
    assert "两化融合管理体系、ISO 9001、CMMI 3" in held
    client.post("/auth/language", data={"locale": "en", "next": "/"})
    english = client.get("/plan/providers/p002").get_data(as_text=True)
    held = english.split("Certifications")[1].split("</dd>")[0]
    assert ("Integration of informatization and industrialization management system, ISO 9001, "
            "CMMI 3") in held
    assert "两化融合" not in english
