"""The enterprise's data sharing page and access log: owners ask a centre, accept, decline and
revoke; nobody else reaches another enterprise's consents; bad input changes nothing."""
import pytest
from sqlalchemy import func, select

from storage.organisation_models import Consent
from tests.helpers import csrf_token
from tests.organisation_helpers import audit_count, consent, make_org, staff_user

UNTIL = "2099-01-01"


@pytest.fixture
def centre(app):
    return make_org(app, "centre", name="烟台市中小企业数字化转型促进中心")


def _status(db, consent_id):
    db.expire_all()
    return db.get(Consent, consent_id).status


def _count(db):
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Consent))


def _ask(client, centre, **changes):
    data = {"organisation": str(centre), "scopes": ["view_assessments", "on_site_assessment"],
            "purpose": "请中心帮助解读评估结果", "valid_until": "2027-06-30", **changes}
    return client.post("/consents/ask", data=data)


def test_the_page_explains_consent_and_offers_the_centres(sme_client, centre):
    page = sme_client.get("/consents/").get_data(as_text=True)
    assert "数据授权" in page and "烟台市中小企业数字化转型促进中心" in page
    assert "查看评估、结果和报告" in page and "开展现场评定" in page
    assert "目前没有任何机构可以查看贵企业的数据。" in page


def test_an_owner_asks_a_centre_and_consent_is_given_at_once(app, db, sme_client, sme_user,
                                                             centre, monkeypatch):
    response = _ask(sme_client, centre)
    assert response.status_code == 302
    row = db.scalar(select(Consent))
    assert (row.status, row.enterprise_id, row.organisation_id, row.scopes) == (
        "active", sme_user.enterprise_id, centre, ["view_assessments", "on_site_assessment"])
    page = sme_client.get("/consents/").get_data(as_text=True)
    assert "有效的授权" in page and "请中心帮助解读评估结果" in page and "2027年6月30日" in page


@pytest.mark.parametrize("changes, messages", [
    ({"scopes": [], "purpose": "", "valid_until": ""},
     ["请至少选择一项允许该机构做的事。", "请说明数据的用途。", "请填写截止日期。"]),
    ({"organisation": "999999", "valid_until": "2027-13-45"},
     ["请从列出的中心中选择一个。", "请按“年-月-日”填写截止日期"]),
    ({"scopes": ["named_list"], "valid_until": "2000-01-01"},
     ["所选权限中有一项不能授予这类机构。", "截止日期已过"]),
    ({"purpose": "很长" * 300}, ["用途请控制在 500 字以内。"]),
    ({"purpose": "咨询\x00\u202e"}, ["请删除文本中不可见的控制字符"]),
    ({"organisation": str(2**63)}, ["请从列出的中心中选择一个。"]),
])
def test_bad_requests_name_every_problem_and_change_nothing(db, sme_client, centre, changes,
                                                            messages):
    response = _ask(sme_client, centre, **changes)
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    for message in messages:
        assert message in page
    assert _count(db) == 0


def test_problems_are_in_english_for_english_readers(db, sme_client, centre):
    sme_client.post("/auth/language", data={"locale": "en", "next": "/"})
    page = _ask(sme_client, centre, purpose="", valid_until="soon").get_data(as_text=True)
    assert "Say what the data will be used for." in page
    assert "Enter the end date as year-month-day" in page
    assert _count(db) == 0


def test_other_content_types_and_sizes_change_nothing(db, sme_client, centre):
    json_body = sme_client.post("/consents/ask", json={"organisation": centre})
    assert json_body.status_code == 415
    huge = sme_client.post("/consents/ask", data={"purpose": "x" * (2 * 1024 * 1024)})
    assert huge.status_code == 413
    bad_bytes = sme_client.post("/consents/ask", data=b"\xff\xfe\x00garbage",
                                content_type="application/x-www-form-urlencoded")
    assert bad_bytes.status_code == 400
    assert _count(db) == 0


