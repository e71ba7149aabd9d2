"""Pure diagnosis core: instruments as data, scoring, explanation. Imports only stdlib, numpy, yaml."""
from .errors import AnswerError, InstrumentError, Problem
from .instrument import Instrument, load_instrument, load_instruments, parse_instrument

__all__ = ["AnswerError", "Instrument", "InstrumentError", "Problem", "load_instrument",
           "load_instruments", "parse_instrument"]
