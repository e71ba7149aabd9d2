"""JSON API v1 (/api/v1): bearer tokens, problem+json errors, OpenAPI 3.1 from the schemas.

The views are thin: they read the validated request (spectree + pydantic, the same models the
OpenAPI document is generated from), call the same services as the pages and answer JSON.
See docs/api.md.
"""
from flask import Blueprint
from spectree import SecurityScheme, SecuritySchemeData, SpecTree

from web.api import problems

PREFIX = "/api/v1"
bp = Blueprint("api", __name__)
problems.init_blueprint(bp)


def _refuse_invalid(req, resp, req_validation_error, instance, model_adapter=None):
    """Spectree calls this after validating the request: an invalid one becomes a problem
    with one translated message per field (instead of spectree's own 422 body)."""
    if req_validation_error is not None:
        from web.api.fields import field_errors
        raise problems.ApiProblem("invalid_input", errors=field_errors(req_validation_error))


spec = SpecTree(
    "flask", title="SME digital-transformation diagnosis API", version="1.0.0",
    description="JSON API of the diagnosis service. Every request carries a bearer token "
                "(`flask --app app tokens create`, or the API tokens page). Errors are "
                "application/problem+json (RFC 9457) in the language of Accept-Language.",
    # Spectree's own routes are not registered (web/api/docs.py serves the document and a
    # page without outside scripts); its `path` only has to differ from the API's.
    path="api/spectree", mode="strict", page_templates={},
    before=_refuse_invalid, validation_error_status=422,
    security_schemes=[SecurityScheme(name="bearer", data=SecuritySchemeData(
        type="http", scheme="bearer",
        description="An API token: `Authorization: Bearer sdt_...`"))],
    security={"bearer": []})


def init_app(app) -> None:
    from web.api import auth, docs  # noqa: F401  (hooks and the documentation page)
    from web.api import assessments, catalogue, reports, scoring, verification  # noqa: F401
    from web.security import csrf

    csrf.exempt(bp)  # no cookies are read: a bearer token cannot be sent by another site
    app.register_blueprint(bp, url_prefix=PREFIX)
