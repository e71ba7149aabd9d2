"""Drafts of a self-assessment: opening one (one per instrument and enterprise), saving answers
to it as the person goes (autosave: validated first, one UPDATE on the version read, so a
rejected save leaves the stored draft exactly as it was and two tabs never lose each other's
answers), deleting it, and keeping the drafts and the enterprise's profile in step where an
answer and a profile field say the same thing.
"""
from dataclasses import replace

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm.exc import StaleDataError

from diagnosis.profile_links import follow_profile, profile_from_answers
from services.answer_changes import apply_with_visible, merge, outcome, without_notes
from services.assessments import AnswersRejected, AssessmentNotFound, NotADraft, load
from services.profile import ANSWERED_COLUMNS
from storage.db import db_session
from storage.models import Assessment, Enterprise

# Concurrent autosaves from two tabs bump the row's lock_version; a save that lost the race
# re-reads the draft and applies its own changes again, this many times at most.
SAVE_ATTEMPTS = 3

_ASSESSMENTS = Assessment.__table__
_SAVE = (update(_ASSESSMENTS)
         .where(_ASSESSMENTS.c.id == bindparam("assessment_id"),
                _ASSESSMENTS.c.lock_version == bindparam("read_version"),
                _ASSESSMENTS.c.status == "draft", _ASSESSMENTS.c.mode == "self")
         .values(answers=bindparam("new_answers", type_=_ASSESSMENTS.c.answers.type),
                 answer_notes=bindparam("new_notes", type_=_ASSESSMENTS.c.answer_notes.type),
                 lock_version=bindparam("new_version")))
_DRAFT_STATE = select(_ASSESSMENTS.c.id, _ASSESSMENTS.c.enterprise_id, _ASSESSMENTS.c.status,
                      _ASSESSMENTS.c.mode,
                      _ASSESSMENTS.c.answers, _ASSESSMENTS.c.answer_notes,
                      _ASSESSMENTS.c.lock_version).where(
    _ASSESSMENTS.c.id == bindparam("assessment_id"))


def open_draft(enterprise_id, instrument_id):
    """The id of the enterprise's newest draft of this instrument (any version), or None."""
    return db_session.scalar(
        select(Assessment.id).where(Assessment.enterprise_id == enterprise_id,
                                    Assessment.instrument_id == instrument_id,
                                    Assessment.status == "draft")
        .order_by(Assessment.created_at.desc(), Assessment.id.desc()).limit(1))


def start(enterprise_id, user_id, instrument, answers=None, notes=None):
    """Open a draft of `instrument` for the enterprise, with `answers` and their `notes`
    when it starts from earlier ones. An enterprise has one draft per instrument: when it has
    one already (a second click on "start"), that draft's id is returned, the draft unchanged."""
    existing = open_draft(enterprise_id, instrument.id)
    if existing is not None:
        return existing
    draft = Assessment(enterprise_id=enterprise_id, created_by=user_id,
                       instrument_id=instrument.id, instrument_version=instrument.version,
                       status="draft", answers=dict(answers or {}), answer_notes=notes or None)
    try:
        db_session.add(draft)
        db_session.commit()
    except BaseException:
        db_session.rollback()
        raise
    return draft.id


def delete_draft(assessment_id, enterprise_id):
    """Delete a draft of the enterprise; a submitted assessment is kept (NotADraft)."""
    try:
        draft = load(assessment_id, enterprise_id)
        if draft.status != "draft":
            raise NotADraft(assessment_id)
        db_session.delete(draft)
        db_session.commit()
    except BaseException:
        db_session.rollback()
        raise


def save_answers(assessment_id, enterprise_id, instrument, changes, profile, draft=None):
    """Apply `changes` ({question id: answer or None}) to a draft in one transaction.

    `draft` is the assessment as get() gave it in this request, when the caller has it (saves
    a read). The write is one UPDATE on the version read: if another tab saved in between,
    the draft is read again and the changes applied to it. Raises AnswersRejected (nothing
    written), NotADraft, AssessmentNotFound.
    """
    for attempt in range(SAVE_ATTEMPTS):
        if draft is None or attempt > 0:
            row = db_session.connection().execute(_DRAFT_STATE,
                                                  {"assessment_id": assessment_id}).first()
            draft = row._asdict() if row is not None else None
        if draft is None or draft["enterprise_id"] != enterprise_id:
            db_session.rollback()
            raise AssessmentNotFound(assessment_id)
        if draft["status"] != "draft" or draft.get("mode", "self") != "self":
            db_session.rollback()
            raise NotADraft(assessment_id)
        current = dict(draft["answers"] or {})
        merged, dropped, problems, visible = apply_with_visible(instrument, current, changes, profile)
        if problems:
            db_session.rollback()
            raise AnswersRejected(problems)
        notes = dict(draft.get("answer_notes") or {})
        kept_notes = without_notes(notes, changes)
        written = True
        try:
            if merged != current or kept_notes != notes:
                version = draft["lock_version"]
                written = db_session.connection().execute(_SAVE, {
                    "assessment_id": assessment_id, "read_version": version,
                    "new_answers": merged, "new_notes": kept_notes or None,
                    "new_version": version + 1}).rowcount == 1
            in_step = profile_in_step(instrument, merged, changes, profile)
            if written and in_step:
                db_session.execute(update(Enterprise).where(Enterprise.id == enterprise_id)
                                   .values(**in_step))
            db_session.commit()
        except BaseException:
            db_session.rollback()
            raise
        if written:
            return replace(outcome(instrument, merged, profile, dropped, visible), notes=kept_notes)
    raise StaleDataError("the draft kept changing while saving; try again")


def profile_in_step(instrument, answers, changes, profile):
    """{enterprise column: value} that brings the stored profile in step with changed answers
    that are the source of a profile field (e.g. who owns digitalisation); {} when it agrees."""
    if not {link.item for link in instrument.profile_links if link.source == "answer"} & set(changes):
        return {}
    said = profile_from_answers(instrument, answers, profile)
    return {column: said[field] for field, column in ANSWERED_COLUMNS.items()
            if field in said and said[field] != (profile or {}).get(field)}


def follow_profile_in_drafts(enterprise_id, registry, before, after):
    """Bring the enterprise's open drafts in step with its profile changed from `before` to
    `after` (core profiles); each changed answer gets a `from_profile` note. Returns how many
    drafts changed; one transaction."""
    changed = 0
    try:
        drafts = db_session.scalars(select(Assessment).where(
            Assessment.enterprise_id == enterprise_id, Assessment.status == "draft")).all()
        for draft in drafts:
            instrument = registry.version(draft.instrument_id, draft.instrument_version)
            answers = dict(draft.answers or {})
            changes = follow_profile(instrument, answers, before, after) if instrument else {}
            if changes:
                draft.answers = merge(answers, changes)
                draft.answer_notes = {**(draft.answer_notes or {}),
                                      **{qid: {"code": "from_profile"} for qid, value in changes.items()
                                         if value is not None}}
                changed += 1
        db_session.commit()
    except BaseException:
        db_session.rollback()
        raise
    return changed
