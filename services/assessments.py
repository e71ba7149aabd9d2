"""Assessment use cases: start a draft, save answers, submit with the pledge, read back.

Plain values in and out (ids, dicts of answers, instruments from the core); one transaction
each; everything is validated before anything is written, so a rejected save leaves the
stored draft exactly as it was.

Answers to questions that `show_if` hides (a follow-up whose gate answer changed, or an item
the enterprise profile rules out) are dropped when the draft is saved, and reported back in
`SaveOutcome.dropped`: the stored draft only ever holds answers the core accepts, hidden items
are never required nor scored, and the page script re-sends a follow-up's answer that is
still on screen when its question is shown again. Submission drops them too (the profile may
have changed since the last save) and says which.
"""
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from sqlalchemy import bindparam, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

import diagnosis
from diagnosis import AnswerError, check_answers, load_instruments, progress, visible_ids
from diagnosis.errors import Problem
from diagnosis.profile_links import follow_profile, profile_from_answers
from services.profile import ANSWERED_COLUMNS, PROFILE_COLUMNS, core_profile, profile_dict
from storage.base import utcnow
from storage.db import db_session
from storage.models import (Assessment, AssessmentDimensionScore, AssessmentIndicatorScore,
                            AssessmentPlanModule, AssessmentScenarioLevel, Enterprise)

# Concurrent autosaves from two tabs bump the row's lock_version; a save that lost the race
# re-reads the draft and applies its own changes again, this many times at most.
SAVE_ATTEMPTS = 3


class AssessmentNotFound(LookupError):
    """No such assessment for this enterprise."""


class NotADraft(Exception):
    """The assessment was submitted already (perhaps from another tab); it no longer changes."""


class PledgeRequired(ValueError):
    """Submission needs the truthfulness pledge."""


