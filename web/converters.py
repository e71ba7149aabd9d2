"""URL converters for the whole app.

`int` is replaced by one bounded to the database's integer range, so an id beyond it
answers 404 (no route matches) instead of reaching the database and failing there. Every
route, present or future, that says `<int:...>` gets it; register it before the blueprints.
"""
from werkzeug.routing import IntegerConverter

DATABASE_INT_MAX = 2**31 - 1  # ids are INTEGER columns: PostgreSQL's are signed 32-bit


class DatabaseIdConverter(IntegerConverter):
    """An `int` that fits the database: 0 … 2^31-1 unless the route narrows it further."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):
        if max is None or max > DATABASE_INT_MAX:
            max = DATABASE_INT_MAX
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app) -> None:
    app.url_map.converters["int"] = DatabaseIdConverter
