"""Plain data for the results page and the PDF report, built from a scored result.

`result_context()` is the one place that turns a `Result.to_dict()` plus the instrument, the
enterprise profile and the optional history, plan and peer figures into dicts, lists, strings
and numbers in one language. Templates (web page and PDF) only read it.
"""
from datetime import date, datetime

from reports.phrases import phrase

LANGS = ("zh", "en")


def tr(text, lang):
    """Pick `lang` from a {zh, en} text dict; strings and None pass through."""
    if isinstance(text, dict):
        return text.get(lang) or text.get("zh") or text.get("en") or ""
    return "" if text is None else str(text)


def _get(obj, *names, default=None):
    """First present attribute or key of `obj` among `names` (instrument parts and dicts alike)."""
    for name in names:
        if isinstance(obj, dict):
            if obj.get(name) is not None:
                return obj[name]
        elif getattr(obj, name, None) is not None:
            return getattr(obj, name)
    return default


def _num(value):
    """Numbers for display: whole floats become ints, others keep two decimals at most."""
    if isinstance(value, float):
        value = round(value, 2)
        return int(value) if value == int(value) else value
    return value


def _percent(score, maximum):
    return round(100 * score / maximum) if maximum else 0


def _row(id_, title, score, maximum, lang):
    return {"id": id_, "title": tr(title, lang), "score": _num(score), "max": _num(maximum),
            "percent": _percent(score or 0, maximum or 0)}


def _day(value):
    """ISO date text of a date, datetime or ISO string."""
    if isinstance(value, (date, datetime)):
        return value.strftime("%Y-%m-%d")
    return str(value or "")[:10]


def result_context(result, instrument, profile, enterprise, lang, history=None, plan=None,
                   peers=None):
    """Everything the results page and the PDF show, resolved to `lang` ("zh" or "en").

    `result` is `Result.to_dict()`; `profile` and `enterprise` are plain dicts; `history` a list
    of earlier assessments ({date, total, level, ...}); `plan` the planning dict or None;
    `peers` the figures from services.peers or None.
    """
    if lang not in LANGS:
        raise ValueError(f"unknown report language {lang!r}; expected one of {LANGS}")
    dimensions = dimension_rows(result, instrument, lang)
    scenarios = scenario_rows(result, instrument, lang)
    total, max_total = result.get("total", 0), result.get("max_total", 0)
    ranked = sorted(dimensions, key=lambda d: d["percent"])
    return {
        "lang": lang,
        "instrument": {
            "id": result.get("instrument") or _get(instrument, "id"),
            "version": result.get("version") or _get(instrument, "version"),
            "title": tr(_get(instrument, "title"), lang),
            "indicative": bool(result.get("indicative", _get(instrument, "indicative", default=False))),
        },
        "enterprise": dict(enterprise or {}),
        "profile": dict(profile or {}),
        "level": level_info(result.get("level"), lang),
        "total": _num(total),
        "max_total": _num(max_total),
        "percent": _percent(total or 0, max_total or 0),
        "dimensions": dimensions,
        "strongest": ranked[-1] if ranked else None,
        "weakest": ranked[0] if ranked else None,
        "scenarios": scenarios,
        "scenario_groups": _group(scenarios),
        "level_checks": check_rows(result.get("level_checks") or [], instrument, lang),
        "next_level": next_level_info(result, instrument, lang),
        "answers": answer_rows(result, instrument, lang),
        "methodology": methodology(instrument, lang),
        "history": history_rows(history or [], result, lang),
        "plan": plan,
        "peers": peers,
    }


def level_info(level, lang):
    """Level id, rank, name and meaning; an unreached first level gets its own wording."""
    if not level:
        return {"id": None, "rank": 0, "name": phrase("no_level", lang),
                "meaning": phrase("no_level_meaning", lang)}
    return {"id": _get(level, "id"), "rank": _get(level, "rank", default=0),
            "name": tr(_get(level, "name", "title"), lang),
            "meaning": tr(_get(level, "meaning", "description"), lang)}


def dimension_rows(result, instrument, lang):
    """Dimensions in instrument order, each with its indicator rows."""
    scored = result.get("dimensions") or {}
    order = [_get(d, "id") for d in _get(instrument, "dimensions", default=[])]
    order += [key for key in scored if key not in order]
    rows = []
    for dim_id in order:
        dim = scored.get(dim_id)
        if dim is None:
            continue
        row = _row(dim_id, dim.get("title"), dim.get("score", 0), dim.get("max", 0), lang)
        row["indicators"] = [
            _row(ind_id, ind.get("title"), ind.get("score", 0), ind.get("max", 0), lang)
            for ind_id, ind in (dim.get("indicators") or {}).items()]
        rows.append(row)
    return rows


