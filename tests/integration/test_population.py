"""The synthetic population stores the rows the bureau's further figures read: score rows
equal to what a submission keeps (the full scorer's result), baselines for T0→T1 pairs, and
through `flask demo population` default plans and help requests for a sample."""
from datetime import date

from sqlalchemy import func, select


def _generated(app, enterprises=6):
    from services import instrument_registry, population
    from services.reference import load_districts, load_industries

    inst = instrument_registry.instruments(app.config["QUESTIONNAIRES_DIR"])["cn-sme-2024"]
    districts = [d["value"] for d in load_districts(str(app.config["DISTRICTS_FILE"]))]
    industries = load_industries(str(app.config["INDUSTRIES_FILE"]))
    return inst, population.generate(inst, enterprises, 3, 7, districts, industries,
                                     date(2026, 11, 30))


def test_stored_score_rows_are_those_a_submission_keeps(app):
    import diagnosis
    from services import population
    from storage.db import db_session
    from storage.models import (Assessment, AssessmentDimensionScore, AssessmentIndicatorScore,
                                AssessmentScenarioLevel)

    with app.app_context():
        inst, made = _generated(app)
        written = population.store(inst, made)
        stored = db_session.scalars(select(Assessment).order_by(Assessment.id)).all()
        assert len(stored) == written == sum(len(subs) for _, subs in made)
        subs = [sub for _, firm_subs in made for sub in firm_subs]
        for row, (_, answers, profile) in zip(stored, subs):
            full = diagnosis.score(inst, answers, profile).to_dict()
            dims = {r.dimension_id: (r.score, r.max) for r in db_session.scalars(
                select(AssessmentDimensionScore).where(
                    AssessmentDimensionScore.assessment_id == row.id))}
            assert dims == {d: (v["score"], v["max"]) for d, v in full["dimensions"].items()}
            inds = {r.indicator_id: (r.dimension_id, r.score, r.max) for r in db_session.scalars(
                select(AssessmentIndicatorScore).where(
                    AssessmentIndicatorScore.assessment_id == row.id))}
            assert inds == {i: (d, v["score"], v["max"]) for d, dim in full["dimensions"].items()
                            for i, v in dim["indicators"].items()}
            levels = dict(db_session.execute(
                select(AssessmentScenarioLevel.scenario_id, AssessmentScenarioLevel.level)
                .where(AssessmentScenarioLevel.assessment_id == row.id)).all())
            assert levels == full["scenarios"]
            assert row.total == round(full["total"], 2)  # as the population always stored it


def test_first_submissions_of_every_other_returning_firm_are_baselines(app):
    from services import population
    from storage.db import db_session
    from storage.models import Assessment

    with app.app_context():
        inst, made = _generated(app, 12)
        population.store(inst, made)
        rows = db_session.execute(select(Assessment.enterprise_id, Assessment.submitted_at,
                                         Assessment.baseline_at)
                                  .order_by(Assessment.id)).all()
    firms = sorted({r[0] for r in rows})
    expected = {(firms[i], subs[0][0]) for i, (_, subs) in enumerate(made)
                if i % 2 == 0 and len(subs) > 1}
    assert {(r[0], r[1].replace(tzinfo=None)) for r in rows if r[2] is not None} == \
        {(f, at.replace(tzinfo=None)) for f, at in expected}
    assert expected  # the seed gives some pairs


def test_demo_population_plans_a_sample_and_asks_the_centre(app):
    from storage.db import db_session
    from storage.models import AssessmentPlanModule
    from storage.project_models import Project, ProjectModule
    from tests.organisation_helpers import make_org

    centre = make_org(app, "centre")
    result = app.test_cli_runner().invoke(args=["demo", "population", "--enterprises", "20",
                                                "--quarters", "2", "--plans", "6"])
    assert result.exit_code == 0, result.output
    assert "20 synthetic enterprises" in result.output
    with app.app_context():
        planned = db_session.scalar(select(func.count(func.distinct(
            AssessmentPlanModule.assessment_id))))
        projects = db_session.scalars(select(Project)).all()
        asked = db_session.scalar(select(func.count()).select_from(ProjectModule))
    assert 0 < planned <= 6 and f"{planned} default plans" in result.output
    assert projects and all(p.organisation_id == centre and p.consent_id is None
                            for p in projects)
    assert asked == sum(len(p.modules) for p in projects)
    assert f"{len(projects)} help requests" in result.output
