"""PDF reports over the API: request one (rendered in the request, or queued on the report
job queue when REDIS_URL is set, as the pages do), poll its state, download it."""
from urllib.parse import quote

from flask import current_app, jsonify, url_for
from spectree import Response

from services import reports
from services.access import assessment_for_user_or_404
from web.api import bp
from web.api.auth import actor, operation
from web.api.problems import ApiProblem
from web.api.schemas import Problem, ReportQuery, ReportRequest, ReportState
from web.reports import bounds

TAG = "reports"


def _lookup(assessment_id, lang):
    assessment_for_user_or_404(actor().account, assessment_id, action="view_report")
    try:
        return reports.lookup(assessment_id, lang, current_app.config)
    except reports.ReportUnavailable as err:
        if err.code == "not_submitted":
            raise ApiProblem("not_submitted") from None
        raise ApiProblem("not_found") from None


def _kept_before(lookup):
    """A file stored before its lookup key was kept, found by its cache key (the plan made
    now, once: the key is kept for it), or None."""
    return reports.cached(reports.planned(lookup, current_app.config), lookup.key)


def _state(assessment_id, lang, status, report_id=None, code=200):
    body = {"assessment_id": assessment_id, "lang": lang, "status": status,
            "report_id": report_id,
            "download": url_for("api.report_pdf", assessment_id=assessment_id, lang=lang)
            if status == "ready" else None}
    reply = jsonify(body)
    reply.status_code = code
    if code == 202:
        reply.headers["Location"] = url_for("api.report_state", assessment_id=assessment_id,
                                            lang=lang)
        reply.headers["Retry-After"] = "3"
    return reply


def _count_render() -> None:
    """Count one more render against the pages' limits (web/reports/bounds.py), or refuse:
    429 for this person, 503 for the service, with Retry-After; nothing is queued."""
    found = bounds.refusal(actor().account.id)
    if found is not None:
        raise ApiProblem("rate_limited" if found.status == 429 else "unavailable", found.detail,
                         headers={"Retry-After": str(bounds.RETRY_SECONDS)})


@bp.post("/assessments/<int:assessment_id>/report")
@operation("reports:read", json=ReportRequest,
           resp=Response(HTTP_200=ReportState, HTTP_202=ReportState, HTTP_404=Problem,
                         HTTP_409=Problem, HTTP_429=Problem, HTTP_503=Problem), tags=[TAG])
def request_report(assessment_id, json: ReportRequest):
    """Ask for the PDF report of a submitted assessment: 200 when it is ready, 202 while it is
    being made (poll the Location). A new render counts against the render limits of the
    pages: 429 when this caller asked for too many, 503 when the service renders too many
    (both with Retry-After); a report already made is always answered."""
    lookup = _lookup(assessment_id, json.lang)
    found = reports.stored(lookup)  # a stored file is answered without making the plan
    if found is None and current_app.config.get("REDIS_URL"):
        from redis.exceptions import RedisError  # Redis and RQ: loaded only where they are used

        from services import report_jobs

        try:
            if report_jobs.status(lookup.key, current_app.config) not in report_jobs.WAITING:
                _count_render()  # asking again for a waiting report is not a new render
                report_jobs.enqueue(lookup.key, assessment_id, json.lang, current_app.config)
            return _state(assessment_id, json.lang, "queued", code=202)
        except RedisError:
            current_app.logger.warning("Redis unavailable; rendering report %s in the request",
                                       assessment_id, exc_info=True)
    if found is None:
        inputs = reports.planned(lookup, current_app.config)
        found = reports.cached(inputs, lookup.key)
        if found is None:
            _count_render()
            found = reports.render(inputs, current_app.config, lookup.key)
    return _state(assessment_id, json.lang, "ready", found.report_id)


@bp.get("/assessments/<int:assessment_id>/report/status")
@operation("reports:read", query=ReportQuery,
           resp=Response(HTTP_200=ReportState, HTTP_404=Problem, HTTP_409=Problem), tags=[TAG])
def report_state(assessment_id, query: ReportQuery):
    """Whether the requested report is ready, queued, being made or failed; 404 when it was
    never requested."""
    lookup = _lookup(assessment_id, query.lang)
    found = reports.stored(lookup)
    if found is not None:
        return _state(assessment_id, query.lang, "ready", found.report_id)
    status = None
    if current_app.config.get("REDIS_URL"):
        from redis.exceptions import RedisError

        from services import report_jobs

        try:
            status = report_jobs.status(lookup.key, current_app.config)
        except RedisError:
            raise ApiProblem("unavailable") from None
    if status in ("queued", "deferred", "scheduled"):
        return _state(assessment_id, query.lang, "queued")
    if status in ("started", "finished"):  # finished: the file is being stored
        return _state(assessment_id, query.lang, "started")
    if status in ("failed", "stopped", "canceled"):
        return _state(assessment_id, query.lang, "failed")
    found = _kept_before(lookup)
    if found is not None:
        return _state(assessment_id, query.lang, "ready", found.report_id)
    raise ApiProblem("not_found")


@bp.get("/assessments/<int:assessment_id>/report.pdf")
@operation("reports:read", query=ReportQuery,
           resp=Response("HTTP_200", HTTP_404=Problem, HTTP_409=Problem), tags=[TAG])
def report_pdf(assessment_id, query: ReportQuery):
    """The PDF once it is ready (request it first); 404 before."""
    lookup = _lookup(assessment_id, query.lang)
    found = reports.stored(lookup) or _kept_before(lookup)
    if found is None:
        raise ApiProblem("not_found")
    reply = current_app.response_class(found.pdf, mimetype="application/pdf")
    reply.headers["Content-Disposition"] = (
        f'attachment; filename="{found.ascii_filename}"; '
        f"filename*=UTF-8''{quote(found.filename)}")
    reply.headers["X-Report-Id"] = found.report_id
    return reply
