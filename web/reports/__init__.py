"""PDF reports for the people of the enterprise: download, or wait on a "preparing…" page."""
from flask import Blueprint

bp = Blueprint("reports", __name__)

from web.reports import views  # noqa: E402,F401  (routes register on import)
