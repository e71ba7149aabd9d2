"""Helpers for the core tests: answer builders and a small valid instrument to break."""
import yaml

from diagnosis import parse_instrument

MANUFACTURING = {"industry": "C36", "industry_group": "manufacturing", "employees": 120}
SERVICES = {"industry": "I65", "employees": 45}


def extreme_answers(inst, best, skip=()):
    """Every question at its best (or worst) answer; `skip` leaves ids out (e.g. hidden ones)."""
    out = {}
    for q in inst.questions:
        if q.id in skip:
            continue
        if q.kind == "single":
            out[q.id] = (max if best else min)(q.options, key=lambda o: o.share).id
        elif q.kind == "multiple":
            out[q.id] = [o.id for o in q.options if o.exclusive != best][: None if best else 1]
        elif q.kind == "rate":
            out[q.id] = {"numerator": 50 if best else 0, "denominator": 50}
        elif q.kind in ("scale", "scenario"):
            out[q.id] = q.max if best else q.min
    return out


# A small, valid instrument; tests copy it, break one thing and check the message.
SMALL = {
    "id": "small", "version": "1.0.0",
    "title": {"zh": "小测", "en": "Small"},
    "total": {"points": 10},
    "scenario_levels": [{"zh": f"{n}级", "en": f"level {n}"} for n in range(5)],
    "scenario_groups": [{"id": "g", "title": {"zh": "组", "en": "Group"}}],
    "dimensions": [{
        "id": "d1", "title": {"zh": "维度", "en": "Dimension"}, "points": 10,
        "indicators": [{
            "id": "i1", "title": {"zh": "指标", "en": "Indicator"}, "points": 10,
            "items": [
                {"id": "a", "kind": "single", "points": 4, "text": {"zh": "甲", "en": "A"},
                 "help": {"zh": "帮助", "en": "Help"}, "evidence": {"zh": "证据", "en": "Evidence"},
                 "options": [{"id": "no", "share": 0, "text": {"zh": "否", "en": "No"}},
                             {"id": "some", "share": 0.5, "text": {"zh": "部分", "en": "Some"}},
                             {"id": "yes", "share": 1, "text": {"zh": "是", "en": "Yes"}}],
                 "rubric": {"some": {"zh": "部分的证据", "en": "Proof of some"},
                            "yes": {"zh": "是的证据", "en": "Proof of yes"}}},
                {"id": "b", "kind": "multiple", "points": 3, "text": {"zh": "乙", "en": "B"},
                 "help": {"zh": "帮助", "en": "Help"}, "evidence": {"zh": "证据", "en": "Evidence"},
                 "show_if": {"answer": {"a": ["some", "yes"]}},
                 "options": [{"id": "x", "text": {"zh": "x", "en": "x"}},
                             {"id": "y", "text": {"zh": "y", "en": "y"}},
                             {"id": "none", "exclusive": True, "text": {"zh": "无", "en": "None"}}],
                 "rubric": {"x": {"zh": "x 的证据", "en": "Proof of x"}, "y": {"zh": "y 的证据", "en": "Proof of y"}}},
                {"id": "c", "kind": "rate", "points": 3, "text": {"zh": "丙", "en": "C"},
                 "help": {"zh": "帮助", "en": "Help"}, "evidence": {"zh": "证据", "en": "Evidence"},
                 "show_if": {"profile": {"industry_group": ["manufacturing"]}},
                 "numerator": {"label": {"zh": "分子", "en": "Part"}, "unit": {"zh": "台", "en": "units"}},
                 "denominator": {"label": {"zh": "分母", "en": "All"}, "unit": {"zh": "台", "en": "units"}},
                 "max": 1000,
                 "bands": [{"min": 0, "share": 0}, {"min": 0.5, "share": 0.5}, {"min": 0.9, "share": 1}],
                 "rubric": {"numerator": {"zh": "分子的证据", "en": "Proof of the part"},
                            "denominator": {"zh": "分母的证据", "en": "Proof of the whole"}}},
            ]}]}],
    "scenarios": [
        {"id": "s1", "group": "g", "mandatory": True, "title": {"zh": "场景一", "en": "S1"},
         "help": {"zh": "帮助", "en": "Help"}, "evidence": {"zh": "证据", "en": "Evidence"},
         "levels": {n: {"text": {"zh": f"场景一 {n} 级", "en": f"S1 at level {n}"},
                        "evidence": {"zh": f"场景一 {n} 级的证据", "en": f"Proof of S1 at level {n}"}}
                    for n in (1, 2, 3, 4)}},
        {"id": "s2", "group": "g", "mandatory": False, "title": {"zh": "场景二", "en": "S2"},
         "help": {"zh": "帮助", "en": "Help"}, "evidence": {"zh": "证据", "en": "Evidence"},
         "levels": {n: {"text": {"zh": f"场景二 {n} 级", "en": f"S2 at level {n}"},
                        "evidence": {"zh": f"场景二 {n} 级的证据", "en": f"Proof of S2 at level {n}"}}
                    for n in (1, 2, 3, 4)}},
    ],
    "levels": [
        {"id": "low", "rank": 1, "name": {"zh": "低", "en": "Low"}, "meaning": {"zh": "低", "en": "Low"}},
        {"id": "high", "rank": 2, "name": {"zh": "高", "en": "High"}, "meaning": {"zh": "高", "en": "High"},
         "conditions": [{"total_at_least": 6},
                        {"scenarios_at_least": {"level": 2, "count": 1, "mandatory_only": True}}]},
    ],
}


def build(data, file="small.yaml"):
    return parse_instrument(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), file)
