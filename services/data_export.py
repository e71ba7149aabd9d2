"""Everything the service holds about one enterprise, in one ZIP: the enterprise's right to take
its data away. Only an owner of the enterprise gets it (NotFound for anyone else).

The ZIP holds JSON files (UTF-8, described in its README.md), the stored PDF reports and the
evidence files. Plain values in (the acting person, the settings), bytes out; nothing written.
"""
import io
import json
import zipfile
from datetime import date, datetime

from sqlalchemy import select

from diagnosis.catalogue import CatalogueError
from services import accounts, planning
from services.errors import NotFound
from services.file_store import store_for
from services.profile import PROFILE_COLUMNS
from storage.consultation_models import EvidenceFile
from storage.db import db_session
from storage.models import Assessment, Enterprise
from storage.organisation_models import AuditRecord, Consent
from storage.project_models import Project, ProjectFile, ProjectRating, ProjectStep
from storage.report_models import StoredReport

README = """# Data export of {name}

Made {made} (UTC) by the SME digital-transformation diagnosis service, for an owner of the
enterprise. Every JSON file is UTF-8; times are ISO 8601 in UTC.

- enterprise.json: the enterprise profile (name, unified social credit code, industry,
  district, employees, revenue, size class, main products, ...).
- users.json: the enterprise's people: name, e-mail, role in the enterprise (owner, member).
- assessments.json: every assessment, draft or submitted: instrument and version, status,
  answers (question id -> answer, as in the service's README), notes on answers, the result
  (the same JSON as `flask diagnose`), total, level, dates.
- plans.json: for each submitted assessment, the plan with the default choices (the same JSON
  as `flask plan`), by assessment id.
- reports/: the PDF reports the service keeps (one per language and plan made), listed in
  reports.json (file, assessment, language, report id, date).
- consents.json: every consent given or asked: organisation, scopes, purpose, status, dates.
- audit.json: the audit records about the enterprise: who outside it read or changed what,
  when, and under which consent or purpose.
- evidence/: the evidence files uploaded for its assessments, listed in evidence.json
  (file, assessment, question, original name, type, size, SHA-256, date).
- projects.json: every help request and the project it became: organisation asked, provider,
  modules, what was shared, status, quote, contracted amount, subsidy, the baseline (T0) and
  follow-up (T1) assessments, each step taken (who, when, amount, reason), the acceptance
  pack's files (file, pack item, original name, type, size, SHA-256) and the enterprise's
  rating of the provider.
- projects/: the acceptance pack's files, listed in projects.json under each project's files.

Files in this export:
{files}
"""


def _plain(value):
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return value


def _row(obj, columns):
    return {name: _plain(getattr(obj, name)) for name in columns}


def _json(data) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2, default=_plain).encode("utf-8")


def enterprise_for_owner(account, enterprise_id) -> Enterprise:
    """The enterprise when `account` is one of its owners; NotFound otherwise."""
    from services.access import valid_id

    enterprise_id = valid_id(enterprise_id)
    enterprise = db_session.get(Enterprise, enterprise_id)
    if enterprise is None or account is None or not account.is_owner(enterprise_id):
        raise NotFound()
    return enterprise


def _plans(assessments, settings) -> dict:
    plans = {}
    for a in assessments:
        if a.status != "submitted":
            continue
        try:
            made = planning.plan_for_assessment(a.id, settings)
        except CatalogueError:  # a catalogue that cannot be read leaves the plan out
            made = None
        if made is not None:
            plans[str(a.id)] = made.to_dict()
    return plans


def _add_file(zf, store, name, sha256):
    """Copy one stored file into the ZIP; None when its content is missing from the store."""
    try:
        with store.open(sha256) as fh:
            zf.writestr(name, fh.read())
    except FileNotFoundError:
        return None
    return name


