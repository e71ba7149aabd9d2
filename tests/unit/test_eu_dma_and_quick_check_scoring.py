"""eu-dma (mean of six dimensions, bands) and quick-check (indicative): hand-computed results."""
import pytest

from diagnosis import score
from tests.unit.builders import MANUFACTURING, extreme_answers

EU_MIXED = {
    "strategy_plan": "written", "strategy_areas": ["marketing", "administration"],
    "technologies_used": ["connectivity", "website", "cloud"], "technology_use": 2,
    "staff_upskilling": ["short_courses"], "staff_involvement": "informed",
    "data_practices": ["digital_storage", "policy"], "data_protection": "basic",
    "automation_level": "some", "ai_use": "piloting", "ai_areas": ["customer"],
    "green_practices": ["paperless", "energy_monitoring"],
}


def test_eu_best_is_100_and_advanced(eu):
    r = score(eu, extreme_answers(eu, best=True))
    assert r.total == 100 and r.level["id"] == "advanced"
    assert all(d["score"] == 100 for d in r.dimensions.values())


def test_eu_worst_is_0_and_basic(eu):
    worst = extreme_answers(eu, best=False, skip=("ai_areas",))  # hidden after "not used"
    r = score(eu, worst)
    assert r.total == 0 and r.level["id"] == "basic"
    ai_areas = next(i for i in r.items if i["id"] == "ai_areas")
    assert ai_areas["state"] == "hidden" and ai_areas["points"] == 0 and ai_areas["max"] == 25


def test_eu_mixed_case_is_the_mean_of_six_dimensions(eu):
    # strategy: written 0.67×50 = 33.5 + 2 of 5 areas ×50 = 20 → 53.5
    # readiness: 3 of 5 technologies ×60 = 36 + scale 2 of 0..4 ×40 = 20 → 56
    # human-centric: 1 of 4 ×50 = 12.5 + informed 0.33×50 = 16.5 → 29
    # data: 2 of 4 ×60 = 30 + basic 0.33×40 = 13.2 → 43.2
    # automation & AI: some 0.33×50 = 16.5 + piloting 0.67×25 = 16.75 + 1 of 4 areas ×25 = 6.25 → 39.5
    # green: 2 of 4 ×100 = 50
    # mean = (53.5 + 56 + 29 + 43.2 + 39.5 + 50) / 6 = 271.2 / 6 = 45.2 → Average (26–50)
    r = score(eu, EU_MIXED)
    expected = {"digital_strategy": 53.5, "digital_readiness": 56, "human_centric": 29,
                "data_management": 43.2, "automation_ai": 39.5, "green": 50}
    assert {k: v["score"] for k, v in r.dimensions.items()} == pytest.approx(expected)
    assert r.total == pytest.approx(45.2)
    assert r.level["id"] == "average"


def test_eu_answer_hidden_item_keeps_its_place_in_the_maximum(eu):
    # ai_use "exploring" hides ai_areas: it earns 0 of its 25 (not renormalised), so
    # automation & AI = 16.5 + 0.33×25 = 24.75 of 100
    answers = {k: v for k, v in EU_MIXED.items() if k != "ai_areas"} | {"ai_use": "exploring"}
    r = score(eu, answers)
    assert r.dimensions["automation_ai"]["score"] == pytest.approx(24.75)
    assert r.dimensions["automation_ai"]["max"] == 100


def test_eu_total_exactly_25_is_basic_and_above_is_average(eu):
    # readiness best (100) + green 2 of 4 (50) → 150 / 6 = 25.0 exactly → Basic (0–25)
    answers = extreme_answers(eu, best=False, skip=("ai_areas",)) | {
        "technologies_used": ["connectivity", "website", "cloud", "erp", "iot"], "technology_use": 4,
        "green_practices": ["paperless", "circular"]}
    r = score(eu, answers)
    assert r.total == pytest.approx(25.0)
    assert r.level["id"] == "basic"
    r = score(eu, answers | {"staff_upskilling": ["on_the_job"]})  # +12.5/6
    assert r.level["id"] == "average"


def test_quick_check_has_at_most_15_questions_and_is_labelled_indicative(qc):
    assert len(qc.questions) <= 15
    assert qc.indicative is True
    for lv in qc.levels:
        assert "参考" in lv.name["zh"] and "indicative" in lv.name["en"]


def test_quick_check_maps_onto_the_cn_sme_dimensions(qc, cn):
    assert [(d.id, d.points) for d in qc.dimensions] == [(d.id, d.points) for d in cn.dimensions]


def test_quick_check_best_and_worst(qc):
    best = score(qc, extreme_answers(qc, best=True), MANUFACTURING)
    assert best.total == 100 and best.level["id"] == "level4" and best.indicative is True
    worst = score(qc, extreme_answers(qc, best=False))
    assert worst.total == 0 and worst.level["id"] == "level1"


def test_quick_check_mixed_case(qc):
    # foundation: network partial 5 + devices 20–50 % 5 + 2 of 5 data areas 4 + systems 5 + security 5 = 24
    # management: plan idea 1.875 + owner staff 3.75 + skills 3 on 1..5 → 0.5×7.5 = 3.75 + spend 0.5–1 % 3.75 = 13.125
    # outcomes: efficiency same 5 + growth better 10 = 15; total 52.125 → level 2 (indicative)
    answers = {"qc_network": "partial", "qc_devices": "under_50", "qc_data_areas": ["sales", "finance"],
               "qc_systems": "two_or_more", "qc_security": "backups", "qc_plan": "idea", "qc_owner": "staff",
               "qc_skills": 3, "qc_spend": "under_1", "qc_efficiency": "same", "qc_growth": "better"}
    r = score(qc, answers)
    assert {k: v["score"] for k, v in r.dimensions.items()} == pytest.approx(
        {"foundation": 24, "management": 13.125, "outcomes": 15})
    assert r.total == pytest.approx(52.125)
    assert r.level["id"] == "level2" and r.level["name"]["en"] == "Level 2 (indicative)"
    assert r.to_dict()["indicative"] is True
