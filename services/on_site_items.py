"""Verifying an on-site assessment item by item: the consultant records each item's verified
answer (checked by the core, a changed one with its reason) and whether it is verified, adjusted
or not verifiable, every change a row of the history. Answers are saved per item against the
change the person last saw (`base`): a save made on a stale screen is refused with the current
value, so two consultants never overwrite each other silently.
"""
from sqlalchemy import func, select
from sqlalchemy.orm.exc import StaleDataError

from services import access
from services.answer_changes import apply_changes
from services.assessments import profile_of
from services.errors import Conflict, InvalidInput
from services.on_site import check_editable, enterprise_of, organisation_of, reason_text
from storage.base import utcnow
from storage.consultation_models import OnSiteAssessment, OnSiteChange
from storage.db import db_session
from storage.models import Assessment

CHOSEN_STATES = ("verified", "not_verifiable")  # "adjusted" follows from a changed answer


def last_change_id(assessment_id, item_id) -> int:
    """The id of the item's newest answer or state change (0: none yet); a save names the one
    its screen showed."""
    return db_session.scalar(
        select(func.max(OnSiteChange.id)).where(OnSiteChange.assessment_id == assessment_id,
                                                OnSiteChange.item_id == item_id,
                                                OnSiteChange.kind.in_(("answer", "state")))) or 0


def item_state(self_answers, item_id, answer, chosen) -> str:
    """verified | adjusted | not_verifiable for an item's verified `answer`."""
    if chosen == "not_verifiable":
        return "not_verifiable"
    return "adjusted" if answer != self_answers.get(item_id) else "verified"


def save_item(actor, assessment_id, instrument, item_id, answer, *, chosen_state="verified",
              reason=None, base=0) -> dict:
    """Record the verified answer (None: none) and verification of one item.

    Refused, nothing written: a signed or in-review assessment (Conflict `signed` /
    `in_review`), an unknown item or an answer the item does not offer (InvalidInput), a changed
    answer without a reason (InvalidInput `reason_required`), a screen that missed another
    person's save of this item (Conflict `changed_meanwhile`, params: current answer, state,
    base). Returns {"answer", "state", "base"}."""
    if instrument.question(item_id) is None:
        raise InvalidInput("unknown_item", item=item_id)
    if chosen_state not in CHOSEN_STATES:
        raise InvalidInput("unknown_state")
    for _attempt in range(2):
        try:
            with access.granted(actor, "edit_on_site", enterprise_of(actor, assessment_id),
                                object_type="assessment", object_id=assessment_id,
                                organisation_id=organisation_of(assessment_id)):
                return _save_item(actor, assessment_id, instrument, item_id, answer,
                                  chosen_state, reason, base)
        except StaleDataError:
            db_session.expire_all()  # another item was saved at the same moment: try again
    raise Conflict("changed_meanwhile")


def _save_item(actor, assessment_id, instrument, item_id, answer, chosen_state, reason, base):
    assessment = db_session.get(Assessment, assessment_id)
    row = db_session.get(OnSiteAssessment, assessment_id)
    check_editable(row)
    if (assessment.instrument_id, assessment.instrument_version) != (instrument.id,
                                                                     instrument.version):
        raise InvalidInput("unknown_item", item=item_id)
    answers = dict(assessment.answers or {})
    states = dict(row.item_states or {})
    current, current_state = answers.get(item_id), states.get(item_id)
    latest = last_change_id(assessment_id, item_id)
    if int(base or 0) != latest:
        raise Conflict("changed_meanwhile", current=current, state=current_state, base=latest)
    if answer != current:
        merged, _dropped, problems = apply_changes(instrument, answers, {item_id: answer},
                                                   profile_of(assessment.enterprise_id))
        if problems:
            raise InvalidInput("answer_invalid", item=item_id,
                               problems=[p.code for p in problems])
    else:
        merged = answers
    new_state = item_state(row.self_answers or {}, item_id, answer, chosen_state)
    if answer == current and new_state == current_state:
        return {"answer": current, "state": current_state, "base": latest}
    changed_answer = answer != current
    # A first answer on a blank item needs no reason; changing one that was there does.
    text = reason_text(reason, required=changed_answer and current is not None)
    now = utcnow()
    if changed_answer:
        db_session.add(OnSiteChange(assessment_id=assessment_id, item_id=item_id, kind="answer",
                                    actor_id=actor.id, at=now, old=current, new=answer,
                                    reason=text))
        assessment.answers = merged
    if new_state != current_state:
        db_session.add(OnSiteChange(assessment_id=assessment_id, item_id=item_id, kind="state",
                                    actor_id=actor.id, at=now, old=current_state, new=new_state,
                                    reason=None if changed_answer else text))
        states[item_id] = new_state
        row.item_states = states
    assessment.updated_at = now  # bumps the row's version: a concurrent save retries
    db_session.flush()
    return {"answer": answer, "state": new_state, "base": last_change_id(assessment_id, item_id)}
