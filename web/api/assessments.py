"""Assessments over the API: list, start a draft, save answers (the autosave rule and
messages), submit with the pledge, read the result. Access as on the pages: the enterprise's
own people fill in; consented organisations read (audited, services/access.py)."""
from flask import current_app, jsonify, url_for
from flask_babel import gettext as _
from spectree import Response
from sqlalchemy.exc import SQLAlchemyError

from services import access, answer_changes, assessments, drafts, submission
from services.tokens import aware
from web.api import bp
from web.api.auth import actor, operation
from web.api.catalogue import registry
from web.api.paging import paged_response
from web.api.problems import ApiProblem
from web.api.schemas import (Assessment, AssessmentList, AssessmentsQuery, AnswersPut,
                             NewAssessment, Problem, Result, SaveReply,
                             SubmitReply, SubmitRequest)
from web.api.scoring import answers_rejected
from web.assess.context import load
from web.assess.views import dropped_message

TAG = "assessments"


def _moment(value):
    """RFC 3339 with the zone (SQLite hands back naive UTC times)."""
    return aware(value).isoformat() if value is not None else None


def summary(item: dict) -> dict:
    return {"id": item["id"], "enterprise_id": item["enterprise_id"],
            "instrument_id": item["instrument_id"],
            "instrument_version": item["instrument_version"], "status": item["status"],
            "total": item["total"], "max_total": item["max_total"], "level_id": item["level_id"],
            "created_at": _moment(item["created_at"]),
            "submitted_at": _moment(item["submitted_at"])}


def _listed(enterprise_ids, status):
    found = [item for eid in enterprise_ids
             for item in assessments.for_enterprise(eid, registry(), assessments.profile_of(eid))
             if status in (None, item["status"])]
    return sorted(found, key=lambda a: (a["created_at"], a["id"]), reverse=True)


@bp.get("/assessments")
@operation("assessments:read", query=AssessmentsQuery,
           resp=Response(HTTP_200=AssessmentList, HTTP_404=Problem), tags=[TAG])
def list_assessments(query: AssessmentsQuery):
    """The caller's enterprises' assessments, newest first; with `enterprise_id`, that
    enterprise's (an outsider needs a consent in force; the read is audited)."""
    who = actor().account
    if query.enterprise_id is None:
        ids = list(who.enterprise_ids)
    else:
        access.check(who, "view_assessment", query.enterprise_id,
                     object_type="enterprise", object_id=query.enterprise_id)
        ids = [query.enterprise_id]
    return paged_response(_listed(ids, query.status) if ids else [], query, summary)


def _detail(ctx):
    body = summary(ctx.assessment)
    body["answers"] = ctx.assessment["answers"]
    now = answer_changes.outcome(ctx.instrument, ctx.assessment["answers"], ctx.profile)
    body["answered"], body["required"] = now.answered, now.required
    return body


@bp.post("/assessments")
@operation("assessments:write", json=NewAssessment,
           resp=Response(HTTP_201=Assessment, HTTP_404=Problem, HTTP_422=Problem), tags=[TAG])
def start(json: NewAssessment):
    """Start a draft of an instrument for the caller's enterprise."""
    who = actor().account
    instrument = registry().get(json.instrument)
    if instrument is None:
        raise ApiProblem("invalid_input", errors={"instrument": [_(
            "Unknown; one of: %(known)s.", known=", ".join(sorted(registry())))]})
    if who.enterprise_id is None:
        raise ApiProblem("not_found")
    access.check(who, "fill_self_assessment", who.enterprise_id)
    new_id = drafts.start(who.enterprise_id, who.id, instrument)
    reply = jsonify(_detail(load(new_id, user=who)))
    reply.status_code = 201
    reply.headers["Location"] = url_for("api.assessment", assessment_id=new_id)
    return reply


@bp.get("/assessments/<int:assessment_id>")
@operation("assessments:read", resp=Response(HTTP_200=Assessment, HTTP_404=Problem), tags=[TAG])
def assessment(assessment_id):
    """One assessment with its answers and progress."""
    return jsonify(_detail(load(assessment_id, action="view_assessment", user=actor().account)))


