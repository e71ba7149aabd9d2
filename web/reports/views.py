"""Report download. Renders in the request without REDIS_URL; with it, queues an RQ job and
shows a page that refreshes itself (no JavaScript needed) until the file is ready.

The plan page passes the person's plan choices (budget, target, horizon) in the query string,
read exactly as the plan page reads them; without them the report has the default plan."""
from io import BytesIO
from urllib.parse import quote

from flask import abort, current_app, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from services import planning, reports
from services.access import assessment_for_user_or_404
from web.errors import error_response
from web.i18n import lang as page_lang
from web.plan.texts import choice_problem
from web.reports import bounds, bp

REFRESH_SECONDS = 3
CHOICE_FIELDS = ("budget", "target", "horizon")


@bp.get("/<int:assessment_id>.pdf")
@login_required
def download(assessment_id):
    """The assessment's report in the page's language (or ?lang=zh|en), with the plan of
    ?budget=&target=&horizon= when given (bad values: 400, nothing rendered or kept)."""
    row = assessment_for_user_or_404(current_user, assessment_id, action="view_report")
    lang = request.args.get("lang")
    lang = lang if lang in reports.LANGS else page_lang()
    choices = None
    if any(field in request.args for field in CHOICE_FIELDS):
        instrument = planning.instrument(row.instrument_id, current_app.config)
        if instrument is None:
            abort(404)
        choices = planning.read_choices(request.args, instrument, current_app.config)
        if choices.problems:
            return error_response(400, _("These plan choices cannot be used"),
                                  " ".join(choice_problem(f, choices.budget_error) for f in choices.problems))
    try:
        found = reports.lookup(assessment_id, lang, current_app.config, choices)
    except reports.ReportUnavailable as err:
        if err.code == "not_submitted":
            return error_response(409, _("No report yet"),
                                  _("The report is made once the assessment is submitted."))
        abort(404)
    hit = reports.stored(found)  # a stored file is sent without making the plan
    if hit is not None:
        return _send(hit)
    if current_app.config.get("REDIS_URL"):
        from redis.exceptions import RedisError  # Redis and RQ: loaded only where they are used

        try:
            return _queued(found.key, assessment_id, lang, choices)
        except RedisError:
            current_app.logger.warning("Redis unavailable; rendering report %s in the request",
                                       assessment_id, exc_info=True)
    inputs = reports.planned(found, current_app.config)
    hit = reports.cached(inputs, found.key)
    if hit is not None:
        return _send(hit)
    too_many = bounds.refused(current_user.id)
    if too_many is not None:
        return too_many
    return _send(reports.render(inputs, current_app.config, found.key))


def _plan_args(choices):
    """The query values that ask for this plan again (refresh and retry links)."""
    if choices is None:
        return {}
    found = {"budget": choices.budget, "horizon": choices.horizon_months}
    if choices.target_level is not None:
        found["target"] = choices.target_level
    return found


def _queued(key, assessment_id, lang, choices):
    from services import report_jobs

    args = _plan_args(choices)
    here = url_for("reports.download", assessment_id=assessment_id, lang=lang, **args)
    state = report_jobs.status(key, current_app.config)
    if state == "failed" and not request.args.get("retry"):
        return render_template("reports/failed.html", retry_url=url_for(
            "reports.download", assessment_id=assessment_id, lang=lang, retry=1, **args)), 503
    if state not in report_jobs.WAITING:  # a new render: counted (refreshing a waiting one is not)
        too_many = bounds.refused(current_user.id)
        if too_many is not None:
            return too_many
        report_jobs.enqueue(key, assessment_id, lang, current_app.config,
                            choices=planning.choices_dict(choices))
    response = current_app.make_response((render_template(
        "reports/preparing.html", refresh_url=here, seconds=REFRESH_SECONDS), 202))
    response.headers["Cache-Control"] = "no-store"
    return response


def _send(report):
    response = send_file(BytesIO(report.pdf), mimetype="application/pdf", max_age=0)
    # RFC 6266/5987: the UTF-8 name for today's browsers, an ASCII one for the rest.
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{report.ascii_filename}"; '
        f"filename*=UTF-8''{quote(report.filename)}")
    response.headers["Cache-Control"] = "private, no-cache"
    response.headers["X-Report-Id"] = report.report_id
    return response