def test_a_second_open_request_to_the_same_centre_is_refused(db, sme_client, centre):
    assert _ask(sme_client, centre).status_code == 302
    response = _ask(sme_client, centre)
    assert response.status_code == 409 and "已有生效的授权" in response.get_data(as_text=True)
    assert _count(db) == 1


def test_an_owner_accepts_declines_and_revokes(app, db, sme_client, sme_user, centre):
    first = consent(app, sme_user.enterprise_id, centre, status="requested")
    assert "待处理的请求" in sme_client.get("/consents/").get_data(as_text=True)
    assert sme_client.post(f"/consents/{first}/accept").status_code == 302
    assert _status(db, first) == "active"
    assert sme_client.post(f"/consents/{first}/revoke").status_code == 302
    assert _status(db, first) == "revoked"
    again = sme_client.post(f"/consents/{first}/revoke")
    assert again.status_code == 409 and "该授权已不再有效" in again.get_data(as_text=True)
    second = consent(app, sme_user.enterprise_id, centre, status="requested")
    assert sme_client.post(f"/consents/{second}/decline").status_code == 302
    assert _status(db, second) == "declined"
    assert "以往的授权和请求" in sme_client.get("/consents/").get_data(as_text=True)


@pytest.mark.parametrize("who", ["member", "other owner", "consultant", "signed out"])
@pytest.mark.parametrize("decision", ["accept", "decline", "revoke"])
def test_nobody_but_an_owner_decides(app, db, make_user, login_as, sme_user, other_sme_user,
                                     centre, who, decision):
    status = "active" if decision == "revoke" else "requested"
    consent_id = consent(app, sme_user.enterprise_id, centre, status=status)
    if who == "member":
        from services import accounts, invitations
        with app.app_context():
            token = invitations.invite(accounts.load_account(sme_user.id), sme_user.enterprise_id,
                                    "clerk@example.com", days=1)
            invitations.accept_invitation(token, name="刘芳", password="correct horse battery")
        client = app.test_client()
        from tests.helpers import login
        assert login(client, "clerk@example.com", "correct horse battery").status_code == 302
    elif who == "other owner":
        client = login_as(other_sme_user)
    elif who == "consultant":
        client = login_as(staff_user(app, make_user, centre))
    else:
        client = app.test_client()
    response = client.post(f"/consents/{consent_id}/{decision}")
    if who == "signed out":
        assert response.status_code == 302 and "/auth/login" in response.location
    else:
        assert response.status_code == 404
    assert _status(db, consent_id) == status


@pytest.mark.parametrize("consent_id", ["999999", str(2**63), str(2**70)])
def test_ids_that_do_not_exist_are_not_found(sme_client, consent_id):
    assert sme_client.post(f"/consents/{consent_id}/revoke").status_code == 404


def test_staff_without_an_enterprise_have_no_consents_page(app, make_user, login_as, centre):
    client = login_as(staff_user(app, make_user, centre))
    assert client.get("/consents/").status_code == 404
    assert client.get("/consents/log").status_code == 404


def test_signed_out_visitors_are_sent_to_log_in(client):
    for path in ("/consents/", "/consents/log"):
        response = client.get(path)
        assert response.status_code == 302 and "/auth/login" in response.location


@pytest.mark.app_config(WTF_CSRF_ENABLED=True)
def test_posts_without_the_form_token_are_refused(app, db, client, sme_user, centre):
    from tests.helpers import login
    login(client, sme_user.email, token=csrf_token(client, "/auth/login"))
    sme_client = client
    consent_id = consent(app, sme_user.enterprise_id, centre)
    assert sme_client.post(f"/consents/{consent_id}/revoke").status_code == 400
    assert _status(db, consent_id) == "active"
    token = csrf_token(sme_client, "/consents/")
    assert sme_client.post(f"/consents/{consent_id}/revoke",
                           data={"csrf_token": token}).status_code == 302
    assert _status(db, consent_id) == "revoked"


