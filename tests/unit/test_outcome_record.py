"""A provider's outcome record, computed by hand for a small set of projects."""
from datetime import date

from hypothesis import given, strategies as st

from diagnosis.outcomes import ProjectFacts, outcome_record


def _accepted(t0, t1, r0, r1, sat, contracted, accepted):
    return ProjectFacts("accepted", t0, t1, r0, r1, sat, contracted, accepted)


FIVE = [
    _accepted(40.0, 52.5, 1, 2, 4.5, date(2026, 1, 1), date(2026, 3, 2)),    # +12.5, +1, 60 days
    _accepted(55.0, 60.0, 2, 2, 3.0, date(2026, 2, 1), date(2026, 2, 21)),   # +5,    0, 20 days
    _accepted(30.0, 48.0, 1, 2, 5.0, date(2026, 3, 1), date(2026, 5, 10)),   # +18,  +1, 70 days
    _accepted(61.0, 80.0, 2, 3, None, date(2026, 4, 1), date(2026, 4, 11)),  # +19,  +1, 10 days
    _accepted(45.0, None, 1, None, 4.0, None, date(2026, 6, 1)),             # no T1, no contract day
    ProjectFacts("rejected"), ProjectFacts("withdrawn"), ProjectFacts("withdrawn"),
    ProjectFacts("implementing"),
]


def test_hand_computed_record_of_five_accepted_projects():
    r = outcome_record(FIVE, min_accepted=5)
    assert (r.projects, r.accepted, r.rejected, r.withdrawn) == (9, 5, 1, 2)
    assert r.accepted_share == 0.625                       # 5 / (5 + 1 + 2)
    assert r.assessed_pairs == 4
    assert r.median_point_uplift == 15.25                  # median of 5, 12.5, 18, 19
    assert r.median_level_uplift == 1.0                    # median of 0, 1, 1, 1
    assert (r.rated, r.median_satisfaction) == (4, 4.25)   # median of 3, 4, 4.5, 5
    assert (r.timed, r.median_days_to_acceptance) == (4, 40.0)  # median of 10, 20, 60, 70
    assert r.shown


def test_four_accepted_projects_are_not_enough_to_show_the_record():
    r = outcome_record(FIVE[1:], min_accepted=5)
    assert r.accepted == 4 and not r.shown
    assert r.median_point_uplift == 18.0                   # median of 5, 18, 19


def test_no_projects_gives_no_figures_not_zeros():
    r = outcome_record([], min_accepted=5)
    assert r.accepted_share is None and r.median_point_uplift is None
    assert r.median_satisfaction is None and not r.shown


statuses = st.sampled_from(["requested", "quoted", "accepted", "rejected", "withdrawn"])


@given(st.lists(st.builds(ProjectFacts, statuses), max_size=30), st.integers(1, 10))
def test_counts_add_up_and_the_share_stays_between_zero_and_one(facts, minimum):
    r = outcome_record(facts, minimum)
    assert r.accepted + r.rejected + r.withdrawn <= r.projects == len(facts)
    assert r.accepted_share is None or 0 <= r.accepted_share <= 1
    assert r.shown == (r.accepted >= minimum)


def test_the_ranking_factor_by_hand():
    from diagnosis.outcomes import NEUTRAL, ranking_factor
    # shown: accepted share 0.625, median satisfaction 4.25 → (0.625 + 3.25 / 4) / 2 = 0.71875
    assert ranking_factor(outcome_record(FIVE, 5)) == 0.7188
    assert ranking_factor(outcome_record(FIVE[1:], 5)) == NEUTRAL == 0.5  # not shown yet
