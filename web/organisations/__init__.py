"""Organisation staff: the organisation's home (its consented clients), a client's page, inviting
an enterprise; for its admins the staff list; and joining by invitation."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from web import formats
from web.nav import nav_item

bp = Blueprint("organisations", __name__)
formats.register(bp)
nav_item("organisations.index", _l("My organisation"), order=15,
         when=lambda user: bool(user.organisations))

from web.organisations import staff, views, workspace  # noqa: E402,F401  (routes register on import)
