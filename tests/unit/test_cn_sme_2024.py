"""cn-sme-2024 2.0.0, the 2024 index item by item: hand-worked results, level boundaries, bands.

Points used below (questionnaires/cn-sme-2024.yaml): network 2 per measure; each device rate
0 / 1.5 / 3 / 4.5 / 6; data collection 10/14 per area; systems 0 / 2.5 / 5 / 7.5 / 10; each
security measure 1.25; awareness 1.5 a step; each management rule 1.875; each talent measure
1.5; spend 0 / 1.875 / 3.75 / 5.625 / 7.5; energy and pass rate 0 / 3.5 / 7; revenue per
employee and cost 0 / 1.5 / 3.
"""
import json
from pathlib import Path

import pytest

from diagnosis import score
from diagnosis.explain import item_steps

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cn-sme-2024"
MANDATORY = ["product_design", "marketing", "production_control", "quality", "equipment_management",
             "safety", "energy_management", "procurement", "warehousing_logistics", "finance"]
GUIDANCE = ["process_design", "after_sales", "planning_scheduling", "human_resources", "collaboration",
            "decision_support"]
ALL_AREAS = ["product_design", "process_design", "marketing", "after_sales", "planning_scheduling",
             "production_control", "quality", "equipment_management", "safety", "energy_management",
             "procurement", "warehousing_logistics", "finance", "human_resources"]


def example(name):
    return json.loads((EXAMPLES / f"{name}.json").read_text(encoding="utf-8"))


def scenarios(mandatory=0, guidance=0, level=1):
    """The first `mandatory` mandatory and `guidance` guidance scenarios at `level`, others 0."""
    out = {s: 0 for s in MANDATORY + GUIDANCE}
    out.update({s: level for s in MANDATORY[:mandatory] + GUIDANCE[:guidance]})
    return out


def answers(points, scen):
    """The worst answers with the items named in `points` (id -> answer) replaced."""
    return example("worst") | points | scen


# Item sets worth exactly 20, 40, 60 and 80 points (sums in the comments).
P20 = {"energy_per_revenue": "better", "product_pass_rate": "better",                        # 7 + 7
       "digital_talent": ["staff", "department", "training", "performance_pay"]}             # + 6
P19 = {"energy_per_revenue": "better", "product_pass_rate": "better",                        # 7 + 7
       "data_security": ["rules", "products", "risk_assessment", "data_ledger"]}             # + 5
P40 = {"system_coverage": "full", "energy_per_revenue": "better", "product_pass_rate": "better",  # 10 + 7 + 7
       "network": ["control_network", "system_network", "network_5g", "full_coverage"],        # + 8
       "network_security": ["rules", "products", "risk_assessment", "boundary_detection"],      # + 5
       "revenue_per_employee": "better"}                                                        # + 3
P60 = P40 | {"data_security": ["rules", "products", "risk_assessment", "data_ledger"],          # + 5
             "digital_awareness": "leading",                                                    # + 7.5
             "management_rules": ["implementation_process", "system_operations", "data_resources",
                                  "innovation_incentives"]}                                     # + 7.5
P80 = P60 | {"data_collection_areas": ALL_AREAS[:7],                                            # + 5
             "digital_talent": ["staff", "department", "training", "performance_pay", "development"],  # + 7.5
             "equipment_digital_rate": {"numerator": 50, "denominator": 80},                   # + 6
             "cost_per_revenue": "same"}                                                        # + 1.5


def test_item_sets_are_worth_what_the_tests_say(cn):
    for points, total in ((P19, 19), (P20, 20), (P40, 40), (P60, 60), (P80, 80)):
        assert score(cn, answers(points, scenarios()), {}).total == total