@bp.put("/assessments/<int:assessment_id>/answers")
@operation("assessments:write", json=AnswersPut,
           resp=Response(HTTP_200=SaveReply, HTTP_404=Problem, HTTP_409=Problem,
                         HTTP_422=Problem, HTTP_503=Problem), tags=[TAG])
def save_answers(assessment_id, json: AnswersPut):
    """Save the answers given (null removes one) with the same checks and messages as the
    questionnaire's autosave; nothing is saved when any is refused."""
    ctx = load(assessment_id, user=actor().account)
    if ctx.assessment["status"] != "draft":
        raise ApiProblem("conflict", _("This assessment has been submitted and can no longer "
                                       "change."))
    if not json.answers:
        raise ApiProblem("invalid_input", errors={"answers": [_(
            "Nothing was saved: the post names no changed question. Reload the page and try "
            "again.")]})
    try:
        saved = drafts.save_answers(ctx.assessment["id"], ctx.enterprise_id, ctx.instrument,
                                    json.answers, ctx.profile, draft=ctx.assessment)
    except assessments.AnswersRejected as exc:
        raise answers_rejected(exc.problems, ctx.instrument) from None
    except assessments.NotADraft:
        raise ApiProblem("conflict", _("This assessment has been submitted and can no longer "
                                       "change.")) from None
    except SQLAlchemyError:
        current_app.logger.exception("API save of assessment %s failed", assessment_id)
        raise ApiProblem("unavailable") from None
    message = dropped_message(len(saved.dropped)) if saved.dropped else _("All answers saved.")
    return jsonify(saved=True, message=message, answered=saved.answered, required=saved.required,
                   visible=sorted(saved.visible), dropped=list(saved.dropped))


@bp.post("/assessments/<int:assessment_id>/submit")
@operation("assessments:write", json=SubmitRequest,
           resp=Response(HTTP_200=SubmitReply, HTTP_404=Problem, HTTP_409=Problem,
                         HTTP_422=Problem, HTTP_503=Problem), tags=[TAG])
def submit(assessment_id, json: SubmitRequest):
    """Submit a complete draft with the truthfulness pledge; it is scored and stored."""
    ctx = load(assessment_id, user=actor().account)
    if ctx.assessment["status"] != "draft":
        raise ApiProblem("conflict", _("This assessment has already been submitted; here is its "
                                       "result."))
    try:
        outcome = submission.submit(ctx.assessment["id"], ctx.enterprise_id, ctx.instrument,
                                    ctx.profile, pledged=json.pledge,
                                    settings=current_app.config)
    except submission.PledgeRequired:
        raise ApiProblem("pledge_required", errors={"pledge": [_(
            "Set pledge to true to confirm that the answers are true and complete.")]}) from None
    except assessments.AnswersRejected as exc:
        raise answers_rejected(exc.problems, ctx.instrument,
                               _("Not submitted: please correct the answers marked.")) from None
    except assessments.NotADraft:
        raise ApiProblem("conflict", _("This assessment has already been submitted; here is its "
                                       "result.")) from None
    except SQLAlchemyError:
        current_app.logger.exception("API submission of assessment %s failed", assessment_id)
        raise ApiProblem("unavailable") from None
    return jsonify(id=ctx.assessment["id"], status="submitted", dropped=outcome["dropped"],
                   result=outcome["result"])


@bp.get("/assessments/<int:assessment_id>/result")
@operation("assessments:read",
           resp=Response(HTTP_200=Result, HTTP_404=Problem, HTTP_409=Problem), tags=[TAG])
def result(assessment_id):
    """The stored result (scored with the instrument version the assessment used)."""
    ctx = load(assessment_id, action="view_assessment", user=actor().account)
    if ctx.assessment["status"] != "submitted" or not ctx.assessment["result"]:
        raise ApiProblem("not_submitted", _("The result is there once the assessment is "
                                            "submitted."))
    return jsonify(ctx.assessment["result"])
