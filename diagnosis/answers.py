"""Answers: validation (every problem at once), visibility, and the share each answer earns.

Visibility states of a question:
- "shown": asked; its answer is scored;
- "not_applicable": hidden by the profile (or its gate is not applicable): its points are
  renormalised like an "n/a" answer;
- "hidden": hidden by an earlier answer (e.g. a follow-up to a "no"): it earns 0 and keeps its
  points in the maximum — the enterprise lacks what the item asks about. Answer-based show_if may
  only reveal items on better answers (the loader checks this), so a better answer never hides
  points and never lowers the total;
- "unknown": its gate's answer is itself invalid, so no verdict on it.
"""
import math
from dataclasses import dataclass, field

from . import plausibility
from .bands import band_share
from .errors import Problem
from .model import NA
from .profile import effective_profile, profile_holds

SHOWN, NOT_APPLICABLE, HIDDEN, UNKNOWN = "shown", "not_applicable", "hidden", "unknown"


@dataclass
class Resolved:
    """Outcome of reading one assessment's answers."""
    profile: dict
    states: dict = field(default_factory=dict)     # id -> state
    values: dict = field(default_factory=dict)     # id -> valid answer value (incl. "n/a")
    shares: dict = field(default_factory=dict)     # item id -> share earned (0..1); scenario id -> level
    problems: list = field(default_factory=list)
    warnings: list = field(default_factory=list)   # answers questioned by a plausibility rule
    invalid: set = field(default_factory=set)      # ids whose answer is invalid
    question: object = None                         # id -> Item/Scenario lookup


def _problem(qid, code, message, **params):
    return Problem(item=qid, code=code, params={"item": qid, **params}, message=f"{qid}: {message}")