def scenario_rows(result, instrument, lang):
    """One row per scenario of the instrument: group, name, mandatory, level 0–4."""
    levels = result.get("scenarios") or {}
    groups = {_get(g, "id"): _get(g, "title") for g in _get(instrument, "scenario_groups", default=[])}
    rows = []
    for scenario in _get(instrument, "scenarios", default=[]):
        sid = _get(scenario, "id")
        level = levels.get(sid, 0)
        group = _get(scenario, "group")
        rows.append({
            "id": sid,
            "group": tr(groups.get(group, group) if isinstance(group, str) else group, lang),
            "name": tr(_get(scenario, "title", "name", "text"), lang),
            "mandatory": bool(_get(scenario, "mandatory", default=False)),
            "level": int(level) if isinstance(level, (int, float)) else 0,
        })
    return rows


def _group(rows):
    groups = []
    for row in rows:
        if not groups or groups[-1]["group"] != row["group"]:
            groups.append({"group": row["group"], "rows": []})
        groups[-1]["rows"].append(row)
    return groups


def _check_text(check, lang):
    kind = _get(check, "kind", "type", default="")
    params = {"required": _num(_get(check, "required", default="")),
              "min_level": _get(check, "min_level", "at_level", default="")}
    if kind in ("points", "scenarios", "mandatory"):
        return phrase(f"check_{kind}", lang, **params)
    return tr(_get(check, "text", "message", "label", default=kind), lang)


def check_rows(checks, instrument, lang):
    """The level-condition checklist: one row per condition of each level, passed or not."""
    names = {_get(lv, "rank"): tr(_get(lv, "name", "title"), lang)
             for lv in _get(instrument, "levels", default=[])}
    rows = []
    for check in checks:
        rank = _get(check, "rank", "level_rank")
        level = _get(check, "level")
        if isinstance(level, dict):
            rank = _get(level, "rank", default=rank)
        rows.append({
            "rank": rank,
            "level": names.get(rank) or tr(_get(level or {}, "name") if isinstance(level, dict)
                                           else level, lang),
            "kind": _get(check, "kind", "type", default=""),
            "text": _check_text(check, lang),
            "required": _num(_get(check, "required")),
            "actual": _num(_get(check, "actual", "value")),
            "passed": bool(_get(check, "passed", "ok", default=False)),
        })
    return rows


def next_level_info(result, instrument, lang):
    """The next level and, in plain words, what is still missing to reach it."""
    nxt = result.get("next_level") or {}
    target = _get(nxt, "level")
    if not target:
        current = level_info(result.get("level"), lang)
        return {"level": None, "top": True, "intro": phrase("top_level", lang, level=current["name"]),
                "sentences": [], "checks": []}
    name = tr(_get(target, "name", "title"), lang) if isinstance(target, dict) else tr(target, lang)
    checks = _get(nxt, "checks", "conditions", "gaps", default=None)
    if checks is None:
        rank = _get(target, "rank") if isinstance(target, dict) else None
        checks = [c for c in result.get("level_checks") or [] if _get(c, "rank", "level_rank") == rank]
    missing = [c for c in checks if not _get(c, "passed", "ok", default=False)]
    sentences = [_gap_sentence(c, lang) for c in missing]
    candidates = _get(nxt, "candidates", "scenarios", default=[])
    if candidates:
        titles = {_get(s, "id"): tr(_get(s, "title", "name"), lang)
                  for s in _get(instrument, "scenarios", default=[])}
        names = [titles.get(_get(c, "id") if isinstance(c, dict) else c, str(c)) for c in candidates]
        sentences.append(phrase("candidates", lang, names=phrase("list_sep", lang).join(names)))
    intro = phrase("next_intro" if missing else "next_ready", lang, level=name)
    return {"level": name, "top": False, "intro": intro, "sentences": sentences,
            "checks": check_rows(checks, instrument, lang)}


def _gap_sentence(check, lang):
    kind = _get(check, "kind", "type", default="")
    required = _get(check, "required", default=0)
    actual = _get(check, "actual", "value", default=0)
    gap = _get(check, "gap", default=None)
    if gap is None and isinstance(required, (int, float)) and isinstance(actual, (int, float)):
        gap = max(required - actual, 0)
    params = {"required": _num(required), "actual": _num(actual), "gap": _num(gap),
              "min_level": _get(check, "min_level", "at_level", default="")}
    if kind in ("points", "scenarios", "mandatory"):
        return phrase(f"need_{kind}", lang, **params)
    return phrase("need_other", lang, condition=_check_text(check, lang), **params)


def _items_by_id(instrument):
    found = {}
    for dim in _get(instrument, "dimensions", default=[]):
        for ind in _get(dim, "indicators", default=[]):
            for item in _get(ind, "items", default=[]):
                found[_get(item, "id")] = (item, dim, ind)
    for scenario in _get(instrument, "scenarios", default=[]):
        found.setdefault(_get(scenario, "id"), (scenario, None, None))
    return found


def answer_text(item, answer, lang):
    """What the person answered, as words: option texts, a rate, a scale value or a level."""
    if answer is None:
        return phrase("not_answered", lang)
    if answer == "n/a":
        return phrase("not_applicable", lang)
    options = {_get(o, "id"): tr(_get(o, "text", "title"), lang)
               for o in _get(item, "options", default=[]) or []}
    if isinstance(answer, list):
        if not answer:
            return phrase("none_selected", lang)
        return phrase("list_sep", lang).join(options.get(a, str(a)) for a in answer)
    if isinstance(answer, dict):
        num, den = answer.get("numerator"), answer.get("denominator")
        pct = _num(round(100 * num / den, 1)) if den else 0
        return phrase("rate", lang, numerator=_num(num), denominator=_num(den), percent=pct)
    if isinstance(answer, bool):
        return phrase("yes" if answer else "no", lang)
    if _get(item, "kind") == "scenario" or (item is not None and _get(item, "mandatory") is not None
                                            and isinstance(answer, int)):
        return phrase("scenario_level", lang, level=answer)
    return options.get(answer, str(answer))


