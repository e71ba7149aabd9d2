"""A submitted result's indicator scores and scenario levels are kept as rows (written on
submission, filled from stored results by migration 0012), and help requests' modules too."""
from alembic import command
from sqlalchemy import select, text

from storage.db import make_engine
from tests.integration.test_migrations import _alembic
from tests.integration.test_report_support import submit_assessment


def test_submission_writes_one_row_per_indicator_and_answered_scenario(app, sme_user):
    from storage.db import db_session
    from storage.models import Assessment, AssessmentIndicatorScore, AssessmentScenarioLevel

    aid = submit_assessment(app, sme_user.enterprise_id, sme_user.id)
    with app.app_context():
        result = db_session.get(Assessment, aid).result
        indicators = {(r.dimension_id, r.indicator_id): (r.score, r.max) for r in
                      db_session.scalars(select(AssessmentIndicatorScore)
                                         .where(AssessmentIndicatorScore.assessment_id == aid))}
        scenarios = dict(db_session.execute(
            select(AssessmentScenarioLevel.scenario_id, AssessmentScenarioLevel.level)
            .where(AssessmentScenarioLevel.assessment_id == aid)).all())
    assert indicators == {(d, i): (ind["score"], ind["max"])
                          for d, dim in result["dimensions"].items()
                          for i, ind in dim["indicators"].items()}
    assert len(indicators) == 9
    assert scenarios == result["scenarios"] and scenarios


def test_migration_fills_rows_from_results_already_stored(database_url):
    engine = make_engine(database_url)
    result = ('{"dimensions": {"foundation": {"score": 3, "max": 40, "indicators": '
              '{"equipment": {"score": 1.5, "max": 10}}}}, "scenarios": {"quality": 3}}')
    try:
        with engine.begin() as conn:
            command.downgrade(_alembic(conn), "0010_api_tokens")
            conn.execute(text("INSERT INTO enterprises (id, name, created_at, updated_at) "
                              "VALUES (901, 'x', CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"))
            conn.execute(text(
                "INSERT INTO assessments (id, enterprise_id, instrument_id, instrument_version, "
                "status, mode, answers, result, lock_version, created_at, updated_at) VALUES "
                "(902, 901, 'cn-sme-2024', '2.0.0', 'submitted', 'self', '{}', :result, 1, "
                "CURRENT_TIMESTAMP, CURRENT_TIMESTAMP), (903, 901, 'cn-sme-2024', '2.0.0', "
                "'draft', 'self', '{}', NULL, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"),
                {"result": result})
            command.upgrade(_alembic(conn), "head")
        with engine.connect() as conn:
            indicators = conn.execute(text(
                "SELECT assessment_id, indicator_id, dimension_id, score, max "
                "FROM assessment_indicator_scores")).all()
            scenarios = conn.execute(text(
                "SELECT assessment_id, scenario_id, level FROM assessment_scenario_levels")).all()
    finally:
        engine.dispose()
    assert [tuple(r) for r in indicators] == [(902, "equipment", "foundation", 1.5, 10.0)]
    assert [tuple(r) for r in scenarios] == [(902, "quality", 3)]
