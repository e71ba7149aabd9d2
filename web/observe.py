"""Request ids and one log line per request.

The id comes from `X-Request-ID` when it looks like an id (letters, digits, `-_.:`, at most
64), else a new one; it is echoed in the response and stamped on every log line of the
request. The request line names the route pattern (`/auth/reset/<token>`), never the path, so
tokens and ids typed into URLs stay out of the log.
"""
import logging
import re
import time
import uuid

from flask import g, request
from flask.logging import default_handler

import logsetup

HEADER = "X-Request-ID"
_SANE = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")
log = logging.getLogger("web.request")


def _start():
    given = request.headers.get(HEADER, "")
    g.request_id = given if _SANE.match(given) else uuid.uuid4().hex
    g.request_token = logsetup.request_id.set(g.request_id)
    g.request_started = time.perf_counter()


def _finish(response):
    rid = g.get("request_id")
    if rid:
        response.headers[HEADER] = rid
        rule = request.url_rule.rule if request.url_rule is not None else "(no route)"
        took = (time.perf_counter() - g.request_started) * 1000
        log.info("%s %s %s %.1f ms", request.method, rule, response.status_code, took,
                 extra={"method": request.method, "route": rule,
                        "status": response.status_code, "ms": round(took, 1)})
    return response


def _reset(_exc=None):
    token = g.pop("request_token", None)
    if token is not None:
        logsetup.request_id.reset(token)


def init_app(app) -> None:
    """The request hooks; the log handler itself is set up by create_app (app.py)."""
    app.logger.removeHandler(default_handler)  # ours on the root logger writes every line
    app.before_request(_start)
    app.after_request(_finish)
    app.teardown_request(_reset)
