from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# Every id is a positive signed 64-bit integer (the primary keys of both databases). A bigger
# number never names a row, and SQLite cannot even bind it (OverflowError): it is refused here,
# before any query.
MAX_ID = 2**63 - 1
ID_HELP = f"An id: 1 to {MAX_ID}."


class ServiceCheckedChoice(serializers.ChoiceField):
    """A string whose choices the schema lists but the service checks, not the serializer: one
    rule and one message (naming the same field) for the API, the commands and the jobs."""

    def to_internal_value(self, data: Any) -> str:
        return str(serializers.CharField().to_internal_value(data))


class IdField(serializers.IntegerField):
    """An id read from a body or a query string: an integer from 1 to 2**63-1, else 400."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(**kwargs)


def digits_fit(value: str) -> bool:
    """Whether a string of digits (``str.isdigit``, which also admits "²" and other scripts'
    digits that ``int`` refuses) is a number the database can be asked for: ASCII, at most
    MAX_ID."""
    return value.isascii() and value.isdigit() and int(value) <= MAX_ID


def digits_id_ok(value: str) -> bool:
    """Whether a string of digits is an id: ``digits_fit`` and at least 1."""
    return digits_fit(value) and int(value) >= 1


def check_id_text(value: str) -> None:
    """A string that a service reads as an id when it is all digits (a label name or id, a
    list of ids): such a string must be an id (400 otherwise)."""
    if value.strip().isdigit() and not digits_id_ok(value.strip()):
        raise serializers.ValidationError(f"ids are 1 to {MAX_ID}")


class LabelRefField(serializers.JSONField):
    """A label name or id; the service resolves and checks it. An id (a number, or a string of
    digits, which the service also reads as an id) must be a valid id."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, int) and not isinstance(data, bool) and not 1 <= data <= MAX_ID:
            raise serializers.ValidationError(f"ids are 1 to {MAX_ID}")
        if isinstance(data, str):
            check_id_text(data)
        return super().to_internal_value(data)


class IdListText(serializers.CharField):
    """Comma-separated ids in a query string (``1,2,3``); each must be an id."""

    def to_internal_value(self, data: Any) -> str:
        value = str(super().to_internal_value(data))
        for item in value.split(","):
            if item and not digits_id_ok(item):
                raise serializers.ValidationError(f"comma-separated ids, each 1 to {MAX_ID}")
        return value


class CursorText(serializers.CharField):
    """An export cursor (``<project>-<clock><stamp>``, as X-Export-Cursor gave it): the
    service checks what it means; both numbers must fit the database."""

    def to_internal_value(self, data: Any) -> str:
        value = str(super().to_internal_value(data))
        head, _, tail = value.partition("-")
        tail = tail.lstrip("abcdefghijklmnopqrstuvwxyz")  # the change clock's name
        if head.isdigit() and tail.isdigit() and not (digits_fit(head) and digits_fit(tail)):
            raise serializers.ValidationError("a cursor from an earlier export (X-Export-Cursor)")
        return value


# A value the model allows to be empty, whose declared format ("uri", "email") "" would break.
@extend_schema_field({"oneOf": [{"type": "string", "format": "uri"}, {"type": "string", "maxLength": 0}]})
class BlankableURLField(serializers.CharField):
    """A URL, or "" for none."""


@extend_schema_field({"oneOf": [{"type": "string", "format": "email"}, {"type": "string", "maxLength": 0}]})
class BlankableEmailField(serializers.CharField):
    """An email address, or "" for none."""
