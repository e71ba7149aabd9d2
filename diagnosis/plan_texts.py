"""Plain-language texts of a plan, in both languages: gaps, why a module, the CIO advice."""
from diagnosis.texts import answer_text, condition_text


def _level_name(inst, rank):
    lv = inst.level(rank)
    return lv.name if lv else {"zh": str(rank), "en": str(rank)}


def gaps(inst, result, next_rank, target_rank):
    """Per item and scenario: what is missing, and what the next and the target level ask for."""
    items = []
    for entry in result.items:
        if entry["kind"] == "scenario" or entry["state"] in ("not_applicable", "hidden"):
            continue
        missing = round(entry["max"] - entry["points"], 4)
        if missing > 0:
            items.append({"id": entry["id"], "text": entry["text"], "points": entry["points"],
                          "max": entry["max"], "gap": missing, "answer_text": entry["answer_text"]})
    items.sort(key=lambda e: -e["gap"])
    scenarios = []
    needed_next = _scenario_levels_needed(inst, next_rank)
    needed_target = _scenario_levels_needed(inst, target_rank)
    for s in inst.scenarios:
        if s.id not in result.scenarios:
            continue
        level = result.scenarios[s.id]
        nxt = needed_next.get(s.mandatory, 0)
        tgt = needed_target.get(s.mandatory, 0)
        if level < max(nxt, tgt):
            scenarios.append({"id": s.id, "text": s.text, "mandatory": s.mandatory, "level": level,
                              "next_level_needs": nxt, "target_needs": tgt})
    return {"items": items, "scenarios": scenarios,
            "next_level": _level_conditions(inst, result, next_rank),
            "target": _level_conditions(inst, result, target_rank)}


def _scenario_levels_needed(inst, rank):
    """Scenario level the conditions of `rank` count, for mandatory (True) and other scenarios."""
    out = {}
    lv = inst.level(rank)
    for c in (lv.conditions if lv else ()):
        if c.kind == "scenarios_at_least":
            for mandatory in (True, False):
                if mandatory or not c.mandatory_only:
                    out[mandatory] = max(out.get(mandatory, 0), c.level)
    return out


def _level_conditions(inst, result, rank):
    for check in result.level_checks:
        if check["rank"] == rank:
            return {"rank": rank, "name": _level_name(inst, rank), "conditions": check["conditions"]}
    return None


def module_why(inst, module, base_answers, changed, base_total, total_after, quick_win, target_conds):
    """Why this module: what it changes, what that earns, which level condition it helps."""
    zh, en = [], []
    for qid, new in changed.items():
        q = inst.question(qid)
        old = base_answers.get(qid)
        if q.kind == "scenario":
            zh.append(f"「{q.text['zh']}」场景从 {old or 0} 级提升到 {new} 级")
            en.append(f"raises {q.text['en']} from level {old or 0} to level {new}")
        else:
            if q.kind == "multiple":  # name only the options the module adds
                new = [o for o in new if o not in (old if isinstance(old, list) else [])]
            new_t = answer_text(q, new, inst.scenario_levels) or {"zh": "", "en": ""}
            verb_zh, verb_en = ("新增", "adds") if q.kind == "multiple" else ("达到", "brings it to")
            zh.append(f"「{q.text['zh']}」{verb_zh}「{new_t['zh']}」")
            en.append(f"'{q.text['en']}': {verb_en} '{new_t['en']}'")
    gain = round(total_after - base_total, 2)
    if gain > 0:
        zh.append(f"总分增加 {gain:g} 分")
        en.append(f"adds {gain:g} points to the total")
    for c in target_conds:
        zh.append("有助于满足目标等级条件：" + condition_text(c)["zh"])
        en.append("helps meet the target level's condition: " + condition_text(c)["en"])
    if module.public:
        zh.append("由公共服务平台免费提供")
        en.append("offered free by a public service platform")
    if quick_win:
        zh.append(f"见效快：约 {module.weeks} 周")
        en.append(f"a quick win: about {module.weeks} week{'' if module.weeks == 1 else 's'}")
    sentence = "; ".join(en) + "."
    return {"zh": "；".join(zh) + "。", "en": sentence[:1].upper() + sentence[1:]}


def cio_recommendation(profile, cio_modules):
    """Art. 41: advise a CIO (or equivalent) when nobody is responsible for digitalisation."""
    if (profile or {}).get("has_cio") is not False:
        return None
    return {
        "text": {
            "zh": "贵企业尚无人负责数字化工作。《烟台市数字经济促进条例》第四十一条鼓励企业建立首席信息官"
                  "（CIO）制度：请指定一位负责人统筹数字化规划、投入和实施。",
            "en": "Nobody in your enterprise is responsible for digitalisation yet. Article 41 of the city's "
                  "Digital Economy Promotion Regulation encourages a chief information officer (CIO): name one "
                  "person to own the digital plan, budget and delivery.",
        },
        "modules": list(cio_modules),
    }
