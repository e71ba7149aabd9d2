"""Level conditions in words: the checklist, the next-level analysis and the level rules.

Reads the core's `level_checks` (per level: conditions with required, actual, passed) and
`next_level` (failing conditions, the fewest improvements found by rescoring, what cannot be
reached) and says them in plain sentences in one language.
"""
from diagnosis.texts import condition_text as condition_words
from reports.phrases import phrase
from reports.values import num, pick, tr

TOTAL_KINDS = ("total_at_least", "total_above")


def check_rows(level_checks, lang):
    """One row per condition of each level: level, condition, actual, required, passed."""
    rows = []
    for level in level_checks:
        for cond in level.get("conditions") or []:
            rows.append({
                "rank": level.get("rank"),
                "level": tr(level.get("name"), lang),
                "level_passed": bool(level.get("passed")),
                "text": tr(cond.get("text"), lang),
                "required": num(cond.get("required")),
                "actual": num(cond.get("actual")),
                "applies": bool(cond.get("applies", True)),
                "passed": bool(cond.get("passed")),
            })
    return rows


def _failing_sentence(cond, lang):
    required, actual = cond.get("required") or 0, cond.get("actual") or 0
    params = {"required": num(required), "actual": num(actual),
              "gap": num(max(required - actual, 0)), "level": cond.get("level")}
    if cond.get("kind") in TOTAL_KINDS:
        if cond.get("kind") == "total_above":
            return phrase("need_points_above", lang, **params)
        return phrase("need_points", lang, **params)
    if cond.get("kind") == "scenarios_at_least":
        key = "need_mandatory" if cond.get("mandatory_only") else "need_scenarios"
        return phrase(key, lang, **params)
    return phrase("need_other", lang, condition=tr(cond.get("text"), lang), **params)


def _improvement_sentence(step, lang):
    params = {"question": tr(step.get("text"), lang), "from": tr(step.get("from_text"), lang)
              or phrase("not_answered", lang), "to": tr(step.get("to_text"), lang),
              "gain": num(step.get("gain") or 0),
              "from_level": step.get("from"), "to_level": step.get("to")}
    if step.get("kind") == "scenario":
        key = "raise_mandatory" if step.get("mandatory") else "raise_scenario"
        return phrase(key, lang, **params)
    return phrase("raise_item", lang, **params)


def next_level_info(result, instrument, lang):
    """The next level and, in plain words, what is missing and the fewest steps to reach it."""
    nxt = result.get("next_level") or {}
    target = nxt.get("level")
    if nxt.get("reached_top") or not target:
        current = tr(pick(result.get("level") or {}, "name"), lang)
        return {"level": None, "top": True, "intro": phrase("top_level", lang, level=current),
                "sentences": [], "steps": [], "unreachable": [], "total_after": None}
    name = tr(target.get("name"), lang)
    failing = nxt.get("failing") or []
    steps = nxt.get("improvements") or []
    unreachable = [tr(text, lang) for text in nxt.get("unreachable") or []]
    if not failing:
        intro = phrase("next_ready", lang, level=name)
    else:
        intro = phrase("next_intro", lang, level=name)
    steps_intro = ""
    if steps:
        steps_intro = phrase("steps_intro" if nxt.get("reachable") else "steps_partial", lang,
                             count=len(steps), level=name)
    return {
        "level": name,
        "top": False,
        "intro": intro,
        "sentences": [_failing_sentence(c, lang) for c in failing],
        "steps_intro": steps_intro,
        "steps": [_improvement_sentence(s, lang) for s in steps],
        "unreachable": [phrase("cannot_reach", lang, what=text) for text in unreachable],
        "reachable": bool(nxt.get("reachable")),
        "total_after": num(nxt.get("total_after")),
    }


def condition_text(condition, instrument, lang):
    """A level condition of the instrument (LevelCondition) in the core's words
    (diagnosis.texts), naming scenarios, and saying when it applies to some enterprises only."""
    names = {s.id: s.text for s in instrument.scenarios}
    text = tr(condition_words(condition, names), lang)
    if condition.show_if:
        text += phrase("rule_conditional", lang)
    return text
