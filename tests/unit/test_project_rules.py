"""The project rules as data: the status chain, who moves each step, amounts and reasons."""
from pathlib import Path

import pytest
import yaml
from hypothesis import given, strategies as st

from diagnosis.projects import ProjectRulesError, StepRefused, load_rules, parse_amount, parse_rules

RULES = load_rules(Path(__file__).resolve().parents[2] / "data" / "projects.yaml")


def test_the_whole_chain_runs_from_request_to_acceptance_each_side_moving_its_own_steps():
    status = "requested"
    for step, side, extra in [("contact", "provider", {}), ("quote", "provider", {"amount": "86,000"}),
                              ("contract", "enterprise", {}), ("start", "provider", {}),
                              ("submit", "enterprise", {}), ("accept", "centre", {})]:
        moved = RULES.move(status, step, side, **extra)
        status = moved["status"]
    assert status == "accepted" and RULES.final("accepted")


@pytest.mark.parametrize("status, step, side, code", [
    ("requested", "contract", "enterprise", "step_out_of_order"),   # never quoted
    ("implementing", "accept", "centre", "step_out_of_order"),      # never submitted
    ("quoted", "accept", "centre", "step_out_of_order"),            # never contracted
    ("requested", "contact", "enterprise", "not_your_step"),
    ("submitted", "accept", "provider", "not_your_step"),
    ("accepted", "withdraw_enterprise", "enterprise", "step_out_of_order"),  # final
    ("requested", "fly", "enterprise", "step_unknown"),
])
def test_steps_out_of_order_or_of_the_other_side_are_refused(status, step, side, code):
    with pytest.raises(StepRefused) as err:
        RULES.move(status, step, side, reason="x")
    assert err.value.code == code


def test_withdrawing_and_rejecting_need_a_reason():
    with pytest.raises(StepRefused, match="reason_required"):
        RULES.move("contracted", "withdraw_provider", "provider", reason="  ")
    assert RULES.move("submitted", "reject", "centre", reason=" 缺少发票 ")["reason"] == "缺少发票"


@pytest.mark.parametrize("value, code", [
    ("-1", "amount_negative"), (-5, "amount_negative"), ("八万", "amount_not_number"),
    ("", "amount_required"), (None, "amount_required"), ("12.5", "amount_not_whole"),
    ("nan", "amount_not_number"), ("1e30", "amount_too_large"), (True, "amount_required"),
])
def test_a_quote_below_zero_or_in_text_is_refused(value, code):
    with pytest.raises(StepRefused) as err:
        parse_amount(value)
    assert err.value.code == code


@given(st.integers(min_value=0, max_value=10**10))
def test_every_whole_amount_reads_back_the_same_with_or_without_commas(n):
    assert parse_amount(n) == parse_amount(f"{n:,}") == parse_amount(str(n)) == n


def test_open_steps_list_only_what_a_side_may_do_now():
    assert [s.id for s in RULES.open_steps("quoted", "enterprise")] == ["contract", "withdraw_enterprise"]
    assert RULES.open_steps("accepted") == []


def test_a_broken_rules_file_names_every_problem():
    doc = yaml.safe_load((Path(__file__).resolve().parents[2] / "data" / "projects.yaml").read_text())
    doc["steps"]["quote"]["side"] = "bank"
    doc["steps"]["start"]["to"] = "flying"
    doc["acceptance_pack"]["contract"]["kind"] = "fax"
    doc["outcomes"]["min_accepted"] = 0
    with pytest.raises(ProjectRulesError) as err:
        parse_rules(doc)
    text = str(err.value)
    assert "steps.quote.side" in text and "steps.start.to: unknown status 'flying'" in text
    assert "acceptance_pack.contract.kind" in text and "outcomes.min_accepted" in text
