"""The instrument format's newer parts: interval bands, evidence rubrics, scenario levels,
plausibility rules, superseded versions, and the registry of versions."""
import copy

import pytest

from diagnosis import AnswerError, InstrumentError, answer_warnings, check_answers, load_files, score
from diagnosis.registry import Registry, version_key
from tests.unit.builders import build

ITEMS = "dimensions[0].indicators[0].items"
MANU = {"industry_group": "manufacturing"}
GOOD = {"a": "some", "b": ["x"], "c": {"numerator": 5, "denominator": 10}, "s1": 2, "s2": 0}
INTERVALS = [{"range": "[0, 0.1]", "share": 0}, {"range": "(0.1, 0.5]", "share": 0.5},
             {"range": "(0.5, 1]", "share": 1}]


def problems_of(data):
    with pytest.raises(InstrumentError) as exc:
        build(data)
    return exc.value.problems


def rate_item(data):
    return data["dimensions"][0]["indicators"][0]["items"][2]


# -- interval bands ---------------------------------------------------------------------------
def test_interval_bands_put_each_end_where_the_brackets_say(small_data):
    rate_item(small_data)["bands"] = INTERVALS
    inst = build(small_data)
    points = {n: next(i["points"] for i in score(inst, GOOD | {"c": {"numerator": n, "denominator": 10}},
                                                  MANU).items if i["id"] == "c")
              for n in (0, 1, 2, 5, 6, 10)}
    assert points == {0: 0, 1: 0, 2: 1.5, 5: 1.5, 6: 3, 10: 3}


@pytest.mark.parametrize("bands, problem", [
    ([{"range": "(0, 0.1]", "share": 0}, {"range": "(0.1, 1]", "share": 1}],
     f"{ITEMS}[2].bands[0].range: the first band must start at 0, included: '[0, ...'"),
    ([{"range": "[0, 0.1]", "share": 0}, {"range": "(0.1, 0.9]", "share": 1}],
     f"{ITEMS}[2].bands[1].range: the last band must end at 1, included: '..., 1]'"),
    ([{"range": "[0, 0.1]", "share": 0}, {"range": "[0.1, 1]", "share": 1}],
     f"{ITEMS}[2].bands[1].range: overlap: a rate of exactly 0.1 falls in bands[0] and bands[1] "
     "(both include it; open one end with '(' or ')')"),
    ([{"range": "[0, 0.1)", "share": 0}, {"range": "(0.1, 1]", "share": 1}],
     f"{ITEMS}[2].bands[1].range: gap: a rate of exactly 0.1 falls in no band (bands[0] and bands[1] "
     "both leave it out; close one end with '[' or ']')"),
    ([{"range": "[0, 0.1]", "share": 0}, {"range": "(0.2, 1]", "share": 1}],
     f"{ITEMS}[2].bands[1].range: gap: rates between 0.1 and 0.2 fall in no band"),
    ([{"range": "[0, 0.3]", "share": 0}, {"range": "(0.2, 1]", "share": 1}],
     f"{ITEMS}[2].bands[1].range: overlap: bands[0] runs to 0.3 but bands[1] starts at 0.2"),
    ([{"range": "[0, 0.1", "share": 0}, {"range": "(0.1, 1]", "share": 1}],
     f"{ITEMS}[2].bands[0].range: '[0, 0.1' is not an interval like '(0.1, 0.2]' "
     "('[' or ']' includes that end, '(' or ')' leaves it out)"),
    ([{"range": "[0.5, 0.1]", "share": 0}, {"range": "(0.1, 1]", "share": 1}],
     f"{ITEMS}[2].bands[0].range: '[0.5, 0.1]': the ends must satisfy 0 <= low < high <= 1"),
    ([{"range": "[0, 0.1]", "share": 0}, {"min": 0.1, "share": 1}],
     f"{ITEMS}[2].bands: write every band as {{range, share}} or every band as {{min, share}}, not both"),
    ([{"range": "[0, 0.5]", "share": 0.5}, {"range": "(0.5, 1]", "share": 0.4}],
     f"{ITEMS}[2].bands: band shares must never decrease, got [0.5, 0.4]"),
])
def test_bad_interval_bands_are_named_precisely(small_data, bands, problem):
    rate_item(small_data)["bands"] = bands
    assert f"small.yaml: {problem}" in problems_of(small_data)


