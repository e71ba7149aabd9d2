"""Applying module effects to answers: only ever raising, never lowering, an answer.

Effects combine the same way whatever the order (best single option, union of multiple-choice
options, highest scale, rate and scenario level), so a set of modules has one outcome.
"""
import math

from diagnosis.model import NA


def _share(item, option_id):
    option = item.option(option_id) if isinstance(option_id, str) else None
    return option.share if option else -1.0


def _rate(answer):
    if isinstance(answer, dict) and answer.get("denominator"):
        return answer.get("numerator", 0) / answer["denominator"]
    return -1.0


def raised(question, current, value):
    """The answer after raising `current` to (at least) `value`; `current` itself if better."""
    if current == NA:
        return current  # not applicable stays so: a module cannot make an item apply
    kind = question.kind
    if kind == "scenario":
        return max(int(current) if isinstance(current, int) else 0, int(value))
    if kind == "single":
        return value if _share(question, value) > _share(question, current) else current
    if kind == "multiple":
        keep = [o for o in (current or []) if not (question.option(o) and question.option(o).exclusive)]
        return keep + [o for o in value if o not in keep]
    if kind == "scale":
        return value if not isinstance(current, (int, float)) or value > current else current
    if kind == "rate":
        if _rate(current) >= value["rate"]:
            return current
        den = current["denominator"] if isinstance(current, dict) and current.get("denominator") else 100
        return {"numerator": min(den, math.ceil(value["rate"] * den - 1e-9)), "denominator": den}
    return current


def covers(question, current, value):
    """True when `current` is already at least as good as `value` (the effect is in place)."""
    if current is None or current == NA:
        return False
    kind = question.kind
    if kind == "scenario":
        return isinstance(current, int) and current >= int(value)
    if kind == "single":
        return _share(question, current) >= _share(question, value)
    if kind == "multiple":
        return set(value) <= set(current or [])
    if kind == "scale":
        return isinstance(current, (int, float)) and current >= value
    if kind == "rate":
        return _rate(current) >= value["rate"] - 1e-12
    return False


def lowest_answer(question):
    """The answer meaning "not yet" for an item a better answer has just revealed."""
    kind = question.kind
    if kind == "scenario":
        return 0
    if kind == "single":
        return min(question.options, key=lambda o: o.share).id
    if kind == "multiple":
        none = [o.id for o in question.options if o.exclusive]
        return none[:1]
    if kind == "scale":
        return question.min if question.min is not None else 0
    if kind == "rate":
        return {"numerator": 0, "denominator": 1}
    return None


def apply_effects(instrument, answers, effects, visible=None):
    """New answers with every effect applied; answers given are never modified.

    `visible(instrument, answers)` (optional) returns the ids shown for those answers; items a
    raised answer reveals get their lowest answer, so the result can always be scored.
    """
    out = dict(answers)
    for effect in effects:
        question = instrument.question(effect.target)
        if question is None:
            continue
        current = out.get(effect.target)
        value = list(effect.value) if isinstance(effect.value, tuple) else effect.value
        if current is None:
            current = lowest_answer(question)
        out[effect.target] = raised(question, current, value)
    if visible is not None:
        shown = visible(instrument, out)
        for qid in list(out):
            if qid not in shown and qid not in answers:
                del out[qid]
        for qid in shown:
            if qid not in out:
                out[qid] = lowest_answer(instrument.question(qid))
    return out


def effect_in_place(instrument, answers, effect):
    question = instrument.question(effect.target)
    return question is not None and covers(question, answers.get(effect.target), effect.value)


def parts(instrument, answers, need):
    """A needed answer as requirements each one module must bring: one per option of a
    multiple choice still missing (modules' options add up), else the need itself."""
    question = instrument.question(need.target)
    if question is None or question.kind != "multiple":
        return [need]
    have = answers.get(need.target)
    have = have if isinstance(have, list) else []
    return [type(need)(need.target, (o,), need.scenario) for o in need.value if o not in have]
