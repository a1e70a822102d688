"""Inputs that no database can take are refused by the API before any query: ids beyond 64
bits (SQLite cannot bind them: OverflowError), NUL characters and lone surrogates (PostgreSQL
refuses them: DataError), bodies over DATA_UPLOAD_MAX_MEMORY_SIZE. Each answers 4xx in the
API's error shape, naming the field, on both databases."""

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotator.jobs.models import Job
from tests.conftest import World

HUGE = 2**64  # beyond any database id
JUST_OVER = 2**63  # one more than the largest id
ERROR_KEYS = {"detail", "code", "errors"}


def error_fields(response: Any) -> dict[str, list[str]]:
    body = response.json()
    assert set(body) >= ERROR_KEYS, body
    return dict(body["errors"])


# --- ids ----------------------------------------------------------------------------------

PATH_GETS = [
    "/api/v1/projects/{id}/",
    "/api/v1/projects/{id}/members/",
    "/api/v1/projects/{id}/labels/",
    "/api/v1/projects/{id}/articles/",
    "/api/v1/projects/{id}/progress/",
    "/api/v1/projects/{id}/jobs/",
    "/api/v1/projects/{id}/imports/",
    "/api/v1/projects/{id}/exports/",
    "/api/v1/projects/{id}/recommender/",
    "/api/v1/projects/{id}/preannotate/",
    "/api/v1/labels/{id}/",
    "/api/v1/articles/{id}/",
    "/api/v1/articles/{id}/state/",
    "/api/v1/articles/{id}/spans/",
    "/api/v1/articles/{id}/relations/",
    "/api/v1/articles/{id}/document-labels/",
    "/api/v1/articles/{id}/suggestions/",
    "/api/v1/spans/{id}/",
    "/api/v1/relations/{id}/",
    "/api/v1/document-labels/{id}/",
    "/api/v1/jobs/{id}/",
]


@pytest.mark.parametrize("template", PATH_GETS)
@pytest.mark.parametrize("number", [HUGE, JUST_OVER, 10**30, 0])
def test_a_path_id_out_of_range_is_a_json_404(world: World, template: str, number: int) -> None:
    response = world.client("admin").get(template.format(id=number))
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("delete", "/api/v1/tokens/{id}/"),
        ("patch", "/api/v1/spans/{id}/"),
        ("delete", "/api/v1/relations/{id}/"),
        ("post", "/api/v1/jobs/{id}/cancel/"),
        ("post", "/api/v1/suggestions/{id}/accept/"),
        ("post", "/api/v1/relation-suggestions/{id}/reject/"),
        ("get", "/api/v1/projects/1/members/{id}/"),
        ("get", "/api/v1/projects/1/exports/{id}/"),
    ],
)
def test_a_path_id_out_of_range_is_404_for_writes_too(world: World, method: str, path: str) -> None:
    response = getattr(world.client("admin"), method)(path.format(id=HUGE), {}, format="json")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_the_largest_id_still_reaches_the_view(world: World) -> None:
    response = world.client("admin").get(f"/api/v1/projects/{2**63 - 1}/")
    assert response.status_code == 404
    assert response.json()["detail"] != "No such API endpoint or object."  # the view's own 404


def test_a_body_id_out_of_range_is_a_400_naming_the_field(world: World) -> None:
    admin = world.client("admin")
    article = world.article.pk
    response = admin.post(
        f"/api/v1/articles/{article}/relations/", {"from": HUGE, "to": 1, "label": "rebuts"}, format="json"
    )
    assert response.status_code == 400 and "from" in error_fields(response)
    for label in (HUGE, JUST_OVER, str(HUGE), "99999999999999999999999", "²"):
        response = admin.post(
            f"/api/v1/articles/{article}/spans/", {"start": 0, "end": 3, "label": label}, format="json"
        )
        assert response.status_code == 400, label
        assert "label" in error_fields(response)
    response = admin.post(
        f"/api/v1/projects/{world.project.pk}/exports/", {"articles": [1, HUGE]}, format="json"
    )
    assert response.status_code == 400 and "articles.1" in error_fields(response)
    response = admin.post(
        f"/api/v1/projects/{world.project.pk}/preannotate/",
        {"recognisers": ["figures"], "articles": [HUGE]},
        format="json",
    )
    assert response.status_code == 400 and "articles.0" in error_fields(response)
    response = admin.post(
        f"/api/v1/projects/{world.project.pk}/labels/",
        {"kind": "relation", "name": "new", "allowed_sources": [HUGE]},
        format="json",
    )
    assert response.status_code == 400 and "allowed_sources.0" in error_fields(response)
    assert not Job.objects.exists()


def test_a_query_id_out_of_range_is_a_400_naming_the_parameter(world: World) -> None:
    admin = world.client("admin")
    project = world.project.pk
    for value in (str(HUGE), "²"):
        response = admin.get(f"/api/v1/projects/{project}/articles/", {"has_label": value})
        assert response.status_code == 400 and "has_label" in error_fields(response), value
    response = admin.get(f"/api/v1/projects/{project}/export.jsonl", {"articles": f"1,{HUGE}"})
    assert response.status_code == 400 and "articles" in error_fields(response)
    for cursor in (
        f"{project}-{HUGE}",
        f"{project}-x{HUGE}",
        f"{HUGE}-1",
        f"{HUGE}-x1",
        "²-1",
        f"{project}-x²",
    ):
        response = admin.get(f"/api/v1/projects/{project}/export.jsonl", {"since": cursor})
        assert response.status_code == 400 and "since" in error_fields(response), cursor


