"""Submitting a self-assessment: with the truthfulness pledge (an indicative quick check needs
none), the draft's answers that `show_if` now hides are dropped (the profile may have changed
since the last save) and named, the rest scored with the core, and the result stored with its
score rows in one transaction; a second tab that lost the race learns the draft was submitted.
"""
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

import diagnosis
from diagnosis import AnswerError, visible_ids
from services.assessments import AnswersRejected, NotADraft, load
from services.score_rows import keep_score_rows, plan_modules_of
from storage.base import utcnow
from storage.db import db_session


class PledgeRequired(ValueError):
    """Submission needs the truthfulness pledge."""


def submit(assessment_id, enterprise_id, instrument, profile, pledged, settings=None):
    """Score the draft with the core and store the result; returns {"result", "dropped"}.

    Raises PledgeRequired, AnswersRejected (e.g. required answers missing; nothing written),
    NotADraft (submitted already, also when another tab won the race).
    """
    draft = load(assessment_id, enterprise_id)
    if draft.status != "draft" or draft.mode != "self":  # on-site ones are signed by a centre
        raise NotADraft(assessment_id)
    if not pledged and not instrument.indicative:  # an indicative quick check needs no pledge
        raise PledgeRequired()
    answers = dict(draft.answers or {})
    visible = visible_ids(instrument, answers, profile)
    kept = {qid: value for qid, value in answers.items() if qid in visible}
    try:
        result = diagnosis.score(instrument, kept, profile)  # numpy: loaded by the first score
    except AnswerError as exc:
        db_session.rollback()
        raise AnswersRejected(exc.problems) from None
    data = result.to_dict()
    now = utcnow()
    level = data.get("level") or {}
    try:
        # Loading the old score rows to replace them flushes the changes above first, so a
        # lost race can surface here as well as at the commit: both inside this `try`.
        draft.status = "submitted"
        draft.answers = kept
        draft.instrument_version = instrument.version
        draft.result = data
        draft.total = data["total"]
        draft.max_total = data["max_total"]
        draft.level_id = level.get("id")
        draft.level_rank = level.get("rank")
        draft.pledged_at = now if pledged else None
        draft.submitted_at = now
        keep_score_rows(draft, data, plan_modules_of(instrument, kept, profile, settings))
        db_session.commit()
    except (StaleDataError, IntegrityError):
        # Another tab submitted first: its version bump (or its score rows) stopped this one.
        db_session.rollback()
        if load(assessment_id, enterprise_id, fresh=True).status != "draft":
            raise NotADraft(assessment_id) from None
        raise
    except BaseException:
        db_session.rollback()
        raise
    return {"result": data, "dropped": sorted(set(answers) - set(kept))}
