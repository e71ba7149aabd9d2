"""The retention purge (`flask --app app retention purge`, safe to run daily): removes what the
rules kept of deleted enterprises once its `purge_after` has passed (data/retention.yaml,
storage/retention_models.py), redacts their audit records, removes each emptied enterprise row
once nothing names it, and then the files nothing refers to any more. Running it again removes
nothing more."""
from datetime import datetime

from sqlalchemy import delete, exists, func, select, update

from services.audit import REDACTED_ENTERPRISE, REDACTED_FIELDS
from services.file_store import store_for
from storage.consultation_models import EvidenceFile
from storage.db import db_session, transaction
from storage.models import Enterprise
from storage.organisation_models import AuditRecord
from storage.project_models import ProjectFile
from storage.retention_models import RetainedRecord

AUDIT = "audit_records"  # the kind whose row dates the redaction of an enterprise's records
KINDS = ("signed_on_site_reports", "accepted_projects", AUDIT)


def _kept_file_hashes() -> set[str]:
    hashes = set()
    for data in db_session.scalars(select(RetainedRecord.data)):
        hashes.update(f["sha256"] for f in (data or {}).get("files") or ())
    return hashes


def forget_files(hashes, settings) -> int:
    """Remove from the file store the contents no evidence, project file or kept record refers
    to; how many were removed. Called after the commit that dropped the references."""
    hashes = set(hashes)
    if not hashes:
        return 0
    used = set(db_session.scalars(select(EvidenceFile.sha256)
                                  .where(EvidenceFile.sha256.in_(hashes))))
    used |= set(db_session.scalars(select(ProjectFile.sha256)
                                   .where(ProjectFile.sha256.in_(hashes))))
    used |= _kept_file_hashes()
    store = store_for(settings)
    return sum(1 for sha in sorted(hashes - used) if store.remove(sha))


def _unredacted(enterprise_id: int) -> int:
    return db_session.scalar(select(func.count()).select_from(AuditRecord).where(
        AuditRecord.enterprise_id == enterprise_id, AuditRecord.redacted_at.is_(None))) or 0


def _redact_audit(enterprise_id: int, now: datetime) -> int:
    values = {name: None for name in REDACTED_FIELDS}
    result = db_session.execute(
        update(AuditRecord)
        .where(AuditRecord.enterprise_id == enterprise_id, AuditRecord.redacted_at.is_(None))
        .values(enterprise_id=REDACTED_ENTERPRISE, redacted_at=now, **values)
        .execution_options(synchronize_session=False))
    return result.rowcount or 0


def purge(now: datetime, settings, dry_run: bool = False) -> dict:
    """{kind: kept records removed, "audit_records_redacted", "enterprises", "files"}; with
    `dry_run` the counts of what would go, nothing changed (files not counted)."""
    counts = {kind: 0 for kind in KINDS}
    counts.update(audit_records_redacted=0, enterprises=0, files=0)
    hashes: set[str] = set()
    # Deleted enterprises none of whose kept records outlives now.
    emptied = select(Enterprise.id).where(
        Enterprise.deleted_at.is_not(None),
        ~exists().where(RetainedRecord.enterprise_id == Enterprise.id,
                        RetainedRecord.purge_after > now))
    with transaction():
        due = db_session.scalars(select(RetainedRecord).where(RetainedRecord.purge_after <= now)
                                 .order_by(RetainedRecord.id)).all()
        for row in due:
            counts[row.kind] = counts.get(row.kind, 0) + 1
            hashes.update(f["sha256"] for f in (row.data or {}).get("files") or ())
            if row.kind != AUDIT:
                continue
            counts["audit_records_redacted"] += (
                _unredacted(row.enterprise_id) if dry_run
                else _redact_audit(row.enterprise_id, now))
        ids = db_session.scalars(emptied).all()
        counts["enterprises"] = len(ids)
        if dry_run:
            return counts
        for row in due:
            db_session.delete(row)
        db_session.flush()
        db_session.execute(delete(Enterprise).where(Enterprise.id.in_(ids))
                           .execution_options(synchronize_session=False))
    counts["files"] = forget_files(hashes, settings)
    return counts
