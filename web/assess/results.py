"""The results page of a submitted assessment: plain context from reports/, charts as SVG."""
from flask import current_app, redirect, render_template, url_for
from flask_login import current_user, login_required
from markupsafe import Markup
from werkzeug.routing import BuildError

from reports.context import result_context
from services import assessments
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
    links = {name: _link(endpoint, assessment_id)
             for name, endpoint in (("pdf", "reports.download"), ("plan", "plan.view"))}
    return render_template("assess/result.html", r=data, charts=charts, links=links,
                           assessment={"id": assessment_id,
                                       "submitted_at": ctx.assessment["submitted_at"]},
                           own=ctx.enterprise_id in current_user.enterprise_ids)


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
