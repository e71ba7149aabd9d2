"""The API tokens page: make a token (shown once), see each token's scopes, expiry and last
use, revoke one. Personal tokens for everyone signed in; service tokens for the organisations
the person administers."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from web import formats
from web.nav import nav_item

bp = Blueprint("tokens", __name__)
formats.register(bp)
nav_item("tokens.index", _l("API tokens"), order=90)

from web.tokens import views  # noqa: E402,F401  (routes register on import)
