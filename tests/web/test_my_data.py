"""My data: an owner's ZIP of everything kept about the enterprise, read back and checked
against the database; nobody else gets it."""
import hashlib
import io
import json
import zipfile

import pytest
from sqlalchemy import select

from storage.consultation_models import EvidenceFile
from storage.models import Assessment, Membership
from storage.organisation_models import AuditRecord
from storage.report_models import StoredReport
from tests.api_helpers import bearer, make_token
from tests.organisation_helpers import consent, make_org, staff_user

MIXED = {"qc_network": "partial", "qc_devices": "under_50", "qc_data_areas": ["sales", "finance"],
         "qc_systems": "two_or_more", "qc_security": "backups", "qc_plan": "idea",
         "qc_owner": "staff", "qc_skills": 3, "qc_spend": "under_1", "qc_efficiency": "same",
         "qc_growth": "better"}
PNG = b"\x89PNG\r\n\x1a\n" + b"evidence bytes"


@pytest.fixture
def filled(app, client, db, sme_user, make_user, tmp_path):
    """A submitted quick check with a PDF report, a draft, a consented centre that read it
    (audited) and one evidence file in the file store."""
    app.config["FILES_DIR"] = tmp_path / "files"
    token = make_token(app, sme_user)
    draft = client.post("/api/v1/assessments", headers=bearer(token),
                        json={"instrument": "quick-check"}).get_json()["id"]
    client.put(f"/api/v1/assessments/{draft}/answers", headers=bearer(token),
               json={"answers": MIXED})
    client.post(f"/api/v1/assessments/{draft}/submit", headers=bearer(token), json={})
    client.post(f"/api/v1/assessments/{draft}/report", headers=bearer(token), json={"lang": "zh"})
    second = client.post("/api/v1/assessments", headers=bearer(token),
                         json={"instrument": "cn-sme-2024"}).get_json()["id"]
    centre = make_org(app, "centre")
    admin = staff_user(app, make_user, centre, role="centre_admin")
    consent(app, sme_user.enterprise_id, centre)
    service = make_token(app, admin, "assessments:read", "--organisation", str(centre))
    assert client.get(f"/api/v1/assessments/{draft}", headers=bearer(service)).status_code == 200
    digest = hashlib.sha256(PNG).hexdigest()
    from services.file_store import LocalFileStore
    path = LocalFileStore(tmp_path / "files").path(digest)
    path.parent.mkdir(parents=True)
    path.write_bytes(PNG)
    db.add(EvidenceFile(assessment_id=draft, item_id="qc_network", sha256=digest,
                        size=len(PNG), media_type="image/png", name="网络照片.png"))
    db.commit()
    return draft, second


def _zip(response):
    assert response.status_code == 200 and response.mimetype == "application/zip"
    return zipfile.ZipFile(io.BytesIO(response.data))


def test_the_owner_gets_everything_and_it_matches_the_database(db, sme_user, login_as, filled):
    submitted, draft = filled
    zf = _zip(login_as(sme_user).get("/my-data/export.zip"))
    names = set(zf.namelist())
    assert {"README.md", "enterprise.json", "users.json", "assessments.json", "plans.json",
            "reports.json", "consents.json", "audit.json", "evidence.json"} <= names
    readme = zf.read("README.md").decode()
    for name in ("assessments.json", "audit.json", "evidence/"):
        assert name in readme
    load = lambda n: json.loads(zf.read(n))  # noqa: E731
    db.expire_all()
    assert load("enterprise.json")["name"] == "示例机械有限公司"
    assert [u["email"] for u in load("users.json")] == [sme_user.email]
    rows = {a["id"]: a for a in load("assessments.json")}
    for row in db.scalars(select(Assessment).where(
            Assessment.enterprise_id == sme_user.enterprise_id)):
        assert rows[row.id]["answers"] == row.answers and rows[row.id]["result"] == row.result
        assert rows[row.id]["status"] == row.status
    assert set(rows) == {submitted, draft}
    assert list(load("plans.json")) == [str(submitted)]
    stored = db.scalars(select(StoredReport).where(StoredReport.assessment_id == submitted)).one()
    listed = load("reports.json")
    assert len(listed) == 1 and zf.read(listed[0]["file"]) == stored.pdf
    assert [c["status"] for c in load("consents.json")] == ["active"]
    audit = db.scalars(select(AuditRecord).where(
        AuditRecord.enterprise_id == sme_user.enterprise_id)).all()
    assert [r["hash"] for r in load("audit.json")] == [r.hash for r in audit] and audit
    evidence = load("evidence.json")
    assert evidence[0]["name"] == "网络照片.png" and zf.read(evidence[0]["file"]) == PNG


def test_a_member_who_is_not_an_owner_gets_404(app, db, sme_user, make_user, login_as):
    member = make_user(enterprise=None)
    db.add(Membership(user_id=member.id, enterprise_id=sme_user.enterprise_id, role="member"))
    db.commit()
    client = login_as(member)
    assert client.get("/my-data/export.zip").status_code == 404
    assert "只有企业所有者可以下载企业数据。" in client.get("/my-data/").get_data(as_text=True)


def test_nobody_else_gets_it(app, client, make_user, login_as, sme_user):
    staff = make_user(roles=("administrator",), enterprise=None)
    assert login_as(staff).get("/my-data/export.zip").status_code == 404
    signed_out = client.get("/my-data/export.zip")
    assert signed_out.status_code == 302 and "/auth/login" in signed_out.location


def test_the_page_explains_the_export_in_chinese(sme_user, login_as):
    page = login_as(sme_user).get("/my-data/").get_data(as_text=True)
    assert "下载企业全部数据（ZIP）" in page and 'href="/privacy"' in page


def test_projects_their_files_and_rating_are_in_the_zip_and_every_file_is_in_the_readme(
        app, db, sme_user, login_as, filled, tmp_path):
    from storage.project_models import Project, ProjectFile, ProjectRating, ProjectStep
    provider = make_org(app, "provider")
    project = Project(enterprise_id=sme_user.enterprise_id, organisation_id=provider,
                      provider_ref="p-1", modules=["erp"], share="summary", status="accepted",
                      contracted_amount=80000, subsidy=24000, t0_assessment_id=filled[0])
    db.add(project)
    db.flush()
    digest = hashlib.sha256(PNG + b"contract").hexdigest()
    from services.file_store import LocalFileStore
    path = LocalFileStore(tmp_path / "files").path(digest)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(PNG + b"contract")
    db.add_all([ProjectStep(project_id=project.id, step="accept", status="accepted",
                            side="centre", amount=None),
                ProjectFile(project_id=project.id, item="contract", filename="合同.png",
                            content_type="png", size=len(PNG) + 8, sha256=digest),
                ProjectRating(project_id=project.id, scores={"quality": 4}, comment="不错")])
    db.commit()
    zf = _zip(login_as(sme_user).get("/my-data/export.zip"))
    [listed] = json.loads(zf.read("projects.json"))
    assert (listed["id"], listed["status"], listed["subsidy"]) == (project.id, "accepted", 24000)
    assert [s["step"] for s in listed["steps"]] == ["accept"]
    assert listed["rating"]["scores"] == {"quality": 4} and listed["rating"]["comment"] == "不错"
    [pack_file] = listed["files"]
    assert pack_file["filename"] == "合同.png" and zf.read(pack_file["file"]) == PNG + b"contract"
    readme = zf.read("README.md").decode()
    assert "projects.json" in readme
    for name in zf.namelist():
        assert f"- {name}\n" in readme + "\n"
