"""Help requests and projects: the SME asks for help from its results or a plan module, each
party follows the project's steps, the acceptance pack, the rating."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from web import formats
from web.nav import nav_item

bp = Blueprint("projects", __name__)
formats.register(bp)
nav_item("projects.index", _l("Projects"), order=65,
         when=lambda user: bool(user.enterprise_ids) or any(
             o.kind in ("provider", "centre") for o in user.organisations))

from web.projects import views  # noqa: E402,F401  (routes register on import)
