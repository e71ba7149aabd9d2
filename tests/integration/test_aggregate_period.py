"""The period (`since`) and priority-industry (`priority`) filters of the bureau aggregates on a
real database: hand-computed counts, suppression by the one-filter-changed neighbour, bad
values and the command line."""
import json
from datetime import date, datetime, timezone

import pytest

from services import aggregates, instrument_registry, organisations
from services.access import BureauScope

LEVELS = ["none", "level1", "level2", "level3", "level4"]


def utc(*args):
    return datetime(*args, tzinfo=timezone.utc)


# industry, [(submitted at, level, total), ...] oldest first, how many enterprises
POPULATION = [
    ("C36", [(utc(2026, 1, 10), "level1", 30.0), (utc(2026, 4, 10), "level2", 50.0)], 4),
    ("C36", [(utc(2026, 1, 10), "level1", 30.0)], 2),
    ("C37", [(utc(2026, 4, 20), "level2", 60.0)], 5),
    ("C34", [(utc(2026, 2, 1), "level1", 20.0)], 7),  # at midnight: `since` is inclusive
    ("C34", [(utc(2026, 1, 5, 23, 59), "level1", 20.0)], 1),
]


@pytest.fixture
def population(app):
    from storage.db import db_session
    from storage.models import Assessment, Enterprise

    with app.app_context():
        for industry, submissions, count in POPULATION:
            for _ in range(count):
                firm = Enterprise(name="synthetic", district="芝罘区", size_class="small",
                                  industry_code=industry)
                db_session.add(firm)
                db_session.flush()
                for when, level, total in submissions:
                    db_session.add(Assessment(
                        enterprise_id=firm.id, instrument_id="cn-sme-2024",
                        instrument_version="2.0.0", status="submitted", answers={},
                        total=total, level_id=level, submitted_at=when))
                    db_session.flush()
        db_session.commit()
    return app


def parsed(app, scope=None, **raw):
    with app.app_context():
        registry = instrument_registry.instruments(app.config["QUESTIONNAIRES_DIR"])
        return aggregates.parse({"instrument": "cn-sme-2024", "by": "district",
                                 "as_of": "2026-06-30", **raw},
                                organisations.reference(app.config), registry,
                                date(2026, 12, 1), scope=scope)


def total(app, scope=None, **raw):
    query = parsed(app, scope, **raw)
    with app.app_context():
        return aggregates.table(query, LEVELS, scope)["total"]


def test_since_counts_each_enterprises_latest_submission_within_the_period(population):
    assert total(population)["n"] == 19
    found = total(population, since="2026-04-01")
    # the four C36 firms' second submissions and the five C37 firms'
    assert found["n"] == 9 and found["mean_total"] == round((4 * 50 + 5 * 60) / 9, 2)
    assert found["levels"] == {"none": 0, "level1": 0, "level2": 9, "level3": 0, "level4": 0}
    early = total(population, since="2026-01-01", as_of="2026-03-31")
    assert early["n"] == 14 and early["mean_total"] == round((6 * 30 + 8 * 20) / 14, 2)


def test_both_ends_of_the_period_are_whole_days(population):
    # seven C34 firms submitted at midnight of the first day; the C36 firms' April
    # submissions are after the last day
    found = total(population, since="2026-02-01", as_of="2026-03-31")
    assert found["n"] == 7 and found["mean_total"] == 20.0
    assert total(population, since="2026-02-01", as_of="2026-02-01")["n"] == 7


def test_a_period_leaving_out_fewer_than_k_enterprises_is_suppressed(population):
    # from 6 January: everyone but the firm that submitted on 5 January, so the difference
    # with the same table without `since` would be that one firm
    found = total(population, since="2026-01-06")
    assert found["suppressed"] and found["n"] is None and found["mean_total"] is None


