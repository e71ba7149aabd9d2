"""Logging for every process (web, worker, command line), configured here and only here.

Each line carries a request id (`-` outside a request): the web takes it from a sane
`X-Request-ID` header or makes one (web/observe.py), a job runs under its job id. LOG_FORMAT
"json" writes one JSON object per line for log collectors; "text" (the default) is for people.
Log lines hold ids, routes and outcomes, never e-mails, names or answers.
"""
import contextvars
import logging
import sys

from pythonjsonlogger.json import JsonFormatter

request_id = contextvars.ContextVar("request_id", default="-")
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"
# Libraries whose INFO lines name people's addresses (the rate limiter logs its keys) or
# only narrate their progress (WeasyPrint, fontTools, matplotlib): warnings and worse only.
QUIET = ("flask-limiter", "weasyprint", "fontTools", "matplotlib")


class RequestIdFilter(logging.Filter):
    """Stamps every record with the current request id."""

    def filter(self, record):
        record.request_id = request_id.get()
        return True


def formatter(fmt: str) -> logging.Formatter:
    if fmt == "json":
        return JsonFormatter(JSON_FIELDS, rename_fields={"asctime": "time", "levelname": "level",
                                                         "name": "logger"})
    return logging.Formatter(TEXT_FORMAT)


def configure(fmt: str = "text", level: str = "INFO", stream=None) -> logging.Handler:
    """(Re)configure the root logger with one handler of ours; safe to call again."""
    if fmt not in ("text", "json"):
        raise ValueError(f"LOG_FORMAT must be text or json, not {fmt!r}")
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "_diagnosis_handler", False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler._diagnosis_handler = True
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(formatter(fmt))
    root.addHandler(handler)
    root.setLevel(level.upper())
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler
