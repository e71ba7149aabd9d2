"""An owner deletes the enterprise's account and data, in one transaction (docs/data-rights.md).

Goes at once: assessments (drafts too), answers, results, stored PDFs, evidence, projects not
accepted, consents, invitations, client assignments, memberships, and the accounts that belong
only to this enterprise (people who also belong elsewhere, or work for an organisation, keep
their account). Kept by data/retention.yaml, as copies of only what the rule needs
(storage/retention_models.py), each with its `purge_after`: signed on-site reports (so /verify/
still answers), accepted projects (with their acceptance files) and the audit records. The
enterprise row stays emptied (a tombstone) until `retention purge` removes the last of them.
Files leave the file store only after the commit, so a rollback never loses one.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, func, select

from services import audit, passwords, privacy
from services.accounts import AccountError
from services.data_export import enterprise_for_owner, project_record
from services.retention import forget_files
from services.verification import KEPT_KIND as REPORTS, retained_copy
from storage.consultation_models import ClientAssignment, EvidenceFile, OnSiteAssessment
from storage.db import db_session, transaction
from storage.models import Assessment, Enterprise, Invitation, Membership, User
from storage.organisation_models import AuditRecord, Consent, OrgMembership
from storage.project_models import Project, ProjectFile
from storage.retention_models import RetainedRecord

PROJECTS, AUDIT = "accepted_projects", "audit_records"  # kinds of data/retention.yaml


@dataclass(frozen=True)
class Deleted:
    enterprise_id: int
    accounts_removed: int
    kept: dict  # kind -> how many records kept
    files_removed: int


def _signed_reports(eid: int):
    return db_session.execute(
        select(OnSiteAssessment, Assessment)
        .join(Assessment, Assessment.id == OnSiteAssessment.assessment_id)
        .where(Assessment.enterprise_id == eid, OnSiteAssessment.state == "signed",
               OnSiteAssessment.report_number.is_not(None))
        .order_by(Assessment.id)).all()


def _accepted_projects(eid: int):
    return db_session.scalars(select(Project).where(Project.enterprise_id == eid,
                                                    Project.status == "accepted")
                              .order_by(Project.id)).all()


def _audit_count(eid: int) -> int:
    return db_session.scalar(select(func.count()).select_from(AuditRecord)
                             .where(AuditRecord.enterprise_id == eid)) or 0


def what_happens(account, enterprise_id, now: datetime) -> dict:
    """For the page before confirming: the enterprise's name, what goes at once ({zh, en}
    each) and what is kept: [{kind, name, why, days, until, count}]; owners only."""
    enterprise = enterprise_for_owner(account, enterprise_id)
    eid = enterprise.id
    counts = {REPORTS: len(_signed_reports(eid)), PROJECTS: len(_accepted_projects(eid)),
              AUDIT: _audit_count(eid) + 1}  # + the record of the deletion itself
    return {"enterprise": enterprise.name, "deleted": privacy.deleted_now(),
            "kept": [{"kind": k.id, "name": k.name, "why": k.why, "days": k.days,
                      "until": (now + timedelta(days=k.days)).date(), "count": counts.get(k.id, 0)}
                     for k in privacy.retention().values()]}


def _kept_project(project: Project, enterprise: Enterprise) -> dict:
    """An accepted project for the subsidy's audit: whose, the amounts, steps and files; not
    the enterprise's free texts nor its people."""
    record = project_record(project)
    for name in ("message", "consent_id", "t0_assessment_id", "t1_assessment_id"):
        record.pop(name)
    if record["rating"] is not None:
        record["rating"].pop("comment")
    record["enterprise"] = {"name": enterprise.name, "uscc": enterprise.uscc}
    return record


