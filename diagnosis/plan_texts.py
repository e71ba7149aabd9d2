"""Plain-language texts of a plan, in both languages: gaps, why a module, the CIO advice."""
from diagnosis.scoring import compile_instrument
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
    rule = compile_instrument(inst).rule
    needed_next = rule.scenario_levels_needed(next_rank)
    needed_target = rule.scenario_levels_needed(target_rank)
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


def _level_conditions(inst, result, rank):
    for check in result.level_checks:
        if check["rank"] == rank:
            return {"rank": rank, "name": _level_name(inst, rank), "conditions": check["conditions"]}
    return None


def module_why(inst, module, base_answers, changed, base_total, total_after, quick_win, moved):
    """Why this module: what it changes, what that earns, which level conditions it moves."""
    zh, en = [], []
    for qid, new in changed.items():
        if any(qid in move.get("scenarios", ()) for move in moved):
            continue  # the condition it moves names the scenario already
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
    if gain > 0 and not any(move["kind"] != "scenarios_at_least" for move in moved):  # else a move says it
        zh.append(f"总分增加 {gain:g} 分")
        en.append(f"adds {gain:g} points to the total")
    for move in moved:
        zh.append(move["text"]["zh"])
        en.append(move["text"]["en"])
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


def _fmt(kind, x):
    return f"{x:.2f}" if kind != "scenarios_at_least" else f"{int(x)}"


def condition_states(inst, rule, conds, ev):
    """The target's conditions after an evaluation: required, actual, met, shortfall, text."""
    out = []
    for k in conds:
        li, c = rule.conditions[k]
        need, actual = rule.threshold(k), float(ev["cond_actual"][0, k])
        met = bool(ev["cond_passed"][0, k])
        out.append({"kind": c.kind, "level": dict(inst.levels[li].name), "text": condition_text(c),
                    "required": c.count if c.kind == "scenarios_at_least" else c.value,
                    "actual": int(actual) if c.kind == "scenarios_at_least" else round(actual, 4), "met": met,
                    "shortfall": 0.0 if met else round(max(0.0, (need - actual) / need), 6)})
    return out


def moves(inst, rule, conds, before, after):
    """The conditions a module moves that do not hold yet, in words ("产品设计 2→3: scenarios at
    level 3 or above: 7 → 8 of the 8 that 三级 needs"). `before`, `after`: (condition actual
    values, scenario levels) without and with the module."""
    out = []
    for k in conds:
        li, c = rule.conditions[k]
        a0, a1 = float(before[0][k]), float(after[0][k])
        need = rule.threshold(k)
        if a0 >= need - 1e-9 or a1 <= a0 + 1e-9:
            continue
        name = inst.levels[li].name
        if c.kind == "scenarios_at_least":
            raised = [s for j, s in enumerate(inst.scenarios) if rule.pools[k][j]
                      and before[1][j] < c.level <= after[1][j]]
            lead_zh = "，".join(f"{s.text['zh']} {max(0, before[1][j])}→{after[1][j]}" for j, s in
                               enumerate(inst.scenarios) if s in raised)
            lead_en = ", ".join(f"{s.text['en']} {max(0, before[1][j])}→{after[1][j]}" for j, s in
                                enumerate(inst.scenarios) if s in raised)
            kind_zh = "约束性场景" if c.mandatory_only else "场景"
            kind_en = "mandatory scenarios" if c.mandatory_only else "scenarios"
            text = {"zh": f"{lead_zh}：达到 {c.level} 级及以上的{kind_zh} {int(a0)} → {int(a1)} 个，"
                          f"{name['zh']}需要 {c.count} 个",
                    "en": f"{lead_en}: {kind_en} at level {c.level} or above: {int(a0)} → {int(a1)} of the "
                          f"{c.count} that {name['en']} needs"}
            scen = [s.id for s in raised]
        else:
            text = {"zh": f"总分 {a0:.2f} → {a1:.2f}，{name['zh']}需要 {c.value:g} 分",
                    "en": f"points: {a0:.2f} → {a1:.2f} of the {c.value:g} that {name['en']} needs"}
            scen = []
        out.append({"kind": c.kind, "before": _fmt(c.kind, a0), "after": _fmt(c.kind, a1),
                    "required": c.count if c.kind == "scenarios_at_least" else c.value,
                    "scenarios": scen, "text": text})
    return out


def phase_summary(inst, target, states, start=False):
    """Which of the target's conditions hold, in plain words (before the plan or after a phase)."""
    name = inst.level(target).name
    held = sum(1 for s in states if s["met"])
    missing = [s for s in states if not s["met"]]
    zh = f"{'目前' if start else '本阶段后'}：{name['zh']}的 {len(states)} 个条件满足 {held} 个"
    en = f"{'Now' if start else 'After this phase'}: {held} of the {len(states)} conditions of {name['en']} hold"
    if missing:
        zh += "；尚未满足：" + "；".join(f"{s['text']['zh']}（现为 {_fmt(s['kind'], s['actual'])}）" for s in missing)
        en += "; not yet: " + "; ".join(f"{s['text']['en']} (now {_fmt(s['kind'], s['actual'])})" for s in missing)
    return {"zh": zh + "。", "en": en + "."}


def zero_budget_text(free):
    """The one message for a budget of 0: what free public services can still do."""
    if not free:
        return {"zh": "预算为 0 时只能安排免费服务，而目录中没有能帮助贵企业达到目标的免费服务。请填写预算以查看方案。",
                "en": "With a budget of 0 only free services can be planned, and no free service in the catalogue "
                      "helps your enterprise towards the target. Enter a budget to see a plan."}
    names_zh = "、".join(m["name"]["zh"] for m in free)
    names_en = ", ".join(m["name"]["en"] for m in free)
    return {"zh": f"预算为 0 时只能安排免费服务。公共服务平台仍可免费提供：{names_zh}。填写预算可查看完整方案。",
            "en": f"With a budget of 0 only free services can be planned. Public service platforms still offer, "
                  f"free of charge: {names_en}. Enter a budget to see a full plan."}


def with_enables(why, enables):
    """The why of a planned module, saying which planned modules need it first."""
    if not enables:
        return why
    zh = "、".join(f"「{m['name']['zh']}」" for m in enables)
    en = ", ".join(f"'{m['name']['en']}'" for m in enables)
    return {"zh": f"{why['zh']}需先实施本模块，才能实施{zh}。",
            "en": f"{why['en']} Needed before {en}."}
