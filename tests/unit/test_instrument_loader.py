"""The loader refuses bad instrument files, naming the file, the path inside and the problem."""
import pytest

from diagnosis import InstrumentError, load_instrument, load_instruments, parse_instrument
from tests.unit.builders import build

ITEMS = "dimensions[0].indicators[0].items"


def problems_of(data):
    with pytest.raises(InstrumentError) as exc:
        build(data)
    return exc.value.problems


def test_small_instrument_is_valid(small_data):
    inst = build(small_data)
    assert [q.id for q in inst.questions] == ["a", "b", "c", "s1", "s2"]


def test_malformed_yaml_names_its_line():
    text = "id: x\nversion: 1.0.0\ntitle: {zh: a, en: b\ndimensions: []\n"
    with pytest.raises(InstrumentError) as exc:
        parse_instrument(text, "broken.yaml")
    assert exc.value.problems[0].startswith("broken.yaml: line 4: malformed YAML")


def test_duplicate_yaml_key_is_reported_with_line():
    text = "id: x\nid: y\n"
    with pytest.raises(InstrumentError) as exc:
        parse_instrument(text, "dup.yaml")
    assert "dup.yaml: line 2: duplicate key 'id'" in exc.value.problems


def test_duplicate_item_id(small_data):
    small_data["dimensions"][0]["indicators"][0]["items"][2]["id"] = "a"
    assert f"small.yaml: {ITEMS}[2].id: duplicate id 'a' (first at {ITEMS}[0].id)" in problems_of(small_data)


def test_duplicate_option_id(small_data):
    small_data["dimensions"][0]["indicators"][0]["items"][0]["options"][1]["id"] = "no"
    assert f"small.yaml: {ITEMS}[0].options[1].id: duplicate option id 'no'" in problems_of(small_data)


def test_points_that_do_not_add_up(small_data):
    small_data["dimensions"][0]["indicators"][0]["items"][0]["points"] = 5
    assert ("small.yaml: dimensions[0].indicators[0].points: points 10 do not add up: its items sum to 11"
            in problems_of(small_data))


def test_dimensions_that_do_not_add_up_to_the_total(small_data):
    small_data["total"]["points"] = 12
    assert "small.yaml: total.points: points 12 do not add up: its dimensions sum to 10" in problems_of(small_data)


def test_missing_translation(small_data):
    del small_data["dimensions"][0]["indicators"][0]["items"][1]["help"]["en"]
    assert f"small.yaml: {ITEMS}[1].help: missing translation 'en'" in problems_of(small_data)


def test_text_without_languages(small_data):
    small_data["title"] = "Small"
    assert "small.yaml: title: must be a text with translations {zh: ..., en: ...}" in problems_of(small_data)


def test_unknown_key_is_a_typo(small_data):
    small_data["dimensions"][0]["indicators"][0]["items"][0]["optons"] = []
    assert any(p.startswith(f"small.yaml: {ITEMS}[0]: unknown key 'optons'") for p in problems_of(small_data))


def test_show_if_on_unknown_item(small_data):
    small_data["dimensions"][0]["indicators"][0]["items"][1]["show_if"] = {"answer": {"zz": ["yes"]}}
    assert f"small.yaml: {ITEMS}[1].show_if.answer.zz: show_if refers to unknown item 'zz'" in problems_of(small_data)


def test_show_if_on_a_later_item(small_data):
    small_data["dimensions"][0]["indicators"][0]["items"][0]["show_if"] = {"answer": {"b": ["x"]}}
    assert any("show_if refers to a later item 'b'" in p for p in problems_of(small_data))


def test_show_if_on_an_option_not_offered(small_data):
    small_data["dimensions"][0]["indicators"][0]["items"][1]["show_if"] = {"answer": {"a": ["maybe", "yes"]}}
    assert f"small.yaml: {ITEMS}[1].show_if.answer.a: option 'maybe' is not offered by item 'a'" in problems_of(small_data)


def test_show_if_must_only_reveal_on_better_answers(small_data):
    small_data["dimensions"][0]["indicators"][0]["items"][1]["show_if"] = {"answer": {"a": ["some"]}}
    assert any("must also list the better options ['yes']" in p for p in problems_of(small_data))


