"""cn-sme-2024 1.0.0, kept for the results scored with it: hand-computed results, unchanged."""
import json
from pathlib import Path

import pytest

from diagnosis import score
from tests.unit.builders import MANUFACTURING, SERVICES, extreme_answers

EXAMPLES = Path(__file__).resolve().parents[2] / "tests" / "data" / "v1"
HIDDEN_FOR_SERVICES = ("equipment_digital_rate", "equipment_networked_rate", "process_design", "production_control")


def mixed():
    return json.loads((EXAMPLES / "mixed.json").read_text(encoding="utf-8"))


def test_all_best_answers_give_full_points_and_level_4(cn_v1):
    r = score(cn_v1, extreme_answers(cn_v1, best=True), MANUFACTURING)
    assert r.total == 100
    assert {k: v["score"] for k, v in r.dimensions.items()} == {"foundation": 50, "management": 30, "outcomes": 20}
    assert r.level["id"] == "level4" and r.level["name"]["zh"] == "四级"
    assert r.next_level["reached_top"] is True


def test_all_worst_answers_give_zero_and_level_1(cn_v1):
    r = score(cn_v1, extreme_answers(cn_v1, best=False), MANUFACTURING)
    assert r.total == 0
    assert all(d["score"] == 0 for d in r.dimensions.values())
    assert r.level["id"] == "level1"
    assert r.next_level["level"]["id"] == "level2"


def test_mixed_manufacturing_case_worked_out_by_hand(cn_v1):
    # 数字化基础: network partial 0.5×8 = 4; digitalised 30/50 = 60 % → band 0.6 pays 0.75×6 = 4.5;
    #   networked 15/50 = 30 % → band 0.2 pays 0.25×6 = 1.5; data areas 4 of 8 → 0.5×10 = 5;
    #   systems two_or_more 0.5×10 = 5; network security 0.5×5 = 2.5; data security 0.25×5 = 1.25
    #   → 4 + 4.5 + 1.5 + 5 + 5 + 2.5 + 1.25 = 23.75
    # 数字化管理: plan written 0.5×7.5 = 3.75; governance part-time 0.25×7.5 = 1.875;
    #   talent occasional 1.875; spend 40/5000 = 0.8 % → band 0.5 % pays 0.5×7.5 = 3.75 → 11.25
    # 数字化成效: energy same 3.5 + output better 7 + revenue/employee same 1.5 + cost worse 0 = 12
    # total 47; scenarios at ≥2: 9 (8 mandatory) → 二级; at ≥3 only marketing and finance.
    r = score(cn_v1, mixed(), MANUFACTURING)
    assert r.dimensions["foundation"]["score"] == pytest.approx(23.75)
    assert r.dimensions["foundation"]["indicators"]["equipment"]["score"] == pytest.approx(10.0)
    assert r.dimensions["management"]["score"] == pytest.approx(11.25)
    assert r.dimensions["outcomes"]["score"] == pytest.approx(12.0)
    assert r.total == pytest.approx(47.0)
    assert r.level["id"] == "level2"
    level2 = r.level_checks[1]
    assert [(c["actual"], c["passed"]) for c in level2["conditions"]] == [(47.0, True), (9, True), (8, True)]


def test_points_for_level_3_without_its_scenarios_stay_level_2(cn_v1):
    # Raise points to 60+: governance cio (+5.625), talent system (+5.625), systems full (+5) → 63.25;
    # scenarios unchanged: only 2 at ≥ level 3 (8 required, 5 of them mandatory).
    answers = mixed() | {"digital_governance": "cio", "digital_talent": "system", "system_coverage": "full"}
    r = score(cn_v1, answers, MANUFACTURING)
    assert r.total == pytest.approx(63.25)
    assert r.level["id"] == "level2"
    level3 = r.level_checks[2]
    assert [c["passed"] for c in level3["conditions"]] == [True, False, False]
    assert [c["actual"] for c in level3["conditions"]] == [63.25, 2, 2]
    assert r.next_level["level"]["id"] == "level3"
    assert all(i["kind"] == "scenario" for i in r.next_level["improvements"])


def test_services_sector_hides_manufacturing_items_and_renormalises(cn_v1):
    # Hidden: both device-rate items (12 of 设备系统's 20 points) and two production scenarios.
    # 数字化基础 keeps its 50: the 38 visible points scale by 50/38.
    # Earned there: network 4 + data 5 + systems 5 + security 2.5 + 1.25 = 17.75 → 17.75×50/38 = 23.355263
    answers = {k: v for k, v in mixed().items() if k not in HIDDEN_FOR_SERVICES}
    r = score(cn_v1, answers, SERVICES)
    assert r.profile["industry_group"] == "non_manufacturing"
    assert r.dimensions["foundation"]["max"] == 50
    assert r.dimensions["foundation"]["score"] == pytest.approx(17.75 * 50 / 38, abs=1e-6)
    assert r.dimensions["foundation"]["indicators"]["equipment"]["max"] == pytest.approx(8 * 50 / 38, abs=1e-6)
    hidden = {i["id"]: i for i in r.items if i["id"] in HIDDEN_FOR_SERVICES}
    assert {i["state"] for i in hidden.values()} == {"not_applicable"}
    assert all(i["points"] == 0 and i["max"] == 0 for i in hidden.values())
    assert "process_design" not in r.scenarios and "production_control" not in r.scenarios
    assert r.total == pytest.approx(17.75 * 50 / 38 + 11.25 + 12, abs=1e-6)


def test_not_applicable_answer_is_renormalised_within_its_dimension(cn_v1):
    # energy n/a: 成效 earns output 7 + revenue/employee 1.5 + cost 0 = 8.5 of 13 → 8.5×20/13
    r = score(cn_v1, mixed() | {"energy_per_revenue": "n/a"}, MANUFACTURING)
    assert r.dimensions["outcomes"]["score"] == pytest.approx(8.5 * 20 / 13, abs=1e-6)
    assert r.dimensions["outcomes"]["max"] == 20
    energy = next(i for i in r.items if i["id"] == "energy_per_revenue")
    assert energy["state"] == "not_applicable" and energy["answer_text"]["en"] == "not applicable"


def test_industry_group_is_derived_from_the_industry_letter_and_defaults_to_manufacturing(cn_v1):
    answers = mixed()
    assert score(cn_v1, answers, {"industry": "C13"}).profile["industry_group"] == "manufacturing"
    assert score(cn_v1, answers, None).profile["industry_group"] == "manufacturing"
    assert score(cn_v1, answers, {}).total == pytest.approx(47.0)


def test_item_explanation_names_the_answer_and_points(cn_v1):
    r = score(cn_v1, mixed(), MANUFACTURING)
    rate = next(i for i in r.items if i["id"] == "equipment_digital_rate")
    assert rate["points"] == pytest.approx(4.5) and rate["max"] == 6
    assert rate["rate"] == pytest.approx(0.6)
    assert rate["answer_text"]["en"] == "30 / 50 devices = 60.0%"
    network = next(i for i in r.items if i["id"] == "network")
    assert network["answer"] == "partial" and network["points"] == 4
    assert network["answer_text"]["zh"] == "办公区和部分生产/经营场所已联网"
