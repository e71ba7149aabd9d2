"""Bad answers raise one AnswerError listing every problem; drafts, visibility and progress."""
import pytest

from diagnosis import AnswerError, check_answers, progress, score, visible_ids
from tests.unit.builders import MANUFACTURING, SERVICES, build, extreme_answers

GOOD = {"a": "some", "b": ["x"], "c": {"numerator": 5, "denominator": 10}, "s1": 2, "s2": 0}
MANU = {"industry_group": "manufacturing"}


@pytest.fixture
def small(small_data):
    return build(small_data)


def only_problem(inst, answers, profile=MANU):
    with pytest.raises(AnswerError) as exc:
        score(inst, answers, profile)
    assert len(exc.value.problems) == 1, exc.value.problems
    return exc.value.problems[0]


def test_good_answers_score(small):
    # a some 0.5×4 = 2, b 1 of 2 → 1.5, c 50 % → band 0.5 pays 1.5: 5 of 10; s1 at 2 but total < 6 → low
    r = score(small, GOOD, MANU)
    assert r.total == 5 and r.level["id"] == "low"


@pytest.mark.parametrize("answers, code, message, params", [
    (GOOD | {"zz": 1}, "unknown_item", "zz: not a question of small", {"item": "zz", "value": 1}),
    (GOOD | {"a": "maybe"}, "option_not_offered", "a: option 'maybe' is not offered (choose from no, some, yes)",
     {"item": "a", "value": "maybe", "offered": ["no", "some", "yes"]}),
    (GOOD | {"a": 3}, "wrong_type", "a: expected an option id, got 3", {"item": "a", "value": 3, "expected": "option id"}),
    (GOOD | {"b": ["x", "q"]}, "option_not_offered", "b: option 'q' is not offered (choose from x, y, none)",
     {"item": "b", "value": "q", "offered": ["x", "y", "none"]}),
    (GOOD | {"b": "x"}, "wrong_type", "b: expected a list of option ids, got 'x'",
     {"item": "b", "value": "x", "expected": "list of option ids"}),
    (GOOD | {"b": []}, "empty_choice", "b: choose at least one option (or the 'none' option)", {"item": "b", "value": []}),
    (GOOD | {"b": ["x", "x"]}, "duplicate_option", "b: option(s) x chosen more than once", {"item": "b", "value": ["x", "x"]}),
    (GOOD | {"b": ["none", "x"]}, "exclusive_combined", "b: option 'none' cannot be combined with other options",
     {"item": "b", "value": ["none", "x"], "option": "none"}),
    (GOOD | {"c": {"numerator": -1, "denominator": 10}}, "negative", "c: numerator must not be negative, got -1",
     {"item": "c", "value": -1, "field": "numerator"}),
    (GOOD | {"c": {"numerator": 11, "denominator": 10}}, "numerator_exceeds_denominator",
     "c: numerator 11 exceeds denominator 10", {"item": "c", "value": 11, "numerator": 11, "denominator": 10}),
    (GOOD | {"c": {"numerator": 0, "denominator": 0}}, "zero_denominator", "c: denominator must be greater than 0",
     {"item": "c", "value": 0, "field": "denominator"}),
    (GOOD | {"c": {"numerator": 5, "denominator": 5000}}, "out_of_range", "c: denominator 5000 is above the maximum 1000",
     {"item": "c", "value": 5000, "field": "denominator", "max": 1000}),
    (GOOD | {"c": {"numerator": "5", "denominator": 10}}, "wrong_type", "c: numerator must be a finite number, got '5'",
     {"item": "c", "value": "5", "field": "numerator", "expected": "number"}),
    (GOOD | {"c": 0.5}, "wrong_type", 'c: expected {"numerator": n, "denominator": d}, got 0.5',
     {"item": "c", "value": 0.5, "expected": "numerator and denominator"}),
    (GOOD | {"s1": 5}, "out_of_range", "s1: 5 is outside 0..4", {"item": "s1", "value": 5, "min": 0, "max": 4}),
    (GOOD | {"s1": -1}, "out_of_range", "s1: -1 is outside 0..4", {"item": "s1", "value": -1, "min": 0, "max": 4}),
    (GOOD | {"s1": True}, "wrong_type", "s1: expected a whole number, got True", {"item": "s1", "value": True, "expected": "integer"}),
    (GOOD | {"a": "n/a"}, "not_applicable_not_allowed", "a: 'n/a' is not allowed for this question", {"item": "a", "value": "n/a"}),
    ({k: v for k, v in GOOD.items() if k != "s2"}, "required_missing", "s2: required answer missing", {"item": "s2"}),
    (GOOD | {"a": "no"}, "hidden_item_answered", "b: answered, but the question is hidden for this enterprise",
     {"item": "b", "value": ["x"]}),
])
def test_each_bad_answer_is_named(small, answers, code, message, params):
    p = only_problem(small, answers)
    assert (p.code, p.message, p.params) == (code, message, params)


