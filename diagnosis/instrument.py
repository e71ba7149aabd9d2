"""Instrument model and loader: questionnaire YAML → validated, frozen Instrument.

The loader reports every problem at once, each as "file: path.inside: what is wrong".
"""
from dataclasses import replace
from pathlib import Path

from . import checks, loader
from .errors import InstrumentError
from .model import (KINDS, NA, Band, Condition, Dimension, Indicator, Instrument, Item, Level,  # noqa: F401
                    LevelCondition, Option, RateInput, Scenario, ScenarioGroup)
from .registry import Registry, load_files, load_instruments  # noqa: F401
from .reader import Reader, parse_yaml


def parse_instrument(text, file="<string>"):
    """Build an Instrument from YAML text; raise InstrumentError listing every problem."""
    problems = []
    data = parse_yaml(text, file, problems)
    if problems:
        raise InstrumentError(problems)
    return instrument_from_data(data, file)


def instrument_from_data(data, file="<data>"):
    """Build an Instrument from already parsed data (as YAML would give)."""
    problems = []
    r = Reader(file, problems)
    inst = loader.build(data, r)
    _index(inst)
    checks.check(inst, r)
    if problems:
        raise InstrumentError(problems)
    return replace(inst, levels=tuple(sorted(inst.levels, key=lambda lv: lv.rank)))


def load_instrument(path):
    """Load and validate one questionnaire file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InstrumentError([f"{path}: cannot read: {exc}"]) from None
    return parse_instrument(text, str(path))


def _index(inst):
    items = tuple(it for d in inst.dimensions for ind in d.indicators for it in ind.items)
    questions = items + tuple(inst.scenarios)
    by_id = {}
    for q in questions:
        by_id.setdefault(q.id, q)
    inst._index.update(items=items, questions=questions, by_id=by_id)
