"""`aggregates.parse` on any period: accepted exactly when since ≤ as_of ≤ today, each other
case named once, and a priority group always becomes its codes (Hypothesis)."""
from datetime import date, timedelta
from types import SimpleNamespace

from hypothesis import given, strategies as st

from services import aggregates
from services.organisations import Reference

TODAY = date(2026, 6, 30)
GROUPS = {"automotive": ("C36",), "marine-engineering": ("C37", "E48"), "aerospace": ("C37",)}
REFERENCE = Reference(frozenset({"芝罘区"}), frozenset({"C", "C36", "C37", "E", "E48"}),
                      priority_industries=GROUPS)
INSTRUMENTS = {"cn-sme-2024": SimpleNamespace(version="2.0.0")}
days = st.integers(-400, 30).map(lambda n: TODAY + timedelta(days=n))


def parse(**raw):
    return aggregates.parse({"instrument": "cn-sme-2024", "by": "district", **raw}, REFERENCE,
                            INSTRUMENTS, TODAY)


@given(since=days, as_of=days)
def test_a_period_is_accepted_exactly_when_it_is_in_order_and_not_in_the_future(since, as_of):
    expected = ([("as_of", "future_date", as_of.isoformat())] if as_of > TODAY else []) + (
        [("since", "future_date", since.isoformat())] if since > TODAY
        else [("since", "since_after_as_of", since.isoformat())] if since > min(as_of, TODAY)
        else [])
    try:
        query = parse(since=since.isoformat(), as_of=as_of.isoformat())
    except aggregates.QueryInvalid as err:
        assert err.problems == expected
    else:
        assert expected == [] and query.since == since <= query.as_of == as_of
        assert query.filters()["since"] == since.isoformat()


@given(st.sampled_from(sorted(GROUPS) + ["all"]))
def test_a_priority_group_becomes_its_codes_once_each(priority):
    query = parse(priority=priority)
    wanted = (GROUPS[priority] if priority != "all"
              else tuple(dict.fromkeys(c for codes in GROUPS.values() for c in codes)))
    assert query.industries == wanted and query.priority == priority
    assert len(set(query.industries)) == len(query.industries)


def test_without_since_or_priority_nothing_changes():
    query = parse(as_of="2026-06-01")
    assert query.since is None and query.priority is None and query.industries == ()
