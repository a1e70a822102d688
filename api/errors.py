"""The one place where DomainErrors become HTTP responses.

Every error body has the same shape: {"detail": str, "code": str, "errors": {field: [str]}}.
"""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.csrf import csrf_failure as django_csrf_failure
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from annotator.common import errors as domain
from api.parsers import body_too_large

log = logging.getLogger(__name__)

# How long a client told the database is busy waits before it tries again.
RETRY_AFTER_SECONDS = 5

STATUS_FOR: list[tuple[type[domain.DomainError], int]] = [
    (domain.TooLarge, status.HTTP_413_REQUEST_ENTITY_TOO_LARGE),  # before InvalidInput, its base
    (domain.InvalidInput, status.HTTP_400_BAD_REQUEST),
    (domain.Forbidden, status.HTTP_403_FORBIDDEN),
    (domain.NotFound, status.HTTP_404_NOT_FOUND),
    (domain.Conflict, status.HTTP_409_CONFLICT),
    (domain.StaleVersion, status.HTTP_412_PRECONDITION_FAILED),
    (domain.VersionRequired, status.HTTP_428_PRECONDITION_REQUIRED),
]


def error_body(detail: str, code: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The API's one error shape."""
    return {"detail": detail, "code": code, "errors": errors or {}}


def _flatten(detail: Any) -> tuple[str, dict[str, list[str]]]:
    """DRF's nested ValidationError detail -> (summary, {dotted.field: [messages]})."""
    fields: dict[str, list[str]] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), item)
        elif isinstance(value, list) and value and not all(isinstance(v, str) for v in value):
            for index, item in enumerate(value):
                walk(f"{prefix}.{index}" if prefix else str(index), item)
        else:
            messages = value if isinstance(value, list) else [value]
            fields.setdefault(prefix or "non_field_errors", []).extend(str(m) for m in messages)

    walk("", detail)
    summary = "; ".join(f"{k}: {v[0]}" for k, v in list(fields.items())[:5])
    return summary or "Invalid input.", fields


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, RequestDataTooBig):
        # Django's own refusal of a form body over DATA_UPLOAD_MAX_MEMORY_SIZE (the JSON and
        # form parsers of api/parsers.py raise TooLarge themselves): 413, not Django's 400.
        exc = body_too_large()
    elif isinstance(exc, TooManyFieldsSent | TooManyFilesSent):
        exc = domain.InvalidInput(str(exc) or "Too many fields.", fields={"body": ["too many fields"]})
    if isinstance(exc, domain.DomainError):
        code = next(c for cls, c in STATUS_FOR if isinstance(exc, cls))
        body = error_body(exc.message, exc.code, exc.fields)
        extra = getattr(exc, "items", None)
        if extra:
            body["items"] = [{"index": i, "errors": e} for i, e in sorted(extra.items())]
        response = Response(body, status=code)
        if isinstance(exc, domain.StaleVersion):
            response["ETag"] = f'"{exc.current_version}"'
        return response
    if isinstance(exc, OperationalError):
        # The database could not do it now (SQLite's one write lock held past its timeout,
        # e.g. by a long import; a lost connection): a passing state, not a broken request.
        log.warning("database unavailable for %s: %s", context["request"].path, exc)
        set_rollback()
        response = Response(
            error_body(
                "The database is busy or unreachable right now; try again in a moment.",
                "database_unavailable",
            ),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    handled = drf_exception_handler(exc, context)
    if handled is None:
        return None
    response = handled
    if isinstance(exc, exceptions.ValidationError):
        summary, fields = _flatten(exc.detail)
        response.data = error_body(summary, "invalid", fields)
    elif isinstance(exc, exceptions.APIException):
        detail, codes = exc.detail, exc.get_codes()
        response.data = error_body(
            str(detail if not isinstance(detail, (list, dict)) else _flatten(detail)[0]),
            codes if isinstance(codes, str) else "error",
        )
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF refusal (settings.CSRF_FAILURE_VIEW): for the API, the same JSON error as
    everything else, so the web UI can show it; elsewhere Django's own page."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            error_body(
                "The page's security token (CSRF) was missing or stale: reload the page and try again.",
                "csrf_failed",
            ),
            status=status.HTTP_403_FORBIDDEN,
        )
    return django_csrf_failure(request, reason=reason)
