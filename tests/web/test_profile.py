"""Enterprise profile: the form, the size class with its reason, bad input."""
import pytest

from storage.models import Enterprise

VALID = {"name": "烟台示例机械有限公司", "uscc": "91110000600037341L", "industry_code": "C36",
         "district": "芝罘区", "employees": "120", "annual_revenue": "5000",
         "total_assets": "", "main_products": "汽车零部件", "has_cio": "yes"}


def test_profile_pages_need_login(client):
    assert client.get("/profile/").status_code == 302
    assert client.get("/profile/edit").status_code == 302


def test_edit_form_lists_industries_in_optgroups_and_the_configured_districts(sme_client):
    page = sme_client.get("/profile/edit").get_data(as_text=True)
    assert '<optgroup label="C 制造业">' in page
    assert 'value="C36">C36 汽车制造业</option>' in page  # after its data-keywords
    assert '<option value="莱山区">莱山区</option>' in page


def test_saving_the_profile_stores_it_and_derives_the_size_class(sme_client, sme_user, db):
    response = sme_client.post("/profile/edit", data=VALID)
    assert response.status_code == 302

    e = db.get(Enterprise, sme_user.enterprise_id)
    assert (e.uscc, e.industry_code, e.district, e.employees) == (
        "91110000600037341L", "C36", "芝罘区", 120)
    assert e.annual_revenue == 50_000_000 and e.has_cio is True
    assert e.size_class == "small"
    page = sme_client.get("/profile/").get_data(as_text=True)
    assert "工业：从业人员 120 人（≥20）且营业收入 5000 万元（≥300 万）→ 小型" in page


def test_the_profile_shows_in_english_when_chosen(sme_client):
    sme_client.post("/profile/edit", data=VALID)
    sme_client.post("/auth/language", data={"locale": "en"})
    page = sme_client.get("/profile/").get_data(as_text=True)
    assert "Industry: 120 employees (≥ 20) and revenue CNY 50 million (≥ 3 million) → small" in page
    assert "C36 Motor vehicles" in page


@pytest.mark.parametrize("uscc, zh, en", [
    ("91110000600037341X", "最后一位校验码与前 17 位不符", "does not match the other 17"),
    ("9111000060003734", "应为 18 位", "has 18 characters"),
    ("9111000060003734IO", "不含 I、O、S、V、Z", "not I, O, S, V or Z"),
])
def test_a_wrong_uscc_is_explained_in_both_languages_and_nothing_changes(sme_client, sme_user,
                                                                          db, uscc, zh, en):
    response = sme_client.post("/profile/edit", data={**VALID, "uscc": uscc})
    assert response.status_code == 200 and zh in response.get_data(as_text=True)
    sme_client.post("/auth/language", data={"locale": "en"})
    response = sme_client.post("/profile/edit", data={**VALID, "uscc": uscc})
    assert en in response.get_data(as_text=True)
    assert db.get(Enterprise, sme_user.enterprise_id).uscc is None


def test_a_uscc_registered_by_another_enterprise_is_refused(sme_client, other_sme_user, login_as):
    login_as(other_sme_user).post("/profile/edit", data=VALID)
    response = sme_client.post("/profile/edit", data=VALID)
    assert "该代码已被另一家企业登记" in response.get_data(as_text=True)


def test_construction_needs_total_assets(sme_client, sme_user, db):
    data = {**VALID, "industry_code": "E48"}
    response = sme_client.post("/profile/edit", data=data)
    assert "需要填写资产总额" in response.get_data(as_text=True)
    assert sme_client.post("/profile/edit", data={**data, "total_assets": "5000"}).status_code == 302
    assert db.get(Enterprise, sme_user.enterprise_id).size_class == "small"


@pytest.mark.parametrize("field, value", [
    ("industry_code", "Z99"), ("district", "不存在区"), ("employees", "很多"),
    ("employees", "-5"), ("annual_revenue", "abc"), ("has_cio", "maybe"), ("name", ""),
])
def test_forged_or_bad_values_are_refused_without_a_500(sme_client, sme_user, db, field, value):
    response = sme_client.post("/profile/edit", data={**VALID, field: value})
    assert response.status_code == 200
    assert 'class="error-message"' in response.get_data(as_text=True)
    assert db.get(Enterprise, sme_user.enterprise_id).industry_code is None


def test_staff_without_an_enterprise_get_404(make_user, login_as):
    client = login_as(make_user(roles=("bureau_analyst",), enterprise=None))
    assert client.get("/profile/").status_code == 404
    assert client.get("/profile/edit").status_code == 404


def test_profile_dict_is_what_the_core_expects(app, sme_client, sme_user):
    from services.profile import profile_dict

    sme_client.post("/profile/edit", data={**VALID, "has_cio": "no"})
    with app.app_context():
        assert profile_dict(sme_user.enterprise_id) == {
            "industry": "C36", "industry_group": "manufacturing", "district": "芝罘区",
            "employees": 120, "revenue": 50_000_000, "size_class": "small", "has_cio": False}
