"""A centre's on-site assessment (现场评定): overview and history, one item per screen with the
self-reported and verified answers side by side, evidence upload and download, review and
sign-off. The public check of a signed report lives in web/verification."""
from flask import Blueprint

from web import formats

bp = Blueprint("on_site", __name__)
formats.register(bp)

from web.on_site import views  # noqa: E402,F401  (routes register on import)
