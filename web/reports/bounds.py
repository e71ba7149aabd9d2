"""How many PDF renders the service takes on: per person and in total, per window.

A render costs about a second of a worker and every new plan choice is a new file, so a person
(or a script) asking for one budget after another could keep the workers busy and the pages
slow. Only renders count: a report already stored is sent whatever the counts. The counters
live in the rate limiter's storage (Redis when REDIS_URL is set, so all workers share them).
The pages and the API count on the same counters and say the same thing (`refusal`).
"""
import logging
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _
from limits import parse_many

from web.errors import error_response
from web.security import limiter

log = logging.getLogger(__name__)
RETRY_SECONDS = 60


@dataclass(frozen=True)
class Refusal:
    """Why one more render is refused: status 429 (this person) or 503 (the service)."""
    status: int
    title: str
    detail: str


def _within(setting: str, *identifiers: str) -> bool:
    try:
        return all(limiter.limiter.hit(item, "report-render", *identifiers)
                   for item in parse_many(current_app.config[setting]))
    except Exception:  # the limiter's storage is down: render rather than refuse everyone
        log.warning("report render limits unavailable", exc_info=True)
        return True


def refusal(user_id: int) -> Refusal | None:
    """None when one more render is allowed now (and counted), else why not, in the
    request's language: 429 when this person asked for too many, 503 when the service
    renders too many."""
    if not limiter.enabled:
        return None
    if not _within("REPORT_RENDER_USER_LIMIT", f"user-{user_id}"):
        return Refusal(429, _("Too many reports at once"), _(
            "You asked for many new reports in a short time. Reports already made can still be "
            "downloaded; please try again in a minute."))
    if not _within("REPORT_RENDER_LIMIT", "all"):
        return Refusal(503, _("Reports are busy"), _(
            "Many reports are being made right now. Please try again in a minute; what you "
            "saved is kept."))
    return None


def refused(user_id: int):
    """None when one more render is allowed now (and counted), else the page to send."""
    found = refusal(user_id)
    if found is None:
        return None
    response = current_app.make_response(error_response(found.status, found.title, found.detail))
    response.headers["Retry-After"] = str(RETRY_SECONDS)
    return response
