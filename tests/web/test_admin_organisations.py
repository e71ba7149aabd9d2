"""Administrators create and list organisations in the browser; nobody else sees the page."""
import pytest
from sqlalchemy import func, select

from storage.organisation_models import Organisation, StaffInvitation
from tests.organisation_helpers import make_org, staff_user


@pytest.fixture
def admin(make_user, login_as):
    return login_as(make_user(roles=("administrator",), enterprise=None))


def _count(db, model=Organisation):
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model))


def test_administrators_create_a_bureau_with_its_scope(db, admin):
    page = admin.get("/admin/organisations").get_data(as_text=True)
    assert "创建机构" in page and "芝罘区" in page and "行业主管部门" in page
    response = admin.post("/admin/organisations", data={
        "kind": "bureau", "name": "芝罘区工业和信息化局", "districts": ["芝罘区"],
        "industries": "C", "phone": "0535-6100000"})
    assert response.status_code == 302
    row = db.scalar(select(Organisation))
    assert (row.kind, row.scope, row.phone) == ("bureau", {"districts": ["芝罘区"],
                                                           "industries": ["C"]}, "0535-6100000")
    listing = admin.get("/admin/organisations").get_data(as_text=True)
    assert "芝罘区工业和信息化局" in listing and "已创建机构" in listing
    assert '<a href="/admin/organisations" aria-current="page">机构管理</a>' in listing


def test_a_new_administrator_gets_an_invitation_link(db, admin):
    response = admin.post("/admin/organisations", data={
        "kind": "centre", "name": "中心", "review_required": "1", "follow_up_months": "12",
        "admin_email": "Boss@Example.com"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "/org/invitation/" in page
    assert db.scalar(select(StaffInvitation.email)) == "boss@example.com"
    assert db.scalar(select(Organisation.settings)) == {"review_required": True,
                                                        "follow_up_months": 12}


@pytest.mark.parametrize("data, status, messages", [
    ({"kind": "centre", "name": ""}, 400, ["请填写机构名称。"]),
    ({"kind": "centre", "name": "C", "districts": ["芝罘区"], "follow_up_months": "99"}, 400,
     ["只有主管部门才有区（市）和行业范围", "请填写 1 到 60 之间的整数月数。"]),
    ({"kind": "provider", "name": "P"}, 400, ["请选择该机构对应的服务商库中的服务商。"]),
    ({"kind": "bureau", "name": "B", "industries": "ZZ9"}, 400, ["请使用 GB/T 4754-2017 代码"]),
    ({"kind": "spaceship", "name": "S", "website": "ftp://x"}, 400,
     ["请选择机构类型。", "请填写完整的网址"]),
])
def test_bad_data_is_named_and_nothing_is_created(db, admin, data, status, messages):
    response = admin.post("/admin/organisations", data=data)
    page = response.get_data(as_text=True)
    assert response.status_code == status
    for message in messages:
        assert message in page
    assert _count(db) == 0


def test_a_taken_name_is_a_conflict(app, db, admin):
    make_org(app, "centre", name="中心")
    response = admin.post("/admin/organisations", data={"kind": "centre", "name": "中心"})
    assert response.status_code == 409 and "已有同类型、同名称的机构。" in response.get_data(as_text=True)
    assert _count(db) == 1


@pytest.mark.parametrize("who", ["sme", "centre admin", "signed out"])
def test_nobody_else_reaches_the_page(app, db, make_user, login_as, sme_client, who):
    if who == "sme":
        client = sme_client
    elif who == "centre admin":
        client = login_as(staff_user(app, make_user, make_org(app, "centre"), "centre_admin"))
    else:
        client = app.test_client()
    before = _count(db)
    for response in (client.get("/admin/organisations"),
                     client.post("/admin/organisations", data={"kind": "centre", "name": "X"})):
        if who == "signed out":
            assert response.status_code == 302 and "/auth/login" in response.location
        else:
            assert response.status_code == 404
    assert _count(db) == before
