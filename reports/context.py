"""Plain data for the results page and the PDF report, built from a scored result.

`result_context()` is the one place that turns a `Result.to_dict()` plus the instrument, the
enterprise profile and the optional history, plan and peer figures into dicts, lists, strings
and numbers in one language. Templates (web page and PDF) only read it.
"""
from datetime import date, datetime

from reports.levels import check_rows, condition_text, next_level_info
from reports.phrases import phrase
from reports.values import num, percent, pick, tr

LANGS = ("zh", "en")


def _row(id_, title, score, maximum, lang):
    return {"id": id_, "title": tr(title, lang), "score": num(score), "max": num(maximum),
            "percent": percent(score or 0, maximum or 0)}


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
            "id": result.get("instrument") or pick(instrument, "id"),
            "version": result.get("version") or pick(instrument, "version"),
            "title": tr(pick(instrument, "title"), lang),
            "indicative": bool(result.get("indicative", pick(instrument, "indicative", default=False))),
            # The version of the file read for titles and methodology; differs from `version`
            # (the one the result was scored with) only after a new version was installed.
            "file_version": pick(instrument, "version"),
        },
        "enterprise": dict(enterprise or {}),
        "profile": dict(profile or {}),
        "level": level_info(result.get("level"), lang),
        "total": num(total),
        "max_total": num(max_total),
        "percent": percent(total or 0, max_total or 0),
        "dimensions": dimensions,
        "strongest": ranked[-1] if ranked else None,
        "weakest": ranked[0] if ranked else None,
        "scenarios": scenarios,
        "scenario_groups": _group(scenarios),
        "level_checks": check_rows(result.get("level_checks") or [], lang),
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
    return {"id": pick(level, "id"), "rank": pick(level, "rank", default=0),
            "name": tr(pick(level, "name", "title"), lang),
            "meaning": tr(pick(level, "meaning", "description"), lang)}


def dimension_rows(result, instrument, lang):
    """Dimensions in instrument order, each with its indicator rows."""
    scored = result.get("dimensions") or {}
    order = [pick(d, "id") for d in pick(instrument, "dimensions", default=[])]
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
    """One row per scenario of the instrument: group, name, mandatory, level 0–4, applicable."""
    levels = result.get("scenarios") or {}
    groups = {pick(g, "id"): pick(g, "title") for g in pick(instrument, "scenario_groups", default=[])}
    rows = []
    for scenario in pick(instrument, "scenarios", default=[]):
        sid = pick(scenario, "id")
        level = levels.get(sid)  # absent: not applicable or not shown
        group = pick(scenario, "group")
        row = {
            "id": sid,
            "group": tr(groups.get(group, group) if isinstance(group, str) else group, lang),
            "name": tr(pick(scenario, "title", "name", "text"), lang),
            "mandatory": bool(pick(scenario, "mandatory", default=False)),
            # Not shown or not applicable: level 0 for drawing, `applicable` says which.
            "level": int(level) if isinstance(level, (int, float)) else 0,
            "applicable": isinstance(level, (int, float)),
        }
        described = pick(scenario, "levels", default=()) or ()
        if len(described) == 4:  # what this scenario's levels look like (instruments that say)
            at = row["level"]
            row["detail"] = tr(pick(described[at - 1], "text"), lang) if at >= 1 else None
            row["next_detail"] = tr(pick(described[at], "text"), lang) if at < 4 else None
        rows.append(row)
    return rows


def _group(rows):
    groups = []
    for row in rows:
        if not groups or groups[-1]["group"] != row["group"]:
            groups.append({"group": row["group"], "rows": []})
        groups[-1]["rows"].append(row)
    return groups


def _amount(value):
    return f"{value:,.2f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"


def rate_text(instrument, item_id, answer, lang):
    """A rate answer with both figures written out in full (no exponents) and its unit."""
    numerator, denominator = answer.get("numerator"), answer.get("denominator")
    item = instrument.question(item_id) if hasattr(instrument, "question") else None
    unit = tr(pick(pick(item, "denominator"), "unit"), lang) if item is not None else ""
    share = f"{100 * numerator / denominator:.1f}%" if denominator else "—"
    return f"{_amount(numerator)} / {_amount(denominator)} {unit} = {share}".replace("  ", " ")


