"""Planning use cases: a plan for a stored assessment or for answers given directly.

Plain values in, the plan as plain data out (Plan.to_dict()); nothing is written.
"""
from dataclasses import dataclass

from flask import current_app

from diagnosis.budget import BudgetError, parse_budget
from diagnosis.planning import make_plan
from diagnosis.pricing import attach_prices
from diagnosis.profile_links import profile_from_answers
from services import catalogue as catalogues
from services.assessments import instruments

DEFAULT_BUDGET = 200000
HORIZONS = (6, 12, 18, 24)


@dataclass(frozen=True)
class Choices:
    """What the person chose; `problems` lists the fields that were not usable (kept default)."""
    budget: int
    target_level: object
    horizon_months: int
    problems: tuple = ()
    budget_error: str = None    # diagnosis.budget.BudgetError code when the budget was not usable


def choices_dict(choices):
    """The usable choices as plain values (what an RQ job receives), or None for none."""
    if choices is None:
        return None
    return {"budget": choices.budget, "target_level": choices.target_level,
            "horizon_months": choices.horizon_months}


def choices_from(values):
    """Choices from `choices_dict()` values; None stays None (the default plan)."""
    return Choices(**values) if values else None


def read_choices(args, instrument):
    """Budget, target level and horizon from form or query values; bad values named, never a 500."""
    problems = []
    default = current_app.config.get("PLAN_DEFAULT_BUDGET", DEFAULT_BUDGET)
    raw = (args.get("budget") or "").strip()
    budget, budget_error = default, None
    if raw:
        try:
            budget = parse_budget(raw)
        except BudgetError as err:
            problems.append("budget")
            budget_error = err.code
    target = (args.get("target") or "").strip() or None
    if target is not None and target not in {lv.id for lv in instrument.levels}:
        problems.append("target")
        target = None
    horizon = 12
    raw_h = (args.get("horizon") or "").strip()
    if raw_h:
        if raw_h.isdigit() and int(raw_h) in HORIZONS:
            horizon = int(raw_h)
        else:
            problems.append("horizon")
    return Choices(budget, target, horizon, tuple(problems), budget_error)


def plan_for(instrument, answers, profile, choices):
    """The plan for these answers with the catalogue in use and the configured subsidy; the
    profile as the answers say it where they are its source (Art. 41: who owns digitalisation)."""
    profile = profile_from_answers(instrument, answers, profile)
    return make_plan(instrument, answers, profile, catalogues.current(), choices.budget,
                     target_level=choices.target_level, horizon_months=choices.horizon_months,
                     subsidy=catalogues.subsidy_rule())


def instrument(instrument_id):
    return instruments(current_app.config["QUESTIONNAIRES_DIR"]).get(instrument_id)


def plan_for_assessment(assessment_id, choices=None):
    """The plan of a submitted assessment (default choices unless given); None when there is
    no submitted result or its instrument is unknown. The caller checks access first."""
    from services import assessments
    from storage.db import db_session
    from storage.models import Assessment

    row = db_session.get(Assessment, assessment_id)
    if row is None or row.status != "submitted" or not row.result:
        return None
    inst = instrument(row.instrument_id)
    if inst is None or inst.version != row.instrument_version:
        return None  # never silently re-plan on another version of the instrument
    profile = assessments.profile_of(row.enterprise_id)
    choices = choices or Choices(current_app.config.get("PLAN_DEFAULT_BUDGET", DEFAULT_BUDGET), None, 12)
    return plan_for(inst, row.answers, profile, choices)


def plan_for_report(assessment_id, choices=None):
    """Plan.to_dict() for the PDF report (the person's choices, else default budget and the
    next level), or None."""
    found = plan_for_assessment(assessment_id, choices)
    if found is None:
        return None
    from services import assessments
    from storage.db import db_session
    from storage.models import Assessment
    profile = assessments.profile_of(db_session.get(Assessment, assessment_id).enterprise_id)
    # every module with the one price the plan and module pages tell (diagnosis/pricing.py)
    return attach_prices(found.to_dict(), catalogues.current(), catalogues.subsidy_rule(), profile)
