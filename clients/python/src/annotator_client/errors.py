"""One exception family for every error the API answers (docs/api.md, "Errors"): each carries
the HTTP status, the body's ``code``, ``detail`` and per-field ``errors``."""

from __future__ import annotations

from typing import Any


class AnnotatorError(Exception):
    """Any error answered by the server (or a transport failure, status 0)."""

    def __init__(self, status: int, detail: str, code: str = "", errors: Any = None, body: Any = None):
        super().__init__(f"{status} {code}: {detail}" if code else f"{status}: {detail}")
        self.status = status
        self.detail = detail
        self.code = code
        self.errors = errors or {}
        self.body = body


class InvalidInput(AnnotatorError):
    """400: the body or query string was refused; ``errors`` names the fields."""


class NotAuthenticated(AnnotatorError):
    """401: no token, or a bad or revoked one."""


class PermissionDenied(AnnotatorError):
    """403: a member who may see this but not do that."""


class NotFound(AnnotatorError):
    """404: no such object, or not yours to see."""


class Conflict(AnnotatorError):
    """409: conflicts with the current state (a duplicate, a label in use, the last admin)."""


class StaleVersion(AnnotatorError):
    """412: the object changed since it was read. ``current_version`` is the server's version
    now (from the answer's ETag): read it again, then retry with that version."""

    def __init__(self, *args: Any, current_version: int | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.current_version = current_version


class VersionRequired(AnnotatorError):
    """428: a change was sent without If-Match."""


class TooLarge(AnnotatorError):
    """413: the body or upload is over the server's limit."""


class Throttled(AnnotatorError):
    """429: too many attempts; ``retry_after`` seconds to wait."""

    retry_after: float | None = None


class ServerUnavailable(AnnotatorError):
    """503 (the database is busy) or a 5xx, or the server could not be reached (status 0)."""


class JobFailed(AnnotatorError):
    """A job waited for ended failed or cancelled; ``job`` is its last state."""

    def __init__(self, job: dict[str, Any]):
        super().__init__(
            0, job.get("error") or f"job {job.get('id')} {job.get('status')}", job.get("status", "")
        )
        self.job = job


BY_STATUS: dict[int, type[AnnotatorError]] = {
    400: InvalidInput,
    401: NotAuthenticated,
    403: PermissionDenied,
    404: NotFound,
    409: Conflict,
    412: StaleVersion,
    413: TooLarge,
    428: VersionRequired,
    429: Throttled,
}


def parse_etag(value: str | None) -> int | None:
    """An annotation's version from its ETag (``"3"``); None for none or a weak article ETag."""
    if not value or value.startswith("W/"):
        return None
    try:
        return int(value.strip('"'))
    except ValueError:
        return None


def error_from(status: int, body: Any, headers: Any) -> AnnotatorError:
    """The exception for an error answer: its class from the status, its fields from the body."""
    detail, code, errors = "", "", None
    if isinstance(body, dict):
        detail, code, errors = str(body.get("detail", "")), str(body.get("code", "")), body.get("errors")
    elif body:
        detail = str(body)[:500]
    cls = BY_STATUS.get(status, ServerUnavailable if status >= 500 else AnnotatorError)
    if cls is StaleVersion:
        return StaleVersion(
            status, detail, code, errors, body, current_version=parse_etag(headers.get("etag"))
        )
    error = cls(status, detail, code, errors, body)
    if isinstance(error, Throttled):
        retry = headers.get("retry-after")
        error.retry_after = float(retry) if retry and retry.isdigit() else None
    return error
