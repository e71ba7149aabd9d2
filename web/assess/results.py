"""The results page of a submitted assessment: plain context from reports/, charts as SVG."""
from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.routing import BuildError

from reports.context import result_context
from services import assessments, baseline, instrument_registry, upgrades
from services.errors import InvalidInput
from storage.db import db_session
from storage.models import Enterprise
from web.assess import bp
from web.assess.context import load
from web.i18n import lang


@bp.get("/<int:assessment_id>/result")
@login_required
def result(assessment_id):
    """Level and meaning, total, dimensions, charts, scenarios, level checks, next level,
    earlier assessments; links to the PDF and the plan when those parts of the app exist."""
    ctx = load(assessment_id, action="view_assessment")
    if ctx.assessment["status"] != "submitted" or not ctx.assessment["result"]:
        return redirect(url_for("assess.resume", assessment_id=assessment_id))
    earlier = [h for h in assessments.history(ctx.enterprise_id, before=assessment_id)
               if h["instrument"] == ctx.assessment["instrument_id"]]
    data = result_context(ctx.assessment["result"], ctx.instrument, ctx.profile,
                          _enterprise(ctx.enterprise_id), lang(), history=earlier)
    from reports.charts import bar_svg, radar_svg  # matplotlib: loaded on the first results page

    charts = {"radar": Markup(radar_svg(data)), "bar": Markup(bar_svg(data))}
    own = ctx.enterprise_id in current_user.enterprise_ids
    links = {name: _link(endpoint, assessment_id)
             for name, endpoint in (("pdf", "reports.download"), ("plan", "plan.view"))}
    full = _full_assessment(ctx) if own and ctx.instrument.indicative else None
    if ctx.instrument.indicative:
        links["plan"] = None  # plans are made from the full assessment, which `full` starts
    # web.on_site.context builds on web.assess's question views: imported here, not above
    from web.on_site.context import result_extras

    return render_template("assess/result.html", r=data, charts=charts, links=links, full=full,
                           assessment={"id": assessment_id,
                                       "submitted_at": ctx.assessment["submitted_at"]},
                           own=own, extras=result_extras(ctx, own))


def _full_assessment(ctx):
    """{id, title} of the full questionnaire this quick check's answers start, or None."""
    folder = current_app.config["QUESTIONNAIRES_DIR"]
    registry = instrument_registry.instruments(folder)
    for target in upgrades.targets_of(folder, ctx.instrument.id, ctx.instrument.version):
        inst = registry.get(target)
        if not inst.indicative:
            return {"id": inst.id, "title": inst.title, "minutes": inst.minutes}
    return None


@bp.post("/<int:assessment_id>/baseline")
@login_required
def mark_baseline(assessment_id):
    """Mark this result as the baseline (T0) of an improvement effort."""
    try:
        baseline.mark(current_user, assessment_id)
    except InvalidInput:
        flash(_("Only a submitted assessment can be a baseline."), "error")
    else:
        flash(_("Marked as baseline (T0): later assessments of this questionnaire show the "
                "change against it."), "success")
    return redirect(url_for("assess.result", assessment_id=assessment_id)), 303


def _link(endpoint, assessment_id):
    """URL of another area's page about this assessment, or None while it does not exist."""
    if endpoint not in current_app.view_functions:
        return None
    try:
        return url_for(endpoint, assessment_id=assessment_id)
    except BuildError:
        current_app.logger.warning("%s does not take assessment_id; link left out", endpoint)
        return None


def _enterprise(enterprise_id):
    row = db_session.get(Enterprise, enterprise_id)
    if row is None:
        return {}
    return {"id": row.id, "name": row.name, "district": row.district,
            "industry": row.industry_code, "size_class": row.size_class}
