"""Dates in the person's language and the service's time zone, as template filters:
`{{ moment|when }}` (date and time), `{{ moment|day }}` (date), `{{ consent.valid_until|last_day }}`
(the last day a consent holds: its `valid_until` is the first moment after that day)."""
from datetime import date, datetime, timedelta

from flask_babel import format_date, format_time, get_locale, to_user_timezone


def when(moment) -> str:
    """Date and time to the minute (seconds are noise in a history), joined the locale's way."""
    if not moment:
        return ""
    joined = str(get_locale().datetime_formats["medium"])  # "{1}, {0}" in English
    return joined.replace("{1}", format_date(moment, "medium")).replace(
        "{0}", format_time(moment, "short"))


def day(moment) -> str:
    if isinstance(moment, date) and not isinstance(moment, datetime):
        return format_date(moment, "medium")  # a calendar day (e.g. a deadline): no time zone
    return format_date(to_user_timezone(moment), "medium") if moment else ""


def last_day(moment) -> str:
    return day(moment - timedelta(microseconds=1)) if moment else ""


def register(bp) -> None:
    """Make the filters available to every template (idempotent; any blueprint may call it)."""
    for name, function in (("when", when), ("day", day), ("last_day", last_day)):
        bp.add_app_template_filter(function, name)
