"""The DomainError family: services raise these; ``api/errors.py`` maps them to HTTP.

Pure: no Django imports.
"""

from collections.abc import Mapping, Sequence


class DomainError(Exception):
    """A rule of the domain refused an operation. ``fields`` maps a field to its messages."""

    code = "invalid"

    def __init__(
        self,
        message: str,
        *,
        fields: Mapping[str, Sequence[str]] | None = None,
        code: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.fields = {k: list(v) for k, v in (fields or {}).items()}
        if code:
            self.code = code


class InvalidInput(DomainError):
    """The input breaks a rule (400)."""

    code = "invalid"


def check_whole_number(value: object, field: str, low: int, high: int) -> int:
    """``value`` if it is an integer (not a bool) from ``low`` to ``high``; else a 400 on ``field``."""
    if type(value) is not int or not low <= value <= high:
        message = f"A whole number from {low} to {high}."
        raise InvalidInput(f"{field}: {message}", fields={field: [message]})
    return value


class Forbidden(DomainError):
    """The caller may see the object but not do this to it (403)."""

    code = "forbidden"


class NotFound(DomainError):
    """The object does not exist or the caller may not see it (404)."""

    code = "not_found"


class Conflict(DomainError):
    """The operation clashes with the current state (409)."""

    code = "conflict"


class StaleVersion(DomainError):
    """The write was based on an older version than the stored one (412)."""

    code = "stale_version"

    def __init__(self, message: str, *, current_version: int) -> None:
        super().__init__(message)
        self.current_version = current_version


class VersionRequired(DomainError):
    """An update to an existing object did not say which version it was based on (428)."""

    code = "version_required"


class TooLarge(InvalidInput):
    """The input is bigger than the configured limit (413)."""

    code = "too_large"
