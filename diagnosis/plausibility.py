"""Plausibility rules: answers far outside what is plausible are questioned or refused.

Written in the instrument file, for example

    plausibility:
      - id: spend_above_half_of_revenue
        item: digital_spend_rate
        rate_above: 0.5
        action: question
        message: {zh: "...{rate}...", en: "...{rate}..."}
      - id: more_networked_than_devices
        item: equipment_networked_rate
        part: numerator
        exceeds: {item: equipment_digital_rate, part: denominator}
        action: question
        message: {zh: "...{value}...{other}...", en: ...}

`refuse` makes the answer a problem (it is not saved, not scored); `question` a warning shown
beside the question and on the review page. A rule that compares two items may only question:
refusing would depend on which of the two was answered first.
"""
import string

from .errors import Problem
from .model import NA, Check

ACTIONS = ("question", "refuse")
KINDS = ("rate_above", "exceeds", "differs_from")
PARTS = ("numerator", "denominator")
PLACEHOLDERS = {"rate_above": {"rate"}, "exceeds": {"value", "other"}, "differs_from": {"value", "other"}}


def read_checks(raw, r):
    """The file's `plausibility` list as Check objects (references are checked later)."""
    checks = []
    for i, c in enumerate(r.seq(raw, "plausibility", non_empty=False) if raw is not None else []):
        path = f"plausibility[{i}]"
        c = r.mapping(c, path, required=("id", "item", "action", "message"),
                      optional=KINDS + ("part",))
        kinds = [k for k in KINDS if k in c]
        if len(kinds) != 1:
            r.bad(path, f"must have exactly one of {', '.join(KINDS)}")
            continue
        kind = kinds[0]
        action = c.get("action")
        if action not in ACTIONS:
            r.bad(f"{path}.action", f"unknown action {action!r} (allowed: {', '.join(ACTIONS)})")
        message = r.text(c.get("message"), f"{path}.message")
        _placeholders(message, PLACEHOLDERS[kind], f"{path}.message", r)
        check = {"id": r.ident(c.get("id"), f"{path}.id"), "item": str(c.get("item")), "kind": kind,
                 "action": action, "message": message}
        if kind == "rate_above":
            check["value"] = float(r.number(c[kind], f"{path}.{kind}", lo=0, hi=1))
            if "part" in c:
                r.bad(f"{path}.part", "rate_above compares the rate itself: leave 'part' out")
        else:
            check["part"] = _part(c.get("part"), f"{path}.part", r)
            other = r.mapping(c[kind], f"{path}.{kind}", required=("item", "part"))
            check["other"] = str(other.get("item"))
            check["other_part"] = _part(other.get("part"), f"{path}.{kind}.part", r)
            if action == "refuse":
                r.bad(f"{path}.action", "a rule comparing two items can only 'question': a refusal "
                                        "would depend on which item was answered first")
        checks.append(Check(**check))
    return tuple(checks)


def _part(value, path, r):
    if value not in PARTS:
        r.bad(path, f"unknown part {value!r} (allowed: {', '.join(PARTS)})")
    return str(value)


def _placeholders(text, allowed, path, r):
    for lang, value in text.items():
        try:
            names = {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}
        except ValueError as exc:
            r.bad(f"{path}.{lang}", f"malformed placeholder: {exc} (write a literal brace as '{{{{')")
            continue
        for name in sorted(names - allowed):
            r.bad(f"{path}.{lang}", f"unknown placeholder {{{name}}} (allowed: "
                                    f"{', '.join('{' + a + '}' for a in sorted(allowed))})")


def check_references(inst, r):
    """Each rule names a rate item of the instrument (and another for comparisons)."""
    seen = set()
    for i, c in enumerate(inst.checks):
        path = f"plausibility[{i}]"
        if c.id in seen:
            r.bad(f"{path}.id", f"duplicate rule id '{c.id}'")
        seen.add(c.id)
        for key, qid in (("item", c.item), (f"{c.kind}.item", c.other)):
            if qid is None:
                continue
            q = inst.question(qid)
            if q is None:
                r.bad(f"{path}.{key}", f"unknown item '{qid}'")
            elif q.kind != "rate":
                r.bad(f"{path}.{key}", f"item '{qid}' is {q.kind}: plausibility rules compare rates")


def find(inst, values):
    """[(Check, params)] of the rules these (valid) answers break."""
    broken = []
    for c in inst.checks:
        value = values.get(c.item)
        if not isinstance(value, dict):
            continue  # unanswered, invalid or "n/a"
        if c.kind == "rate_above":
            rate = value["numerator"] / value["denominator"]
            if rate > c.value + 1e-9:
                broken.append((c, {"rate": rate}))
            continue
        other = values.get(c.other)
        if not isinstance(other, dict) or other == NA:
            continue
        mine, theirs = value[c.part], other[c.other_part]
        if (c.kind == "exceeds" and mine > theirs + 1e-9) or (c.kind == "differs_from" and abs(mine - theirs) > 1e-9):
            broken.append((c, {"value": mine, "other": theirs}))
    return broken


def message(check, params, lang):
    """The rule's message in `lang` with its figures filled in (rates as percentages)."""
    shown = {k: (f"{v * 100:.1f}%" if k == "rate" else f"{v:g}") for k, v in params.items()}
    return check.message[lang].format(**shown)


def problems(inst, values):
    """(refusals, warnings) as Problem objects with code "implausible"."""
    refused, questioned = [], []
    for c, params in find(inst, values):
        problem = Problem(item=c.item, code="implausible",
                          params={"item": c.item, "check": c.id, "action": c.action, **params},
                          message=f"{c.item}: {message(c, params, 'en')}")
        (refused if c.action == "refuse" else questioned).append(problem)
    return refused, questioned
