"""A population for the bureau's further figures, hand-countable (see `figure_population`):
the service tests, the exports and the API read the same one. (No tests here.)"""
from datetime import datetime, timezone

from tests.organisation_helpers import make_org

WHEN = datetime(2026, 3, 1, tzinfo=timezone.utc)
EARLIER = datetime(2026, 1, 5, tzinfo=timezone.utc)
LAISHAN, ZHIFU = "莱山区", "芝罘区"
TOTALS = [10.0, 20.0, 30.0, 40.0, 50.0, 60.0, 70.0, 80.0, 90.0, 100.0]  # firms 0–6 莱山区


def _rank(total):
    return 1 if total < 50 else 2


def figure_population(app):
    """Ten firms. Dimension scores: foundation 20/40, management 6/30, outcomes 27/30 each;
    indicators: equipment 1/10, planning 5/10. Scenarios: product_design 6 at level 2 and 4 at
    0; marketing 5 at 1 and 5 at 3; quality 2 at level 4 (the rest not applicable). Firms 0–5
    have a baseline 10 points lower (0–3 one level lower too); firm 6's only assessment is a
    baseline. Help requests: net-basic by firms 0–5 (firm 0 twice), iot-retrofit by 7 and 8,
    net-industrial by firms 0–5 after the date asked about. Default plans: net-basic for firms
    0–6 and iot-retrofit for 7 and 8 (latest assessments); mes-lite in the six baselines."""
    from storage.db import db_session
    from storage.models import (Assessment, AssessmentDimensionScore, AssessmentIndicatorScore,
                                AssessmentPlanModule, AssessmentScenarioLevel, Enterprise)
    from storage.project_models import Project, ProjectModule

    org_id = make_org(app, "centre")
    with app.app_context():
        for i, total in enumerate(TOTALS):
            firm = Enterprise(name=f"合成{i}", district=LAISHAN if i < 7 else ZHIFU,
                              size_class="small", industry_code="C34")
            db_session.add(firm)
            db_session.flush()
            if i < 6:
                rank = _rank(total) - (1 if i < 4 else 0)
                db_session.add(Assessment(
                    enterprise_id=firm.id, instrument_id="cn-sme-2024", instrument_version="2.0.0",
                    status="submitted", answers={}, total=total - 10, level_rank=rank,
                    level_id=f"level{rank}", submitted_at=EARLIER, baseline_at=EARLIER,
                    plan_modules=[AssessmentPlanModule(module_id="mes-lite")]))
                db_session.flush()
            latest = Assessment(enterprise_id=firm.id, instrument_id="cn-sme-2024",
                                instrument_version="2.0.0", status="submitted", answers={},
                                total=total, level_rank=_rank(total),
                                level_id=f"level{_rank(total)}", submitted_at=WHEN,
                                baseline_at=WHEN if i == 6 else None)
            latest.dimension_scores = [
                AssessmentDimensionScore(dimension_id="foundation", score=20, max=40),
                AssessmentDimensionScore(dimension_id="management", score=6, max=30),
                AssessmentDimensionScore(dimension_id="outcomes", score=27, max=30)]
            latest.indicator_scores = [
                AssessmentIndicatorScore(indicator_id="equipment", dimension_id="foundation",
                                         score=1, max=10),
                AssessmentIndicatorScore(indicator_id="planning", dimension_id="management",
                                         score=5, max=10)]
            latest.scenario_levels = [
                AssessmentScenarioLevel(scenario_id="product_design", level=2 if i < 6 else 0),
                AssessmentScenarioLevel(scenario_id="marketing", level=1 if i % 2 else 3)]
            latest.plan_modules = [AssessmentPlanModule(module_id=module) for module in (
                ["net-basic"] if i < 7 else ["iot-retrofit"] if i < 9 else [])]
            if i < 2:
                latest.scenario_levels.append(
                    AssessmentScenarioLevel(scenario_id="quality", level=4))
            db_session.add(latest)
            db_session.flush()
            asks = ([("net-basic", WHEN)] * (2 if i == 0 else 1) if i < 6 else []) \
                + ([("iot-retrofit", WHEN)] if i in (7, 8) else []) \
                + ([("net-industrial", datetime(2026, 11, 1, tzinfo=timezone.utc))] if i < 6
                   else [])
            for module, at in asks:
                project = Project(enterprise_id=firm.id, organisation_id=org_id, modules=[module],
                                  share="summary", status="requested", created_at=at)
                db_session.add(project)
                db_session.flush()
                db_session.add(ProjectModule(project_id=project.id, module_id=module))
        db_session.commit()
    return app