def test_scenarios_may_depend_only_on_the_profile(small_data):
    small_data["scenarios"][0]["show_if"] = {"answer": {"a": ["yes"]}}
    assert "small.yaml: scenarios[0].show_if.answer.a: scenarios may only depend on the profile" in problems_of(small_data)


def test_level_rule_on_unknown_scenario(small_data):
    small_data["levels"][1]["conditions"][1]["scenarios_at_least"]["among"] = ["s1", "s9"]
    assert ("small.yaml: levels[1].conditions[1].scenarios_at_least.among[1]: unknown scenario 's9'"
            in problems_of(small_data))


def test_level_rule_with_impossible_count(small_data):
    small_data["levels"][1]["conditions"][1]["scenarios_at_least"]["count"] = 2
    assert ("small.yaml: levels[1].conditions[1].scenarios_at_least.count: impossible count: "
            "2 mandatory scenarios required but only 1 exist" in problems_of(small_data))


def test_level_threshold_above_the_maximum(small_data):
    small_data["levels"][1]["conditions"][0]["total_at_least"] = 11
    assert ("small.yaml: levels[1].conditions[0].total_at_least: impossible: 11 is above the maximum total 10"
            in problems_of(small_data))


def test_lowest_level_has_no_conditions(small_data):
    small_data["levels"][0]["conditions"] = [{"total_at_least": 1}]
    assert "small.yaml: levels[0].conditions: the lowest level must have no conditions" in problems_of(small_data)


def test_single_choice_needs_a_full_share_option(small_data):
    small_data["dimensions"][0]["indicators"][0]["items"][0]["options"][2]["share"] = 0.9
    assert f"small.yaml: {ITEMS}[0].options: the best option must pay the full points (share 1)" in problems_of(small_data)


def test_share_out_of_range(small_data):
    small_data["dimensions"][0]["indicators"][0]["items"][0]["options"][1]["share"] = 1.5
    assert f"small.yaml: {ITEMS}[0].options[1].share: 1.5 is outside 0..1" in problems_of(small_data)


def test_multiple_choice_declared_shares_must_add_to_one(small_data):
    opts = small_data["dimensions"][0]["indicators"][0]["items"][1]["options"]
    opts[0]["share"], opts[1]["share"] = 0.5, 0.4
    assert f"small.yaml: {ITEMS}[1].options: shares of the non-exclusive options must add up to 1, got 0.9" in problems_of(small_data)


def test_only_one_exclusive_option(small_data):
    small_data["dimensions"][0]["indicators"][0]["items"][1]["options"][0]["exclusive"] = True
    assert any("at most one option may be exclusive" in p for p in problems_of(small_data))


def test_rate_bands_must_start_at_zero_and_increase(small_data):
    item = small_data["dimensions"][0]["indicators"][0]["items"][2]
    item["bands"] = [{"min": 0.1, "share": 0}, {"min": 0.05, "share": 1}]
    found = problems_of(small_data)
    assert f"small.yaml: {ITEMS}[2].bands[0].min: the first band must start at 0" in found
    assert f"small.yaml: {ITEMS}[2].bands: band minima must strictly increase, got [0.1, 0.05]" in found


def test_scale_shares_need_one_per_step(small_data):
    small_data["dimensions"][0]["indicators"][0]["items"][0] = {
        "id": "a", "kind": "scale", "points": 4, "min": 1, "max": 3, "shares": [0, 1],
        "text": {"zh": "甲", "en": "A"}, "help": {"zh": "h", "en": "h"}, "evidence": {"zh": "e", "en": "e"}}
    del small_data["dimensions"][0]["indicators"][0]["items"][1]["show_if"]
    assert f"small.yaml: {ITEMS}[0].shares: needs 3 shares (one per step 1..3), got 2" in problems_of(small_data)


def test_unknown_kind(small_data):
    small_data["dimensions"][0]["indicators"][0]["items"][0]["kind"] = "slider"
    assert any(p.startswith(f"small.yaml: {ITEMS}[0].kind: unknown kind 'slider'") for p in problems_of(small_data))


def test_version_must_be_semantic(small_data):
    small_data["version"] = "v1"
    assert "small.yaml: version: version 'v1' must be a semantic version like 1.0.0" in problems_of(small_data)


