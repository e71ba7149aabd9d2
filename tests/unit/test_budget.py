"""Budgets as people write them: one parser for the plan page, the CLI and the API."""
import pytest
from hypothesis import given
from hypothesis import strategies as st

from diagnosis.budget import MAX_BUDGET, BudgetError, parse_budget


@pytest.mark.parametrize("written, yuan", [
    ("200000", 200000), ("200,000", 200000), ("¥200,000", 200000), ("￥200,000", 200000),
    ("20万", 200000), ("20 万元", 200000), ("20.5万", 205000), ("人民币20万元", 200000),
    ("２０万", 200000), ("２００，０００", 200000), ("200 000", 200000),
    ("200k", 200000), ("200K", 200000), ("1.5 million", 1500000), ("CNY 200,000", 200000),
    ("RMB200000", 200000), ("200000 yuan", 200000), ("200,000元", 200000), ("0", 0), (" 0 ", 0),
    ("0.3万", 3000), (150000, 150000),
])
def test_budgets_as_people_write_them(written, yuan):
    assert parse_budget(written) == yuan


@pytest.mark.parametrize("written, code", [
    ("", "empty"), ("   ", "empty"), (None, "empty"), ("lots", "not_a_number"), ("1e5", "not_a_number"),
    ("nan", "not_a_number"), ("inf", "not_a_number"), ("20万万", "not_a_number"), ("2,00,000", "not_a_number"),
    ("-", "not_a_number"), ("¥", "not_a_number"), ("-5", "negative"), ("¥-5", "negative"), ("-20万", "negative"), ("200000.5", "fraction"),
    ("0.00001万", "fraction"), ("10000000001", "too_large"), ("2000000万", "too_large"), (True, "not_a_number"),
])
def test_what_is_not_a_budget_is_named(written, code):
    with pytest.raises(BudgetError) as err:
        parse_budget(written)
    assert err.value.code == code


@given(st.integers(0, MAX_BUDGET))
def test_any_whole_amount_reads_back_in_every_written_form(n):
    forms = [str(n), f"{n:,}", f"¥{n:,}", f"{n} 元", f"CNY {n:,}"]
    if n % 10000 == 0:
        forms += [f"{n // 10000}万", f"{n // 10000} 万元"]
    if n % 1000 == 0:
        forms.append(f"{n // 1000}k")
    assert {parse_budget(f) for f in forms} == {n}


@given(st.text(max_size=30))
def test_any_text_is_a_budget_or_a_named_problem(text):
    try:
        value = parse_budget(text)
    except BudgetError as err:
        assert err.code in {"empty", "not_a_number", "negative", "fraction", "too_large"}
    else:
        assert isinstance(value, int) and 0 <= value <= MAX_BUDGET
