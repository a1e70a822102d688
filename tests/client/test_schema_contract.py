"""The client against the server's OpenAPI schema, generated here in-process: every path and
method the client calls, every field it reads or sends, and the type of every field of its
models (annotator_client.models) must still be there. A change to the API that the client does
not know fails here, not in a researcher's notebook."""

import copy
import types
import typing
from typing import Any

import pytest
from annotator_client.models import MODELS, PATHS, SCHEMA_CONTRACT
from drf_spectacular.generators import SchemaGenerator

OPENAPI_TYPES = {
    int: "integer",
    str: "string",
    bool: "boolean",
    float: "number",
    list: "array",
    dict: "object",
}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return SchemaGenerator().get_schema(request=None, public=True)


@pytest.mark.parametrize(("method", "path"), PATHS)
def test_every_operation_the_client_calls_is_in_the_schema(
    schema: dict[str, Any], method: str, path: str
) -> None:
    assert path in schema["paths"], f"{path} is gone from the API"
    assert method in schema["paths"][path], f"{method.upper()} {path} is gone from the API"


@pytest.mark.parametrize(("component", "fields"), SCHEMA_CONTRACT.items())
def test_every_field_the_client_uses_is_in_its_component(
    schema: dict[str, Any], component: str, fields: tuple[str, ...]
) -> None:
    properties = schema["components"]["schemas"][component]["properties"]
    assert set(fields) <= set(properties), f"{component} lacks {set(fields) - set(properties)}"


def python_types(annotation: Any) -> tuple[set[Any], bool]:
    """The plain types of an annotation (``int``, ``str | None``, ``dict[str, Any]``) and
    whether it admits None."""
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        members = typing.get_args(annotation)
    else:
        members = (annotation,)
    plain = {typing.get_origin(m) or m for m in members if m is not type(None)}
    return plain, type(None) in members


def mismatches(components: dict[str, Any], component: str, model: Any) -> list[str]:
    """What of ``model`` the schema's ``component`` no longer matches."""
    found = []
    properties = components[component]["properties"]
    for field, annotation in typing.get_type_hints(model).items():
        if field not in properties:
            found.append(f"{component}.{field} is gone from the API")
            continue
        spec = properties[field]
        plain, nullable = python_types(annotation)
        if spec.get("nullable") and not nullable and plain != {typing.Any}:
            found.append(f"{component}.{field} may be null: the model must say so")
        if "type" in spec and typing.Any not in plain and {OPENAPI_TYPES[t] for t in plain} != {spec["type"]}:
            found.append(f"{component}.{field} is {spec['type']} in the schema, {plain} in the model")
        ref = spec.get("$ref") or next((s.get("$ref") for s in spec.get("allOf", [])), None)
        if ref and "enum" in components[ref.rsplit("/", 1)[1]] and plain != {str}:
            found.append(f"{component}.{field} is an enum of strings")
    return found


@pytest.mark.parametrize("component", sorted(MODELS))
def test_each_model_follows_its_component(schema: dict[str, Any], component: str) -> None:
    assert mismatches(schema["components"]["schemas"], component, MODELS[component]) == []


def test_a_changed_or_removed_field_is_caught(schema: dict[str, Any]) -> None:
    components = copy.deepcopy(schema["components"]["schemas"])
    components["Span"]["properties"]["start"] = {"type": "string"}
    del components["Span"]["properties"]["version"]
    components["Span"]["properties"]["layer"] = {"type": "string", "nullable": True}
    assert mismatches(components, "Span", MODELS["Span"]) == [
        "Span.layer may be null: the model must say so",
        "Span.start is string in the schema, {<class 'int'>} in the model",
        "Span.version is gone from the API",
    ]
