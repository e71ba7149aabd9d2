"""Accounts: register, log in/out, password reset and change, invitations, language choice."""
from flask import Blueprint
from flask_babel import lazy_gettext as _l

from web.nav import nav_item

bp = Blueprint("auth", __name__)
nav_item("auth.invite", _l("Colleagues"), roles=("sme_user",), order=80)
nav_item("auth.change_password", _l("Password"), order=90)

from web.auth import colleagues, views  # noqa: E402,F401  (routes register on import)
