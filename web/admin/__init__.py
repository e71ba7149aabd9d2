"""Administrators' pages: the organisations (centres, providers, bureaus, platforms)."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from web import formats
from web.nav import nav_item

bp = Blueprint("admin", __name__)
formats.register(bp)
nav_item("admin.organisations_page", _l("Organisations"), roles=("administrator",), order=85)

from web.admin import first_admins, views  # noqa: E402,F401  (routes register on import)
