"""Organisation staff pages: the home with its consented clients, a client's page, today's
result, plan and PDF pages opened under consent, inviting an enterprise; the access matrix
for each route that takes an id (404 and no audit record wherever access is not granted)."""
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from storage.organisation_models import Consent
from tests.helpers import login
from tests.integration.test_report_support import submit_assessment
from tests.organisation_helpers import audit_count, audit_records, consent, make_org, staff_user


@dataclass
class Centre:
    org: int
    other_org: int
    enterprise_id: int
    assessment_id: int
    consultant: object  # logged-in clients
    other_consultant: object
    owner: object
    stranger: object


@pytest.fixture
def centre(app, make_user, login_as, sme_user, other_sme_user):
    org = make_org(app, "centre", name="烟台市中小企业数字化转型促进中心")
    other = make_org(app, "centre", name="另一个中心")
    assessment_id = submit_assessment(app, sme_user.enterprise_id, sme_user.id)
    return Centre(org, other, sme_user.enterprise_id, assessment_id,
                  login_as(staff_user(app, make_user, org)),
                  login_as(staff_user(app, make_user, other)),
                  login_as(sme_user), login_as(other_sme_user))


def _consent(app, c, **kwargs):
    return consent(app, c.enterprise_id, c.org, **kwargs)


def test_staff_land_on_their_organisation_and_see_its_clients(app, db, centre):
    _consent(app, centre)
    index = centre.consultant.get("/org/")
    assert index.status_code == 302 and index.location.endswith(f"/org/{centre.org}/")
    page = centre.consultant.get(f"/org/{centre.org}/").get_data(as_text=True)
    assert "示例机械有限公司" in page and "芝罘区" in page and "C34 " in page
    assert "查看评估、结果和报告" in page
    assert [r.action for r in audit_records(db, centre.enterprise_id)] == ["list_clients"]
    other = centre.other_consultant.get(f"/org/{centre.other_org}/").get_data(as_text=True)
    assert "示例机械有限公司" not in other


def test_without_clients_the_page_says_how_to_get_one_with_a_link(app, db, centre):
    page = centre.consultant.get(f"/org/{centre.org}/").get_data(as_text=True)
    empty = page.split('class="empty-clients"')[1].split("</p>")[0]
    assert "还没有企业授权" in empty and f'href="/org/{centre.org}/invite"' in empty


@pytest.mark.parametrize("state", ["revoked", "expired", "requested"])
def test_clients_without_consent_in_force_are_not_listed(app, db, centre, state):
    _consent(app, centre, status="active" if state == "expired" else state,
             days=-1 if state == "expired" else 30)
    page = centre.consultant.get(f"/org/{centre.org}/").get_data(as_text=True)
    listed = page.split("等待企业答复")[0]  # the clients section comes first
    assert "示例机械有限公司" not in listed
    assert ("示例机械有限公司" in page) == (state == "requested")  # waiting for the enterprise
    assert audit_count(db) == 0


