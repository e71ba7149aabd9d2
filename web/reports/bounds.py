"""How many PDF renders the service takes on: per person and in total, per window.

A render costs about a second of a worker and every new plan choice is a new file, so a person
(or a script) asking for one budget after another could keep the workers busy and the pages
slow. Only renders count: a report already stored is sent whatever the counts. The counters
live in the rate limiter's storage (Redis when REDIS_URL is set, so all workers share them).
"""
import logging

from flask import current_app
from flask_babel import gettext as _
from limits import parse_many

from web.errors import error_response
from web.security import limiter

log = logging.getLogger(__name__)
RETRY_SECONDS = 60


def _within(setting: str, *identifiers: str) -> bool:
    try:
        return all(limiter.limiter.hit(item, "report-render", *identifiers)
                   for item in parse_many(current_app.config[setting]))
    except Exception:  # the limiter's storage is down: render rather than refuse everyone
        log.warning("report render limits unavailable", exc_info=True)
        return True


def refused(user_id: int):
    """None when one more render is allowed now (and counted), else the response to send:
    429 when this person asked for too many, 503 when the service renders too many."""
    if not limiter.enabled:
        return None
    if not _within("REPORT_RENDER_USER_LIMIT", f"user-{user_id}"):
        response = error_response(
            429, _("Too many reports at once"),
            _("You asked for many new reports in a short time. Reports already made can still be "
              "downloaded; please try again in a minute."))
    elif not _within("REPORT_RENDER_LIMIT", "all"):
        response = error_response(
            503, _("Reports are busy"),
            _("Many reports are being made right now. Please try again in a minute; what you "
              "saved is kept."))
    else:
        return None
    response = current_app.make_response(response)
    response.headers["Retry-After"] = str(RETRY_SECONDS)
    return response
