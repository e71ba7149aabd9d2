"""Small helpers shared by the report context modules: texts in one language, numbers."""
from diagnosis.texts import tr

__all__ = ["tr", "pick", "num", "percent"]


def pick(obj, *names, default=None):
    """First present attribute or key of `obj` among `names` (instrument parts and dicts alike)."""
    for name in names:
        if isinstance(obj, dict):
            if obj.get(name) is not None:
                return obj[name]
        elif getattr(obj, name, None) is not None:
            return getattr(obj, name)
    return default


def num(value):
    """Numbers for display: whole floats become ints, others keep two decimals at most."""
    if isinstance(value, float):
        value = round(value, 2)
        return int(value) if value == int(value) else value
    return value


def percent(score, maximum):
    return round(100 * score / maximum) if maximum else 0
