"""The industry bureaus' pages: the aggregate dashboard, its exports and brief, the named list.

Only a bureau's staff reach them; everyone else (signed out included) gets 404."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from services import bureau_names
from web.nav import nav_item

bp = Blueprint("bureau", __name__)
bp.record_once(lambda state: state.app.jinja_env.globals.update(
    bureau_names=bureau_names.in_language))
nav_item("bureau.dashboard", _l("Bureau dashboard"), order=60,
         when=lambda user: any(o.kind == "bureau" for o in user.organisations))

from web.bureau import views  # noqa: E402,F401  (routes register on import)
