"""Whatever the answers hold, checking them gives a list of problems, never a crash or a silent zero."""
import math

import pytest

from diagnosis import AnswerError, check_answers, score
from tests.unit.builders import MANUFACTURING, extreme_answers

JUNK = [None, True, 0, -1, 2.5, 10**30, math.nan, math.inf, "", "x", "n/a", [], [None], [[1]], ["x", "x"], {},
        {"numerator": 1}, {"numerator": [], "denominator": {}}, {"numerator": math.nan, "denominator": 2},
        {"numerator": 1, "denominator": math.inf}, {"numerator": 1, "denominator": 2, "extra": 3}]


@pytest.mark.parametrize("iid", ["cn-sme-2024", "eu-dma", "quick-check"])
def test_every_question_with_junk_gives_problems_or_a_score(instruments, iid):
    inst = instruments[iid]
    base = extreme_answers(inst, best=True)
    crashes = []
    for q in inst.questions:
        for junk in JUNK:
            answers = dict(base)
            answers[q.id] = junk
            try:
                problems = check_answers(inst, answers, MANUFACTURING, partial=False)
                if problems:
                    with pytest.raises(AnswerError):
                        score(inst, answers, MANUFACTURING)
                else:
                    r = score(inst, answers, MANUFACTURING)
                    assert math.isfinite(r.total)
            except Exception as exc:  # noqa: BLE001 - collecting every crash is the point
                crashes.append(f"{q.id} = {junk!r}: {type(exc).__name__}: {exc}")
    assert crashes == []


def test_non_finite_numbers_are_refused(cn):
    answers = extreme_answers(cn, best=True) | {"digital_spend_rate": {"numerator": math.nan, "denominator": 10}}
    [problem] = check_answers(cn, answers, MANUFACTURING)
    assert (problem.code, problem.params["field"]) == ("wrong_type", "numerator")
