"""The rule for text people type that gets stored: surrounding spaces are dropped, control
characters (NUL, escape, bidi overrides and the like) are refused, a required text of only
spaces counts as empty. Web forms apply it to every text field (web/forms.py); services apply
it again where they store names, so other front doors get the same rule."""
import unicodedata

from services.errors import InvalidInput

# Line breaks and tabs are fine in multi-line text; nothing else of categories Cc/Cf/Zl/Zp,
# except the zero-width (non-)joiners some scripts and emoji need.
_MULTILINE_OK = frozenset("\n\r\t")
_JOINERS = frozenset("\u200c\u200d")


def control_character(text: str, multiline: bool = False) -> str | None:
    """The first control character in `text` (None when there is none)."""
    for char in text or "":
        if char in _JOINERS or (multiline and char in _MULTILINE_OK):
            continue
        if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp", "Cs"):
            return char
    return None


def clean_line(value, *, required: bool = True, code: str = "required",
               multiline: bool = False) -> str:
    """`value` without surrounding spaces; InvalidInput("control_characters") or
    InvalidInput(code) when required and empty."""
    text = (value or "").strip()
    if control_character(text, multiline):
        raise InvalidInput("control_characters")
    if required and not text:
        raise InvalidInput(code)
    return text
