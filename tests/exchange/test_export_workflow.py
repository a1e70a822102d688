"""Exports and the workflow: adjudicated provenance in gold, the review_status filter,
comments=1 (native only), and a native file with comments imported back."""

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from annotator.articles.models import Article
from annotator.jobs.models import Job
from annotator.jobs.runner import run_job
from tests.conftest import World, build_world, streamed

V1 = "/api/v1"
# Exports read through the "snapshot" connection: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "snapshot"])


@pytest.fixture
def world(transactional_db: None) -> World:
    return build_world(extra_annotators=("ann2",))


def export(client: APIClient, project_id: int, **params: str) -> list[dict[str, Any]]:
    response = client.get(f"{V1}/projects/{project_id}/export.jsonl", params)
    assert response.status_code == 200, getattr(response, "data", response)
    return [json.loads(line) for line in streamed(response).decode("utf-8").splitlines() if line]


def adjudicated(world: World) -> int:
    """Both annotators mark the same claim and submit; the reviewer merges it into gold."""
    article = world.article.pk
    for who in ("annotator", "ann2"):
        client = world.client(who)
        client.post(
            f"{V1}/articles/{article}/spans/", {"start": 0, "end": 5, "label": "CLAIM"}, format="json"
        )
        client.put(f"{V1}/articles/{article}/state/", {"status": "submitted"}, format="json")
    merged = world.client("reviewer").post(
        f"{V1}/articles/{article}/adjudicate/", {"min_agreement": 2}, format="json"
    )
    assert merged.json()["added"]["spans"] == 1
    return article


def test_gold_export_carries_adjudication_provenance_and_filters_on_review(world: World) -> None:
    article = adjudicated(world)
    client = world.client("researcher")
    (line,) = export(client, world.project.pk, layers="gold")
    (gold,) = line["annotations"]
    assert gold["spans"][0]["provenance"] == {
        "origin": "adjudicated",
        "from": ["ann2", "annotator"],
        "by": "reviewer",
    }
    assert [r["id"] for r in export(client, world.project.pk, review_status="none")] == ["a1"]
    assert export(client, world.project.pk, review_status="adjudicated") == []
    world.client("reviewer").put(
        f"{V1}/articles/{article}/review/", {"status": "adjudicated"}, format="json", HTTP_IF_MATCH='"0"'
    )
    assert [r["id"] for r in export(client, world.project.pk, review_status="adjudicated")] == ["a1"]
    assert export(client, world.project.pk, review_status="none") == []
    bad = client.get(f"{V1}/projects/{world.project.pk}/export.jsonl", {"review_status": "done"})
    assert bad.status_code == 400


def test_comments_of_the_exported_layers_only(world: World) -> None:
    article = world.article.pk
    world.client("annotator").post(f"{V1}/articles/{article}/comments/", {"body": "mine"}, format="json")
    world.client("ann2").post(f"{V1}/articles/{article}/comments/", {"body": "theirs"}, format="json")
    world.client("reviewer").post(
        f"{V1}/articles/{article}/comments/", {"body": "for everyone"}, format="json"
    )
    client = world.client("researcher")
    (line,) = export(client, world.project.pk, comments="1")
    assert [c["body"] for c in line["comments"]] == ["mine", "theirs", "for everyone"]
    assert (
        line["comments"][0]["author"] == "annotator" and line["comments"][0]["layer_annotator"] == "annotator"
    )
    (only_ann2,) = export(client, world.project.pk, comments="1", layers="ann2")
    assert [c["body"] for c in only_ann2["comments"]] == ["theirs", "for everyone"]
    (plain,) = export(client, world.project.pk)
    assert "comments" not in plain
    bad = client.get(
        f"{V1}/projects/{world.project.pk}/export.jsonl",
        {"comments": "1", "format": "doccano", "layers": "gold"},
    )
    assert bad.status_code == 400
    # The file goes back in: the import leaves the comments out.
    line["id"] = "copy"
    del line["article_id"]
    body = (json.dumps(line) + "\n").encode()
    upload = SimpleUploadedFile("a.jsonl", body, content_type="application/x-ndjson")
    response = world.client("admin").post(
        f"{V1}/projects/{world.project.pk}/imports/", {"file": upload, "format": "native"}
    )
    assert response.status_code == 202, response.json()
    run_job(response.json()["id"], redelivered=False)
    job = Job.objects.get(pk=response.json()["id"])
    assert job.status == "succeeded", (job.error, job.result)
    assert Article.objects.filter(project=world.project, external_id="copy").exists()
