"""Text and offset helpers. Offsets are code points (``str`` indices), half-open.

Pure: no Django imports.
"""

import hashlib

from annotator.common.errors import InvalidInput


def sha256_hex(text: str) -> str:
    """The article fingerprint every export carries: sha256 of the UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def check_storable(value: str, field: str) -> None:
    """Refuse strings that no database can store faithfully (NUL, lone surrogates)."""
    if "\x00" in value:
        raise InvalidInput(
            f"{field} contains a NUL character", fields={field: ["NUL characters are not allowed"]}
        )
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InvalidInput(
            f"{field} contains an unpaired surrogate at {exc.start}",
            fields={field: [f"unpaired UTF-16 surrogate at code point {exc.start}"]},
        ) from None


def check_storable_json(value: object, field: str) -> None:
    """Apply ``check_storable`` to every key and string inside a JSON value."""
    if isinstance(value, str):
        check_storable(value, field)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_storable(str(key), field)
            check_storable_json(item, field)
    elif isinstance(value, list):
        for item in value:
            check_storable_json(item, field)


def span_text(text: str, start: int, end: int) -> str:
    """Return ``text[start:end]`` after checking ``0 <= start < end <= len(text)``."""
    if isinstance(start, bool) or isinstance(end, bool):
        raise InvalidInput("start and end must be integers")
    errors: dict[str, list[str]] = {}
    if start < 0:
        errors["start"] = ["must be 0 or more"]
    if end > len(text):
        errors["end"] = [f"must be at most the text length ({len(text)} code points)"]
    if start >= end and not errors:
        errors["end"] = ["must be greater than start (spans are half-open [start, end))"]
    if errors:
        detail = "; ".join(f"{k} {v[0]}" for k, v in errors.items())
        raise InvalidInput(f"span offsets out of range: {detail}", fields=errors)
    return text[start:end]
