"""Per-field messages for requests that fail their schema, in the caller's language."""
from flask_babel import gettext as _


def _message(error: dict) -> str:
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return _("This field is required.")
    if kind == "extra_forbidden":
        return _("Unknown field: leave it out.")
    if kind.startswith("int_") or kind == "int_from_float":
        return _("Must be a whole number.")
    if kind.startswith("bool"):
        return _("Must be true or false.")
    if kind.startswith("string") and kind not in ("string_too_long", "string_too_short"):
        return _("Must be text.")
    if kind == "string_too_long":
        return _("Too long: at most %(n)s characters.", n=ctx.get("max_length", "?"))
    if kind == "string_too_short":
        return _("Too short: at least %(n)s characters.", n=ctx.get("min_length", "?"))
    if kind in ("greater_than_equal", "greater_than"):
        return _("Too small: the least allowed is %(n)s.", n=ctx.get("ge", ctx.get("gt", "?")))
    if kind in ("less_than_equal", "less_than"):
        return _("Too large: the most allowed is %(n)s.", n=ctx.get("le", ctx.get("lt", "?")))
    if kind in ("literal_error", "enum"):
        return _("Not one of the allowed values: %(values)s.", values=ctx.get("expected", ""))
    if kind.startswith("dict") or kind == "model_type" or kind == "model_attributes_type":
        return _("Must be a JSON object.")
    if kind.startswith("list"):
        return _("Must be a list.")
    if kind.startswith("float") or kind.startswith("decimal"):
        return _("Must be a number.")
    return _("This value is not valid.")


def field_errors(err) -> dict:
    """{"field.sub": [message]} from a pydantic ValidationError; "_" names the whole body."""
    found = {}
    for error in err.errors(include_context=True):
        where = ".".join(str(p) for p in error.get("loc", ()) if p != "__root__") or "_"
        found.setdefault(where, []).append(_message(error))
    return found
