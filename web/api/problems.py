"""Errors of the JSON API as `application/problem+json` (RFC 9457), in the caller's language.

Every problem has a stable `type` (a relative URI under /api/v1/problems/, listed on the API's
documentation page), the HTTP `status`, a translated `title` and `detail`, and, for answers and
fields, `errors`: {field or question id: [messages]}. Views raise `ApiProblem`; the domain
errors of services/errors.py and the HTTP errors of Flask come out the same way.
"""
from flask import current_app, jsonify
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from services import errors as domain

MEDIA_TYPE = "application/problem+json"
TYPE_BASE = "/api/v1/problems/"

# code -> (status, title); the detail says what happened and that nothing changed.
TITLES = {
    "unauthorized": (401, _l("A valid API token is needed")),
    "insufficient_scope": (403, _l("The token does not allow this")),
    "not_found": (404, _l("Not found")),
    "method_not_allowed": (405, _l("Method not allowed")),
    "not_acceptable": (406, _l("Not acceptable")),
    "conflict": (409, _l("Conflict")),
    "payload_too_large": (413, _l("Request too large")),
    "unsupported_media_type": (415, _l("Unsupported media type")),
    "malformed_json": (400, _l("Malformed JSON")),
    "bad_request": (400, _l("Bad request")),
    "invalid_input": (422, _l("Invalid input")),
    "answers_rejected": (422, _l("Answers not saved")),
    "pledge_required": (422, _l("Pledge required")),
    "not_submitted": (409, _l("Not submitted yet")),
    "rate_limited": (429, _l("Too many requests")),
    "unavailable": (503, _l("Temporarily unavailable")),
    "server_error": (500, _l("Server error")),
}


class ApiProblem(Exception):
    """An API error: `code` one of TITLES; `detail` translated text; `errors` per field."""

    def __init__(self, code: str, detail: str = "", errors: dict | None = None, headers=None):
        super().__init__(code)
        self.code, self.detail, self.errors, self.headers = code, detail, errors, headers or {}


def _details():
    return {
        "unauthorized": _("Send an API token in the header \"Authorization: Bearer <token>\". "
                          "The token may be unknown, expired or revoked; nothing was changed."),
        "insufficient_scope": _("This token was not given the scope this request needs; "
                                "nothing was changed."),
        "not_found": _("There is no such resource, or the token has no access to it."),
        "method_not_allowed": _("This address does not accept that method."),
        "not_acceptable": _("This resource answers in JSON only."),
        "conflict": _("The resource changed meanwhile; nothing was changed."),
        "payload_too_large": _("The request body is larger than 1 MB; nothing was changed."),
        "unsupported_media_type": _("Send the body as JSON with \"Content-Type: "
                                    "application/json\"; nothing was changed."),
        "malformed_json": _("The body is not valid UTF-8 JSON; nothing was changed."),
        "bad_request": _("The request could not be understood; nothing was changed."),
        "invalid_input": _("Some fields are not valid; see \"errors\". Nothing was changed."),
        "rate_limited": _("Too many requests with this token in a short time. Wait and try "
                          "again."),
        "unavailable": _("The service cannot do this just now. What was saved before is kept; "
                         "please try again."),
        "server_error": _("An unexpected error occurred. What was saved before is kept; please "
                          "try again."),
    }


def response(code: str, detail: str = "", errors: dict | None = None, headers=None):
    """The problem+json response for `code`."""
    status, title = TITLES.get(code, TITLES["bad_request"])
    body = {"type": TYPE_BASE + code.replace("_", "-"), "title": str(title), "status": status,
            "detail": detail or _details().get(code, str(title)), "code": code}
    if errors:
        body["errors"] = errors
    reply = jsonify(body)
    reply.status_code = status
    reply.mimetype = MEDIA_TYPE
    if status == 401:
        reply.headers["WWW-Authenticate"] = 'Bearer realm="api"'
    reply.headers.update(headers or {})
    return reply


def for_http_status(status: int, headers=None, detail: str = ""):
    """A problem for Flask's own HTTP errors (routing, size, limits) on API paths; `detail`
    replaces the problem's usual one."""
    code = {401: "unauthorized", 403: "insufficient_scope", 404: "not_found",
            405: "method_not_allowed", 406: "not_acceptable", 409: "conflict",
            413: "payload_too_large", 415: "unsupported_media_type", 429: "rate_limited",
            503: "unavailable"}.get(status, "server_error" if status >= 500 else "bad_request")
    return response(code, detail, headers=headers)


def _api_problem(err: ApiProblem):
    return response(err.code, err.detail, err.errors, err.headers)


def _domain(err: domain.DomainError):
    if isinstance(err, domain.NotFound):
        return response("not_found")
    if isinstance(err, domain.Conflict):
        return response("conflict")
    current_app.logger.info("API input refused: %s", err.code)
    return response("invalid_input", errors={"_": [err.code]})


def init_blueprint(bp) -> None:
    bp.register_error_handler(ApiProblem, _api_problem)
    bp.register_error_handler(domain.DomainError, _domain)