def test_mixed_example_worked_out_by_hand(cn):
    # 基础: network 2 measures 4; digitalised 30/50 = 60 % (40,60] 4.5; networked 15/50 = 30 % (20,40] 3;
    #   4 areas × 10/14 = 2.857143; systems two_or_more 5; network security 1 measure 1.25, data 1.25
    #   → 21.857143
    # 管理: awareness started 4.5; rules 1 × 1.875; talent 2 × 1.5 = 3; spend 40/5000 = 0.8 % [0,10 %] 0 → 9.375
    # 成效: energy same 3.5 + pass rate better 7 + revenue same 1.5 + cost worse 0 = 12
    # total 43.232143; scenarios at ≥ 2: 9, of them mandatory 6 → 二级; at ≥ 3: marketing, finance only.
    r = score(cn, example("mixed"), {"industry": "C36"})
    assert r.dimensions["foundation"]["score"] == pytest.approx(21.857143)
    assert r.dimensions["foundation"]["indicators"]["equipment"]["score"] == pytest.approx(11.5)
    assert r.dimensions["management"]["score"] == pytest.approx(9.375)
    assert r.dimensions["outcomes"]["score"] == pytest.approx(12)
    assert r.total == 43.232143
    assert r.level["id"] == "level2"
    level2 = next(c for c in r.level_checks if c["level"] == "level2")
    assert [(c["actual"], c["passed"]) for c in level2["conditions"]] == [(43.2321, True), (9, True), (6, True)]
    level3 = next(c for c in r.level_checks if c["level"] == "level3")
    assert [c["actual"] for c in level3["conditions"]] == [43.2321, 2, 2]


def test_services_firm_answers_the_same_form_and_nothing_is_renormalised(cn):
    # A software firm (I65): every question asked, maxima unchanged.
    # 基础 4 + 6 + 6 + 5 × 10/14 + 7.5 + 2.5 + 3.75 = 33.321429; 管理 6 + 3.75 + 4.5 + 1.875 (12.5 %) = 16.125;
    # 成效 3.5 + 7 + 3 + 1.5 = 15 → 64.446429, but only 6 scenarios at ≥ 3 (三级 needs 8) → 二级.
    r = score(cn, example("services"), {"industry": "I65"})
    assert {k: d["max"] for k, d in r.dimensions.items()} == {"foundation": 50, "management": 30, "outcomes": 20}
    assert all(i["state"] == "answered" for i in r.items)
    assert r.total == 64.446429
    assert r.level["id"] == "level2"
    assert score(cn, example("services"), {"industry": "C36"}).to_dict()["total"] == r.total


def test_best_and_worst(cn):
    best, worst = score(cn, example("best"), {}), score(cn, example("worst"), {})
    assert (best.total, best.level["id"], best.next_level["reached_top"]) == (100, "level4", True)
    assert (worst.total, worst.level["rank"]) == (0, 0)


def test_below_level_1_is_its_own_level_with_a_way_to_level_1(cn):
    r = score(cn, example("worst"), {})
    assert r.level == {"id": "none", "rank": 0, "name": {"zh": "未达到一级", "en": "Below level 1"},
                       "meaning": cn.level(0).meaning}
    nxt = r.next_level
    assert nxt["level"]["id"] == "level1"
    assert [(f["kind"], f["required"], f["actual"]) for f in nxt["failing"]] == [
        ("total_at_least", 20, 0), ("scenarios_at_least", 6, 0), ("scenarios_at_least", 3, 0)]
    after = dict(example("worst"))
    for step in nxt["improvements"]:
        after[step["id"]] = step["to"]
    assert nxt["reachable"] and score(cn, after, {}).level["id"] == "level1"


def test_a_total_below_20_is_not_level_1_whatever_the_scenarios(cn):
    # 1.0.0 gave 一级 to anyone; 14 points with every scenario at 1 is below level 1.
    r = score(cn, answers({"energy_per_revenue": "better", "product_pass_rate": "same",
                           "revenue_per_employee": "same", "cost_per_revenue": "worse",
                           "network": ["system_network"]}, scenarios(10, 6)), {})
    assert r.total == 14 and r.level["id"] == "none"