def test_priority_groups_count_their_divisions(population):
    automotive = total(population, priority="automotive")
    assert automotive["n"] == 6 and automotive["mean_total"] == round((4 * 50 + 2 * 30) / 6, 2)
    every = total(population, priority="all")  # C36 and C37 (aerospace, marine engineering)
    assert every["n"] == 11 and every["mean_total"] == round((200 + 60 + 300) / 11, 2)
    # aerospace: five firms, all at level 2; the other four at level 2 (C36) could be worked
    # out against the table without the filter, so the level count and the total are hidden
    assert total(population, priority="aerospace")["suppressed"]
    query = parsed(population, priority="clean-energy")
    assert query.industries == ("D44", "C38") and query.filters()["priority"] == "clean-energy"
    assert total(population, priority="clean-energy")["n"] == 0


def test_priority_and_period_together_and_their_neighbours(population):
    # 9 within the period; without `since` 11: two firms apart, so the total is hidden
    found = total(population, priority="all", since="2026-04-01")
    assert found["suppressed"] and found["n"] is None
    assert total(population, priority="automotive", since="2026-04-01")["suppressed"]  # 4 < k


def test_filters_report_both(population):
    query = parsed(population, priority="automotive", since="2026-04-01")
    assert query.filters() == {"industry": None, "district": None, "size_class": None,
                               "mode": "all", "priority": "automotive", "since": "2026-04-01",
                               "as_of": "2026-06-30"}


@pytest.mark.parametrize("raw,problems", [
    ({"since": "2026-02-30"}, [("since", "bad_date", "2026-02-30")]),
    ({"since": "yesterday"}, [("since", "bad_date", "yesterday")]),
    ({"since": "2026-12-02"}, [("since", "future_date", "2026-12-02")]),
    ({"since": "2026-07-01"}, [("since", "since_after_as_of", "2026-07-01")]),
    ({"priority": "shipbuilding"}, [("priority", "unknown_priority", "shipbuilding")]),
    ({"priority": "C36"}, [("priority", "unknown_priority", "C36")]),
])
def test_bad_values_are_named(population, raw, problems):
    with pytest.raises(aggregates.QueryInvalid) as err:
        parsed(population, **raw)
    assert err.value.problems == problems


def test_messages_in_both_languages(population):
    with pytest.raises(aggregates.QueryInvalid) as err:
        parsed(population, since="2026-07-01", priority="ships")
    assert err.value.messages("zh") == [
        "since: 起始日期不能晚于截至日期：2026-07-01",
        "priority: 未知的重点产业：ships（all 或 data/priority-industries.yaml 中的编号）"]
    assert err.value.messages("en") == [
        "since: The start date is after the as-of date: 2026-07-01",
        "priority: Unknown priority industry: ships (all, or an id of "
        "data/priority-industries.yaml)"]


def test_an_industry_bureau_keeps_to_its_scope(population):
    scope = BureauScope(1, frozenset(), frozenset({"C36"}))
    assert total(population, scope=scope, priority="all")["n"] == 6  # only its C36 firms
    assert total(population, scope=scope, priority="automotive")["n"] == 6
    with pytest.raises(aggregates.QueryInvalid) as err:
        parsed(population, scope=scope, priority="aerospace")
    assert err.value.problems == [("priority", "outside_scope", "aerospace")]


def run(app, *args):
    return app.test_cli_runner().invoke(args=["aggregates", "--instrument", "cn-sme-2024",
                                              "--by", "district", "--as-of", "2026-06-30",
                                              *args])


def test_command_takes_since_and_priority(population):
    result = run(population, "--since", "2026-01-01", "--priority", "automotive")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["filters"]["since"] == "2026-01-01" and data["filters"]["priority"] == "automotive"
    assert data["total"]["n"] == 6


def test_command_refuses_bad_since_and_priority_with_exit_2(population):
    result = run(population, "--since", "2026-07-01", "--priority", "ships", "--lang", "en")
    assert result.exit_code == 2
    assert "since: The start date is after the as-of date: 2026-07-01" in result.output
    assert "priority: Unknown priority industry: ships" in result.output
    help_text = population.test_cli_runner().invoke(args=["aggregates", "--help"]).output
    assert "--since" in help_text and "--priority" in help_text
    assert "priority-industries.yaml" in help_text
