"""Stateless scoring and planning: answers and a profile in, the same result JSON as
`flask diagnose` and the same plan JSON as `flask plan` out. Nothing is stored."""
from flask import current_app, jsonify
from flask_babel import gettext as _
from spectree import Response

from diagnosis import AnswerError, score
from diagnosis.catalogue import CatalogueError
from services import planning
from web.api import bp
from web.api.auth import operation
from web.api.catalogue import registry
from web.api.problems import ApiProblem
from web.api.schemas import Plan, PlanRequest, Problem, Result, ScoreRequest
from web.assess.context import problems_by_item

TAG = "scoring"


def instrument_of(instrument_id, version=None):
    """The instrument (that version, else the latest), or a 422 naming the field."""
    reg = registry()
    inst = reg.version(instrument_id, version) if version else reg.get(instrument_id)
    if inst is None:
        field, known = (("version", ", ".join(i.version for i in reg.versions(instrument_id)))
                        if version and reg.get(instrument_id) else ("instrument", ", ".join(sorted(reg))))
        raise ApiProblem("invalid_input", errors={field: [
            _("Unknown; one of: %(known)s.", known=known)]})
    return inst


def answers_rejected(problems, instrument, message=None):
    """The 422 for answers the core refused, with each question's messages (as autosave)."""
    return ApiProblem("answers_rejected",
                      message or _("Not saved: please correct the answer marked."),
                      errors=problems_by_item(problems, instrument))


def _profile(body):
    return body.profile.model_dump(exclude_none=True) if body.profile else None


@bp.post("/score")
@operation("assessments:read", json=ScoreRequest,
           resp=Response(HTTP_200=Result, HTTP_422=Problem), tags=[TAG])
def score_answers(json: ScoreRequest):
    """Score answers against an instrument; the result is the JSON `flask diagnose` prints."""
    inst = instrument_of(json.instrument, json.version)
    try:
        result = score(inst, json.answers, _profile(json))
    except AnswerError as exc:
        raise answers_rejected(exc.problems, inst, _("These answers cannot be scored; please "
                                                     "correct the answers marked.")) from None
    return jsonify(result.to_dict())


@bp.post("/plan")
@operation("assessments:read", json=PlanRequest,
           resp=Response(HTTP_200=Plan, HTTP_422=Problem, HTTP_503=Problem), tags=[TAG])
def plan(json: PlanRequest):
    """A budgeted roadmap for answers and a profile: the JSON `flask plan` prints."""
    inst = instrument_of(json.instrument, json.version)
    if json.target_level is not None and json.target_level not in {lv.id for lv in inst.levels}:
        raise ApiProblem("invalid_input", errors={"target_level": [_(
            "Unknown; one of: %(known)s.", known=", ".join(lv.id for lv in inst.levels))]})
    choices = planning.Choices(json.budget, json.target_level, json.horizon)
    try:
        made = planning.plan_for(inst, json.answers, _profile(json), choices, current_app.config)
    except AnswerError as exc:
        raise answers_rejected(exc.problems, inst, _("These answers cannot be scored; please "
                                                     "correct the answers marked.")) from None
    except CatalogueError:
        raise ApiProblem("unavailable") from None
    return jsonify(made.to_dict())
