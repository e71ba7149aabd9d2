"""The enterprise's side of sharing: its consents (accept, decline, revoke, ask a centre for a
consultation) and the log of who outside it read or changed its data."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from web import formats
from web.nav import nav_item

bp = Blueprint("consents", __name__)
formats.register(bp)
nav_item("consents.index", _l("Data sharing"), roles=("sme_user",), order=70)

from web.consents import views  # noqa: E402,F401  (routes register on import)