def test_a_client_page_shows_profile_consent_and_assessments(app, db, centre):
    _consent(app, centre)
    response = centre.consultant.get(f"/org/{centre.org}/clients/{centre.enterprise_id}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "示例机械有限公司" in page and "已提交的评测" in page
    assert f"/assess/{centre.assessment_id}/result" in page
    assert f"/reports/{centre.assessment_id}.pdf" in page
    assert [r.action for r in audit_records(db, centre.enterprise_id)] == [
        "view_profile", "view_assessment"]


def test_a_summary_only_consent_shows_the_profile_but_not_the_assessments(app, db, centre):
    _consent(app, centre, scopes=("share_summary",))
    page = centre.consultant.get(f"/org/{centre.org}/clients/{centre.enterprise_id}").get_data(
        as_text=True)
    assert "该授权不包括查看企业的评测。" in page
    assert f"/assess/{centre.assessment_id}/result" not in page
    assert centre.consultant.get(f"/assess/{centre.assessment_id}/result").status_code == 404
    assert [r.action for r in audit_records(db, centre.enterprise_id)] == ["view_profile"]


def _paths(c):
    return [f"/org/{c.org}/clients/{c.enterprise_id}", f"/assess/{c.assessment_id}/result",
            f"/plan/{c.assessment_id}", f"/reports/{c.assessment_id}.pdf"]


def test_consented_staff_open_the_result_plan_and_report(app, db, centre):
    _consent(app, centre)
    for path in _paths(centre):
        response = centre.consultant.get(path)
        assert response.status_code == 200, path
    result = centre.consultant.get(f"/assess/{centre.assessment_id}/result").get_data(as_text=True)
    assert "返回我的评测" not in result  # the enterprise's own dashboard is not theirs
    actions = [r.action for r in audit_records(db, centre.enterprise_id)]
    assert actions.count("view_report") == 1 and actions.count("view_assessment") >= 3


@pytest.mark.parametrize("who", ["other centre", "no consent", "revoked", "expired", "requested",
                                 "other enterprise", "owner on the org page", "signed out"])
def test_everyone_else_gets_not_found_and_leaves_no_record(app, db, centre, who):
    client = centre.consultant
    if who in ("revoked", "requested"):
        _consent(app, centre, status=who)
    elif who == "expired":
        _consent(app, centre, days=-1)
    elif who != "no consent":
        _consent(app, centre)
    if who == "other centre":
        client = centre.other_consultant
    elif who == "other enterprise":
        client = centre.stranger
    elif who == "owner on the org page":
        client = centre.owner
    elif who == "signed out":
        client = app.test_client()
    paths = _paths(centre)
    if who == "owner on the org page":
        paths = paths[:1] + [f"/org/{centre.org}/", f"/org/{centre.org}/invite"]
    for path in paths:
        response = client.get(path)
        if who == "signed out":
            assert response.status_code == 302 and "/auth/login" in response.location, path
        else:
            assert response.status_code == 404, path
    assert audit_count(db) == 0


def test_revoking_ends_access_at_the_next_request(app, db, centre):
    consent_id = _consent(app, centre)
    path = f"/assess/{centre.assessment_id}/result"
    assert centre.consultant.get(path).status_code == 200
    centre.owner.post(f"/consents/{consent_id}/revoke")
    assert centre.consultant.get(path).status_code == 404
    assert centre.consultant.get(f"/org/{centre.org}/clients/{centre.enterprise_id}").status_code \
        == 404


@pytest.mark.parametrize("path", ["/org/{big}/", "/org/{org}/clients/{big}", "/org/999999/",
                                  "/org/{org}/clients/999999", "/org/{big}/invite",
                                  "/org/{big}/staff"])
def test_ids_that_do_not_exist_are_not_found(centre, path):
    url = path.format(big=2**63, org=centre.org)
    assert centre.consultant.get(url).status_code == 404


def _invite(client, org, **changes):
    data = {"uscc": "", "owner_email": "", "scopes": ["view_assessments"],
            "purpose": "评估结果解读", "valid_until": "2027-06-30", **changes}
    return client.post(f"/org/{org}/invite", data=data)


def _consents(db):
    db.expire_all()
    return db.scalar(select(func.count()).select_from(Consent))


def test_staff_invite_an_enterprise_and_see_the_request_waiting(app, db, centre, sme_user):
    form = centre.consultant.get(f"/org/{centre.org}/invite").get_data(as_text=True)
    assert "统一社会信用代码" in form and "开展现场评定" in form
    response = _invite(centre.consultant, centre.org, owner_email=sme_user.email)
    assert response.status_code == 302
    row = db.scalar(select(Consent))
    assert (row.status, row.requested_by, row.enterprise_id) == ("requested", "organisation",
                                                                 centre.enterprise_id)
    home = centre.consultant.get(f"/org/{centre.org}/").get_data(as_text=True)
    assert "由本机构提出" in home
    owner_page = centre.owner.get("/consents/").get_data(as_text=True)
    assert "烟台市中小企业数字化转型促进中心" in owner_page and "同意" in owner_page


@pytest.mark.parametrize("changes, message", [
    ({}, "请填写统一社会信用代码或企业负责人邮箱（二选一）。"),
    ({"uscc": "91370602MA3C4H5K1"}, "统一社会信用代码应为 18 位"),
    ({"owner_email": "nobody@example.com"}, "没有找到匹配的已注册企业"),
    ({"owner_email": "x@example.com", "scopes": ["named_list"]}, "所选权限中有一项不能授予这类机构。"),
])
def test_bad_invitations_of_enterprises_change_nothing(db, centre, changes, message):
    response = _invite(centre.consultant, centre.org, **changes)
    assert response.status_code == 400 and message in response.get_data(as_text=True)
    assert _consents(db) == 0


def test_staff_of_another_organisation_cannot_invite_for_it(db, centre, sme_user):
    response = _invite(centre.other_consultant, centre.org, owner_email=sme_user.email)
    assert response.status_code == 404 and _consents(db) == 0
    assert _invite(centre.owner, centre.org, owner_email=sme_user.email).status_code == 404
    assert _consents(db) == 0


def test_an_open_consent_makes_a_second_invitation_a_conflict(app, db, centre, sme_user):
    _consent(app, centre)
    response = _invite(centre.consultant, centre.org, owner_email=sme_user.email)
    assert response.status_code == 409 and _consents(db) == 1


# --- staff -----------------------------------------------------------------------------------

@pytest.fixture
def admin(app, make_user, login_as, centre):
    user = staff_user(app, make_user, centre.org, "centre_admin")
    return login_as(user)


def test_admins_invite_staff_and_the_link_works_only_for_that_address(app, db, centre, admin,
                                                                      make_user, login_as):
    page = admin.get(f"/org/{centre.org}/staff").get_data(as_text=True)
    assert "邀请人员" in page and "咨询顾问" in page and "审核人" in page
    response = admin.post(f"/org/{centre.org}/staff", data={"email": "reviewer@example.com",
                                                             "role": "reviewer"})
    html = response.get_data(as_text=True)
    link = html.split('readonly value="')[1].split('"')[0].replace("http://localhost", "")
    assert "/org/invitation/" in link
    someone = login_as(make_user())
    refused = someone.post(link)
    assert refused.status_code == 403
    assert "该邀请发送给的邮箱与您当前登录的邮箱不同" in refused.get_data(as_text=True)
    newcomer = app.test_client()
    assert "此邀请仅限 reviewer@example.com 使用。" in newcomer.get(link).get_data(as_text=True)
    joined = newcomer.post(link, data={"name": "孙审核", "password": "correct horse battery",
                                       "confirm": "correct horse battery"})
    assert joined.status_code == 302 and joined.location.endswith(f"/org/{centre.org}/")
    assert newcomer.get(f"/org/{centre.org}/").status_code == 200
    used = app.test_client().get(link)
    assert used.status_code == 302  # used: back to the home page with a message


def test_someone_with_an_account_logs_in_before_joining(app, centre, admin, make_user):
    person = make_user(enterprise=None, roles=())
    html = admin.post(f"/org/{centre.org}/staff", data={"email": person.email,
                                                        "role": "consultant"}).get_data(as_text=True)
    link = html.split('readonly value="')[1].split('"')[0].replace("http://localhost", "")
    visitor = app.test_client()
    assert "该邮箱已注册账号：请先登录" in visitor.get(link).get_data(as_text=True)
    response = login(visitor, person.email)
    assert response.status_code == 302
    assert visitor.post(link).status_code == 302
    assert visitor.get(f"/org/{centre.org}/").status_code == 200


def test_bad_staff_invitations_are_refused(db, centre, admin):
    bad = admin.post(f"/org/{centre.org}/staff", data={"email": "nobody", "role": "consultant"})
    assert bad.status_code == 400 and "请输入有效的邮箱地址。" in bad.get_data(as_text=True)
    role = admin.post(f"/org/{centre.org}/staff", data={"email": "a@example.com",
                                                        "role": "administrator"})
    assert role.status_code == 400 and "请从列出的角色中选择。" in role.get_data(as_text=True)
    from storage.organisation_models import StaffInvitation
    assert db.scalar(select(func.count()).select_from(StaffInvitation)) == 0


@pytest.mark.parametrize("who", ["consultant", "other centre", "owner", "signed out"])
def test_only_the_organisations_admins_manage_its_staff(app, db, centre, admin, who):
    from storage.organisation_models import OrgMembership
    client = {"consultant": centre.consultant, "other centre": centre.other_consultant,
              "owner": centre.owner, "signed out": app.test_client()}[who]
    membership = db.scalar(select(OrgMembership.id).where(OrgMembership.organisation_id ==
                                                          centre.org).order_by(OrgMembership.id))
    before = db.scalar(select(func.count()).select_from(OrgMembership))
    responses = [client.get(f"/org/{centre.org}/staff"),
                 client.post(f"/org/{centre.org}/staff", data={"email": "x@example.com",
                                                                "role": "consultant"}),
                 client.post(f"/org/{centre.org}/staff/{membership}/remove")]
    for response in responses:
        if who == "signed out":
            assert response.status_code == 302 and "/auth/login" in response.location
        else:
            assert response.status_code == 404
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(OrgMembership)) == before