# -- whole numbers and plausibility --------------------------------------------------------------
def test_a_count_refuses_fractions(small_data):
    rate_item(small_data)["numerator"]["whole"] = True
    inst = build(small_data)
    problems = check_answers(inst, GOOD | {"c": {"numerator": 2.5, "denominator": 10}}, MANU)
    assert [(p.code, p.params) for p in problems] == [
        ("not_whole_number", {"item": "c", "value": 2.5, "field": "numerator"})]
    assert check_answers(inst, GOOD | {"c": {"numerator": 3.0, "denominator": 10}}, MANU) == []


def with_rate_d(data):
    """SMALL plus a second rate item d (in a second indicator), for two-item rules."""
    d = copy.deepcopy(rate_item(data))
    d.update(id="d", points=2, show_if={"profile": {"industry_group": ["manufacturing"]}})
    data["dimensions"][0]["indicators"].append({"id": "i2", "title": {"zh": "二", "en": "Two"}, "points": 2, "items": [d]})
    data["dimensions"][0]["points"] = 12
    data["total"]["points"] = 12
    return data


def test_plausibility_questions_without_refusing(small_data):
    data = with_rate_d(small_data)
    data["plausibility"] = [
        {"id": "high", "item": "c", "rate_above": 0.5, "action": "question",
         "message": {"zh": "比例 {rate} 很高", "en": "The rate {rate} is high"}},
        {"id": "more", "item": "d", "part": "numerator", "exceeds": {"item": "c", "part": "denominator"},
         "action": "question", "message": {"zh": "{value} 多于 {other}", "en": "{value} is more than {other}"}}]
    inst = build(data)
    answers = GOOD | {"c": {"numerator": 8, "denominator": 10}, "d": {"numerator": 12, "denominator": 20}}
    warnings = answer_warnings(inst, answers, MANU)
    assert [(w.item, w.params["check"], w.message) for w in warnings] == [
        ("c", "high", "c: The rate 80.0% is high"), ("d", "more", "d: 12 is more than 10")]
    assert check_answers(inst, answers, MANU, partial=False) == []
    assert score(inst, answers, MANU).total > 0
    assert answer_warnings(inst, GOOD | {"d": {"numerator": 1, "denominator": 20}}, MANU) == []


def test_plausibility_can_refuse_a_single_items_answer(small_data):
    small_data["plausibility"] = [{"id": "high", "item": "c", "rate_above": 0.95, "action": "refuse",
                                   "message": {"zh": "不可能", "en": "Impossible"}}]
    inst = build(small_data)
    with pytest.raises(AnswerError) as exc:
        score(inst, GOOD | {"c": {"numerator": 10, "denominator": 10}}, MANU)
    assert [(p.item, p.code) for p in exc.value.problems] == [("c", "implausible")]


@pytest.mark.parametrize("rule, problem", [
    ({"id": "r", "item": "zz", "rate_above": 0.5, "action": "question"}, "plausibility[0].item: unknown item 'zz'"),
    ({"id": "r", "item": "a", "rate_above": 0.5, "action": "question"},
     "plausibility[0].item: item 'a' is single: plausibility rules compare rates"),
    ({"id": "r", "item": "c", "rate_above": 0.5, "action": "warn"},
     "plausibility[0].action: unknown action 'warn' (allowed: question, refuse)"),
    ({"id": "r", "item": "c", "action": "question"},
     "plausibility[0]: must have exactly one of rate_above, exceeds, differs_from"),
    ({"id": "r", "item": "c", "part": "numerator", "exceeds": {"item": "c", "part": "denominator"}, "action": "refuse"},
     "plausibility[0].action: a rule comparing two items can only 'question': a refusal would depend on which "
     "item was answered first"),
    ({"id": "r", "item": "c", "part": "top", "differs_from": {"item": "c", "part": "denominator"}, "action": "question"},
     "plausibility[0].part: unknown part 'top' (allowed: numerator, denominator)"),
])
def test_bad_plausibility_rules_are_named_precisely(small_data, rule, problem):
    small_data["plausibility"] = [rule | {"message": {"zh": "看看", "en": "Check"}}]
    assert f"small.yaml: {problem}" in problems_of(small_data)


def test_a_message_may_use_only_its_rules_figures(small_data):
    small_data["plausibility"] = [{"id": "r", "item": "c", "rate_above": 0.5, "action": "question",
                                   "message": {"zh": "{value}", "en": "{rate"}}]
    found = problems_of(small_data)
    assert "small.yaml: plausibility[0].message.zh: unknown placeholder {value} (allowed: {rate})" in found
    assert any(p.startswith("small.yaml: plausibility[0].message.en: malformed placeholder") for p in found)


