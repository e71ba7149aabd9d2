"""Domain errors every service raises; only `web/` (web/errors.py) and the API turn them into
responses, and the CLI into exit codes, so pages, API, CLI and workers share one vocabulary.

`code` is a stable machine-readable name; `params` carry what a translated message needs.
"""


class DomainError(Exception):
    """Base of the errors services raise for a reason the caller can act on."""

    code = "domain_error"

    def __init__(self, code: str | None = None, **params):
        self.code = code or type(self).code
        self.params = params
        super().__init__(self.code if not params else f"{self.code}: {params}")


class NotFound(DomainError):
    """No such object for this person: unknown, or not theirs to see (the two look the same)."""

    code = "not_found"


class InvalidInput(DomainError):
    """Input that fails validation; nothing was changed."""

    code = "invalid_input"


class Conflict(DomainError):
    """The object changed or moved on meanwhile (another tab, another person); nothing changed."""

    code = "conflict"
