"""Budgets as people write them: 200000, 200,000, ¥200,000, 20万, 20 万元, 200k, 1.5 million.

One parser for the plan page, the CLI and the API. Amounts are whole yuan; the result is an
int. Anything else raises BudgetError with a code the caller words in the person's language.
"""
import re
import unicodedata
from decimal import Decimal, InvalidOperation

MAX_BUDGET = 10**10    # ten billion yuan: far above any SME plan, below any overflow

# Multipliers written after the number, longest first so "million" is not read as "m".
UNITS = (("million", 10**6), ("thousand", 1000), ("mn", 10**6), ("万", 10**4), ("萬", 10**4),
         ("千", 1000), ("亿", 10**8), ("億", 10**8), ("k", 1000), ("m", 10**6), ("w", 10**4))
# Currency words and signs, before or after the amount; they change nothing.
CURRENCY = ("人民币", "rmb", "cny", "yuan", "元", "¥", "￥")
NUMBER = re.compile(r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+")


class BudgetError(ValueError):
    """code: "empty", "not_a_number", "negative", "fraction" (not whole yuan), "too_large"."""

    def __init__(self, code, text=""):
        super().__init__(f"{code}: {text!r}")
        self.code = code


def parse_budget(text):
    """The budget in whole yuan from what a person typed; raises BudgetError."""
    if isinstance(text, bool):
        raise BudgetError("not_a_number", str(text))
    if isinstance(text, int):
        value = Decimal(text)
    else:
        value = _read(str(text) if text is not None else "")
    if value < 0:
        raise BudgetError("negative", str(text))
    if value != value.to_integral_value():
        raise BudgetError("fraction", str(text))
    if value > MAX_BUDGET:
        raise BudgetError("too_large", str(text))
    return int(value)


def _read(text):
    # Full-width digits, commas and signs (２０万，￥) become their ASCII forms.
    s = unicodedata.normalize("NFKC", text).strip().lower()
    s = re.sub(r"\s+", "", s)
    if not s:
        raise BudgetError("empty", text)
    negative, before = False, None
    while s != before:            # signs and currency on either side, in any order
        before = s
        if s and s[0] in "+-":
            negative, s = negative or s[0] == "-", s[1:]
        for word in CURRENCY:
            s = s[len(word):] if s.startswith(word) else s
            s = s[: -len(word)] if s.endswith(word) else s
    factor = 1
    for unit, times in UNITS:
        if s.endswith(unit):
            s, factor = s[: -len(unit)], times
            break
    if not NUMBER.fullmatch(s):
        raise BudgetError("not_a_number", text)
    try:
        value = Decimal(s.replace(",", "")) * factor
    except InvalidOperation:
        raise BudgetError("not_a_number", text) from None
    return -value if negative else value
