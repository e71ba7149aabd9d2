"""The further figures from the figure summary (kept on flush) equal the same figures from the
row tables, through random sequences of submissions with score, scenario and plan rows,
baselines, profile moves, help requests and deletions, on SQLite and PostgreSQL."""
from datetime import date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete

from services import aggregate_counts, aggregates, bureau_figures
from storage import aggregate_summary, latest_assessments
from storage.aggregate_models import AggregateCount, AggregateFigure, AggregateSnapshot
from tests.integration.test_on_site import solo  # noqa: F401  (a fixture)
from tests.web.test_assess_fixtures import mini_app  # noqa: F401  (a fixture)

START = datetime(2020, 1, 1, 9, tzinfo=timezone.utc)
DAYS = [date(2020, 1, 3), date(2020, 1, 6)]  # past snapshots, kept on flush like now
DISTRICTS = ["芝罘区", "莱山区"]
MODULES = ["m-erp", "m-mes", "m-crm"]

totals = st.integers(0, 400).map(lambda quarter: quarter / 4)  # halves: the rounding edge
submission = st.fixed_dictionaries({
    "event": st.just("submit"), "firm": st.integers(0, 2), "day": st.integers(0, 8),
    "mode": st.sampled_from(["self", "on_site"]), "rank": st.integers(1, 3), "total": totals,
    "baseline": st.booleans(), "scores": st.lists(st.floats(0, 10).map(lambda x: round(x, 2)),
                                                  min_size=4, max_size=4),
    "scenarios": st.lists(st.integers(-1, 4), min_size=3, max_size=3),
    "plan": st.lists(st.sampled_from(MODULES), unique=True, max_size=3)})
move = st.fixed_dictionaries({"event": st.just("move"), "firm": st.integers(0, 2),
                              "district": st.sampled_from(DISTRICTS)})
ask = st.fixed_dictionaries({"event": st.just("ask"), "firm": st.integers(0, 2),
                             "day": st.integers(0, 8),
                             "modules": st.lists(st.sampled_from(MODULES), unique=True,
                                                 min_size=1, max_size=3)})
drop = st.fixed_dictionaries({"event": st.sampled_from(["delete", "withdraw"]),
                              "nth": st.integers(0, 20)})
events = st.lists(st.one_of(submission, submission, submission, move, ask, drop), min_size=6,
                  max_size=20)


def _submit(event, firm, instrument):
    from storage.models import (Assessment, AssessmentDimensionScore, AssessmentIndicatorScore,
                                AssessmentPlanModule, AssessmentScenarioLevel)

    when = START + timedelta(days=event["day"])
    dims = [d.id for d in instrument.dimensions][:2]
    inds = [(ind.id, d.id) for d in instrument.dimensions for ind in d.indicators][:2]
    scenarios = [s.id for s in instrument.scenarios][:3]
    a, b, c, d = event["scores"]
    return Assessment(
        enterprise_id=firm.id, instrument_id="cn-sme-2024", instrument_version="2.0.0",
        status="submitted", mode=event["mode"], answers={}, total=event["total"],
        level_id=f"level{event['rank']}", level_rank=event["rank"], submitted_at=when,
        baseline_at=when if event["baseline"] else None,
        dimension_scores=[AssessmentDimensionScore(dimension_id=dims[0], score=a, max=10.0),
                          AssessmentDimensionScore(dimension_id=dims[1], score=b, max=20.0)],
        indicator_scores=[AssessmentIndicatorScore(indicator_id=ind, dimension_id=dim,
                                                   score=s, max=10.0)
                          for (ind, dim), s in zip(inds, (c, d))],
        scenario_levels=[AssessmentScenarioLevel(scenario_id=sid, level=lv)
                         for sid, lv in zip(scenarios, event["scenarios"]) if lv >= 0],
        plan_modules=[AssessmentPlanModule(module_id=m) for m in event["plan"]])


def _figures(app, as_of, mode, district, summary=True):
    from services import catalogue
    from services.instrument_registry import instruments

    instrument = instruments(app.config["QUESTIONNAIRES_DIR"])["cn-sme-2024"]
    found = catalogue.current(app.config)
    query = aggregates.Query("cn-sme-2024", "2.0.0", ("district",), as_of, district=district,
                             mode=mode, k=1)
    assert (aggregate_counts.summary_date(query) is not None) == summary
    out = bureau_figures.further(query, None, instrument, found, [])
    out.pop("providers")
    return out


