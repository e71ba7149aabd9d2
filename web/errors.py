"""Error pages: clear, translated, HTML or JSON as the client asks."""
from flask import current_app, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError

from services import errors as domain


def wants_json() -> bool:
    """The client asked for JSON (a JSON body, or JSON preferred over HTML)."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return request.is_json or best == "application/json"


def error_response(status: int, title: str, message: str, headers=None, api_detail=False):
    """Render one error for people (HTML) or scripts (JSON); under /api/ as problem+json (the
    problem's own detail, or `message` when `api_detail`)."""
    if request.path.startswith("/api/"):
        from web.api.problems import for_http_status
        return for_http_status(status, headers, message if api_detail else "")
    if wants_json():
        return jsonify(error=title, message=message), status, headers or {}
    return (render_template("errors.html", status=status, title=title, message=message), status,
            headers or {})


def _csrf(err):
    return error_response(400, _("Form expired or invalid"),
                          _("The security token of this form is missing or wrong. Reload the "
                            "page and send it again; nothing was changed."))


def _bad_request(err):
    return error_response(400, _("Bad request"),
                          _("The request could not be understood; nothing was changed."))


def _not_found(err):
    return error_response(404, _("Page not found"),
                          _("There is no such page, or you have no access to it."))


def _invalid(err):
    return error_response(400, _("Bad request"),
                          _("What was sent cannot be used; nothing was changed."))


def _conflict(err):
    return error_response(409, _("Changed meanwhile"),
                          _("This was changed meanwhile, in another tab or by another person; "
                            "nothing was changed. Reload the page and try again."))


def _not_allowed(err):
    allow = ", ".join(getattr(err, "valid_methods", None) or ())  # RFC 9110 asks for Allow
    return error_response(405, _("Not allowed"),
                          _("This address does not accept that kind of request."),
                          {"Allow": allow} if allow else None)


def _too_large(err):
    return error_response(413, _("Too much data"),
                          _("The data sent is larger than 1 MB; nothing was changed."))


def _too_many(err):
    return error_response(429, _("Too many attempts"),
                          _("Too many attempts in a short time. Please wait a few minutes "
                            "and try again."))


def _server_error(err):
    return error_response(500, _("Something went wrong"),
                          _("An unexpected error occurred. What you saved before is kept; "
                            "please try again."))


# PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout (storage/db.py)
QUERY_CANCELED = "57014"


def _database_unavailable(err):
    # The database restarting or out of reach, or too busy to finish a statement of this
    # request in time: the transaction was not committed, and the same request works again
    # shortly, so 503 (not 500, which says "a bug"). Only the error's class is logged: its text
    # may quote the statement's parameters.
    cause = getattr(err, "orig", err)
    timed_out = getattr(cause, "sqlstate", None) == QUERY_CANCELED
    current_app.logger.warning("database %s (%s): answered 503",
                               "too slow" if timed_out else "unavailable", type(cause).__name__)
    g._login_user = AnonymousUserMixin()  # the error page must not ask the database again
    if timed_out:
        message = _("The service is very busy and could not finish this in time; nothing was "
                    "changed. Please try again in a moment.")
    else:
        message = _("The service cannot reach its database just now; nothing was changed. "
                    "Please try again in a moment.")
    response = make_response(error_response(503, _("Service briefly unavailable"), message,
                                            api_detail=True))
    response.headers["Retry-After"] = "5"
    return response


def init_app(app) -> None:
    app.register_error_handler(CSRFError, _csrf)
    app.register_error_handler(400, _bad_request)
    app.register_error_handler(404, _not_found)
    app.register_error_handler(domain.NotFound, _not_found)
    app.register_error_handler(domain.InvalidInput, _invalid)
    app.register_error_handler(domain.Conflict, _conflict)
    app.register_error_handler(405, _not_allowed)
    app.register_error_handler(413, _too_large)
    app.register_error_handler(429, _too_many)
    app.register_error_handler(500, _server_error)
    app.register_error_handler(OperationalError, _database_unavailable)
    app.register_error_handler(InterfaceError, _database_unavailable)