@pytest.mark.parametrize("points, scen, level", [
    (P20, scenarios(3, 3), "level1"),                 # exactly 20 points, 6 scenarios, 3 mandatory
    (P19, scenarios(3, 3), "none"),                   # 19 points: below on points
    (P20, scenarios(3, 2), "none"),                   # 5 scenarios at 1: below on the count
    (P20, scenarios(2, 4), "none"),                   # 6 scenarios, one mandatory short
    (P40, scenarios(3, 3, level=2), "level2"),        # exactly 40, 6 at 2, 3 mandatory
    (P40 | {"network_security": ["none"]}, scenarios(3, 3, level=2), "level1"),   # 35 points
    (P40, scenarios(3, 2, level=2) | {"collaboration": 1}, "level1"),             # 5 at 2
    (P40, scenarios(2, 4, level=2) | {"quality": 1}, "level1"),                   # 2 mandatory at 2
    (P60, scenarios(5, 3, level=3), "level3"),        # exactly 60, 8 at 3, 5 mandatory
    (P60 | {"revenue_per_employee": "same"}, scenarios(5, 3, level=3), "level2"),  # 58.5 points
    (P60, scenarios(5, 2, level=3) | {"collaboration": 2}, "level2"),              # 7 at 3
    (P60, scenarios(4, 4, level=3), "level2"),                                     # 4 mandatory at 3
    (P80, scenarios(6, 4, level=4), "level4"),        # exactly 80, 10 at 4, 6 mandatory
    (P80 | {"cost_per_revenue": "worse"}, scenarios(6, 4, level=4), "level3"),     # 78.5 points
    (P80, scenarios(6, 3, level=4) | {"collaboration": 3}, "level3"),              # 9 at 4
    (P80, scenarios(5, 5, level=4), "level3"),                                     # 5 mandatory at 4
])
def test_level_boundaries(cn, points, scen, level):
    assert score(cn, answers(points, scen), {}).level["id"] == level


def test_scenario_conditions_at_level_1_count_every_scenario_at_1_or_above(cn):
    r = score(cn, answers(P20, scenarios(3, 3, level=4)), {})
    level1 = next(c for c in r.level_checks if c["level"] == "level1")
    assert [c["actual"] for c in level1["conditions"]] == [20, 6, 3]


@pytest.mark.parametrize("numerator, points", [
    (0, 0), (5, 0),             # exactly 10 % stays in [0, 10 %]
    (6, 1.5), (10, 1.5),        # (10, 20 %]
    (11, 3), (20, 3),           # (20, 40 %]: 22 %, exactly 40 %
    (21, 4.5), (30, 4.5),       # (40, 60 %]: 42 %, exactly 60 %
    (31, 6), (50, 6),           # (60, 100 %]
])
def test_rate_band_ends(cn, numerator, points):
    r = score(cn, answers({"equipment_networked_rate": {"numerator": numerator, "denominator": 50}}, scenarios()), {})
    assert next(i for i in r.items if i["id"] == "equipment_networked_rate")["points"] == points


@pytest.mark.parametrize("rate, points", [
    ({"numerator": 0.3, "denominator": 3}, 0),          # 0.3 / 3 is 0.09999… in floating point: still 10 %
    ({"numerator": 60.3, "denominator": 301.5}, 1.875),   # exactly 20 %
    ({"numerator": 120.6, "denominator": 301.5}, 3.75),   # exactly 40 %
    ({"numerator": 180.9, "denominator": 301.5}, 5.625),  # exactly 60 %
    ({"numerator": 181, "denominator": 301.5}, 7.5),
])
def test_spend_band_ends_with_decimal_figures(cn, rate, points):
    r = score(cn, answers({"digital_spend_rate": rate}, scenarios()), {})
    assert next(i for i in r.items if i["id"] == "digital_spend_rate")["points"] == points


def test_next_step_of_an_open_band_names_a_count_inside_it(cn):
    # 5 of 50 networked (exactly 10 %) earns 0; the next band starts above 10 %: 6 of 50, not 5.
    q = cn.question("equipment_networked_rate")
    steps = item_steps(q, {"numerator": 5, "denominator": 50}, 0.0)
    assert [s[1]["numerator"] for s in steps] == [6, 11, 21, 31]


def test_data_collection_areas_are_the_scenarios(cn):
    q = cn.question("data_collection_areas")
    assert [o.id for o in q.options if not o.exclusive] == ALL_AREAS
    assert set(ALL_AREAS) == {s.id for s in cn.scenarios} - {"collaboration", "decision_support"}


def test_every_scenario_describes_its_own_four_levels(cn):
    texts = set()
    for s in cn.scenarios:
        assert len(s.levels) == 4
        for lv in s.levels:
            assert lv.text["zh"] and lv.text["en"] and lv.evidence["zh"] and lv.evidence["en"]
            texts.add(lv.text["zh"])
    assert len(texts) == 64  # no generic scale copied across scenarios
