"""Who is calling and what they may do: the bearer token, its scope for the endpoint, a JSON
body that parses, and the per-token rate limit. Runs before every API view."""
import hashlib
import json

from flask import current_app, g, request
from flask_limiter.util import get_remote_address

from services import api_tokens
from web.api import bp, spec
from web.security import limiter
from web.api.problems import ApiProblem

PUBLIC = {"api.openapi", "api.docs"}  # the document and its page need no token
BODY_METHODS = {"POST", "PUT", "PATCH"}


def operation(scope: str, **documented):
    """Decorator for an API view: needs a token with `scope`; the request and responses are
    validated (and documented) with the pydantic models in `documented` (spectree)."""
    def wrap(func):
        validated = spec.validate(security={"bearer": [scope]}, **documented)(func)
        validated.api_scope = scope
        return validated
    return wrap


def _bearer() -> str:
    kind, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() if kind.lower() == "bearer" else ""


def rate_key() -> str:
    """Requests count per token (its hash, so no database read), else per address."""
    token = _bearer()
    if token:
        return "api-token:" + hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()[:32]
    return "api-address:" + (get_remote_address() or "")


# Once per process (the blueprint and the limiter are module-level; a limit added for every
# application made would count each request once per application).
limiter.limit(lambda: current_app.config.get("API_RATE_LIMIT") or api_tokens.settings().rate_limit,
              key_func=rate_key)(bp)


def actor():
    """The TokenActor of this request (set before the view runs)."""
    return g.api_actor


@bp.before_request
def _authenticate():
    if request.endpoint in PUBLIC:
        return
    found = api_tokens.actor_for(_bearer())
    if found is None:
        raise ApiProblem("unauthorized")
    view = current_app.view_functions.get(request.endpoint)
    scope = getattr(view, "api_scope", None)
    if scope is None or scope not in found.scopes:
        raise ApiProblem("insufficient_scope", headers={
            "WWW-Authenticate": f'Bearer realm="api", error="insufficient_scope", scope="{scope}"'})
    g.api_actor = found
    if request.method in BODY_METHODS:
        _check_body()


def _check_body() -> None:
    raw = request.get_data(cache=True)
    if not raw:
        return  # an empty body: the schema says whether one is needed
    mimetype = request.mimetype or ""
    if mimetype != "application/json" and not mimetype.endswith("+json"):
        raise ApiProblem("unsupported_media_type")
    try:
        json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ApiProblem("malformed_json") from None


def _no_constant(name):
    raise ValueError(f"{name} is not JSON")  # NaN and Infinity: Python accepts them, JSON not