def answer_rows(result, instrument, lang):
    """Every answer given, in instrument order, with the question and the answer in words."""
    known = _items_by_id(instrument)
    rows = []
    for entry in result.get("items") or []:
        item_id = _get(entry, "id", "item")
        item, dim, ind = known.get(item_id, (None, None, None))
        text = _get(entry, "text_answer", "answer_text")
        answer = _get(entry, "answer")
        rows.append({
            "id": item_id,
            "dimension": tr(_get(dim, "title"), lang) if dim is not None else "",
            "indicator": tr(_get(ind, "title"), lang) if ind is not None else "",
            "question": tr(_get(item, "text", "title", "name"), lang) if item is not None
            else tr(_get(entry, "question", "text"), lang),
            "answer": tr(text, lang) if text else answer_text(item, answer, lang),
            "points": _num(_get(entry, "points", "score", default=0)),
            "max": _num(_get(entry, "max", default=0)),
        })
    return rows


def condition_text(condition, instrument, lang):
    """A level condition of the instrument (LevelCondition) in words."""
    kind = _get(condition, "kind", default="")
    if kind in ("total_at_least", "total_above"):
        text = phrase(f"rule_{kind}", lang, value=_num(_get(condition, "value")))
    elif kind == "scenarios_at_least":
        key = "rule_mandatory" if _get(condition, "mandatory_only", default=False) else "rule_scenarios"
        text = phrase(key, lang, count=_get(condition, "count"), level=_get(condition, "level"))
        among = _get(condition, "among", default=()) or ()
        if among:
            names = {_get(s, "id"): tr(_get(s, "text", "title"), lang)
                     for s in _get(instrument, "scenarios", default=[])}
            text += phrase("rule_among", lang, names=phrase("list_sep", lang).join(
                names.get(a, a) for a in among))
    else:
        text = tr(_get(condition, "text", default=kind), lang)
    if _get(condition, "show_if", default=()):
        text += phrase("rule_conditional", lang)
    return text


def _rule_texts(level, instrument, lang):
    return [condition_text(c, instrument, lang) for c in _get(level, "conditions", default=()) or ()]


def methodology(instrument, lang):
    """The instrument's weights and level rules, read from the instrument itself."""
    dims = []
    for dim in _get(instrument, "dimensions", default=[]):
        indicators = []
        for ind in _get(dim, "indicators", default=[]):
            items = _get(ind, "items", default=[])
            points = sum(_get(i, "points", default=0) or 0 for i in items)
            indicators.append({"id": _get(ind, "id"), "title": tr(_get(ind, "title"), lang),
                               "max": _num(_get(ind, "max", "points", default=points)),
                               "questions": len(items)})
        dims.append({"id": _get(dim, "id"), "title": tr(_get(dim, "title"), lang),
                     "max": _num(_get(dim, "max", "points",
                                      default=sum(i["max"] or 0 for i in indicators))),
                     "indicators": indicators})
    levels = [{"rank": _get(lv, "rank"), "name": tr(_get(lv, "name", "title"), lang),
               "meaning": tr(_get(lv, "meaning", "description"), lang),
               "rules": _rule_texts(lv, instrument, lang)}
              for lv in _get(instrument, "levels", default=[])]
    scenarios = _get(instrument, "scenarios", default=[])
    return {"dimensions": dims, "levels": levels, "scenario_count": len(scenarios),
            "total_method": _get(instrument, "total_method", default="sum"),
            "max_total": _num(_get(instrument, "max_total", default=sum(d["max"] or 0 for d in dims))),
            "scenario_levels": [tr(t, lang) for t in _get(instrument, "scenario_levels", default=())],
            "mandatory_count": sum(1 for s in scenarios if _get(s, "mandatory", default=False))}


def history_rows(history, result, lang):
    """Earlier assessments, oldest first, each with its change since the one before it;
    the last row is followed by the change of this result since it."""
    rows, previous = [], None
    for entry in sorted(history, key=lambda e: _day(_get(e, "date", "submitted_at"))):
        total = _get(entry, "total", default=0)
        level = _get(entry, "level")
        rows.append({
            "id": _get(entry, "id"),
            "date": _day(_get(entry, "date", "submitted_at")),
            "instrument": _get(entry, "instrument"),
            "version": _get(entry, "version"),
            "level": level_info(level, lang)["name"] if isinstance(level, dict) or level is None
            else tr(level, lang),
            "total": _num(total),
            "change": None if previous is None else _num(total - previous),
        })
        previous = total
    return {"rows": rows,
            "change_since_last": None if previous is None
            else _num((result.get("total") or 0) - previous)}