def test_answer_to_an_item_hidden_by_the_profile(small):
    p = only_problem(small, GOOD, {"industry_group": "non_manufacturing"})
    assert (p.item, p.code) == ("c", "hidden_item_answered")


def test_every_problem_at_once(cn):
    bad = extreme_answers(cn, best=True) | {
        "network": ["fibre"], "equipment_digital_rate": {"numerator": 9, "denominator": 3},
        "data_collection_areas": ["none", "finance"], "bogus": 1}
    del bad["finance"]
    with pytest.raises(AnswerError) as exc:
        score(cn, bad, MANUFACTURING)
    codes = sorted((p.item, p.code) for p in exc.value.problems)
    assert codes == [("bogus", "unknown_item"), ("data_collection_areas", "exclusive_combined"),
                     ("equipment_digital_rate", "numerator_exceeds_denominator"), ("finance", "required_missing"),
                     ("network", "option_not_offered")]
    assert "network: option 'fibre' is not offered" in str(exc.value)


def test_answers_and_profile_of_the_wrong_shape(cn):
    with pytest.raises(AnswerError) as exc:
        score(cn, ["network"], "manufacturing")
    assert [p.message for p in exc.value.problems][:2] == [
        "profile: expected a mapping of field to value", "answers: expected a mapping of question id to answer"]


def test_a_draft_may_miss_required_answers(small):
    assert check_answers(small, {"a": "yes"}, MANU, partial=True) == []
    missing = check_answers(small, {"a": "yes"}, MANU, partial=False)
    assert sorted(p.item for p in missing) == ["b", "c", "s1", "s2"]


def test_a_draft_still_reports_bad_values(small):
    assert [p.code for p in check_answers(small, {"a": "maybe"}, MANU)] == ["option_not_offered"]


def test_visible_ids_follow_answers_and_profile(small):
    assert visible_ids(small, {}, MANU) == {"a", "c", "s1", "s2"}
    assert visible_ids(small, {"a": "some"}, MANU) == {"a", "b", "c", "s1", "s2"}
    assert visible_ids(small, {"a": "some"}, {"industry_group": "services"}) == {"a", "b", "s1", "s2"}


def test_progress_counts_required_visible_questions(small, cn, cn_v1):
    assert progress(small, {}, MANU) == (0, 4)
    assert progress(small, {"a": "yes"}, MANU) == (1, 5)
    assert progress(small, {"a": "yes", "b": ["q"]}, MANU) == (1, 5)  # an invalid answer does not count
    full = extreme_answers(cn, best=True)
    assert progress(cn, full, MANUFACTURING) == (31, 31)
    assert progress(cn, {}, SERVICES) == (0, 31)     # one form for everyone
    assert progress(cn_v1, {}, SERVICES) == (0, 27)  # 1.0.0 hid four questions from services firms


def test_problems_are_plain_data(small):
    p = check_answers(small, {"a": "maybe"}, MANU)[0]
    assert p.to_dict() == {"item": "a", "code": "option_not_offered", "message": p.message,
                           "params": {"item": "a", "value": "maybe", "offered": ["no", "some", "yes"]}}