def test_admins_remove_staff_but_not_the_last_admin(app, db, centre, admin):
    from storage.organisation_models import OrgMembership
    rows = db.execute(select(OrgMembership.id, OrgMembership.role)
                      .where(OrgMembership.organisation_id == centre.org)).all()
    consultant = next(i for i, role in rows if role == "consultant")
    own = next(i for i, role in rows if role == "centre_admin")
    assert admin.post(f"/org/{centre.org}/staff/{consultant}/remove").status_code == 302
    assert centre.consultant.get(f"/org/{centre.org}/").status_code == 404  # at once
    last = admin.post(f"/org/{centre.org}/staff/{own}/remove")
    assert last.status_code == 409 and "机构至少需要一名管理员" in last.get_data(as_text=True)
    other_org_member = admin.post(f"/org/{centre.org}/staff/999999/remove")
    assert other_org_member.status_code == 404


def test_consented_staff_opening_an_old_draft_leave_it_as_it_is(app, db, centre, sme_user):
    from tests.integration.test_draft_upgrade import make_draft, row

    _consent(app, centre)
    draft = make_draft(app, sme_user)  # cn-sme-2024 1.0.0, which the owner's visit would upgrade
    before = row(app, draft)
    response = centre.consultant.get(f"/assess/{draft}/result")
    assert response.status_code == 302  # not submitted: sent on to the questionnaire...
    assert centre.consultant.get(response.location).status_code == 404  # ...which is theirs only
    assert row(app, draft) == before and before["version"] == "1.0.0"