class AnswersRejected(ValueError):
    """Answers that fail the core's checks; `.problems` lists the core's Problem objects."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(p.message or p.code for p in self.problems))


@lru_cache(maxsize=4)
def _instruments(directory):
    return load_instruments(directory)


def instruments(directory):
    """Every instrument in `directory`, loaded once: {id: Instrument}."""
    return _instruments(str(Path(directory)))


_ASSESSMENTS = Assessment.__table__
# Built once: the draft and its enterprise's profile in one read (every autosave does it).
_WITH_PROFILE = (
    select(_ASSESSMENTS, *(getattr(Enterprise, c).label(f"profile_{c}") for c in PROFILE_COLUMNS))
    .join_from(_ASSESSMENTS, Enterprise, Enterprise.id == _ASSESSMENTS.c.enterprise_id)
    .where(_ASSESSMENTS.c.id == bindparam("assessment_id")))
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


def assessment_with_profile(assessment_id):
    """(plain dict as get() gives it, the enterprise's profile) for an id, or None.

    Does not check who asks: services.access does."""
    row = db_session.connection().execute(_WITH_PROFILE, {"assessment_id": assessment_id}).first()
    if row is None:
        return None
    return _plain(row), core_profile({c: getattr(row, f"profile_{c}") for c in PROFILE_COLUMNS})


def profile_of(enterprise_id):
    """The profile of enterprise `enterprise_id` for scoring and show_if."""
    enterprise = db_session.get(Enterprise, enterprise_id)
    return profile_dict(enterprise) if enterprise is not None else {}


@dataclass(frozen=True)
class SaveOutcome:
    answers: dict
    answered: int
    required: int
    visible: frozenset
    dropped: tuple = ()
    notes: dict = None          # the notes the draft still carries


def without_notes(notes, changes):
    """A draft's notes once `changes` are saved: saving an answer settles its note."""
    return {qid: note for qid, note in (notes or {}).items() if changes.get(qid) is None}


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
        draft = _load(assessment_id, enterprise_id)
        if draft.status != "draft":
            raise NotADraft(assessment_id)
        db_session.delete(draft)
        db_session.commit()
    except BaseException:
        db_session.rollback()
        raise


def _load(assessment_id, enterprise_id, fresh=False):
    # The request usually holds the row already (the access check read it): no query then.
    found = db_session.get(Assessment, assessment_id, populate_existing=fresh)
    if found is None or found.enterprise_id != enterprise_id:
        raise AssessmentNotFound(assessment_id)
    return found


def get(assessment_id, enterprise_id):
    """The assessment as a plain dict, or AssessmentNotFound."""
    return _plain(_load(assessment_id, enterprise_id))


def _plain(a):
    return {"id": a.id, "enterprise_id": a.enterprise_id, "instrument_id": a.instrument_id,
            "instrument_version": a.instrument_version, "status": a.status,
            "answers": dict(a.answers or {}), "answer_notes": dict(a.answer_notes or {}),
            "result": a.result, "total": a.total,
            "max_total": a.max_total, "level_id": a.level_id, "level_rank": a.level_rank,
            "created_at": a.created_at, "updated_at": a.updated_at,
            "submitted_at": a.submitted_at, "pledged_at": a.pledged_at,
            "lock_version": a.lock_version, "mode": a.mode, "baseline_at": a.baseline_at}


def merge(answers, changes):
    """`answers` with `changes` applied: a value replaces, None removes."""
    merged = dict(answers)
    for qid, value in changes.items():
        if value is None:
            merged.pop(qid, None)
        else:
            merged[qid] = value
    return merged


def apply_changes(instrument, answers, changes, profile):
    """(new answers, dropped ids, problems) for `changes` applied to a draft's `answers`.

    Answers to questions hidden after the change are dropped. Only problems of the changed
    questions count (the rest of the draft was accepted before); a draft may miss answers.
    Unknown question ids are problems (a forged or stale post).
    """
    return _apply(instrument, answers, changes, profile)[:3]


def _apply(instrument, answers, changes, profile):
    # apply_changes(), plus the visible ids of the kept answers when already known (None if not).
    unknown = [_unknown(qid) for qid in changes if instrument.question(qid) is None]
    if unknown:
        return answers, (), unknown, None
    merged = merge(answers, changes)
    visible = visible_ids(instrument, merged, profile)
    dropped = tuple(qid for qid in merged if qid not in visible)
    kept = {qid: value for qid, value in merged.items() if qid in visible}
    problems = [p for p in check_answers(instrument, kept, profile, partial=True)
                if p.item in changes]
    # Dropping an answer may hide further questions: then visibility is worked out again.
    return kept, dropped, problems, (None if dropped else visible)


def _unknown(qid):
    return Problem(item=qid, code="unknown_item", params={"item": qid},
                   message=f"{qid}: not a question of this instrument")


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
        merged, dropped, problems, visible = _apply(instrument, current, changes, profile)
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


def outcome(instrument, answers, profile, dropped=(), visible=None):
    """Progress and visible questions for these answers (`visible` when already known)."""
    answered, required = progress(instrument, answers, profile)
    if visible is None:
        visible = visible_ids(instrument, answers, profile)
    return SaveOutcome(answers=answers, answered=answered, required=required,
                       visible=frozenset(visible),
                       dropped=tuple(dropped))


def submit(assessment_id, enterprise_id, instrument, profile, pledged, settings=None):
    """Score the draft with the core and store the result; returns {"result", "dropped"}.

    Raises PledgeRequired, AnswersRejected (e.g. required answers missing; nothing written),
    NotADraft (submitted already, also when another tab won the race).
    """
    draft = _load(assessment_id, enterprise_id)
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
        if _load(assessment_id, enterprise_id, fresh=True).status != "draft":
            raise NotADraft(assessment_id) from None
        raise
    except BaseException:
        db_session.rollback()
        raise
    return {"result": data, "dropped": sorted(set(answers) - set(kept))}


def plan_modules_of(instrument, answers, profile, settings):
    """The default plan's modules (services.planning), none without settings."""
    if settings is None:
        return ()
    from services import planning  # it plans with this module's instruments: imported late

    return planning.default_plan_modules(instrument, answers, profile, settings)


def keep_score_rows(assessment, data, plan_modules=()):
    """The submitted result's dimension and indicator scores and scenario levels, and the
    modules of its default plan, as rows for the bureaus' aggregates in plain SQL (replacing
    any rows of an earlier result)."""
    dimensions = data.get("dimensions") or {}
    assessment.dimension_scores = [
        AssessmentDimensionScore(dimension_id=dim_id, score=dim["score"], max=dim["max"])
        for dim_id, dim in dimensions.items()]
    assessment.indicator_scores = [
        AssessmentIndicatorScore(indicator_id=ind_id, dimension_id=dim_id, score=ind["score"],
                                 max=ind["max"])
        for dim_id, dim in dimensions.items()
        for ind_id, ind in (dim.get("indicators") or {}).items()]
    assessment.scenario_levels = [
        AssessmentScenarioLevel(scenario_id=sid, level=int(level))
        for sid, level in (data.get("scenarios") or {}).items()]
    assessment.plan_modules = [AssessmentPlanModule(module_id=module_id)
                               for module_id in dict.fromkeys(plan_modules)]


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
        item = _plain(a)
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
