"""On-site assessment pages: start from the client page, one item per screen with both sides,
reasons, autosave replies, concurrent saves, evidence upload and download, review and signing,
the public verification page; every route with an id answers 404 to anyone else and changes
nothing."""
import io
import re
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from storage.consultation_models import EvidenceFile, OnSiteAssessment, OnSiteChange
from storage.models import Assessment
from storage.organisation_models import AuditRecord, Consent
from tests.integration.test_report_support import submit_assessment
from tests.organisation_helpers import consent, make_org, staff_user

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 120


@dataclass
class Visit:
    org: int
    enterprise_id: int
    self_id: int
    consultant: object
    consultant2: object
    reviewer: object
    other_centre: object
    owner: object
    stranger: object
    anonymous: object


@pytest.fixture
def visit(app, make_user, login_as, sme_user, other_sme_user, tmp_path):
    app.config["FILES_DIR"] = tmp_path / "files"
    org = make_org(app, "centre", name="烟台市中小企业数字化转型促进中心", review_required=True)
    other = make_org(app, "centre", name="另一个中心")
    self_id = submit_assessment(app, sme_user.enterprise_id, sme_user.id)
    consent(app, sme_user.enterprise_id, org)
    consent(app, sme_user.enterprise_id, other)
    return Visit(org, sme_user.enterprise_id, self_id,
                 login_as(staff_user(app, make_user, org)),
                 login_as(staff_user(app, make_user, org)),
                 login_as(staff_user(app, make_user, org, "reviewer")),
                 login_as(staff_user(app, make_user, other)),
                 login_as(sme_user), login_as(other_sme_user), app.test_client())


def _start(v, **form):
    response = v.consultant.post(f"/on-site/start/{v.org}/{v.enterprise_id}",
                                 data={"instrument": "cn-sme-2024", "from": "self", **form})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(re.search(r"/on-site/(\d+)/", response.location).group(1))


def _number(v, aid, qid="system_coverage"):
    page = v.consultant.get(f"/on-site/{aid}/").get_data(as_text=True)
    link = re.search(rf'href="/on-site/{aid}/item/(\d+)">[^<]*</a>\s*(?:<span[^>]*>[^<]*</span>)?',
                     page)
    assert link
    for number in range(1, 60):
        html = v.consultant.get(f"/on-site/{aid}/item/{number}").get_data(as_text=True)
        if f'data-item="{qid}"' in html:
            return number
    raise AssertionError(qid)


def _base(html):
    return re.search(r'name="base" value="(\d+)"', html).group(1)


def _state(db, aid):
    db.expire_all()
    a, row = db.get(Assessment, aid), db.get(OnSiteAssessment, aid)
    changes = db.scalar(select(func.count()).select_from(OnSiteChange)
                        .where(OnSiteChange.assessment_id == aid))
    files = db.scalar(select(func.count()).select_from(EvidenceFile))
    return (dict(a.answers), a.status, row.state, dict(row.item_states), changes, files)


def test_the_client_page_starts_an_on_site_assessment_from_the_self_assessment(db, visit):
    page = visit.consultant.get(f"/org/{visit.org}/clients/{visit.enterprise_id}")
    assert "开始现场评定" in page.get_data(as_text=True) or "Start an on-site" in page.get_data(
        as_text=True)
    aid = _start(visit)
    assert db.get(Assessment, aid).answers == db.get(Assessment, visit.self_id).answers
    overview = visit.consultant.get(f"/on-site/{aid}/").get_data(as_text=True)
    assert "覆盖两个及以上业务环节" in overview  # the self-reported answer, in words


def test_an_item_shows_both_sides_the_rubric_and_refuses_a_change_without_reason(db, visit):
    aid = _start(visit)
    number = _number(visit, aid)
    html = visit.consultant.get(f"/on-site/{aid}/item/{number}").get_data(as_text=True)
    assert html.count("覆盖两个及以上业务环节") >= 2  # self-reported, verified, and the option
    assert 'class="rubric-list"' in html
    before = _state(db, aid)
    refused = visit.consultant.post(f"/on-site/{aid}/item/{number}", data={
        "system_coverage": "one_area", "state": "verified", "reason": "", "base": _base(html)})
    assert refused.status_code == 400
    assert "需要说明理由" in refused.get_data(as_text=True) or \
        "needs a reason" in refused.get_data(as_text=True)
    assert _state(db, aid) == before
    saved = visit.consultant.post(f"/on-site/{aid}/item/{number}", data={
        "system_coverage": "one_area", "state": "verified", "reason": "只见到财务系统",
        "base": _base(html), "action": "save"})
    assert saved.status_code == 302
    answers, _status, _st, states, _c, _f = _state(db, aid)
    assert answers["system_coverage"] == "one_area" and states["system_coverage"] == "adjusted"
    item = visit.consultant.get(f"/on-site/{aid}/item/{number}").get_data(as_text=True)
    assert "<del>覆盖两个及以上业务环节</del>" in item and "只见到财务系统" in item


