"""The instruments every part of the service scores with: the questionnaires of a directory,
loaded and validated by the core once per directory and kept as its registry (each
instrument's latest version by id, and every version ever shipped for the results scored with
them).
"""
from functools import lru_cache
from pathlib import Path

from diagnosis import load_instruments


@lru_cache(maxsize=4)
def _instruments(directory):
    return load_instruments(directory)


def instruments(directory):
    """Every instrument in `directory`, loaded once: {id: Instrument}."""
    return _instruments(str(Path(directory)))
