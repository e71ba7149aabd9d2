"""What a change to an assessment's answers does, before anything is written: the answers
merged (None removes one), the answers to questions that `show_if` now hides (a follow-up whose
gate answer changed, or an item the enterprise profile rules out) dropped and named, the core's
problems of the changed questions only, the notes a saved answer settles, and the progress and
visible questions that follow. So a stored draft only ever holds answers the core accepts, and
hidden items are never required nor scored; the page script re-sends a follow-up's answer that
is still on screen when its question is shown again.
"""
from dataclasses import dataclass

from diagnosis import check_answers, progress, visible_ids
from diagnosis.errors import Problem


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
    return apply_with_visible(instrument, answers, changes, profile)[:3]


def apply_with_visible(instrument, answers, changes, profile):
    """apply_changes(), plus the visible ids of the kept answers when already known (None if
    not)."""
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


def outcome(instrument, answers, profile, dropped=(), visible=None):
    """Progress and visible questions for these answers (`visible` when already known)."""
    answered, required = progress(instrument, answers, profile)
    if visible is None:
        visible = visible_ids(instrument, answers, profile)
    return SaveOutcome(answers=answers, answered=answered, required=required,
                       visible=frozenset(visible),
                       dropped=tuple(dropped))