def test_autosave_answers_json_and_a_stale_screen_gets_409_with_the_current_value(db, visit):
    aid = _start(visit)
    number = _number(visit, aid)
    html = visit.consultant.get(f"/on-site/{aid}/item/{number}").get_data(as_text=True)
    base = _base(html)
    headers = {"Accept": "application/json"}
    first = visit.consultant.post(f"/on-site/{aid}/item/{number}", headers=headers, data={
        "system_coverage": "most", "state": "verified", "reason": "看到了 MES", "base": base})
    assert first.status_code == 200 and first.json["saved"] and first.json["state"] == "adjusted"
    late = visit.consultant2.post(f"/on-site/{aid}/item/{number}", data={
        "system_coverage": "full", "state": "verified", "reason": "全部覆盖", "base": base})
    assert late.status_code == 409
    assert "覆盖 80% 以上的业务环节" in late.get_data(as_text=True)  # what is stored now
    assert _state(db, aid)[0]["system_coverage"] == "most"
    late_json = visit.consultant2.post(f"/on-site/{aid}/item/{number}", headers=headers, data={
        "system_coverage": "full", "state": "verified", "reason": "x", "base": base})
    assert late_json.status_code == 409 and not late_json.json["saved"]


@pytest.mark.parametrize("data", [
    {"system_coverage": "everything", "state": "verified", "reason": "r", "base": "0"},
    {"system_coverage": "one_area", "state": "signed", "reason": "r", "base": "0"},
    {"system_coverage": "one_area", "other_item": "x", "reason": "r", "base": "0"},
    {"system_coverage": "one_area", "state": "verified", "reason": "a\x00b", "base": "0"},
])
def test_forged_item_posts_are_refused_and_change_nothing(db, visit, data):
    aid = _start(visit)
    number = _number(visit, aid)
    before = _state(db, aid)
    assert visit.consultant.post(f"/on-site/{aid}/item/{number}", data=data).status_code == 400
    assert _state(db, aid) == before


def test_json_and_empty_posts_are_refused(db, visit):
    aid = _start(visit)
    before = _state(db, aid)
    assert visit.consultant.post(f"/on-site/{aid}/item/1", json={"a": 1}).status_code == 415
    assert visit.consultant.post(f"/on-site/{aid}/item/1", data={"csrf_token": "x"}
                                 ).status_code == 400
    assert visit.consultant.get(f"/on-site/{aid}/item/999").status_code == 404
    assert _state(db, aid) == before


def test_evidence_uploads_are_checked_and_downloads_are_attachments(db, visit):
    aid = _start(visit)
    number = _number(visit, aid)
    url = f"/on-site/{aid}/item/{number}/evidence"
    ok = visit.consultant.post(url, data={"files": [(io.BytesIO(JPEG), "车间照片.jpg"),
                                                    (io.BytesIO(ELF), "photo.jpg")]},
                               content_type="multipart/form-data", follow_redirects=True)
    text = ok.get_data(as_text=True)
    assert "车间照片.jpg" in text and "不接受这种文件" in text
    assert _state(db, aid)[5] == 1
    big = visit.consultant.post(url, data={"files": [(io.BytesIO(JPEG + b"\x00" * (21 << 20)),
                                                      "big.jpg")]},
                                content_type="multipart/form-data", follow_redirects=True)
    assert "20 MB" in big.get_data(as_text=True) and _state(db, aid)[5] == 1
    empty = visit.consultant.post(url, data={"files": [(io.BytesIO(b""), "e.jpg")]},
                                  content_type="multipart/form-data", follow_redirects=True)
    assert "文件是空的" in empty.get_data(as_text=True) and _state(db, aid)[5] == 1
    evidence_id = db.scalar(select(EvidenceFile.id))
    download = visit.consultant.get(f"/on-site/{aid}/evidence/{evidence_id}")
    assert download.status_code == 200 and download.data == JPEG
    assert download.headers["Content-Type"] == "image/jpeg"
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    download.close()


def test_review_send_back_sign_and_the_lock(db, visit):
    aid = _start(visit)
    assert visit.consultant.post(f"/on-site/{aid}/submit", data={"action": "submit"}
                                 ).status_code == 303
    assert _state(db, aid)[2] == "in_review"
    no_comment = visit.reviewer.post(f"/on-site/{aid}/send-back", data={"comment": " "},
                                     follow_redirects=True)
    assert "说明理由" in no_comment.get_data(as_text=True) and _state(db, aid)[2] == "in_review"
    visit.reviewer.post(f"/on-site/{aid}/send-back", data={"comment": "请补充证据"})
    assert _state(db, aid)[2] == "assessing"
    assert "请补充证据" in visit.consultant.get(f"/on-site/{aid}/").get_data(as_text=True)
    visit.consultant.post(f"/on-site/{aid}/submit", data={"action": "submit"})
    # The consultant cannot sign where a second person must.
    assert visit.consultant.post(f"/on-site/{aid}/sign", data={"action": "sign"}
                                 ).status_code == 404
    visit.reviewer.post(f"/on-site/{aid}/sign", data={"action": "sign"})
    answers, status, state, _s, changes, _f = _state(db, aid)
    assert (status, state) == ("submitted", "signed")
    overview = visit.consultant.get(f"/on-site/{aid}/").get_data(as_text=True)
    number = db.get(OnSiteAssessment, aid).report_number
    assert number in overview
    locked = visit.consultant.post(f"/on-site/{aid}/item/1", data={
        "system_coverage": "full", "reason": "x", "base": "0"})
    assert locked.status_code in (400, 409)
    assert _state(db, aid) == (answers, status, state, _s, changes, _f)


