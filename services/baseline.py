"""Before and after (T0 / T1 …): an assessment marked as the baseline of an improvement effort,
and later submitted assessments of the same instrument as its follow-ups.

`series(assessment)` says where an assessment stands in its enterprise's latest effort that
began on or before it, with the comparison to T0 from the core (diagnosis.compare).
"""
from sqlalchemy import select

from diagnosis.compare import compare
from services import access
from services.errors import InvalidInput, NotFound
from services.tokens import aware
from storage.base import utcnow
from storage.db import db_session, transaction
from storage.models import Assessment


def mark(actor, assessment_id) -> None:
    """Mark a submitted assessment as baseline (T0). The enterprise's own people may, and a
    centre's staff with an on-site consent (audited). InvalidInput `not_submitted` for a
    draft; NotFound for anyone else."""
    assessment_id = access.valid_id(assessment_id)
    found = db_session.get(Assessment, assessment_id)
    if found is None:
        raise NotFound()
    enterprise_id = found.enterprise_id
    action = ("fill_self_assessment" if getattr(actor, "is_authenticated", False)
              and enterprise_id in actor.enterprise_ids else "edit_on_site")
    with transaction():
        access.authorise(actor, action, enterprise_id, object_type="assessment",
                         object_id=assessment_id)
        row = db_session.get(Assessment, assessment_id)
        if row.status != "submitted":
            raise InvalidInput("not_submitted")
        if row.baseline_at is None:
            row.baseline_at = utcnow()


def series(assessment: dict) -> dict | None:
    """{"label": "T0" | "T1" | …, "baseline_id", "baseline_date", "comparison" (None for T0)}
    for a submitted assessment (a plain dict as services.assessments gives it, whose access the
    caller has checked), or None when no baseline of its instrument precedes it."""
    if assessment.get("status") != "submitted" or not assessment.get("submitted_at"):
        return None
    rows = db_session.scalars(
        select(Assessment).where(Assessment.enterprise_id == assessment["enterprise_id"],
                                 Assessment.instrument_id == assessment["instrument_id"],
                                 Assessment.status == "submitted")
        .order_by(Assessment.submitted_at, Assessment.id)).all()
    order = [r.id for r in rows]
    if assessment["id"] not in order:
        return None
    mine = order.index(assessment["id"])
    starts = [i for i, r in enumerate(rows[:mine + 1]) if r.baseline_at is not None]
    if not starts:
        return None
    t0 = rows[starts[-1]]
    position = mine - starts[-1]
    return {"label": f"T{position}", "baseline_id": t0.id,
            "baseline_date": aware(t0.submitted_at),
            "comparison": compare(t0.result or {}, assessment["result"] or {})
            if position else None}