# -- evidence rubric and scenario levels ----------------------------------------------------------
def test_rubric_is_required_for_an_instrument_whose_level_counts(small_data):
    del small_data["dimensions"][0]["indicators"][0]["items"][0]["rubric"]
    assert (f"small.yaml: {ITEMS}[0]: missing key 'rubric': say what proves each answer (some, yes) "
            "for on-site assessors") in problems_of(small_data)


def test_rubric_names_only_answers_of_its_item_and_all_that_earn_points(small_data):
    items = small_data["dimensions"][0]["indicators"][0]["items"]
    items[0]["rubric"] = {"yes": {"zh": "证", "en": "Proof"}, "maybe": {"zh": "证", "en": "Proof"}}
    items[2]["rubric"] = {"numerator": {"zh": "证", "en": "Proof"}}
    found = problems_of(small_data)
    assert f"small.yaml: {ITEMS}[0].rubric.maybe: 'maybe' is not an answer of this single item (describe: some, yes, no)" in found
    assert f"small.yaml: {ITEMS}[0].rubric: no evidence described for some" in found
    assert f"small.yaml: {ITEMS}[2].rubric: no evidence described for denominator" in found


def test_scenarios_need_their_four_levels(small_data):
    del small_data["scenarios"][1]["levels"]
    small_data["scenarios"][0]["levels"].pop(3)
    small_data["scenarios"][0]["levels"][5] = small_data["scenarios"][0]["levels"][4]
    found = problems_of(small_data)
    assert "small.yaml: scenarios[0].levels.5: unknown level 5 (describe the levels 1, 2, 3 and 4)" in found
    assert "small.yaml: scenarios[0].levels: levels 3 not described (describe 1, 2, 3 and 4)" in found
    assert ("small.yaml: scenarios[1]: missing key 'levels': say what levels 1-4 look like in this scenario "
            "and what proves each") in found


def test_indicative_and_superseded_instruments_may_leave_the_rubric_out(small_data):
    for item in small_data["dimensions"][0]["indicators"][0]["items"]:
        del item["rubric"]
    for s in small_data["scenarios"]:
        del s["levels"]
    assert build(dict(small_data, indicative=True)).items[0].rubric == {}
    assert build(dict(small_data, superseded_by="2.0.0")).superseded_by == "2.0.0"


def test_scenario_rubric_is_its_levels_evidence(small_data):
    s1 = build(small_data).question("s1")
    assert s1.rubric["3"] == {"zh": "场景一 3 级的证据", "en": "Proof of S1 at level 3"}
    assert s1.levels[1].text["en"] == "S1 at level 2"


# -- versions ---------------------------------------------------------------------------------
def test_registry_serves_the_latest_and_every_version(tmp_path, small_data):
    import yaml
    for version, extra in (("1.0.0", {"superseded_by": "1.2.0"}), ("1.2.0", {}), ("1.10.0-rc.1", {})):
        (tmp_path / f"small-{version}.yaml").write_text(
            yaml.safe_dump(dict(small_data, version=version, **extra), allow_unicode=True), encoding="utf-8")
    registry, problems = load_files(sorted(tmp_path.glob("*.yaml")))
    assert problems == []
    assert isinstance(registry, Registry)
    assert registry["small"].version == "1.10.0-rc.1"
    assert [i.version for i in registry.versions("small")] == ["1.0.0", "1.2.0", "1.10.0-rc.1"]
    assert registry.version("small", "1.0.0").superseded_by == "1.2.0"
    assert registry.version("small", "9.9.9") is None
    assert version_key("1.10.0") > version_key("1.10.0-rc.1") > version_key("1.2.0")


def test_a_version_shipped_twice_or_superseded_by_nothing_is_refused(tmp_path, small_data):
    import yaml
    for name, data in (("a.yaml", small_data), ("b.yaml", small_data),
                       ("c.yaml", dict(small_data, version="0.9.0", superseded_by="3.0.0"))):
        (tmp_path / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    _, problems = load_files(sorted(tmp_path.glob("*.yaml")))
    assert f"{tmp_path / 'b.yaml'}: version: instrument 'small' version 1.0.0 is also in {tmp_path / 'a.yaml'}" in problems
    assert f"{tmp_path / 'c.yaml'}: superseded_by: no file holds 'small' version 3.0.0" in problems


def test_the_shipped_national_index_keeps_version_1_for_its_results(instruments):
    old, new = instruments.version("cn-sme-2024", "1.0.0"), instruments["cn-sme-2024"]
    assert (old.superseded_by, new.version, new.superseded_by) == ("2.0.0", "2.0.0", None)
    assert instruments.version("cn-sme-2024", "2.0.0") is new