def answer_rows(result, instrument, lang):
    """Every question shown, in questionnaire order: the question and the answer in words."""
    dims = {pick(d, "id"): d for d in pick(instrument, "dimensions", default=[])}
    groups = {pick(g, "id"): pick(g, "title") for g in pick(instrument, "scenario_groups", default=[])}
    rows = []
    for entry in result.get("items") or []:
        if entry.get("state") == "hidden":
            continue
        dim = dims.get(entry.get("dimension"))
        indicator = None
        for ind in pick(dim, "indicators", default=[]) if dim is not None else []:
            if pick(ind, "id") == entry.get("indicator"):
                indicator = pick(ind, "title")
        if entry.get("kind") == "scenario":
            section, indicator = phrase("scenarios", lang), groups.get(entry.get("group"))
        else:
            section = pick(dim, "title") if dim is not None else ""
        answer = entry.get("answer_text")
        if entry.get("kind") == "rate" and isinstance(entry.get("answer"), dict):
            answer = rate_text(instrument, entry["id"], entry["answer"], lang)
        if entry.get("state") == "not_applicable":
            answer = phrase("not_applicable", lang)
        rows.append({
            "id": entry.get("id"),
            "kind": entry.get("kind"),
            "dimension": tr(section, lang),
            "indicator": tr(indicator, lang),
            "question": tr(entry.get("text"), lang),
            "answer": tr(answer, lang) if answer else phrase("not_answered", lang),
            "points": num(entry.get("points", 0)),
            "max": num(entry.get("max", 0)),
        })
    return rows


def methodology(instrument, lang):
    """The instrument's weights and level rules, read from the instrument itself."""
    dims = []
    for dim in pick(instrument, "dimensions", default=[]):
        indicators = []
        for ind in pick(dim, "indicators", default=[]):
            items = pick(ind, "items", default=[])
            points = sum(pick(i, "points", default=0) or 0 for i in items)
            indicators.append({"id": pick(ind, "id"), "title": tr(pick(ind, "title"), lang),
                               "max": num(pick(ind, "max", "points", default=points)),
                               "questions": len(items)})
        dims.append({"id": pick(dim, "id"), "title": tr(pick(dim, "title"), lang),
                     "max": num(pick(dim, "max", "points",
                                      default=sum(i["max"] or 0 for i in indicators))),
                     "indicators": indicators})
    levels = [{"rank": pick(lv, "rank"), "name": tr(pick(lv, "name", "title"), lang),
               "meaning": tr(pick(lv, "meaning", "description"), lang),
               "rules": [condition_text(c, instrument, lang) for c in pick(lv, "conditions", default=()) or ()]}
              for lv in pick(instrument, "levels", default=[])]
    scenarios = pick(instrument, "scenarios", default=[])
    return {"dimensions": dims, "levels": levels, "scenario_count": len(scenarios),
            "total_method": pick(instrument, "total_method", default="sum"),
            "max_total": num(pick(instrument, "max_total", default=sum(d["max"] or 0 for d in dims))),
            "scenario_levels": [tr(t, lang) for t in pick(instrument, "scenario_levels", default=())],
            "mandatory_count": sum(1 for s in scenarios if pick(s, "mandatory", default=False))}


def history_rows(history, result, lang):
    """Earlier assessments, oldest first, each with its change since the one before it;
    the last row is followed by the change of this result since it. Totals of two versions of
    an instrument measure different things: no change is given between them."""
    rows, previous, previous_version = [], None, None
    for entry in sorted(history, key=lambda e: _day(pick(e, "date", "submitted_at"))):
        total = pick(entry, "total", default=0)
        level = pick(entry, "level")
        version = pick(entry, "version")
        rows.append({
            "id": pick(entry, "id"),
            "date": _day(pick(entry, "date", "submitted_at")),
            "instrument": pick(entry, "instrument"),
            "version": version,
            "level": level_info(level, lang)["name"]
            if level is None or (isinstance(level, dict) and "name" in level) else tr(level, lang),
            "total": num(total),
            "change": None if previous is None or not _comparable(previous_version, version)
            else num(total - previous),
        })
        previous, previous_version = total, version
    return {"rows": rows,
            "change_since_last": None if previous is None
            or not _comparable(previous_version, result.get("version"))
            else num((result.get("total") or 0) - previous)}


def _comparable(version, other):
    """Whether two results' totals compare (unknown versions are taken to)."""
    return version is None or other is None or version == other
