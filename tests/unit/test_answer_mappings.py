"""Answer mappings: the files are checked so nothing is lost silently, and applying one gives
valid answers of the target version plus a note per question."""
import copy
import json
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from diagnosis import check_answers
from diagnosis.mapping import map_answers
from diagnosis.mapping_loader import MappingError, load_mappings, parse_mapping
from tests.unit.test_scoring_properties import draw_answer

ROOT = Path(__file__).resolve().parents[2]
MAPPINGS = ROOT / "questionnaires" / "mappings"
V1_FILE = MAPPINGS / "cn-sme-2024-1.0.0-to-2.0.0.yaml"
DEMO_FIRST = yaml.safe_load((ROOT / "data" / "demo.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def mappings(instruments):
    return load_mappings(MAPPINGS, instruments)


@pytest.fixture(scope="module")
def v1_to_v2(mappings):
    return mappings[("cn-sme-2024", "1.0.0", "cn-sme-2024", "2.0.0")]


@pytest.fixture(scope="module")
def qc_to_cn(mappings):
    return mappings[("quick-check", "1.0.0", "cn-sme-2024", "2.0.0")]


def v1_data():
    return yaml.safe_load(V1_FILE.read_text(encoding="utf-8"))


def problems_of(data, instruments):
    with pytest.raises(MappingError) as exc:
        parse_mapping(yaml.safe_dump(data, allow_unicode=True), "m.yaml", instruments)
    return exc.value.problems


def test_both_shipped_mappings_load(mappings):
    assert set(mappings) == {("cn-sme-2024", "1.0.0", "cn-sme-2024", "2.0.0"),
                             ("quick-check", "1.0.0", "cn-sme-2024", "2.0.0")}


def test_v1_draft_worked_by_hand(v1_to_v2, cn, cn_v1):
    # The demo's first 1.0.0 assessment of 海星: what carries over and what is asked again.
    old = DEMO_FIRST["enterprises"][0]["assessments"][0]["answers"]
    mapped = map_answers(v1_to_v2, cn_v1, cn, old)
    assert mapped.answers["data_collection_areas"] == ["marketing", "production_control", "finance"]
    assert mapped.answers["digital_awareness"] == "learning"          # idea → learning
    assert mapped.answers["digital_talent"] == ["staff", "training"]  # part-time owner + occasional training
    assert mapped.answers["equipment_digital_rate"] == {"numerator": 18, "denominator": 50}
    assert mapped.answers["decision_support"] == 0
    codes = {qid: n["code"] for qid, n in mapped.notes.items()}
    assert {q for q, c in codes.items() if c == "answer_again"} == {"network", "network_security", "data_security"}
    assert {q for q, c in codes.items() if c == "new_question"} == {"management_rules", "product_pass_rate"}
    assert set(codes) == {q.id for q in cn.questions}
    network = mapped.notes["network"]
    assert network["previous"] == [{"question": cn_v1.question("network").text,
                                    "answer": cn_v1.question("network").option("partial").text}]
    assert (network["instrument"], network["version"]) == ("cn-sme-2024", "1.0.0")
    assert mapped.notes["product_pass_rate"]["previous"][0]["answer"]["en"] == "About the same"
    assert check_answers(cn, mapped.answers, {}) == []


def test_an_answer_the_new_version_refuses_is_asked_again(v1_to_v2, cn, cn_v1):
    # 1.0.0 took fractional device counts and "not applicable" energy use; 2.0.0 takes neither.
    mapped = map_answers(v1_to_v2, cn_v1, cn, {"equipment_digital_rate": {"numerator": 2.5, "denominator": 10},
                                               "energy_per_revenue": "n/a"})
    assert "equipment_digital_rate" not in mapped.answers and "energy_per_revenue" not in mapped.answers
    assert mapped.notes["equipment_digital_rate"]["code"] == "answer_again"
    assert mapped.notes["energy_per_revenue"]["previous"][0]["answer"] == {"zh": "不适用", "en": "not applicable"}
    assert mapped.notes["network"]["code"] == "unanswered_before"


def test_quick_check_answers_carry_onto_the_national_index(qc_to_cn, qc, cn):
    answers = json.loads((ROOT / "examples" / "quick-check" / "mixed.json").read_text(encoding="utf-8"))
    mapped = map_answers(qc_to_cn, qc, cn, answers)
    assert mapped.answers == {"data_collection_areas": ["marketing", "finance"], "system_coverage": "two_or_more",
                              "network_security": ["products"], "data_security": ["products"],
                              "digital_awareness": "learning", "digital_talent": ["staff"]}
    assert mapped.notes["equipment_networked_rate"]["code"] == "new_question"
    assert mapped.notes["equipment_networked_rate"]["previous"][0]["answer"]["en"] == "20–50 %"
    assert mapped.notes["network"]["code"] == "answer_again"
    assert mapped.notes["product_design"]["reason"]["en"] == "The quick check does not ask about application scenarios."


SETTINGS = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                          HealthCheck.function_scoped_fixture])


