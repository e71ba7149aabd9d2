"""An enterprise with something of every kind, built row by row, for the deletion and purge
tests; and a census of every row that still names it. (No tests here.)"""
import hashlib
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, inspect, select, text

from tests.organisation_helpers import consent, make_org

PNG = b"\x89PNG\r\n\x1a\n"
EVIDENCE, ACCEPTED_FILE, OPEN_FILE = PNG + b"evidence", PNG + b"acceptance", PNG + b"quote"
REPORT_NUMBER, CODE = "YT-2026-0001", "ABCD-EFGH-JKLM"


@dataclass(frozen=True)
class World:
    enterprise_id: int
    owner_id: int
    shared_member_id: int  # also belongs to another enterprise: keeps the account
    other_enterprise_id: int
    centre_id: int
    signed_id: int
    draft_id: int
    accepted_project_id: int
    open_project_id: int
    other_assessment_id: int


def sha(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _store(files_dir, content: bytes) -> None:
    from services.file_store import LocalFileStore

    path = LocalFileStore(files_dir).path(sha(content))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def build(app, make_user, owner, other_owner, files_dir) -> World:
    """Owner's enterprise: a draft, a signed on-site assessment (with evidence, a change, a
    stored PDF), a self-assessment with a PDF, an accepted project (file, rating) and an open
    one (file), a consent to a centre that read it (audited), an invitation, a client
    assignment, and a member who also belongs to `other_owner`'s enterprise."""
    from services import audit
    from storage.base import utcnow
    from storage.consultation_models import (ClientAssignment, EvidenceFile, OnSiteAssessment,
                                             OnSiteChange)
    from storage.db import db_session, transaction
    from storage.models import Assessment, Invitation, Membership
    from storage.project_models import Project, ProjectFile, ProjectRating, ProjectStep
    from storage.report_models import StoredReport

    centre = make_org(app, "centre")
    provider = make_org(app, "provider")
    consultant = make_user(roles=(), enterprise=None)
    shared = make_user(enterprise=None)
    eid, now = owner.enterprise_id, utcnow()
    consent_id = consent(app, eid, centre)
    for content in (EVIDENCE, ACCEPTED_FILE, OPEN_FILE):
        _store(files_dir, content)
    level = {"id": "L2", "rank": 2, "name": {"zh": "二级", "en": "Level 2"}}
    with app.app_context(), transaction():
        def assessment(**kw):
            row = Assessment(enterprise_id=eid, instrument_id="quick-check",
                             instrument_version="1.0.0", answers={"qc_network": "partial"}, **kw)
            db_session.add(row)
            db_session.flush()
            return row.id
        draft = assessment()
        own = assessment(status="submitted", result={"level": level}, total=40.0)
        signed = assessment(status="submitted", mode="on_site", result={"level": level},
                            total=55.0, submitted_at=now)
        db_session.add_all([
            OnSiteAssessment(assessment_id=signed, organisation_id=centre, state="signed",
                             self_answers={}, item_states={}, signed_at=now,
                             signature={"centre": "中心"}, report_number=REPORT_NUMBER,
                             verification_code=CODE),
            OnSiteChange(assessment_id=signed, kind="signed"),
            EvidenceFile(assessment_id=signed, item_id="qc_network", sha256=sha(EVIDENCE),
                         size=len(EVIDENCE), media_type="image/png", name="机房.png"),
            StoredReport(cache_key="k" * 64, report_id="R1", assessment_id=own, lang="zh",
                         template_version="1", filename="r.pdf", size=3, pdf=b"%PD"),
            Membership(user_id=shared.id, enterprise_id=eid, role="member"),
            Membership(user_id=shared.id, enterprise_id=other_owner.enterprise_id,
                       role="member"),
            Invitation(enterprise_id=eid, email="new@example.com", token_hash="i" * 64,
                       expires_at=now + timedelta(days=3)),
            ClientAssignment(organisation_id=centre, enterprise_id=eid,
                             consultant_id=consultant.id),
        ])
        projects = []
        for status, content in (("accepted", ACCEPTED_FILE), ("implementing", OPEN_FILE)):
            project = Project(enterprise_id=eid, organisation_id=provider, provider_ref="p001",
                              modules=["erp"], share="summary", status=status,
                              contracted_amount=90000, subsidy=27000, message="请尽快联系",
                              consent_id=consent_id, t0_assessment_id=own)
            db_session.add(project)
            db_session.flush()
            db_session.add_all([
                ProjectStep(project_id=project.id, step="contract", status="contracted",
                            side="enterprise", user_id=owner.id),
                ProjectFile(project_id=project.id, item="contract", filename="合同.png",
                            content_type="png", size=len(content), sha256=sha(content))])
            projects.append(project.id)
        db_session.add(ProjectRating(project_id=projects[0], scores={"quality": 5},
                                     comment="张经理很负责", user_id=owner.id))
        other = Assessment(enterprise_id=other_owner.enterprise_id, instrument_id="quick-check",
                           instrument_version="1.0.0", answers={})
        db_session.add(other)
        db_session.flush()
        audit.append(action="view_assessment", enterprise_id=eid, actor_user=consultant.id,
                     actor_organisation=centre, object_type="assessment", object_id=own,
                     consent_id=consent_id, purpose="咨询")
        audit.append(action="view_profile", enterprise_id=other_owner.enterprise_id,
                     actor_user=consultant.id, actor_organisation=centre)
        return World(eid, owner.id, shared.id, other_owner.enterprise_id, centre, signed, draft,
                     projects[0], projects[1], other.id)


def census(db, enterprise_id, user_ids=()) -> dict:
    """{table: rows} of every table whose rows name the enterprise (an `enterprise_id` column,
    or an assessment, project or user of it), the empty ones left out."""
    db.expire_all()
    tables = inspect(db.get_bind()).get_table_names()
    found = {}
    for table in tables:
        columns = {c["name"] for c in inspect(db.get_bind()).get_columns(table)}
        conditions = []
        if "enterprise_id" in columns:
            conditions.append("enterprise_id = :eid")
        if "assessment_id" in columns:
            conditions.append("assessment_id IN (SELECT id FROM assessments "
                              "WHERE enterprise_id = :eid)")
        if "project_id" in columns:
            conditions.append("project_id IN (SELECT id FROM projects WHERE enterprise_id = :eid)")
        if "user_id" in columns and user_ids:
            conditions.append(f"user_id IN ({', '.join(str(int(u)) for u in user_ids)})")
        if table == "enterprises":
            conditions = ["id = :eid"]
        if table == "users" and user_ids:
            conditions = [f"id IN ({', '.join(str(int(u)) for u in user_ids)})"]
        if not conditions:
            continue
        count = db.execute(text(f"SELECT count(*) FROM {table} WHERE {' OR '.join(conditions)}"),
                           {"eid": enterprise_id}).scalar()
        if count:
            found[table] = count
    return found


def kinds(db) -> list:
    from storage.retention_models import RetainedRecord

    db.expire_all()
    return sorted(db.scalars(select(RetainedRecord.kind)))


def count(db, model, *where) -> int:
    db.expire_all()
    return db.scalar(select(func.count()).select_from(model).where(*where)) or 0
