"""How bench/faults.py counts lost answers, errors and recovery, on hand-made client events."""
from hypothesis import given
from hypothesis import strategies as st

from bench.faults import error_kinds, lost_answers, recovery


def event(start, end, n, saved=True, status=200, draft=1):
    return {"start": start, "end": end, "status": status, "draft": draft, "n": n, "saved": saved}


def test_an_acknowledged_save_above_what_the_database_kept_is_lost():
    events = [event(0, 0.1, 1), event(1, 1.1, 2), event(2, 2.1, 3),
              event(3, 3.1, 4, saved=False, status=503), event(0, 0.1, 1, draft=2)]
    # Draft 1 kept 2 although 3 was acknowledged; draft 2 kept what it was told.
    lost, behind = lost_answers(events, {"1": 3, "2": 1}, {1: 2, 2: 1})
    assert (lost, behind) == (1, 1)


def test_an_unacknowledged_save_that_was_kept_anyway_loses_nothing():
    events = [event(0, 0.1, 1), event(1, 31, 2, saved=False, status=0)]
    assert lost_answers(events, {"1": 1}, {1: 2}) == (0, 0)


def test_a_draft_with_nothing_stored_loses_every_acknowledged_save():
    events = [event(0, 0.1, 1), event(1, 1.1, 2)]
    assert lost_answers(events, {"1": 2}, {1: None}) == (2, 1)


def test_errors_are_sorted_into_503_500_cut_and_other():
    events = [event(0, 1, 1, False, 503), event(0, 1, 2, False, 503), event(0, 1, 3, False, 500),
              event(0, 1, 4, False, 0), event(0, 1, 5, False, 400), event(0, 1, 6)]
    assert error_kinds(events) == {"503": 2, "500": 1, "cut": 1, "HTTP 400": 1}


def test_recovery_ends_with_the_last_failed_or_slow_save_of_the_window():
    events = [event(9.0, 9.2, 1, False, 503),     # before the fault: not counted
              event(10.5, 10.6, 2, False, 503),   # failed
              event(11.0, 13.5, 3),               # slow (2.5 s): still recovering
              event(14.0, 14.1, 4),               # fine
              event(31.0, 32.0, 5, False, 503)]   # after the next fault (at 30)
    assert recovery(events, 10.0, 30.0) == 3.5
    assert recovery([event(11, 11.1, 1)], 10.0, 30.0) == 0.0


@given(st.lists(st.tuples(st.integers(1, 50), st.booleans()), max_size=40), st.integers(0, 60))
def test_nothing_is_lost_when_the_database_kept_the_highest_number_sent(saves, extra):
    events = [event(i, i + 0.1, n, saved) for i, (n, saved) in enumerate(saves)]
    acknowledged = max((n for n, saved in saves if saved), default=None)
    highest = max((n for n, _ in saves), default=0) + extra
    told = {"1": acknowledged} if acknowledged is not None else {}
    assert lost_answers(events, told, {1: highest}) == (0, 0)
