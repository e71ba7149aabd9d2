"""Planning use cases: a plan for a stored assessment or for answers given directly.

Plain values in, the plan as plain data out (Plan.to_dict()); nothing is written. `settings` is
a mapping such as the application's config (QUESTIONNAIRES_DIR, CATALOGUES_DIR,
PLAN_DEFAULT_BUDGET, PLAN_SUBSIDY_FILE).
"""
from dataclasses import asdict, dataclass

from diagnosis.budget import BudgetError, parse_budget
from diagnosis.pricing import attach_prices
from diagnosis.profile_links import profile_from_answers
from services import catalogue as catalogues
from services.instrument_registry import instruments

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


def read_choices(args, instrument, settings):
    """Budget, target level and horizon from form or query values; bad values named, never a 500."""
    problems = []
    default = settings.get("PLAN_DEFAULT_BUDGET", DEFAULT_BUDGET)
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


def plan_for(instrument, answers, profile, choices, settings):
    """The plan for these answers with the catalogue in use and the configured subsidy; the
    profile as the answers say it where they are its source (Art. 41: who owns digitalisation)."""
    from diagnosis.planning import make_plan  # numpy: loaded by the first plan, not by every command

    profile = profile_from_answers(instrument, answers, profile)
    return make_plan(instrument, answers, profile, catalogues.current(settings), choices.budget,
                     target_level=choices.target_level, horizon_months=choices.horizon_months,
                     subsidy=catalogues.subsidy_rule(settings))


def instrument(instrument_id, settings):
    return instruments(settings["QUESTIONNAIRES_DIR"]).get(instrument_id)


def catalogue_fits(inst, settings):
    """Whether the catalogue in use plans for this instrument version: module effects are
    written for one instrument's latest version (otherwise the plan page says unavailable)."""
    catalogue_for = catalogues.current(settings).instrument
    other = instrument(catalogue_for, settings)
    return catalogue_for == inst.id and (other is None or other.version == inst.version)


def default_plan_modules(inst, answers, profile, settings):
    """Module ids of the plan for the default budget, target and horizon (the plan page's
    first view), in plan order; () when the catalogue does not fit or the answers do not score
    (the plan page has no plan then either)."""
    from diagnosis import AnswerError

    if not catalogue_fits(inst, settings):
        return ()
    try:
        plan = plan_for(inst, answers, profile, default_choices(settings), settings).to_dict()
    except AnswerError:
        return ()
    return tuple(module["id"] for phase in plan["phases"] for module in phase["modules"])


def default_choices(settings):
    """The plan page's first view: the configured budget, the next level, twelve months."""
    return Choices(settings.get("PLAN_DEFAULT_BUDGET", DEFAULT_BUDGET), None, 12)


def plan_for_assessment(assessment_id, settings, choices=None):
    """The plan of a submitted assessment (default choices unless given); None when there is
    no submitted result or its instrument is unknown. The caller checks access first."""
    from services import assessments
    from storage.db import db_session
    from storage.models import Assessment

    row = db_session.get(Assessment, assessment_id)
    if row is None or row.status != "submitted" or not row.result:
        return None
    inst = instrument(row.instrument_id, settings)
    if inst is None or inst.version != row.instrument_version:
        return None  # never silently re-plan on another version of the instrument
    profile = assessments.profile_of(row.enterprise_id)
    choices = choices or default_choices(settings)
    return plan_for(inst, row.answers, profile, choices, settings)


def plan_basis(assessment_id, settings, choices=None):
    """What plan_for_report's plan is made of, as plain data, without solving it: the instrument
    version the assessment was scored with and the one planned for now, the answers, the
    enterprise's profile, the choices (the default ones filled in), the catalogue in use and
    the subsidy rule. The same basis gives the same plan (with the same planning code:
    reports.document.planning_version). None when there is no submitted result."""
    from diagnosis.catalogue import CatalogueError
    from services import assessments
    from storage.db import db_session
    from storage.models import Assessment

    row = db_session.get(Assessment, assessment_id)
    if row is None or row.status != "submitted" or not row.result:
        return None
    inst = instrument(row.instrument_id, settings)
    basis = {"instrument": [row.instrument_id, row.instrument_version, inst and inst.version],
             "answers": row.answers, "profile": assessments.profile_of(row.enterprise_id),
             "choices": choices_dict(choices or default_choices(settings))}
    try:
        rule = catalogues.subsidy_rule(settings)
        basis["catalogue"] = catalogues.fingerprint(settings)
        basis["subsidy"] = asdict(rule) if rule is not None else None
    except CatalogueError as err:  # no plan then (services.reports): the error is the basis
        basis["catalogue"] = str(err)
    return basis


def plan_for_report(assessment_id, settings, choices=None):
    """Plan.to_dict() for the PDF report (the person's choices, else default budget and the
    next level), or None."""
    found = plan_for_assessment(assessment_id, settings, choices)
    if found is None:
        return None
    from services import assessments
    from storage.db import db_session
    from storage.models import Assessment
    profile = assessments.profile_of(db_session.get(Assessment, assessment_id).enterprise_id)
    # every module with the one price the plan and module pages tell (diagnosis/pricing.py)
    return attach_prices(found.to_dict(), catalogues.current(settings),
                         catalogues.subsidy_rule(settings), profile)