def test_the_access_log_shows_who_read_what_newest_first(app, db, make_user, login_as,
                                                         sme_client, sme_user, other_sme_user,
                                                         centre):
    from tests.integration.test_report_support import submit_assessment

    assessment_id = submit_assessment(app, sme_user.enterprise_id, sme_user.id)
    consent_id = consent(app, sme_user.enterprise_id, centre)
    consultant = login_as(staff_user(app, make_user, centre))
    assert consultant.get(f"/assess/{assessment_id}/result").status_code == 200
    assert sme_client.get(f"/assess/{assessment_id}/result").status_code == 200  # own: no record
    page = sme_client.get("/consents/log").get_data(as_text=True)
    assert "查看评估及结果" in page and "烟台市中小企业数字化转型促进中心" in page
    assert f"第 {assessment_id} 号评测" in page and f"贵企业的第 {consent_id} 号授权" in page
    assert audit_count(db, sme_user.enterprise_id) == 1
    sme_client.post("/auth/language", data={"locale": "en", "next": "/"})
    assert "Viewed an assessment and its result" in sme_client.get("/consents/log").get_data(
        as_text=True)
    theirs = login_as(other_sme_user).get("/consents/log").get_data(as_text=True)
    assert "查看评估及结果" not in theirs and "企业以外还没有人查看过" in theirs


def test_the_access_log_is_paginated(app, db, sme_client, sme_user):
    from services import audit
    from storage.db import transaction

    with app.app_context(), transaction():
        for i in range(51):
            audit.append(action="view_profile", enterprise_id=sme_user.enterprise_id,
                         actor_user=None, object_type="enterprise", object_id=i)
    first = sme_client.get("/consents/log").get_data(as_text=True)
    assert "第 1 页，共 2 页" in first and first.count("查看企业资料") == 50
    second = sme_client.get("/consents/log?page=2").get_data(as_text=True)
    assert "第 2 页，共 2 页" in second and second.count("查看企业资料") == 1
    for junk in ("abc", "-1", "99999999999999999999"):
        assert sme_client.get(f"/consents/log?page={junk}").status_code == 200


def test_the_forms_purpose_reads_in_each_readers_language_and_a_typed_one_as_typed(
        app, db, sme_client, centre, make_user, login_as):
    """The owner keeps the form's Chinese purpose: an English reader on either side sees it in
    English. A purpose the person typed stays as typed in every language."""
    form = sme_client.get("/consents/").get_data(as_text=True)
    assert ">就本企业数字化转型进行咨询</textarea>" in form
    _ask(sme_client, centre, purpose="就本企业数字化转型进行咨询")
    assert db.scalar(select(Consent.purpose)) == "就本企业数字化转型进行咨询"
    sme_client.post("/auth/language", data={"locale": "en", "next": "/"})
    page = sme_client.get("/consents/").get_data(as_text=True)
    assert "<dd>A consultation on our digital transformation</dd>" in page
    assert "就本企业数字化转型进行咨询" not in page
    consultant = login_as(staff_user(app, make_user, centre))
    enterprise_id = db.scalar(select(Consent.enterprise_id))
    client_page = consultant.get(f"/org/{centre}/clients/{enterprise_id}").get_data(as_text=True)
    assert "<dd>就本企业数字化转型进行咨询</dd>" in client_page
    consultant.post("/auth/language", data={"locale": "en", "next": "/"})
    client_page = consultant.get(f"/org/{centre}/clients/{enterprise_id}").get_data(as_text=True)
    assert "<dd>A consultation on our digital transformation</dd>" in client_page

    sme_client.post(f"/consents/{db.scalar(select(Consent.id))}/revoke")
    _ask(sme_client, centre, purpose="请中心帮助解读评估结果")
    page = sme_client.get("/consents/").get_data(as_text=True)
    assert "<dd>请中心帮助解读评估结果</dd>" in page
    assert "<td>A consultation on our digital transformation</td>" in page  # the revoked one
