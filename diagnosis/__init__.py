"""Pure diagnosis core: instruments as data, scoring, explanation, planning. Imports only stdlib,
numpy, yaml and (for planning) the HiGHS solver.

The names below load their module on first use (PEP 562), so `import diagnosis.texts` or
`from diagnosis import AnswerError` does not load numpy and the scoring code.
"""
from importlib import import_module

_HOMES = {
    "answers": ("answer_warnings", "check_answers", "progress", "visible_ids"),
    "errors": ("AnswerError", "InstrumentError", "Problem"),
    "instrument": ("Instrument", "load_files", "load_instrument", "load_instruments", "parse_instrument"),
    "model": ("NA",),
    "profile": ("effective_profile",),
    "result": ("Result", "score"),
    "scoring": ("BatchScores", "Compiled", "Encoded", "compile_instrument", "stack"),
}
_HOME_OF = {name: module for module, names in _HOMES.items() for name in names}

__all__ = sorted(_HOME_OF)


def __getattr__(name):
    module = _HOME_OF.get(name)
    if module is None:
        raise AttributeError(f"module 'diagnosis' has no attribute {name!r}")
    value = getattr(import_module(f"diagnosis.{module}"), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(list(globals()) + __all__)
