"""Plans: the plan view of an assessment, module and provider pages, catalogue import."""
from flask import Blueprint, url_for
from flask_babel import lazy_gettext as _l

from web.nav import nav_item

bp = Blueprint("plan", __name__)

nav_item("plan.catalogue", _l("Solutions and providers"), order=40, public=True)
nav_item("plan.admin_catalogue", _l("Catalogue import"), roles=("administrator", "centre_admin"), order=80)


def plan_url(assessment_id, **choices):
    """URL of the plan view of an assessment (choices: budget, target, horizon)."""
    return url_for("plan.view", assessment_id=assessment_id, **choices)


from web.plan import admin, views  # noqa: E402,F401  (routes register on import)
