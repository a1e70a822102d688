"""Request body parsers (settings.REST_FRAMEWORK's DEFAULT_PARSER_CLASSES, and the views that
name their own): DRF's, plus the checks that belong to no one field, so no service or query
meets them: a body over DATA_UPLOAD_MAX_MEMORY_SIZE (413), JSON nested too deep for Python
(400), and any string or number no database can store (NUL characters and lone surrogates,
which PostgreSQL refuses; integers beyond 64 bits, which SQLite cannot bind): 400 naming the
field, as ``field``, ``items.0.name``..."""

import io
from collections.abc import Iterator, Mapping
from typing import IO, Any

from django.conf import settings
from django.http import QueryDict
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from annotator.common.errors import InvalidInput, TooLarge
from annotator.common.text import check_storable
from api.serializers.fields import MAX_ID

MIN_INT = -(2**63)
MAX_INT = MAX_ID


def _limit() -> int:
    return int(settings.DATA_UPLOAD_MAX_MEMORY_SIZE)


def body_too_large() -> TooLarge:
    return TooLarge(
        f"The request body is larger than {_limit()} bytes.",
        fields={"body": [f"at most {_limit()} bytes (DATA_UPLOAD_MAX_MEMORY_SIZE)"]},
    )


def read_limited(stream: IO[bytes] | None) -> bytes:
    """The whole body, refused (413) past the limit without reading much further."""
    if stream is None:
        return b""
    body = stream.read(_limit() + 1)
    if len(body) > _limit():
        raise body_too_large()
    return body


def _walk(value: Any, path: str) -> Iterator[tuple[str, Any]]:
    """(dotted path, value) for every scalar and key of a JSON value; no recursion, so depth is
    no limit here."""
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, dict):
            for key, child in item.items():
                yield where or "body", key
                stack.append((f"{where}.{key}" if where else str(key), child))
        elif isinstance(item, list):
            stack.extend((f"{where}.{i}" if where else str(i), child) for i, child in enumerate(item))
        else:
            yield where or "body", item


def check_storable_data(data: Any) -> None:
    """Refuse (400, naming the field) a string no database stores or an integer beyond 64 bits."""
    for path, value in _walk(data, ""):
        if isinstance(value, str):
            check_storable(value, path)
        elif isinstance(value, int) and not isinstance(value, bool) and not MIN_INT <= value <= MAX_INT:
            raise InvalidInput(
                f"{path} is out of range: integers here are at most 64 bits",
                fields={path: [f"must be between {MIN_INT} and {MAX_INT}"]},
            )


def check_storable_fields(data: QueryDict, where: str) -> None:
    """Refuse (400) a form's or query string's name or value no database stores; a bad name
    is reported under ``where``, a bad value under its name."""
    for key, values in data.lists():
        check_storable(key, where)
        for value in values:
            if isinstance(value, str):
                check_storable(value, key)


class JSONParser(parsers.JSONParser):
    def parse(
        self,
        stream: IO[Any] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        body = io.BytesIO(read_limited(stream))
        try:
            data = super().parse(body, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested too deeply") from None
        check_storable_data(data)
        return data


class FormParser(parsers.FormParser):
    def parse(
        self,
        stream: IO[Any] | None,
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> Any:
        data = super().parse(io.BytesIO(read_limited(stream)), media_type, parser_context)
        check_storable_fields(data, "body")
        return data


class MultiPartParser(parsers.MultiPartParser):
    """Django's multipart parser limits the fields to DATA_UPLOAD_MAX_MEMORY_SIZE itself (files
    are the import's business: ANNOTATOR_MAX_UPLOAD_BYTES); the names must be storable too."""

    def parse(
        self,
        stream: IO[Any],
        media_type: str | None = None,
        parser_context: Mapping[str, Any] | None = None,
    ) -> parsers.DataAndFiles:
        parsed = super().parse(stream, media_type, parser_context)
        check_storable_fields(parsed.data, "body")
        for key, files in parsed.files.lists():
            check_storable(key, "body")
            for upload in files:
                check_storable(upload.name or "", key)
        return parsed
