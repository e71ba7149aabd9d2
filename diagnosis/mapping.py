"""Answer mappings: answers of one instrument version carried onto another, with a note per
question saying why its answer is there or missing.

A mapping is data (questionnaires/mappings/*.yaml, format in questionnaires/README.md), read
and checked by diagnosis.mapping_loader. `map_answers()` applies it: every target question
gets a note, and every answer it produces passes the target instrument's own checks (an
answer that does not is not carried: the person answers again, the old answer shown).

Note codes (stable keys the web translates):
- carried_over: the answer comes from the source; the person should check it;
- answer_again: the source had an answer that does not map (shown for reference in `previous`);
- new_question: the source never asked this (`reason`, from the mapping file, says why;
  `previous` holds related earlier answers the file names for reference);
- unanswered_before: the source asked it but had no answer.
"""
from dataclasses import dataclass, field

from .answers import value_share
from .model import NA
from .texts import answer_text

CARRIED_OVER, ANSWER_AGAIN, NEW_QUESTION, UNANSWERED = (
    "carried_over", "answer_again", "new_question", "unanswered_before")


@dataclass(frozen=True)
class Rule:
    """How one target question gets its answer: `copy` (the source answer as is), or `maps`
    ({source id: {source value: target value or None}}; None: cannot be carried over).
    Without sources it is new (`reason`); `see` names source questions shown for reference."""
    target: str
    sources: tuple = ()
    copy: bool = False
    maps: dict = field(default_factory=dict)
    see: tuple = ()
    reason: dict = field(default_factory=dict)


@dataclass(frozen=True)
class AnswerMapping:
    id: str
    source: tuple          # (instrument id, version)
    target: tuple
    description: dict
    rules: dict            # target question id -> Rule
    file: str = ""


@dataclass(frozen=True)
class Mapped:
    answers: dict          # target question id -> answer, each valid for the target
    notes: dict            # target question id -> {"code": ..., **params}


def _key(value):
    """A source value as the key of a value map ("n/a", option ids, numbers as text)."""
    return value if isinstance(value, str) else str(value)


def _convert(rule, target_q, answers):
    """(value or None, used source ids, reason) for one rule; reason is None when it maps."""
    present = [s for s in rule.sources if answers.get(s) is not None]
    if not present:
        return None, [], UNANSWERED
    if rule.copy:
        return answers[present[0]], present, None
    if target_q.kind != "multiple":
        source = present[0]
        value = answers[source]
        hit = rule.maps[source].get(_key(value)) if not isinstance(value, (list, dict)) else None
        return (hit, present, None) if hit is not None else (None, present, ANSWER_AGAIN)
    chosen = []
    for source in present:
        value = answers[source]
        for part in (value if isinstance(value, list) else [value]):
            if isinstance(part, dict):
                return None, present, ANSWER_AGAIN
            hit = rule.maps[source].get(_key(part))
            if hit is None:
                return None, present, ANSWER_AGAIN
            chosen += [o for o in hit if o not in chosen]
    exclusive = {o.id for o in target_q.options if o.exclusive}
    if any(o not in exclusive for o in chosen):
        chosen = [o for o in chosen if o not in exclusive]
    if not chosen:
        return None, present, ANSWER_AGAIN
    order = [o.id for o in target_q.options]
    return sorted(chosen, key=order.index), present, None


def _previous(source_inst, ids, answers):
    out = []
    for qid in ids:
        q, value = source_inst.question(qid), answers.get(qid)
        if q is None or value is None:
            continue
        try:
            text = answer_text(q, value, source_inst.scenario_levels)
        except (AttributeError, IndexError, KeyError, TypeError):
            text = {"zh": str(value), "en": str(value)}  # an answer the source never accepted
        out.append({"question": dict(q.text), "answer": text})
    return out


def map_answers(mapping, source_inst, target_inst, answers):
    """Mapped answers and a note for every target question (see the module docstring)."""
    answers = answers if isinstance(answers, dict) else {}
    origin = {"instrument": source_inst.id, "version": source_inst.version}
    out, notes = {}, {}
    for q in target_inst.questions:
        rule = mapping.rules[q.id]
        value, used, reason = _convert(rule, q, answers)
        if reason is None and value != NA:
            _, problem = value_share(q, value)
            if problem is not None:
                reason = ANSWER_AGAIN
        elif reason is None and not q.allow_na:
            reason = ANSWER_AGAIN
        previous = _previous(source_inst, list(used) + [s for s in rule.see if s not in used], answers)
        if reason is None:
            out[q.id] = value
            notes[q.id] = {"code": CARRIED_OVER, **origin, "from": list(used), "previous": previous}
        elif not rule.sources:
            notes[q.id] = {"code": NEW_QUESTION, **origin, "reason": dict(rule.reason), "previous": previous}
        elif reason == UNANSWERED and not previous:
            notes[q.id] = {"code": UNANSWERED, **origin, "from": list(rule.sources)}
        else:
            notes[q.id] = {"code": ANSWER_AGAIN, **origin, "from": list(rule.sources), "previous": previous}
    return Mapped(out, notes)
