"""Errors raised by the core: a bad instrument file, or bad answers."""
from dataclasses import dataclass, field


class InstrumentError(ValueError):
    """An instrument file (or several) could not be loaded.

    `.problems` lists every problem found, each "file: path.inside: what is wrong".
    """

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Problem:
    """One problem with the answers to one item.

    `code` is a stable key the web translates (e.g. "option_not_offered"); `params` carries the
    item id and the offending value; `message` is a readable English sentence.
    """

    item: str
    code: str
    params: dict = field(default_factory=dict)
    message: str = ""

    def to_dict(self):
        return {"item": self.item, "code": self.code, "params": dict(self.params), "message": self.message}


class AnswerError(ValueError):
    """Answers that cannot be scored; `.problems` lists every Problem at once."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("\n".join(p.message for p in self.problems))