def project_record(p: Project) -> dict:
    """One project as plain data: its columns, steps, acceptance-pack files (with their SHA-256
    in the file store) and the enterprise's rating of the provider."""
    row = _row(p, ("id", "organisation_id", "provider_ref", "modules", "share", "consent_id",
                       "message", "proposals", "status", "quote", "contracted_amount", "subsidy",
                   "t0_assessment_id", "t1_assessment_id", "reason", "created_at",
                   "updated_at"))
    row["steps"] = [_row(s, ("step", "status", "side", "organisation_id", "amount", "reason",
                             "at"))
                    for s in db_session.scalars(select(ProjectStep).where(
                        ProjectStep.project_id == p.id).order_by(ProjectStep.id))]
    row["files"] = [_row(f, ("id", "item", "filename", "content_type", "size", "sha256",
                             "created_at"))
                    for f in db_session.scalars(select(ProjectFile).where(
                        ProjectFile.project_id == p.id).order_by(ProjectFile.id))]
    rating = db_session.scalar(select(ProjectRating).where(ProjectRating.project_id == p.id))
    row["rating"] = None if rating is None else _row(rating, ("scores", "comment", "created_at"))
    return row


def _projects(zf, store, eid) -> list:
    listed = []
    for p in db_session.scalars(select(Project).where(Project.enterprise_id == eid)
                                .order_by(Project.id)):
        row = project_record(p)
        for f in row["files"]:
            f["file"] = _add_file(zf, store, f"projects/{p.id}/{f['id']}-{f['sha256'][:12]}",
                                  f["sha256"])
        listed.append(row)
    return listed


def export_zip(account, enterprise_id, settings, made: datetime) -> tuple[str, bytes]:
    """(file name, ZIP bytes) of everything kept about the enterprise; owners only."""
    enterprise = enterprise_for_owner(account, enterprise_id)
    eid = enterprise.id
    assessments = db_session.scalars(select(Assessment).where(Assessment.enterprise_id == eid)
                                     .order_by(Assessment.id)).all()
    ids = [a.id for a in assessments]
    reports = db_session.scalars(select(StoredReport).where(StoredReport.assessment_id.in_(ids))
                                 .order_by(StoredReport.id)).all() if ids else []
    evidence = db_session.scalars(select(EvidenceFile).where(EvidenceFile.assessment_id.in_(ids))
                                  .order_by(EvidenceFile.id)).all() if ids else []
    consents = db_session.scalars(select(Consent).where(Consent.enterprise_id == eid)
                                  .order_by(Consent.id)).all()
    audit = db_session.scalars(select(AuditRecord).where(AuditRecord.enterprise_id == eid)
                               .order_by(AuditRecord.seq)).all()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("enterprise.json", _json(_row(enterprise, (
            "id", "name", "uscc", *PROFILE_COLUMNS, "total_assets", "size_reason",
            "main_products", "created_at", "updated_at"))))
        zf.writestr("users.json", _json(accounts.members(eid)))
        zf.writestr("assessments.json", _json([_row(a, (
            "id", "instrument_id", "instrument_version", "status", "mode", "answers",
            "answer_notes", "result", "total", "max_total", "level_id", "created_at",
            "submitted_at", "pledged_at")) for a in assessments]))
        zf.writestr("plans.json", _json(_plans(assessments, settings)))
        listed = []
        for r in reports:
            name = f"reports/{r.id}-{r.lang}-{r.report_id}.pdf"
            zf.writestr(name, r.pdf)
            listed.append({"file": name, "assessment_id": r.assessment_id, "lang": r.lang,
                           "report_id": r.report_id, "created_at": _plain(r.created_at)})
        zf.writestr("reports.json", _json(listed))
        zf.writestr("consents.json", _json([_row(c, (
            "id", "organisation_id", "scopes", "purpose", "status", "requested_by",
            "valid_until", "created_at", "decided_at", "revoked_at")) for c in consents]))
        zf.writestr("audit.json", _json([_row(r, (
            "seq", "at", "actor_user", "actor_organisation", "action", "object_type",
            "object_id", "consent_id", "purpose", "hash")) for r in audit]))
        store = store_for(settings)
        files = []
        for e in evidence:
            name = _add_file(zf, store, f"evidence/{e.id}-{e.sha256[:12]}", e.sha256)
            files.append({"file": name, "assessment_id": e.assessment_id, "item_id": e.item_id,
                          "name": e.name, "media_type": e.media_type, "size": e.size,
                          "sha256": e.sha256, "uploaded_at": _plain(e.uploaded_at)})
        zf.writestr("evidence.json", _json(files))
        zf.writestr("projects.json", _json(_projects(zf, store, eid)))
        zf.writestr("README.md", README.format(
            name=enterprise.name, made=made.isoformat(),
            files="\n".join(f"- {n}" for n in sorted(["README.md", *zf.namelist()]))))
    return f"data-export-{eid}-{made:%Y%m%d}.zip", buffer.getvalue()
