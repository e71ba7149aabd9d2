"""The centre's consultations page (statuses, search, filters, assigned to me, follow-up due),
the hand-over of a client, and T0/T1: marking a baseline and the change on the results page."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from services.workspace import add_months
from storage.base import utcnow
from storage.consultation_models import ClientAssignment
from storage.models import Assessment
from tests.integration.test_report_support import submit_assessment
from tests.organisation_helpers import audit_records, consent, make_org, staff_user
from datetime import datetime, timezone


@pytest.fixture
def centre(app, make_user, login_as, sme_user, other_sme_user):
    org = make_org(app, "centre", name="烟台市中小企业数字化转型促进中心", follow_up_months=6)
    other = make_org(app, "centre", name="另一个中心")
    submit_assessment(app, sme_user.enterprise_id, sme_user.id)
    submit_assessment(app, other_sme_user.enterprise_id, other_sme_user.id, name="蓝海食品有限公司",
                      district="莱山区", industry_code="C14", uscc="91370600MA3C123456")
    consent(app, sme_user.enterprise_id, org)
    consent(app, other_sme_user.enterprise_id, org)
    admin = make_user(roles=(), enterprise=None, name="中心管理员")
    from tests.organisation_helpers import add_staff
    add_staff(app, org, admin, "centre_admin")
    first = make_user(roles=(), enterprise=None, name="顾问甲")
    second = make_user(roles=(), enterprise=None, name="顾问乙")
    add_staff(app, org, first, "consultant")
    add_staff(app, org, second, "consultant")
    return {"org": org, "other": other, "a": sme_user.enterprise_id,
            "b": other_sme_user.enterprise_id, "admin": login_as(admin),
            "first": login_as(first), "second": login_as(second), "first_id": first.id,
            "second_id": second.id, "outsider": login_as(staff_user(app, make_user, other)),
            "owner": login_as(sme_user)}


def _rows(html):
    """{enterprise name: status key} of the table."""
    found = {}
    for row in re.findall(r"<tr>(.*?)</tr>", html, re.S):
        name = re.search(r">([^<]+)</a>", row)
        status = re.search(r'data-status="(\w+)"', row)
        if name and status:
            found[name.group(1)] = status.group(1)
    return found


def test_statuses_search_filters_and_audit(app, db, centre):
    org = centre["org"]
    page = centre["first"].get(f"/org/{org}/workspace").get_data(as_text=True)
    assert _rows(page) == {"示例机械有限公司": "consented", "蓝海食品有限公司": "consented"}
    assert [r.action for r in audit_records(db, centre["b"])] == ["list_clients"]
    started = centre["first"].post(f"/on-site/start/{org}/{centre['a']}",
                                   data={"instrument": "cn-sme-2024", "from": "self"})
    assert started.status_code == 302
    page = centre["first"].get(f"/org/{org}/workspace").get_data(as_text=True)
    assert _rows(page)["示例机械有限公司"] == "assessing"
    by_uscc = centre["first"].get(f"/org/{org}/workspace?q=MA3C12").get_data(as_text=True)
    assert list(_rows(by_uscc)) == ["蓝海食品有限公司"]
    by_district = centre["first"].get(f"/org/{org}/workspace?district=莱山区").get_data(
        as_text=True)
    assert list(_rows(by_district)) == ["蓝海食品有限公司"]
    by_industry = centre["first"].get(f"/org/{org}/workspace?industry=C3").get_data(as_text=True)
    assert list(_rows(by_industry)) == ["示例机械有限公司"]
    by_status = centre["first"].get(f"/org/{org}/workspace?status=assessing").get_data(
        as_text=True)
    assert list(_rows(by_status)) == ["示例机械有限公司"]
    # Starting the consultation assigned the client to the consultant.
    mine = centre["first"].get(f"/org/{org}/workspace?mine=1").get_data(as_text=True)
    assert list(_rows(mine)) == ["示例机械有限公司"]
    assert _rows(centre["second"].get(f"/org/{org}/workspace?mine=1").get_data(
        as_text=True)) == {}


def test_bad_filters_are_ignored_not_errors(centre):
    org = centre["org"]
    for query in ("status=nonsense", "q=%25%25", "industry=" + "x" * 50, "q=" + "长" * 500):
        assert centre["first"].get(f"/org/{org}/workspace?{query}").status_code == 200


def test_the_admin_hands_a_client_over(db, centre):
    org, a = centre["org"], centre["a"]
    url = f"/org/{org}/clients/{a}/hand-over"
    assert centre["admin"].post(url, data={"consultant": centre["second_id"]}).status_code == 303
    assign = lambda: db.scalars(select(ClientAssignment.consultant_id)).all()  # noqa: E731
    assert assign() == [centre["second_id"]]
    assert centre["admin"].post(url, data={"consultant": centre["first_id"]}).status_code == 303
    db.expire_all()
    assert assign() == [centre["first_id"]]
    # Someone who is not among the centre's consultants: refused, nothing changed.
    bad = centre["admin"].post(url, data={"consultant": "999999"}, follow_redirects=True)
    assert "请从本中心的咨询顾问中选择" in bad.get_data(as_text=True)
    db.expire_all()
    assert assign() == [centre["first_id"]]


@pytest.mark.parametrize("who", ["first", "outsider", "owner"])
def test_only_the_centre_admin_hands_over(db, centre, who):
    url = f"/org/{centre['org']}/clients/{centre['a']}/hand-over"
    assert centre[who].post(url, data={"consultant": centre["second_id"]}).status_code == 404
    assert db.scalars(select(ClientAssignment)).all() == []


def test_hand_over_of_a_client_without_consent_is_not_found(app, db, centre, make_user):
    stranger = make_user(enterprise="无授权公司")
    url = f"/org/{centre['org']}/clients/{stranger.enterprise_id}/hand-over"
    assert centre["admin"].post(url, data={"consultant": centre["second_id"]}).status_code == 404
    assert db.scalars(select(ClientAssignment)).all() == []


@pytest.mark.parametrize("who", ["outsider", "owner", None])
def test_the_workspace_is_the_centres_own(app, centre, who):
    client = centre[who] if who else app.test_client()
    response = client.get(f"/org/{centre['org']}/workspace")
    assert response.status_code == (302 if who is None else 404)


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(datetime(2026, 8, 31, tzinfo=timezone.utc), 6) == datetime(
        2027, 2, 28, tzinfo=timezone.utc)
    assert add_months(datetime(2026, 1, 15, tzinfo=timezone.utc), 12) == datetime(
        2027, 1, 15, tzinfo=timezone.utc)


def _age(app, assessment_id, days):
    from storage.db import db_session, transaction
    with app.app_context(), transaction():
        row = db_session.get(Assessment, assessment_id)
        row.submitted_at = utcnow() - timedelta(days=days)


def test_t0_marked_then_follow_up_due_then_t1_shows_the_change(app, db, centre, sme_user):
    from reports.demo import ANSWERS
    t0 = db.scalars(select(Assessment.id).where(Assessment.enterprise_id == centre["a"])).one()
    page = centre["owner"].get(f"/assess/{t0}/result").get_data(as_text=True)
    assert "设为基线（T0）" in page
    assert centre["owner"].post(f"/assess/{t0}/baseline").status_code == 303
    _age(app, t0, 200)
    work = centre["first"].get(f"/org/{centre['org']}/workspace").get_data(as_text=True)
    assert _rows(work)["示例机械有限公司"] == "reassessment_due" and "随访到期" in work
    better = dict(ANSWERS, system_coverage="full")
    t1 = submit_assessment(app, centre["a"], sme_user.id, answers=better)
    result = centre["owner"].get(f"/assess/{t1}/result").get_data(as_text=True)
    assert "T1" in result and "前后对比" in result
    t0_total = db.get(Assessment, t0).total
    db.expire_all()
    change = db.get(Assessment, t1).total - t0_total
    assert change > 0 and f"+{change:.1f}".rstrip("0").rstrip(".") in result
    work = centre["first"].get(f"/org/{centre['org']}/workspace").get_data(as_text=True)
    assert _rows(work)["示例机械有限公司"] == "consented"


def test_a_stranger_cannot_mark_a_baseline(db, centre, app, make_user, login_as):
    t0 = db.scalars(select(Assessment.id).where(Assessment.enterprise_id == centre["a"])).one()
    for client in (centre["outsider"], login_as(make_user(enterprise="别家")), app.test_client()):
        assert client.post(f"/assess/{t0}/baseline").status_code in (302, 404)
    db.expire_all()
    assert db.get(Assessment, t0).baseline_at is None


def test_signed_reports_stay_in_the_centres_records_after_revocation(app, db, centre):
    from services import on_site_sign_off
    from services.instrument_registry import instruments
    from storage.db import db_session, transaction
    from storage.organisation_models import Consent
    from tests.organisation_helpers import account
    org, a = centre["org"], centre["a"]
    started = centre["first"].post(f"/on-site/start/{org}/{a}",
                                   data={"instrument": "cn-sme-2024", "from": "self"})
    aid = int(re.search(r"/on-site/(\d+)/", started.location).group(1))
    with app.app_context():
        from storage.models import User
        first = db_session.get(User, centre["first_id"])
        signed = on_site_sign_off.sign(account(app, first), aid,
                                       instruments(app.config["QUESTIONNAIRES_DIR"])["cn-sme-2024"])
    with app.app_context(), transaction():
        for c in db_session.scalars(select(Consent).where(Consent.enterprise_id == a)):
            c.status = "revoked"
    before = len(audit_records(db, a))
    page = centre["first"].get(f"/org/{org}/workspace").get_data(as_text=True)
    section = page.split('id="signed-title"')[1]
    assert signed["report_number"] in section and "示例机械有限公司" in section
    assert "示例机械有限公司" not in page.split('id="signed-title"')[0]  # no longer a client
    assert len(audit_records(db, a)) == before  # the centre's own record reads nothing of it
    assert centre["first"].get(f"/on-site/{aid}/").status_code == 404
