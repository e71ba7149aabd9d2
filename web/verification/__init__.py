"""The public check of a signed on-site report: report number and verification code in, genuine
or not and the level it states out (services.verification)."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from web.nav import nav_item

bp = Blueprint("verification", __name__)
nav_item("verification.index", _l("Verify a report"), order=90, public=True)

from web.verification import views  # noqa: E402,F401  (routes register on import)
