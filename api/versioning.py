"""Optimistic concurrency over HTTP: ETag carries an object's version, If-Match sends it back."""

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from api.serializers.fields import MAX_ID


def etag(version: int) -> str:
    return f'"{version}"'


def if_match_version(request: Request) -> int | None:
    """The version in If-Match (``"3"``, ``W/"3"`` or ``3``), or None when absent."""
    raw = request.headers.get("If-Match")
    if raw is None:
        return None
    value = raw.strip()
    if value.startswith("W/"):
        value = value[2:]
    value = value.strip('"')
    # isascii: str.isdigit also admits "²" and other scripts' digits, which int() refuses; and
    # a version beyond 64 bits is none a database can hold or be asked for.
    if not (value.isascii() and value.isdigit()) or int(value) > MAX_ID:
        raise ValidationError({"If-Match": [f'expected a version such as "3", got {raw!r}']})
    return int(value)


def with_etag(data: Any, version: int, status: int = 200) -> Response:
    response = Response(data, status=status)
    response["ETag"] = etag(version)
    return response


IF_MATCH = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=True,
    description='The version you read, from the ETag (e.g. "3"). Stale -> 412, missing -> 428.',
)