def test_unknown_scenario_group(small_data):
    small_data["scenarios"][1]["group"] = "nowhere"
    assert "small.yaml: scenarios[1].group: unknown scenario group 'nowhere'" in problems_of(small_data)


def test_every_problem_is_listed_at_once(small_data):
    small_data["version"] = "one"
    small_data["scenarios"][0]["title"] = {"zh": "场景"}
    small_data["dimensions"][0]["points"] = 9
    found = problems_of(small_data)
    assert len(found) >= 3
    assert all(p.startswith("small.yaml: ") for p in found)


def test_load_instrument_names_the_real_file(tmp_path, small_data):
    import yaml
    path = tmp_path / "bad.yaml"
    small_data["id"] = "Bad Id"
    path.write_text(yaml.safe_dump(small_data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InstrumentError) as exc:
        load_instrument(path)
    assert f"{path}: id: id 'Bad Id' must be lower-case letters, digits, '_' or '-'" in exc.value.problems


def test_load_instruments_reports_a_version_shipped_twice(tmp_path, small_data):
    import yaml
    for name in ("one.yaml", "two.yaml"):
        (tmp_path / name).write_text(yaml.safe_dump(small_data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InstrumentError) as exc:
        load_instruments(tmp_path)
    assert exc.value.problems == [f"{tmp_path / 'two.yaml'}: version: instrument 'small' version 1.0.0 "
                                  f"is also in {tmp_path / 'one.yaml'}"]


def test_shipped_instruments_load(instruments):
    assert set(instruments) == {"cn-sme-2024", "eu-dma", "quick-check"}
    assert [(i.id, i.version) for i in instruments.all()] == [
        ("cn-sme-2024", "1.0.0"), ("cn-sme-2024", "2.0.0"), ("eu-dma", "1.0.0"), ("quick-check", "1.0.0")]


# The items table of the 2024 index (a contract: other systems write answers with these ids).
CN_ITEMS = [
    ("network", "multiple", 8, ["none", "control_network", "system_network", "network_5g", "full_coverage"]),
    ("equipment_digital_rate", "rate", 6, None),
    ("equipment_networked_rate", "rate", 6, None),
    ("data_collection_areas", "multiple", 10, ["none", "product_design", "process_design", "marketing", "after_sales",
                                               "planning_scheduling", "production_control", "quality",
                                               "equipment_management", "safety", "energy_management", "procurement",
                                               "warehousing_logistics", "finance", "human_resources"]),
    ("system_coverage", "single", 10, {"none": 0, "one_area": 2.5, "two_or_more": 5, "most": 7.5, "full": 10}),
    ("network_security", "multiple", 5, ["none", "rules", "products", "risk_assessment", "boundary_detection"]),
    ("data_security", "multiple", 5, ["none", "rules", "products", "risk_assessment", "data_ledger"]),
    ("digital_awareness", "single", 7.5, {"none": 0, "learning": 1.5, "planned": 3, "started": 4.5,
                                          "transformed": 6, "leading": 7.5}),
    ("management_rules", "multiple", 7.5, ["none", "implementation_process", "system_operations", "data_resources",
                                           "innovation_incentives"]),
    ("digital_talent", "multiple", 7.5, ["none", "staff", "department", "training", "performance_pay", "development"]),
    ("digital_spend_rate", "rate", 7.5, None),
    ("energy_per_revenue", "single", 7, {"worse": 0, "same": 3.5, "better": 7}),
    ("product_pass_rate", "single", 7, {"worse": 0, "same": 3.5, "better": 7}),
    ("revenue_per_employee", "single", 3, {"worse": 0, "same": 1.5, "better": 3}),
    ("cost_per_revenue", "single", 3, {"worse": 0, "same": 1.5, "better": 3}),
]


def test_cn_sme_has_the_items_of_the_2024_index(cn):
    assert [(i.id, i.kind, i.points) for i in cn.items] == [(i, k, p) for i, k, p, _ in CN_ITEMS]
    for item_id, kind, points, options in CN_ITEMS:
        q = cn.question(item_id)
        if kind == "single":
            assert {o.id: round(o.share * points, 4) for o in q.options} == options
        elif kind == "multiple":
            assert [o.id for o in q.options] == options
            assert [o.id for o in q.options if o.exclusive] == ["none"]
            paying = [o.share for o in q.options if not o.exclusive]
            assert paying == [pytest.approx(1 / len(paying))] * len(paying)
        else:
            assert [(b.text(), b.share * points) for b in q.bands] == [
                ("[0%, 10%]", 0), ("(10%, 20%]", points / 4), ("(20%, 40%]", points / 2),
                ("(40%, 60%]", points * 3 / 4), ("(60%, 100%]", points)]
        assert not q.show_if and not q.allow_na  # one form for everyone
    assert cn.question("equipment_digital_rate").numerator.whole
    assert not cn.question("digital_spend_rate").numerator.whole


def test_cn_sme_follows_the_index_structure(cn):
    assert [(d.id, d.points) for d in cn.dimensions] == [("foundation", 50), ("management", 30), ("outcomes", 20)]
    assert [(ind.id, ind.points, [i.id for i in ind.items]) for d in cn.dimensions for ind in d.indicators] == [
        ("equipment", 20, ["network", "equipment_digital_rate", "equipment_networked_rate"]),
        ("data_collection", 10, ["data_collection_areas"]), ("information_systems", 10, ["system_coverage"]),
        ("security", 10, ["network_security", "data_security"]),
        ("planning", 15, ["digital_awareness", "management_rules"]),
        ("resources", 15, ["digital_talent", "digital_spend_rate"]),
        ("green", 7, ["energy_per_revenue"]), ("product_quality", 7, ["product_pass_rate"]),
        ("market", 6, ["revenue_per_employee", "cost_per_revenue"])]
    assert {s.id for s in cn.scenarios if s.mandatory} == {
        "product_design", "marketing", "production_control", "quality", "equipment_management", "safety",
        "energy_management", "procurement", "warehousing_logistics", "finance"}
    assert len(cn.scenarios) == 16 and not any(s.show_if for s in cn.scenarios)
    assert {s.group for s in cn.scenarios} == {"lifecycle", "production", "supply_chain", "management_decision"}
    assert [(lv.id, lv.rank, lv.name["zh"]) for lv in cn.levels] == [
        ("none", 0, "未达到一级"), ("level1", 1, "一级"), ("level2", 2, "二级"), ("level3", 3, "三级"), ("level4", 4, "四级")]
    rules = [[(c.kind, c.value, c.level, c.count, c.mandatory_only) for c in lv.conditions] for lv in cn.levels]
    assert rules[1:] == [
        [("total_at_least", 20, None, None, False), ("scenarios_at_least", None, 1, 6, False),
         ("scenarios_at_least", None, 1, 3, True)],
        [("total_at_least", 40, None, None, False), ("scenarios_at_least", None, 2, 6, False),
         ("scenarios_at_least", None, 2, 3, True)],
        [("total_at_least", 60, None, None, False), ("scenarios_at_least", None, 3, 8, False),
         ("scenarios_at_least", None, 3, 5, True)],
        [("total_at_least", 80, None, None, False), ("scenarios_at_least", None, 4, 10, False),
         ("scenarios_at_least", None, 4, 6, True)]]
    for q in cn.questions:
        assert q.help["zh"] and q.help["en"] and q.evidence["zh"] and q.evidence["en"]
        assert q.rubric and all(t["zh"] and t["en"] for t in q.rubric.values())


def test_unknown_profile_field_in_show_if(small_data):
    small_data["dimensions"][0]["indicators"][0]["items"][2]["show_if"] = {"profile": {"industy_group": ["manufacturing"]}}
    assert any(p.startswith(f"small.yaml: {ITEMS}[2].show_if.profile.industy_group: unknown profile field 'industy_group'")
               for p in problems_of(small_data))


def test_unknown_industry_group(small_data):
    small_data["dimensions"][0]["indicators"][0]["items"][2]["show_if"] = {"profile": {"industry_group": ["manufacture"]}}
    assert (f"small.yaml: {ITEMS}[2].show_if.profile.industry_group: unknown industry group 'manufacture' "
            "(known: manufacturing, non_manufacturing)" in problems_of(small_data))
