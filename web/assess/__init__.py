"""The SME self-assessment: dashboard, questionnaire pages with autosave, submission, results."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from web.nav import nav_item

bp = Blueprint("assess", __name__)

nav_item("assess.dashboard", _l("My assessments"), roles=("sme_user",), order=20)

from web.assess import views, results  # noqa: E402,F401  (routes register on import)
