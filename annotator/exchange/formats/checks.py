"""Type checks shared by the JSON formats: each raises RecordError naming the field. Pure."""

from .records import RecordError


def kind_name(value: object) -> str:
    """How an error names a JSON value's type: "a string", "an integer", "null"..."""
    if isinstance(value, bool):
        return "true or false"
    return {str: "a string", int: "an integer", float: "a number", dict: "an object", list: "an array"}.get(
        type(value), "null" if value is None else type(value).__name__
    )


def need_int(value: object, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise RecordError(path, f"must be an integer, not {kind_name(value)}")
    return value


def need_str(value: object, path: str) -> str:
    if not isinstance(value, str):
        raise RecordError(path, f"must be a string, not {kind_name(value)}")
    return value


def need_key(value: object, path: str) -> str | int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise RecordError(path, f"must be a string or an integer, not {kind_name(value)}")
    return value
