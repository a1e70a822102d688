"""The OpenAPI schema describes what is served: real answers of the endpoints are validated
against the schema the server publishes, formats included."""

import datetime
from typing import Any
from urllib.parse import urlsplit

import jsonschema
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from referencing import Registry
from referencing.jsonschema import DRAFT202012
from rest_framework.test import APIClient

from annotator.articles.services import ArticleInput, articles_add
from tests.conftest import World

FORMATS = jsonschema.FormatChecker()


@FORMATS.checks("uri", raises=ValueError)
def _uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme and parts.netloc)


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    if isinstance(value, str):
        datetime.datetime.fromisoformat(value)
    return True


def as_json_schema(node: Any) -> Any:
    """OpenAPI 3.0's ``nullable`` as JSON Schema (jsonschema ignores the keyword)."""
    if isinstance(node, list):
        return [as_json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    converted = {key: as_json_schema(value) for key, value in node.items()}
    if converted.pop("nullable", False):
        return {"anyOf": [converted, {"type": "null"}]}
    return converted


@pytest.fixture
def openapi(world: World) -> dict[str, Any]:
    response = world.client("researcher").get("/api/schema/?format=json")
    assert response.status_code == 200
    return dict(response.json())


def check(openapi: dict[str, Any], path: str, method: str, response: Any) -> None:
    """``response`` is one the schema documents for ``method path``, and its body validates."""
    operation = openapi["paths"][path][method]
    documented = operation["responses"].get(str(response.status_code))
    assert documented is not None, f"{method.upper()} {path}: {response.status_code} is not documented"
    schema = documented["content"]["application/json"]["schema"]
    document = as_json_schema(openapi)
    registry = Registry().with_resource("urn:openapi", DRAFT202012.create_resource(document))
    resolved = _rebase(as_json_schema(schema))
    validator = jsonschema.Draft202012Validator(resolved, registry=registry, format_checker=FORMATS)
    errors = sorted(validator.iter_errors(response.json()), key=str)
    assert not errors, f"{method.upper()} {path}: {errors[0].message} at {list(errors[0].absolute_path)}"


def _rebase(node: Any) -> Any:
    if isinstance(node, list):
        return [_rebase(item) for item in node]
    if isinstance(node, dict):
        return {
            key: ("urn:openapi" + value if key == "$ref" else _rebase(value)) for key, value in node.items()
        }
    return node


LISTS = [
    "/api/v1/projects/",
    "/api/v1/projects/{project_id}/articles/",
    "/api/v1/projects/{project_id}/exports/",
    "/api/v1/projects/{project_id}/imports/",
    "/api/v1/projects/{project_id}/jobs/",
    "/api/v1/projects/{project_id}/preannotate/",
]


@pytest.mark.parametrize("path", LISTS)
def test_the_paginated_lists_are_documented_as_pages(
    world: World, openapi: dict[str, Any], path: str
) -> None:
    admin = world.client("admin")
    project = world.project.pk
    # One job of each kind, so that every list has a row to validate.
    assert admin.post(f"/api/v1/projects/{project}/exports/", {}, format="json").status_code == 202
    upload = SimpleUploadedFile("a.jsonl", b'{"text": "hello"}\n', content_type="application/x-ndjson")
    assert (
        admin.post(f"/api/v1/projects/{project}/imports/", {"file": upload}, format="multipart").status_code
        == 202
    )
    started = admin.post(
        f"/api/v1/projects/{project}/preannotate/", {"recognisers": ["figures"]}, format="json"
    )
    assert started.status_code == 202, started.json()
    response = admin.get(path.format(project_id=project))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"count", "next", "previous", "results"} and body["results"]
    check(openapi, path, "get", response)
    parameters = {p["name"] for p in openapi["paths"][path]["get"].get("parameters", [])}
    assert {"page", "page_size"} <= parameters


def test_blank_email_and_source_url_fit_their_formats(world: World, openapi: dict[str, Any]) -> None:
    admin = world.client("admin")
    assert world.admin.email == ""
    check(openapi, "/api/v1/me/", "get", admin.get("/api/v1/me/"))
    assert world.article.source_url == ""
    check(
        openapi, "/api/v1/articles/{article_id}/", "get", admin.get(f"/api/v1/articles/{world.article.pk}/")
    )
    articles = admin.get(f"/api/v1/projects/{world.project.pk}/articles/")
    check(openapi, "/api/v1/projects/{project_id}/articles/", "get", articles)


def test_a_real_url_and_email_still_validate(world: World, openapi: dict[str, Any]) -> None:
    world.admin.email = "admin@example.org"
    world.admin.save()
    admin = world.client("admin")
    check(openapi, "/api/v1/me/", "get", admin.get("/api/v1/me/"))
    articles_add(
        actor=world.admin,
        project_id=world.project.pk,
        items=[ArticleInput(text="Linked.", external_id="l1", source_url="https://example.org/a")],
    )
    check(
        openapi,
        "/api/v1/projects/{project_id}/articles/",
        "get",
        admin.get(f"/api/v1/projects/{world.project.pk}/articles/"),
    )


def test_error_answers_are_documented_with_the_error_shape(world: World, openapi: dict[str, Any]) -> None:
    admin = world.client("admin")
    annotator = world.client("annotator")
    project = world.project.pk
    cases = [
        ("/api/v1/projects/{project_id}/", "get", admin.get("/api/v1/projects/999999/")),  # 404
        ("/api/v1/projects/", "post", admin.post("/api/v1/projects/", {"name": ["x"]}, format="json")),  # 400
        (
            "/api/v1/projects/{project_id}/imports/",
            "get",
            annotator.get(f"/api/v1/projects/{project}/imports/"),
        ),  # 403
        ("/api/v1/me/", "get", APIClient().get("/api/v1/me/", HTTP_AUTHORIZATION="Bearer nope")),  # 401
        (
            "/api/v1/projects/{project_id}/articles/",
            "get",
            admin.get(f"/api/v1/projects/{project}/articles/", {"search": "\x00"}),
        ),
    ]
    for path, method, response in cases:
        assert 400 <= response.status_code < 500, (path, response.status_code)
        check(openapi, path, method, response)


def test_writes_document_409_412_413_and_428(openapi: dict[str, Any]) -> None:
    span_patch = openapi["paths"]["/api/v1/spans/{object_id}/"]["patch"]["responses"]
    assert {"400", "401", "403", "404", "409", "412", "413", "428"} <= set(span_patch)
    assert span_patch["412"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }
    login = openapi["paths"]["/api/v1/auth/token/"]["post"]["responses"]
    assert {"400", "413", "429"} <= set(login)
    imports = openapi["paths"]["/api/v1/projects/{project_id}/imports/"]["post"]["responses"]
    assert "application/json" in imports["413"]["content"]
