"""Questions the profile also answers: prefilled from it, one source of truth afterwards, and
the links validated by the loader (diagnosis/profile_links.py)."""
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from diagnosis import InstrumentError, load_instruments
from diagnosis.profile_links import follow_profile, prefill, profile_from_answers
from tests.unit.builders import build
from tests.unit.conftest import QUESTIONNAIRES

CN = load_instruments(QUESTIONNAIRES)["cn-sme-2024"]  # module level: Hypothesis repeats the tests

SPEND = "digital_spend_rate"
TALENT = "digital_talent"


def test_the_national_index_links_revenue_and_who_owns_digitalisation(cn):
    assert cn.minutes == 40
    assert [(link.field, link.item, link.source) for link in cn.profile_links] == [
        ("revenue", SPEND, "profile"), ("has_cio", TALENT, "answer")]


def test_revenue_in_yuan_prefills_the_spend_question_in_ten_thousands(cn):
    # 12,000,000 yuan = 1,200 万元; someone is responsible: "digital staff" is ticked to check
    assert prefill(cn, {"revenue": 12_000_000, "has_cio": True}, {}) == {
        SPEND: {"denominator": 1200}, TALENT: ["staff"]}
    assert prefill(cn, {"revenue": 12_345_600}, {})[SPEND] == {"denominator": 1234.56}


def test_nobody_responsible_prefills_nothing_and_answers_are_never_overwritten(cn):
    assert prefill(cn, {"has_cio": False}, {}) == {}
    answered = {SPEND: {"numerator": 10, "denominator": 900}, TALENT: ["none"]}
    assert prefill(cn, {"revenue": 12_000_000, "has_cio": True}, answered) == {}


@pytest.mark.parametrize("answer, says", [
    (["none"], False), (["training"], False), (["staff"], True), (["training", "department"], True)])
def test_the_answer_says_who_owns_digitalisation(cn, answer, says):
    profile = {"has_cio": not says, "revenue": 5}
    assert profile_from_answers(cn, {TALENT: answer}, profile) == {"has_cio": says, "revenue": 5}


def test_revenue_stays_the_profile_figure_and_unanswered_keeps_the_profile(cn):
    answers = {SPEND: {"numerator": 10, "denominator": 900}}
    assert profile_from_answers(cn, answers, {"revenue": 12_000_000}) == {"revenue": 12_000_000}
    assert profile_from_answers(cn, {}, {"has_cio": False}) == {"has_cio": False}
    assert profile_from_answers(cn, {TALENT: {"bad": 1}}, {"has_cio": False}) == {"has_cio": False}


def test_the_quick_check_owner_question_says_it_too(qc):
    assert profile_from_answers(qc, {"qc_owner": "none"}, {"has_cio": True})["has_cio"] is False
    assert profile_from_answers(qc, {"qc_owner": "cio"}, {"has_cio": False})["has_cio"] is True


def test_a_profile_change_moves_the_answer_that_held_the_old_figure(cn):
    before, after = {"revenue": 12_000_000}, {"revenue": 15_000_000}
    kept_numerator = {SPEND: {"numerator": 30, "denominator": 1200}}
    assert follow_profile(cn, kept_numerator, before, after) == {SPEND: {"numerator": 30, "denominator": 1500}}
    own_figure = {SPEND: {"numerator": 30, "denominator": 1100}}   # the person wrote another average
    assert follow_profile(cn, own_figure, before, after) == {}


def test_a_profile_change_of_who_owns_digitalisation_carries_into_the_answer(cn):
    assert follow_profile(cn, {TALENT: ["none"]}, {"has_cio": False}, {"has_cio": True}) == {TALENT: ["staff"]}
    assert follow_profile(cn, {TALENT: ["staff", "training"]}, {"has_cio": True}, {"has_cio": False}) == {
        TALENT: ["training"]}
    assert follow_profile(cn, {TALENT: ["department"]}, {"has_cio": True}, {"has_cio": False}) == {TALENT: None}
    assert follow_profile(cn, {TALENT: ["department"]}, {"has_cio": False}, {"has_cio": True}) == {}


@settings(max_examples=200, deadline=None)
@given(chosen=st.one_of(st.just({"none"}),   # "none" is exclusive: alone or not at all
                        st.sets(st.sampled_from(["staff", "department", "training", "performance_pay",
                                                 "development"]))),
       before=st.booleans(), after=st.booleans())
def test_after_a_profile_change_the_answer_never_contradicts_the_profile(chosen, before, after):
    cn = CN
    answers = {TALENT: sorted(chosen)} if chosen else {}
    changes = follow_profile(cn, answers, {"has_cio": before}, {"has_cio": after})
    merged = {**answers, **changes}
    if merged.get(TALENT) is None:
        merged.pop(TALENT, None)
    said = profile_from_answers(cn, merged, {})
    if TALENT in merged and before != after:
        assert said["has_cio"] is after
        assert not ("none" in merged[TALENT] and len(merged[TALENT]) > 1)


@settings(max_examples=100, deadline=None)
@given(revenue=st.integers(min_value=1, max_value=10**11))
def test_the_prefilled_part_says_the_profile_revenue(revenue):
    cn = CN
    figure = prefill(cn, {"revenue": revenue}, {})[SPEND]["denominator"]
    assert abs(figure * 10_000 - revenue) <= 1  # rounded to a yuan at most


def _with_links(small_data, links):
    return {**small_data, "profile_links": links}


@pytest.mark.parametrize("link, problem", [
    ({"field": "turnover", "item": "a", "source": "answer", "options": ["x"]},
     "profile_links[0].field: unknown profile field 'turnover'"),
    ({"field": "has_cio", "item": "nope", "source": "answer", "options": ["x"]},
     "profile_links[0].item: unknown item 'nope'"),
    ({"field": "has_cio", "item": "a", "source": "both", "options": ["x"]},
     "profile_links[0].source: unknown source 'both'"),
])
def test_bad_links_are_named_with_their_path(small_data, link, problem):
    with pytest.raises(InstrumentError) as exc:
        build(_with_links(small_data, [link]))
    assert any(problem in p for p in exc.value.problems), exc.value.problems


def test_a_link_to_an_option_the_item_does_not_offer_is_refused(small_data):
    item = small_data["dimensions"][0]["indicators"][0]["items"][0]
    link = {"field": "has_cio", "item": item["id"], "source": "answer", "options": ["not-there"]}
    with pytest.raises(InstrumentError) as exc:
        build(_with_links(small_data, [link]))
    assert any(f"item '{item['id']}' offers no option 'not-there'" in p for p in exc.value.problems)


def test_minutes_must_be_a_whole_number_of_minutes(small_data):
    with pytest.raises(InstrumentError) as exc:
        build({**small_data, "minutes": 0})
    assert any("minutes: 0 is outside 1..600" in p for p in exc.value.problems)
    assert build({**small_data, "minutes": 15}).minutes == 15