def _number(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def value_share(q, value):
    """(share or scenario level, None) for a valid answer, or (None, Problem)."""
    kind = q.kind
    if kind == "single":
        if not isinstance(value, str):
            return None, _problem(q.id, "wrong_type", f"expected an option id, got {value!r}", value=value, expected="option id")
        opt = q.option(value)
        if opt is None:
            return None, _option_missing(q, value)
        return opt.share, None
    if kind == "multiple":
        return _multiple(q, value)
    if kind == "rate":
        return _rate(q, value)
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        else:
            return None, _problem(q.id, "wrong_type", f"expected a whole number, got {value!r}", value=value, expected="integer")
    if not q.min <= value <= q.max:
        return None, _problem(q.id, "out_of_range", f"{value} is outside {q.min}..{q.max}", value=value, min=q.min, max=q.max)
    if kind == "scenario":
        return value, None
    if q.shares:
        return q.shares[value - q.min], None
    return (value - q.min) / (q.max - q.min), None


def _option_missing(q, value):
    offered = [o.id for o in q.options]
    return _problem(q.id, "option_not_offered", f"option {value!r} is not offered (choose from {', '.join(offered)})",
                    value=value, offered=offered)


def _multiple(q, value):
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        return None, _problem(q.id, "wrong_type", f"expected a list of option ids, got {value!r}", value=value,
                              expected="list of option ids")
    if not value:
        return None, _problem(q.id, "empty_choice", "choose at least one option (or the 'none' option)", value=value)
    if len(set(value)) != len(value):
        dup = sorted({v for v in value if value.count(v) > 1})
        return None, _problem(q.id, "duplicate_option", f"option(s) {', '.join(dup)} chosen more than once", value=value)
    share = 0.0
    for v in value:
        opt = q.option(v)
        if opt is None:
            return None, _option_missing(q, v)
        if opt.exclusive and len(value) > 1:
            return None, _problem(q.id, "exclusive_combined", f"option {v!r} cannot be combined with other options",
                                  value=value, option=v)
        share += opt.share
    return min(share, 1.0), None


def _rate(q, value):
    if not isinstance(value, dict) or set(value) != {"numerator", "denominator"}:
        return None, _problem(q.id, "wrong_type", f'expected {{"numerator": n, "denominator": d}}, got {value!r}',
                              value=value, expected="numerator and denominator")
    n, d = value["numerator"], value["denominator"]
    for name, x in (("numerator", n), ("denominator", d)):
        if not _number(x):
            return None, _problem(q.id, "wrong_type", f"{name} must be a finite number, got {x!r}", value=x, field=name,
                                  expected="number")
        if x < 0:
            return None, _problem(q.id, "negative", f"{name} must not be negative, got {x}", value=x, field=name)
        if q.max is not None and x > q.max:
            return None, _problem(q.id, "out_of_range", f"{name} {x} is above the maximum {q.max:g}",
                                  value=x, field=name, max=q.max)
        if getattr(q, name).whole and not float(x).is_integer():
            return None, _problem(q.id, "not_whole_number", f"{name} counts things: {x} is not a whole number",
                                  value=x, field=name)
    if d == 0:
        return None, _problem(q.id, "zero_denominator", "denominator must be greater than 0", value=d, field="denominator")
    if n > d:
        return None, _problem(q.id, "numerator_exceeds_denominator", f"numerator {n} exceeds denominator {d}",
                              value=n, numerator=n, denominator=d)
    return band_share(q, n / d), None


def _answer_holds(c, gate, value):
    """Whether an answer-based condition holds for the gate's (valid, non-n/a) answer."""
    if c.values is not None:
        chosen = value if isinstance(value, list) else [value]
        return any(v in c.values for v in chosen)
    if gate.kind == "rate":
        return value["numerator"] / value["denominator"] + 1e-12 >= c.at_least
    return value >= c.at_least


def _state(q, res):
    state = SHOWN
    for c in q.show_if:
        if c.source == "profile":
            if not profile_holds(c, res.profile):
                return NOT_APPLICABLE
            continue
        gate_state = res.states.get(c.key, UNKNOWN)
        if gate_state == NOT_APPLICABLE:
            return NOT_APPLICABLE
        if gate_state == SHOWN and c.key in res.values:
            value = res.values[c.key]
            if value == NA:
                return NOT_APPLICABLE
            if not _answer_holds(c, res.question(c.key), value):
                state = HIDDEN if state != UNKNOWN else state
        elif gate_state == UNKNOWN or (gate_state == SHOWN and c.key in res.invalid):
            state = UNKNOWN
        elif state == SHOWN:
            state = HIDDEN  # gate hidden or unanswered
    return state


def resolve(instrument, answers, profile=None, partial=True):
    """Validate answers and work out visibility and shares. Never raises for bad input."""
    res = Resolved(profile=effective_profile(instrument, profile if isinstance(profile, dict) else None),
                   question=instrument.question)
    if profile is not None and not isinstance(profile, dict):
        res.problems.append(Problem("", "wrong_type", {"item": "", "value": repr(profile), "expected": "profile mapping"},
                                    "profile: expected a mapping of field to value"))
    if not isinstance(answers, dict):
        res.problems.append(Problem("", "wrong_type", {"item": "", "value": repr(answers), "expected": "answers mapping"},
                                    "answers: expected a mapping of question id to answer"))
        answers = {}
    for qid in answers:
        if instrument.question(qid) is None:
            res.problems.append(_problem(str(qid), "unknown_item", f"not a question of {instrument.id}", value=answers[qid]))
    for q in instrument.questions:
        state = res.states[q.id] = _state(q, res)
        value = answers.get(q.id)
        if value is None:
            if state == SHOWN and q.required and not partial:
                res.problems.append(_problem(q.id, "required_missing", "required answer missing"))
            continue
        if state in (NOT_APPLICABLE, HIDDEN):
            res.problems.append(_problem(q.id, "hidden_item_answered",
                                         "answered, but the question is hidden for this enterprise", value=value))
            continue
        if value == NA:
            if not q.allow_na:
                res.invalid.add(q.id)
                res.problems.append(_problem(q.id, "not_applicable_not_allowed",
                                             "'n/a' is not allowed for this question", value=value))
            else:
                res.values[q.id] = NA
            continue
        share, problem = value_share(q, value)
        if problem is not None:
            res.invalid.add(q.id)
            res.problems.append(problem)
        elif state == SHOWN:
            res.values[q.id] = value
            res.shares[q.id] = share
    if instrument.checks:
        _plausible(instrument, res)
    return res


def _plausible(instrument, res):
    refused, res.warnings = plausibility.problems(instrument, res.values)
    for problem in refused:
        res.problems.append(problem)
        res.invalid.add(problem.item)
        res.values.pop(problem.item, None)
        res.shares.pop(problem.item, None)


def check_answers(instrument, answers, profile=None, partial=True):
    """Every problem with these answers; with partial=True missing required answers are fine."""
    return resolve(instrument, answers, profile, partial).problems


def answer_warnings(instrument, answers, profile=None):
    """Answers a plausibility rule questions (Problem objects, code "implausible"): shown
    beside the question and before submission, never refused."""
    return resolve(instrument, answers, profile, partial=True).warnings


def visible_ids(instrument, answers, profile=None):
    """Ids of the questions to show for these (possibly partial) answers and profile."""
    res = resolve(instrument, answers, profile, partial=True)
    return {qid for qid, state in res.states.items() if state in (SHOWN, UNKNOWN)}


def progress(instrument, answers, profile=None):
    """(answered, required): required visible questions, and how many of them have a valid answer."""
    res = resolve(instrument, answers, profile, partial=True)
    required = [q.id for q in instrument.questions if q.required and res.states[q.id] in (SHOWN, UNKNOWN)]
    return sum(1 for qid in required if qid in res.values), len(required)
