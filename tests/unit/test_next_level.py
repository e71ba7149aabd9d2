"""Explanations: level checks, and the fewest improvements that reach the next level."""
import json
from pathlib import Path

import pytest

from diagnosis import score
from tests.unit.builders import MANUFACTURING, build, extreme_answers

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
V1 = Path(__file__).resolve().parents[2] / "tests" / "data" / "v1"


def load(name):
    return json.loads((EXAMPLES / name).read_text(encoding="utf-8"))


def apply(answers, improvements):
    out = dict(answers)
    for imp in improvements:
        out[imp["id"]] = imp["to"]
    return out


def test_mixed_case_next_level_lists_failing_conditions_and_the_fewest_changes(cn):
    # 43.232143 → level 3 needs 60: +16.767857. Largest gains at the best answer: spend 0 → 7.5
    # (above 60 %: 3001 of 5000), all 14 data areas +7.142857 = 14.642857, then management rules
    # (+1.875 a rule): one more rule is 1.875 < 2.125 short, two are enough → 61.625.
    # Scenarios: 2 at ≥ 3 (both mandatory): 3 more mandatory (the first at level 2: product design,
    # production control, quality), then 3 more of any kind (procurement, mandatory, first; then
    # planning and HR, at level 2) = 6 changes.
    r = score(cn, load("cn-sme-2024/mixed.json"), MANUFACTURING)
    nxt = r.next_level
    assert nxt["level"]["id"] == "level3" and nxt["reached_top"] is False
    assert [(f["kind"], f["required"], f["actual"]) for f in nxt["failing"]] == [
        ("total_at_least", 60, 43.2321), ("scenarios_at_least", 8, 2), ("scenarios_at_least", 5, 2)]
    items = [i for i in nxt["improvements"] if i["kind"] != "scenario"]
    assert [(i["id"], i["to"], i["gain"]) for i in items] == [
        ("digital_spend_rate", {"numerator": 3001, "denominator": 5000}, 7.5),
        ("data_collection_areas", ["marketing", "production_control", "procurement", "finance", "product_design",
                                   "process_design", "after_sales", "planning_scheduling", "quality",
                                   "equipment_management", "safety", "energy_management", "warehousing_logistics",
                                   "human_resources"], 7.1429),
        ("management_rules", ["system_operations", "implementation_process", "data_resources"], 3.75)]
    scenarios = [(i["id"], i["from"], i["to"]) for i in nxt["improvements"] if i["kind"] == "scenario"]
    assert scenarios == [("product_design", 2, 3), ("production_control", 2, 3), ("quality", 2, 3),
                         ("procurement", 2, 3), ("planning_scheduling", 2, 3), ("human_resources", 2, 3)]
    assert nxt["reachable"] is True and nxt["total_after"] == pytest.approx(61.625)


def test_applying_the_improvements_reaches_the_next_level(cn):
    answers = load("cn-sme-2024/mixed.json")
    r = score(cn, answers, MANUFACTURING)
    after = score(cn, apply(answers, r.next_level["improvements"]), MANUFACTURING)
    assert after.level["rank"] == r.level["rank"] + 1
    assert after.total == pytest.approx(r.next_level["total_after"])


def test_services_improvements_use_renormalised_gains(cn_v1):
    # 1.0.0 (kept for its results): for a services firm 数字化基础 scales by 50/38, so systems
    # two_or_more → full is +5×50/38
    answers = json.loads((V1 / "services.json").read_text(encoding="utf-8"))
    r = score(cn_v1, answers, {"industry": "I65"})
    gains = {i["id"]: i["gain"] for i in r.next_level["improvements"] if i["kind"] != "scenario"}
    assert gains["system_coverage"] == pytest.approx(5 * 50 / 38, abs=1e-4)
    after = score(cn_v1, apply(answers, r.next_level["improvements"]), {"industry": "I65"})
    assert after.level["rank"] == 3


def test_one_gap_needs_only_the_cheapest_sufficient_step(small_data):
    # small: a 4 + b 3 (shown after a ≥ some) + c 3; level "high" needs 6 points and s1 ≥ 2.
    # a some (2) + b [x] (1.5) + c 90 % (3) = 6.5 → high already; with c at 50 % (1.5): 5 → need +1.
    # Best gains: a some→yes +2, b +1.5, c 50 %→90 % +1.5: one change (a) is enough, and a's only better
    # option is yes. The scenario condition already holds.
    inst = build(small_data)
    answers = {"a": "some", "b": ["x"], "c": {"numerator": 5, "denominator": 10}, "s1": 2, "s2": 0}
    r = score(inst, answers, {"industry_group": "manufacturing"})
    assert r.level["id"] == "low"
    assert [(i["id"], i["to"], i["gain"]) for i in r.next_level["improvements"]] == [("a", "yes", 2.0)]


