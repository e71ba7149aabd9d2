"""Passwords: argon2 hashing and the one strength rule every password a person chooses meets.

The rule: at least MIN_PASSWORD characters, not the e-mail address (nor its name part), and
hard enough to guess by zxcvbn's estimate (score MIN_SCORE of 0–4: about 10^10 guesses). zxcvbn
knows common passwords, words, names, keyboard patterns, repeats and dates, and is told the
person's own e-mail, name and enterprise so it counts those as guessable too.
"""
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from services.errors import InvalidInput

MIN_PASSWORD = 8
MAX_PASSWORD = 200
MIN_SCORE = 3
# zxcvbn's cost grows with the length; what is past this many characters only adds strength.
_ESTIMATE_CHARS = 64

_hasher = PasswordHasher()


@cache
def _dummy_hash() -> str:
    """Verifying against this keeps the timing of "unknown e-mail" like "wrong password" (made
    on first use: one hash costs about a second, not to be paid by every `flask` command)."""
    return _hasher.hash("not-a-real-password")


class WeakPassword(InvalidInput):
    """A password the rule refuses; `code` says why (password_too_short, password_too_long,
    password_is_email, password_guessable)."""


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify(password_hash: str | None, password: str) -> bool:
    """Whether `password` matches; a None hash still costs one verification."""
    try:
        return _hasher.verify(password_hash or _dummy_hash(), password or "") and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def password_problem(password: str, *, email: str = "", names=()) -> str | None:
    """Why `password` is refused (a WeakPassword code), or None when it meets the rule."""
    password = password or ""
    if len(password) < MIN_PASSWORD:
        return "password_too_short"
    if len(password) > MAX_PASSWORD:
        return "password_too_long"
    email = (email or "").strip().lower()
    folded = password.strip().lower()
    if email and folded in (email, email.partition("@")[0]):
        return "password_is_email"
    hints = [h for h in (email, email.partition("@")[0], *names) if h]
    from zxcvbn import zxcvbn  # its word lists load on first use, not with every command

    if zxcvbn(password[:_ESTIMATE_CHARS], user_inputs=hints)["score"] < MIN_SCORE:
        return "password_guessable"
    return None


def check_password(password: str, *, email: str = "", names=()) -> None:
    """Raise WeakPassword unless `password` meets the rule."""
    problem = password_problem(password, email=email, names=names)
    if problem:
        raise WeakPassword(problem)