@pytest.mark.parametrize("source", ["cn-sme-2024@1.0.0", "quick-check@1.0.0"])
@SETTINGS
@given(data=st.data())
def test_nothing_is_lost_silently(instruments, mappings, source, data):
    """Every answered source question ends up carried over or shown beside a target question,
    and every carried answer is valid for 2.0.0."""
    iid, version = source.split("@")
    src, target = instruments.version(iid, version), instruments["cn-sme-2024"]
    mapping = mappings[(iid, version, "cn-sme-2024", "2.0.0")]
    answers = {q.id: draw_answer(data, q) for q in src.questions
               if data.draw(st.booleans(), label=f"answer {q.id}")}
    mapped = map_answers(mapping, src, target, answers)
    assert check_answers(target, mapped.answers, {}) == []
    accounted = set()
    for qid, note in mapped.notes.items():
        assert (qid in mapped.answers) == (note["code"] == "carried_over")
        accounted |= set(note.get("from", [])) & set(answers)
        accounted |= {p["question"]["en"] for p in note.get("previous", [])}
    for qid in answers:
        assert qid in accounted or src.question(qid).text["en"] in accounted, qid


@pytest.mark.parametrize("breaker, problem", [
    (lambda d: d["questions"].pop("management_rules"),
     "questions: no rule for 'management_rules' of cn-sme-2024 2.0.0: copy or map an answer to it, "
     "or say why it is new (new: {zh, en})"),
    (lambda d: d["questions"]["product_pass_rate"].pop("see"),
     "questions: answers to 'monthly_output' of cn-sme-2024 1.0.0 are used by no rule: map them, or name "
     "the question in `see` of the one that replaces it"),
    (lambda d: d["questions"]["network"]["from"]["network"].pop("office"),
     "questions.network.from.network: answer 'office' of 'network' is not mapped: give its answer of "
     "'network', or ~ when it cannot be carried over"),
    (lambda d: d["questions"]["digital_awareness"]["from"]["digital_plan"].update(idea="curious"),
     "questions.digital_awareness.from.digital_plan.idea: 'curious' is not an option of 'digital_awareness' "
     "(none, learning, planned, started, transformed, leading)"),
    (lambda d: d["questions"]["network"]["from"]["network"].update(none=["none", "system_network"]),
     "questions.network.from.network.none: ['none', 'system_network']: an exclusive option cannot be combined"),
    (lambda d: d["questions"].update(energy_per_revenue={"copy": "energy_per_revenue"}),
     "questions.energy_per_revenue.copy: 'energy_per_revenue' allows 'n/a' but 'energy_per_revenue' does not: "
     "use `from` and map n/a to ~"),
    (lambda d: d["questions"].update(network={"copy": "network"}),
     "questions.network.copy: cannot copy a single answer into a multiple question: use `from` with a value map"),
    (lambda d: d["copy"].append("network"), "questions.network: 'network' has a rule already (at copy[22])"),
    (lambda d: d["questions"].update(bogus={"new": {"zh": "新", "en": "New"}}),
     "questions.bogus: 'bogus' is not a question of cn-sme-2024 2.0.0"),
    (lambda d: d.update({"from": {"instrument": "cn-sme-2024", "version": "0.9.0"}}),
     "from: no instrument 'cn-sme-2024' version 0.9.0 (known: cn-sme-2024 1.0.0, cn-sme-2024 2.0.0, "
     "eu-dma 1.0.0, quick-check 1.0.0)"),
    (lambda d: (d["copy"].remove("digital_spend_rate"),
                d["questions"].update(digital_spend_rate={"from": {"digital_spend_rate": {"x": 1}}})),
     "questions.digital_spend_rate.from.digital_spend_rate: a rate answer can only be copied (copy: ...), "
     "not mapped value by value"),
])
def test_bad_mappings_are_named_precisely(instruments, breaker, problem):
    data = copy.deepcopy(v1_data())
    breaker(data)
    assert f"m.yaml: {problem}" in problems_of(data, instruments)