# --- NUL characters and lone surrogates -------------------------------------------------


def test_a_nul_in_a_json_string_is_a_400_naming_the_field(world: World) -> None:
    admin = world.client("admin")
    response = admin.post("/api/v1/projects/", {"name": "a\x00b"}, format="json")
    assert response.status_code == 400 and "name" in error_fields(response)
    response = admin.post(
        f"/api/v1/projects/{world.project.pk}/articles/",
        [{"text": "fine", "meta": {"source": ["ok", "x\x00"]}}],
        format="json",
    )
    assert response.status_code == 400 and "0.meta.source.1" in error_fields(response)
    response = admin.patch(f"/api/v1/articles/{world.article.pk}/", {"meta": {"k\x00": 1}}, format="json")
    assert response.status_code == 400 and "meta" in error_fields(response)


def test_a_lone_surrogate_in_json_is_a_400(world: World) -> None:
    response = world.client("admin").generic(
        "POST", "/api/v1/projects/", '{"name": "a\\ud800b"}', content_type="application/json"
    )
    assert response.status_code == 400 and "name" in error_fields(response)


@pytest.mark.parametrize(
    ("path", "params", "field"),
    [
        ("/api/v1/projects/{project}/articles/", {"search": "a\x00"}, "search"),
        ("/api/v1/projects/{project}/articles/", {"has_label": "\x00"}, "has_label"),
        ("/api/v1/projects/{project}/export.jsonl", {"layers": "gold,\x00"}, "layers"),
        ("/api/v1/articles/{article}/suggestions/", {"recogniser": "\x00"}, "recogniser"),
        ("/api/v1/projects/", {"x\x00": "1"}, "query string"),
    ],
)
def test_a_nul_in_a_query_string_is_a_400_naming_the_parameter(
    world: World, path: str, params: dict[str, str], field: str
) -> None:
    url = path.format(project=world.project.pk, article=world.article.pk)
    response = world.client("admin").get(url, params)
    assert response.status_code == 400
    assert field in error_fields(response)


def test_a_nul_in_a_form_field_is_a_400_naming_it(world: World) -> None:
    upload = SimpleUploadedFile("a.jsonl", b'{"text": "hello"}\n', content_type="application/x-ndjson")
    response = world.client("admin").post(
        f"/api/v1/projects/{world.project.pk}/imports/",
        {"file": upload, "layer": "gold\x00"},
        format="multipart",
    )
    assert response.status_code == 400 and "layer" in error_fields(response)
    assert not Job.objects.exists()


def test_json_nested_too_deep_for_python_is_a_400(world: World) -> None:
    body = "[" * 100_000 + "]" * 100_000
    response = world.client("admin").generic(
        "POST", "/api/v1/projects/", body, content_type="application/json"
    )
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


# --- sizes --------------------------------------------------------------------------------


def test_a_json_body_over_the_limit_is_a_413_in_the_error_shape(world: World, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = world.client("admin").post(
        "/api/v1/projects/", {"name": "big", "description": "x" * 2000}, format="json"
    )
    assert response.status_code == 413
    assert response.json()["code"] == "too_large" and "body" in error_fields(response)
    small = world.client("admin").post("/api/v1/projects/", {"name": "small"}, format="json")
    assert small.status_code == 201


def test_a_form_body_over_the_limit_is_a_413(world: World, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    response = world.client("admin").post(
        "/api/v1/projects/", {"name": "big", "description": "x" * 2000}, format="multipart"
    )
    assert response.status_code == 413 and response.json()["code"] == "too_large"
    response = world.client("admin").generic(
        "POST",
        "/api/v1/projects/",
        "name=big&description=" + "x" * 2000,
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 413 and response.json()["code"] == "too_large"


def test_an_upload_is_limited_by_its_own_setting_not_the_body_limit(world: World, settings: Any) -> None:
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    line = b'{"text": "' + b"y" * 3000 + b'"}\n'
    upload = SimpleUploadedFile("a.jsonl", line, content_type="application/x-ndjson")
    response = world.client("admin").post(
        f"/api/v1/projects/{world.project.pk}/imports/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 202, response.json()
    settings.ANNOTATOR_MAX_UPLOAD_BYTES = 1000
    upload = SimpleUploadedFile("b.jsonl", line, content_type="application/x-ndjson")
    response = world.client("admin").post(
        f"/api/v1/projects/{world.project.pk}/imports/", {"file": upload}, format="multipart"
    )
    assert response.status_code == 413 and response.json()["code"] == "too_large"


def test_an_unknown_api_url_is_a_json_404(world: World) -> None:
    response = world.client("admin").get("/api/v1/no-such-thing/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    response = world.client("admin").post("/api/v1/no-such-thing/", {}, format="json")
    assert response.status_code == 404


def test_an_if_match_that_is_no_storable_version_is_a_400(world: World) -> None:
    admin = world.client("admin")
    created = admin.post(
        f"/api/v1/articles/{world.article.pk}/spans/",
        {"start": 4, "end": 12, "label": "CLAIM"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    for value in ('"²"', f'"{HUGE}"', "²"):
        response = admin.patch(
            f"/api/v1/spans/{created.json()['id']}/", {"label": "FIGURE"}, format="json", HTTP_IF_MATCH=value
        )
        assert response.status_code == 400 and "If-Match" in error_fields(response), value
