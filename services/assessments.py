"""Stored assessments read back, as plain values: one assessment of an enterprise (with its
profile when access is decided), the enterprise's profile for scoring and show_if, its list of
assessments with each draft's progress, and the history of its submitted results; and the
refusals the draft and submission steps share. Starting and saving drafts live in
services.drafts, submitting in services.submission.
"""
from sqlalchemy import bindparam, select

from diagnosis import progress
from services.profile import PROFILE_COLUMNS, core_profile, profile_dict
from storage.db import db_session
from storage.models import Assessment, Enterprise


class AssessmentNotFound(LookupError):
    """No such assessment for this enterprise."""


class NotADraft(Exception):
    """The assessment was submitted already (perhaps from another tab); it no longer changes."""


class AnswersRejected(ValueError):
    """Answers that fail the core's checks; `.problems` lists the core's Problem objects."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(p.message or p.code for p in self.problems))


_ASSESSMENTS = Assessment.__table__
# Built once: the draft and its enterprise's profile in one read (every autosave does it).
_WITH_PROFILE = (
    select(_ASSESSMENTS, *(getattr(Enterprise, c).label(f"profile_{c}") for c in PROFILE_COLUMNS))
    .join_from(_ASSESSMENTS, Enterprise, Enterprise.id == _ASSESSMENTS.c.enterprise_id)
    .where(_ASSESSMENTS.c.id == bindparam("assessment_id")))


def assessment_with_profile(assessment_id):
    """(plain dict as get() gives it, the enterprise's profile) for an id, or None.

    Does not check who asks: services.access does."""
    row = db_session.connection().execute(_WITH_PROFILE, {"assessment_id": assessment_id}).first()
    if row is None:
        return None
    return plain(row), core_profile({c: getattr(row, f"profile_{c}") for c in PROFILE_COLUMNS})


def profile_of(enterprise_id):
    """The profile of enterprise `enterprise_id` for scoring and show_if."""
    enterprise = db_session.get(Enterprise, enterprise_id)
    return profile_dict(enterprise) if enterprise is not None else {}


def load(assessment_id, enterprise_id, fresh=False):
    """The enterprise's assessment row (read again from the database when `fresh`), or
    AssessmentNotFound."""
    # The request usually holds the row already (the access check read it): no query then.
    found = db_session.get(Assessment, assessment_id, populate_existing=fresh)
    if found is None or found.enterprise_id != enterprise_id:
        raise AssessmentNotFound(assessment_id)
    return found


def get(assessment_id, enterprise_id):
    """The assessment as a plain dict, or AssessmentNotFound."""
    return plain(load(assessment_id, enterprise_id))


def plain(a):
    """An assessment row as the plain dict get() gives."""
    return {"id": a.id, "enterprise_id": a.enterprise_id, "instrument_id": a.instrument_id,
            "instrument_version": a.instrument_version, "status": a.status,
            "answers": dict(a.answers or {}), "answer_notes": dict(a.answer_notes or {}),
            "result": a.result, "total": a.total,
            "max_total": a.max_total, "level_id": a.level_id, "level_rank": a.level_rank,
            "created_at": a.created_at, "updated_at": a.updated_at,
            "submitted_at": a.submitted_at, "pledged_at": a.pledged_at,
            "lock_version": a.lock_version, "mode": a.mode, "baseline_at": a.baseline_at}


def for_enterprise(enterprise_id, registry, profile):
    """The enterprise's assessments, newest first, as plain dicts without answers; drafts
    carry their progress (answered, required) and each its instrument's title. A centre's
    on-site assessment is listed once signed."""
    rows = db_session.scalars(
        select(Assessment).where(Assessment.enterprise_id == enterprise_id,
                                 (Assessment.mode == "self") | (Assessment.status == "submitted"))
        .order_by(Assessment.created_at.desc(), Assessment.id.desc())).all()
    listed = []
    for a in rows:
        item = plain(a)
        answers = item.pop("answers")
        level = (item.pop("result") or {}).get("level")
        instrument = registry.version(a.instrument_id, a.instrument_version) or registry.get(a.instrument_id)
        item["title"] = instrument.title if instrument is not None else {"zh": a.instrument_id,
                                                                          "en": a.instrument_id}
        item["level"] = level
        item["answered"], item["required"] = (
            progress(instrument, answers, profile) if instrument is not None and a.status == "draft"
            else (len(answers), len(answers)))
        listed.append(item)
    return listed


def history(enterprise_id, before=None):
    """Submitted assessments, oldest first: {id, date, instrument, version, total, max_total,
    level}; with `before` (an assessment id) only those submitted before that one."""
    stmt = (select(Assessment).where(Assessment.enterprise_id == enterprise_id,
                                     Assessment.status == "submitted")
            .order_by(Assessment.submitted_at, Assessment.id))
    rows = db_session.scalars(stmt).all()
    entries = []
    for a in rows:
        if before is not None and a.id == before:
            break
        entries.append({"id": a.id, "date": a.submitted_at, "instrument": a.instrument_id,
                        "version": a.instrument_version, "total": a.total,
                        "max_total": a.max_total, "level": (a.result or {}).get("level")})
    return entries