def test_the_reviewer_is_told_on_the_centre_home_what_waits_for_review(db, visit):
    home = f"/org/{visit.org}/"
    assert 'class="panel in-review"' not in visit.reviewer.get(home).get_data(as_text=True)
    aid = _start(visit)
    visit.consultant.post(f"/on-site/{aid}/submit", data={"action": "submit"})
    page = visit.reviewer.get(home).get_data(as_text=True)
    notice = page.split('class="panel in-review"')[1].split("</p>")[0]
    assert "有 1 份现场评定等待审核。" in notice
    link = f'href="/org/{visit.org}/workspace?status=in_review"'
    assert link in notice
    listed = visit.reviewer.get(f"/org/{visit.org}/workspace?status=in_review")
    assert f"/on-site/{aid}/" in listed.get_data(as_text=True)
    # the other centre's staff are told nothing about it
    other = visit.other_centre.get("/org/").location or ""
    assert "in-review" not in visit.other_centre.get(other).get_data(as_text=True)


def test_the_verification_page_confirms_a_signed_report_and_states_only_its_level(db, visit,
                                                                                   client):
    aid = _start(visit)
    visit.consultant.post(f"/on-site/{aid}/submit", data={"action": "submit"})
    visit.reviewer.post(f"/on-site/{aid}/sign", data={"action": "sign"})
    row = db.get(OnSiteAssessment, aid)
    good = client.post("/verify/", data={"report_number": row.report_number,
                                         "code": row.verification_code.lower()})
    html = good.get_data(as_text=True)
    assert good.status_code == 200 and "真实" in html and "示例机械有限公司" not in html
    bad = client.post("/verify/", data={"report_number": row.report_number, "code": "AAAA"})
    assert "没有与" in bad.get_data(as_text=True)


def test_the_enterprise_cannot_fill_an_on_site_draft_in_the_questionnaire(db, visit):
    aid = _start(visit)
    assert visit.owner.get(f"/assess/{aid}/page/1").status_code == 404
    assert visit.owner.post(f"/assess/{aid}/autosave/1", data={"items": "x"}).status_code == 404
    assert f"/assess/{aid}/" not in visit.owner.get("/assess/").get_data(as_text=True)


ROUTES = [("get", "/on-site/{aid}/"), ("get", "/on-site/{aid}/item/1"),
          ("post", "/on-site/{aid}/item/1"), ("post", "/on-site/{aid}/item/1/evidence"),
          ("get", "/on-site/{aid}/evidence/{eid}"), ("post", "/on-site/{aid}/submit"),
          ("post", "/on-site/{aid}/send-back"), ("post", "/on-site/{aid}/sign"),
          ("post", "/on-site/start/{org}/{eid_ent}")]


def _revoke(app, v):
    from storage.db import db_session, transaction
    with app.app_context(), transaction():
        for c in db_session.scalars(select(Consent).where(Consent.organisation_id == v.org)):
            c.status = "revoked"


@pytest.mark.parametrize("who", ["other_centre", "owner", "stranger", "anonymous", "revoked"])
def test_every_route_answers_404_to_anyone_else_and_changes_nothing(app, db, visit, who):
    aid = _start(visit)
    visit.consultant.post(f"/on-site/{aid}/item/1/evidence",
                          data={"files": [(io.BytesIO(JPEG), "a.jpg")]},
                          content_type="multipart/form-data")
    eid = db.scalar(select(EvidenceFile.id))
    if who == "revoked":
        _revoke(app, visit)
        person = visit.consultant
    else:
        person = getattr(visit, who)
    before = _state(db, aid)
    audits = db.scalar(select(func.count()).select_from(AuditRecord))
    for method, path in ROUTES:
        url = path.format(aid=aid, eid=eid, org=visit.org, eid_ent=visit.enterprise_id)
        data = {"system_coverage": "full", "reason": "x", "base": "0", "comment": "c",
                "instrument": "cn-sme-2024", "action": "x"}
        response = getattr(person, method)(url, data=data if method == "post" else None)
        if who == "anonymous":
            assert response.status_code in (302, 401) and "/auth/login" in response.location, url
        else:
            assert response.status_code == 404, (url, response.status_code)
    assert _state(db, aid) == before
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(AuditRecord)) == audits
