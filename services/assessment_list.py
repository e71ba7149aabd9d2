"""Every assessment as administrators and scripts list it (`flask assessments list`): one flat
row each with exactly the keys KEYS, on-site ones with their workflow state as status."""
from sqlalchemy import select

from services.tokens import aware
from storage.consultation_models import OnSiteAssessment
from storage.db import db_session
from storage.models import Assessment

KEYS = ("id", "enterprise", "instrument", "version", "mode", "status", "total", "level",
        "signed_at", "report_number")


def all_assessments(enterprise_id: int | None = None) -> list[dict]:
    """Rows in id order; `enterprise` is the enterprise id, `level` the level id (None until
    scored), `status` draft | submitted for self-assessments and assessing | in_review |
    signed for on-site ones, `signed_at` an ISO 8601 UTC moment or None."""
    stmt = (select(Assessment, OnSiteAssessment)
            .outerjoin(OnSiteAssessment, OnSiteAssessment.assessment_id == Assessment.id)
            .order_by(Assessment.id))
    if enterprise_id is not None:
        stmt = stmt.where(Assessment.enterprise_id == enterprise_id)
    rows = []
    for a, on_site in db_session.execute(stmt):
        signed = aware(on_site.signed_at) if on_site is not None and on_site.signed_at else None
        rows.append({"id": a.id, "enterprise": a.enterprise_id, "instrument": a.instrument_id,
                     "version": a.instrument_version, "mode": a.mode,
                     "status": on_site.state if on_site is not None else a.status,
                     "total": a.total, "level": a.level_id,
                     "signed_at": signed.isoformat().replace("+00:00", "Z") if signed else None,
                     "report_number": on_site.report_number if on_site is not None else None})
    return rows