def _without_summary(app, as_of, mode, district):
    """The same figures from the row tables: the summary's listing hidden for the call."""
    from storage.db import db_session

    db_session.execute(delete(AggregateSnapshot))
    try:
        return _figures(app, as_of, mode, district, summary=False)
    finally:
        db_session.rollback()


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(events=events)
def test_figures_from_the_summary_equal_figures_from_the_row_tables(app, events, monkeypatch):
    from services.instrument_registry import instruments
    from storage.db import db_session
    from storage.models import Assessment, Enterprise
    from storage.organisation_models import Organisation
    from storage.project_models import Project, ProjectModule

    monkeypatch.setattr(aggregate_counts, "_build", lambda as_of: None)  # the row path stays so
    with app.app_context():
        instrument = instruments(app.config["QUESTIONNAIRES_DIR"])["cn-sme-2024"]
        for table in (AggregateFigure, AggregateCount, AggregateSnapshot, Project, Assessment,
                      Enterprise, Organisation):
            db_session.execute(delete(table))
        firms = [Enterprise(name=f"firm {i}", district=DISTRICTS[i % 2], size_class="small",
                            industry_code="C34") for i in range(4)]
        centre = Organisation(kind="centre", name="centre", scope={}, settings={})
        db_session.add_all([*firms, centre])
        db_session.commit()
        for as_of in [latest_assessments.CURRENT, *DAYS]:
            aggregate_summary.build(db_session.connection(), as_of)
        db_session.commit()
        for event in events:  # one transaction each, as the services make them
            firm = firms[event.get("firm", 0)]
            if event["event"] == "submit":
                db_session.add(_submit(event, firm, instrument))
            elif event["event"] == "move":
                firm.district = event["district"]
            elif event["event"] == "ask":
                project = Project(enterprise_id=firm.id, organisation_id=centre.id,
                                  modules=event["modules"], share="summary", status="requested",
                                  created_at=START + timedelta(days=event["day"]))
                db_session.add(project)
                db_session.flush()
                db_session.add_all(ProjectModule(project_id=project.id, module_id=m)
                                   for m in event["modules"])
            else:
                model = Assessment if event["event"] == "delete" else Project
                listed = db_session.query(model).order_by(model.id).all()
                if listed:
                    db_session.delete(listed[event["nth"] % len(listed)])
            db_session.commit()
        for as_of in [date.today(), *DAYS]:
            for mode in aggregate_summary.MODES:
                for district in (None, DISTRICTS[0]):
                    assert _figures(app, as_of, mode, district) == \
                        _without_summary(app, as_of, mode, district), (as_of, mode, district)
        kept = _summary_rows()
        aggregate_summary.rebuild(db_session.connection())  # built in SQL: the same rows
        assert _summary_rows() == kept
        db_session.rollback()


def _summary_rows():
    from sqlalchemy import select

    from storage.db import db_session

    f = AggregateFigure
    return {tuple(row[:-3]): (row[-3], round(row[-2], 6), round(row[-1], 6))
            for row in db_session.execute(select(f.as_of, f.mode, f.district, f.size_class,
                                                 f.industry_code, f.figure, f.item,
                                                 f.value, f.n, f.score_sum, f.max_sum))}


@pytest.mark.parametrize("histogram, median", [
    ({}, None), ({7: 1}, 7), ({3: 1, 9: 1}, 6), ({3: 2, 9: 1}, 3), ({1: 1, 2: 1, 4: 2}, 3),
    ({10: 3, 20: 3}, 15)])
def test_median_of_a_histogram_hand_computed(histogram, median):
    assert bureau_figures._median(histogram) == median


def _kept_equals_rebuilt(app):
    """The figure rows kept on flush equal those built again in SQL, and some are there."""
    from storage.db import db_session

    with app.app_context():
        kept = _summary_rows()
        aggregate_summary.rebuild(db_session.connection())
        rebuilt = _summary_rows()
        db_session.rollback()
    assert kept == rebuilt
    return kept


def test_the_submission_service_and_a_profile_move_keep_the_figure_summary(mini_app,
                                                                           make_user):
    from services import drafts, instrument_registry, submission
    from storage.db import db_session
    from tests.web.test_assess_fixtures import FULL, MANUFACTURER, set_profile

    user = make_user()
    set_profile(mini_app, user.enterprise_id, industry_code=MANUFACTURER, district="芝罘区",
                size_class="small")
    profile = {"industry": MANUFACTURER}
    with mini_app.app_context():
        aggregate_summary.build(db_session.connection(), latest_assessments.CURRENT)
        db_session.commit()
        inst = instrument_registry.instruments(mini_app.config["QUESTIONNAIRES_DIR"])["test-mini"]
        for answers in ({**FULL, "sales_scn": 1}, dict(FULL)):
            aid = drafts.start(user.enterprise_id, user.id, inst)
            drafts.save_answers(aid, user.enterprise_id, inst, answers, profile)
            submission.submit(aid, user.enterprise_id, inst, profile, pledged=True)
    kept = _kept_equals_rebuilt(mini_app)
    totals = [key for key in kept if key[1] == "all" and key[5] == "total"]
    assert [key[2] for key in totals] == ["芝罘区"] and kept[totals[0]][0] == 1  # the latest only
    assert any(key[5] == "dimension" for key in kept)
    set_profile(mini_app, user.enterprise_id, district="莱山区")
    moved = _kept_equals_rebuilt(mini_app)
    assert {key[2] for key in moved} == {"莱山区"}


def test_signing_on_site_keeps_the_figure_summary(app, solo):
    from services import on_site_sign_off
    from storage.db import db_session
    from tests.integration.test_on_site import _start

    with app.app_context():
        aggregate_summary.build(db_session.connection(), latest_assessments.CURRENT)
        db_session.commit()
    before = _kept_equals_rebuilt(app)
    solo.run(on_site_sign_off.sign, solo.consultant, _start(solo), solo.instrument())
    after = _kept_equals_rebuilt(app)
    assert {key[1] for key in after} - {key[1] for key in before} == {"on_site"}