def _sole_accounts(eid: int) -> list[int]:
    """Members who belong to no other enterprise, no organisation, and hold only the SME role."""
    members = db_session.scalars(select(Membership.user_id)
                                 .where(Membership.enterprise_id == eid)).all()
    sole = []
    for user_id in members:
        user = db_session.get(User, user_id)
        elsewhere = db_session.scalar(select(func.count()).select_from(Membership).where(
            Membership.user_id == user_id, Membership.enterprise_id != eid)) or 0
        staff = db_session.scalar(select(func.count()).select_from(OrgMembership).where(
            OrgMembership.user_id == user_id)) or 0
        if not elsewhere and not staff and {r.name for r in user.roles} <= {"sme_user"}:
            sole.append(user_id)
    return sole


def delete_enterprise(account, enterprise_id, *, password, confirmation, settings,
                      now: datetime) -> Deleted:
    """Delete the enterprise as its owner `account`, who gives their password again and types
    the enterprise's name. AccountError `deletion_password_wrong` or `deletion_name_wrong`
    (nothing changed); NotFound for anyone but an owner."""
    enterprise = enterprise_for_owner(account, enterprise_id)
    user = db_session.get(User, account.id)
    if not passwords.verify(user.password_hash if user else None, str(password or "")):
        raise AccountError("deletion_password_wrong")
    if str(confirmation or "").strip() != enterprise.name.strip():
        raise AccountError("deletion_name_wrong")
    eid, rules = enterprise.id, privacy.retention()
    until = {kind: now + timedelta(days=k.days) for kind, k in rules.items()}
    with transaction():
        assessment_ids = select(Assessment.id).where(Assessment.enterprise_id == eid)
        files = set(db_session.scalars(select(EvidenceFile.sha256)
                                       .where(EvidenceFile.assessment_id.in_(assessment_ids))))
        files |= set(db_session.scalars(
            select(ProjectFile.sha256).join(Project, Project.id == ProjectFile.project_id)
            .where(Project.enterprise_id == eid, Project.status != "accepted")))
        kept = {REPORTS: 0, PROJECTS: 0, AUDIT: 0}
        for on_site, assessment in _signed_reports(eid):
            db_session.add(RetainedRecord(kind=REPORTS, enterprise_id=eid,
                                          reference=on_site.report_number,
                                          data=retained_copy(on_site, assessment),
                                          purge_after=until[REPORTS]))
            kept[REPORTS] += 1
        for project in _accepted_projects(eid):
            db_session.add(RetainedRecord(kind=PROJECTS, enterprise_id=eid,
                                          reference=str(project.id),
                                          data=_kept_project(project, enterprise),
                                          purge_after=until[PROJECTS]))
            kept[PROJECTS] += 1
        # The deletion itself, without personal data: no actor, only the enterprise's id.
        audit.append(action="enterprise_deleted", enterprise_id=eid, actor_user=None,
                     object_type="enterprise", object_id=eid)
        kept[AUDIT] = _audit_count(eid)
        db_session.add(RetainedRecord(kind=AUDIT, enterprise_id=eid, data={"records": kept[AUDIT]},
                                      purge_after=until[AUDIT]))
        sole = _sole_accounts(eid)
        # Children first; the databases' ON DELETE rules take the rows below each of these.
        for statement in (delete(Project).where(Project.enterprise_id == eid),
                          delete(Assessment).where(Assessment.enterprise_id == eid),
                          delete(Consent).where(Consent.enterprise_id == eid),
                          delete(Invitation).where(Invitation.enterprise_id == eid),
                          delete(ClientAssignment).where(ClientAssignment.enterprise_id == eid),
                          delete(Membership).where(Membership.enterprise_id == eid),
                          delete(User).where(User.id.in_(sole))):
            db_session.execute(statement.execution_options(synchronize_session=False))
        for column in ("uscc", "industry_code", "district", "employees", "annual_revenue",
                       "total_assets", "size_class", "size_reason", "main_products", "has_cio"):
            setattr(enterprise, column, None)
        enterprise.name, enterprise.deleted_at = "", now
    db_session.expire_all()
    return Deleted(eid, len(sole), kept, forget_files(files, settings))
