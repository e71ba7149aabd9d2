"""A submitted result as rows for the bureaus' aggregates in plain SQL: its dimension and
indicator scores, scenario levels and the modules of its default plan, written on submission
(self, services.submission, or on-site, services.on_site_sign_off) in place of any rows of an
earlier result.
"""
from storage.models import (AssessmentDimensionScore, AssessmentIndicatorScore,
                            AssessmentPlanModule, AssessmentScenarioLevel)


def plan_modules_of(instrument, answers, profile, settings):
    """The default plan's modules (services.planning), none without settings."""
    if settings is None:
        return ()
    from services import planning  # the planner and its catalogue load only when a plan is made

    return planning.default_plan_modules(instrument, answers, profile, settings)


def keep_score_rows(assessment, data, plan_modules=()):
    """The submitted result's dimension and indicator scores and scenario levels, and the
    modules of its default plan, as rows for the bureaus' aggregates in plain SQL (replacing
    any rows of an earlier result)."""
    dimensions = data.get("dimensions") or {}
    assessment.dimension_scores = [
        AssessmentDimensionScore(dimension_id=dim_id, score=dim["score"], max=dim["max"])
        for dim_id, dim in dimensions.items()]
    assessment.indicator_scores = [
        AssessmentIndicatorScore(indicator_id=ind_id, dimension_id=dim_id, score=ind["score"],
                                 max=ind["max"])
        for dim_id, dim in dimensions.items()
        for ind_id, ind in (dim.get("indicators") or {}).items()]
    assessment.scenario_levels = [
        AssessmentScenarioLevel(scenario_id=sid, level=int(level))
        for sid, level in (data.get("scenarios") or {}).items()]
    assessment.plan_modules = [AssessmentPlanModule(module_id=module_id)
                               for module_id in dict.fromkeys(plan_modules)]