def test_rate_improvement_names_a_numerator_that_reaches_the_band(small_data):
    small_data["dimensions"][0]["indicators"][0]["items"][0]["points"] = 1
    small_data["dimensions"][0]["indicators"][0]["items"][1]["points"] = 1
    small_data["dimensions"][0]["indicators"][0]["items"][2]["points"] = 8
    small_data["levels"][1]["conditions"][0]["total_at_least"] = 5
    inst = build(small_data)
    # a yes 1 + b both 1 + c 3/10 → band 0 → 0: total 2; need 5 → c to the 50 % band (+4) → 6
    answers = {"a": "yes", "b": ["x", "y"], "c": {"numerator": 3, "denominator": 10}, "s1": 4, "s2": 4}
    r = score(inst, answers, {"industry_group": "manufacturing"})
    assert [(i["id"], i["to"]) for i in r.next_level["improvements"]] == [("c", {"numerator": 5, "denominator": 10})]
    assert r.next_level["improvements"][0]["to_text"]["en"] == "5 / 10 units = 50.0%"


def test_unreachable_scenario_condition_is_said(small_data):
    small_data["scenarios"][0]["show_if"] = {"profile": {"industry_group": ["manufacturing"]}}
    inst = build(small_data)
    answers = {"a": "yes", "b": ["x", "y"], "s2": 4}
    r = score(inst, answers, {"industry_group": "services"})
    assert r.next_level["reachable"] is False
    assert r.next_level["unreachable"] == [{"zh": "至少 1 个约束性场景达到 2 级及以上",
                                            "en": "at least 1 mandatory scenario at level 2 or above"}]


def test_level_checks_cover_every_level(cn):
    r = score(cn, extreme_answers(cn, best=True), MANUFACTURING)
    assert [c["level"] for c in r.level_checks] == ["none", "level1", "level2", "level3", "level4"]
    assert all(c["passed"] and c["reached"] for c in r.level_checks)
    assert r.level_checks[0]["conditions"] == []
    top = r.level_checks[4]["conditions"]
    assert [(c["required"], c["actual"]) for c in top] == [(80, 100), (10, 16), (6, 10)]
    assert top[2]["text"]["zh"] == "至少 6 个约束性场景达到 4 级及以上"


def test_profile_condition_on_a_level_rule(small_data):
    # services get their own count: the mandatory-scenario condition applies to manufacturing only
    small_data["levels"][1]["conditions"][1]["show_if"] = {"profile": {"industry_group": ["manufacturing"]}}
    inst = build(small_data)
    answers = {"a": "yes", "b": ["x", "y"], "s1": 0, "s2": 0}
    assert score(inst, answers, {"industry_group": "services"}).level["id"] == "high"
    answers["c"] = {"numerator": 1, "denominator": 1}
    r = score(inst, answers, {"industry_group": "manufacturing"})
    assert r.level["id"] == "low"
    assert r.level_checks[1]["conditions"][1]["applies"] is True


def test_result_dict_is_json_safe_and_complete(cn):
    d = score(cn, load("cn-sme-2024/mixed.json"), MANUFACTURING).to_dict()
    again = json.loads(json.dumps(d, ensure_ascii=False))
    assert again == d
    for key in ("instrument", "version", "indicative", "total", "max_total", "level", "dimensions",
                "scenarios", "items", "level_checks", "next_level"):
        assert key in d
    assert d["level"] == {"id": "level2", "rank": 2, "name": {"zh": "二级", "en": "Level 2"},
                          "meaning": {"zh": "规范：主要业务用信息系统规范管理",
                                      "en": "Standardised: the main business runs on information systems"}}
    assert d["version"] == "2.0.0"
    assert d["scenarios"]["marketing"] == 3


def test_eu_band_above_50_needs_one_change(eu):
    # 45.2 → above 50 needs > 4.8: one green practice adds 25/6 ≈ 4.17 (not enough), two add 8.33;
    # every other single change adds less than 8.33, so the fewest changes is one: green, two practices.
    answers = load("eu-dma/mixed.json")
    r = score(eu, answers)
    imps = r.next_level["improvements"]
    assert [(i["id"], len(i["to"]), i["gain"]) for i in imps] == [("green_practices", 4, 8.3333)]
    after = score(eu, apply(answers, imps))
    assert after.level["id"] == "moderately_advanced" and after.total > 50
