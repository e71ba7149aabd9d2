"""Pure diagnosis core: instruments as data, scoring, explanation, planning. Imports only stdlib,
numpy, yaml and (for planning) the HiGHS solver."""
from .answers import answer_warnings, check_answers, progress, visible_ids
from .errors import AnswerError, InstrumentError, Problem
from .instrument import Instrument, load_files, load_instrument, load_instruments, parse_instrument
from .model import NA
from .profile import effective_profile
from .result import Result, score
from .scoring import BatchScores, Compiled, Encoded, compile_instrument, stack

__all__ = ["NA", "answer_warnings", "AnswerError", "BatchScores", "Compiled", "Encoded", "Instrument", "InstrumentError",
           "Problem", "Result", "check_answers", "compile_instrument", "effective_profile", "load_files", "load_instrument",
           "load_instruments", "parse_instrument", "progress", "score", "stack", "visible_ids"]
