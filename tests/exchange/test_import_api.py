"""The upload endpoint: who may import, what it accepts, and what it refuses before any job."""

import io
from typing import Any

import pytest
from rest_framework.test import APIClient

from annotator.jobs.models import Job
from tests.conftest import World


def upload(client: APIClient, project_id: int, data: bytes, name: str = "a.jsonl", **fields: Any) -> Any:
    handle = io.BytesIO(data)
    handle.name = name
    return client.post(
        f"/api/v1/projects/{project_id}/imports/", {"file": handle, **fields}, format="multipart"
    )


LINE = b'{"id": "x1", "text": "Rents rose 4.75%."}\n'


def test_an_admin_upload_queues_an_import_job(world: World) -> None:
    response = upload(world.client("admin"), world.project.pk, LINE, format="native", create_labels="true")
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["kind"] == "import" and body["status"] == "queued"
    job = Job.objects.get(pk=body["id"])
    assert job.params["filename"] == "a.jsonl" and job.params["create_labels"] is True
    listed = world.client("admin").get(f"/api/v1/projects/{world.project.pk}/imports/").json()
    assert [j["id"] for j in listed["results"]] == [body["id"]]


@pytest.mark.parametrize(
    ("role", "status"), [("reviewer", 403), ("annotator", 403), ("researcher", 403), ("outsider", 404)]
)
def test_only_admins_import(world: World, role: str, status: int) -> None:
    assert upload(world.client(role), world.project.pk, LINE).status_code == status
    # Refused before the body is looked at: an empty request gets the same answer.
    assert world.client(role).post(f"/api/v1/projects/{world.project.pk}/imports/").status_code == status
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("fields", "name", "field"),
    [
        ({}, "a.csv", "file"),
        ({"format": "xml"}, "a.jsonl", "format"),
        ({"on_error": "ignore"}, "a.jsonl", "on_error"),
        ({"layer": "somewhere"}, "a.jsonl", "layer"),
        ({"layer": "annotator:nobody"}, "a.jsonl", "layer"),
    ],
)
def test_bad_options_are_400_before_a_job(
    world: World, fields: dict[str, str], name: str, field: str
) -> None:
    response = upload(world.client("admin"), world.project.pk, LINE, name=name, **fields)
    assert response.status_code == 400 and field in response.json()["errors"], response.json()
    assert not Job.objects.exists()


def test_missing_file_is_400(world: World) -> None:
    response = world.client("admin").post(
        f"/api/v1/projects/{world.project.pk}/imports/", {}, format="multipart"
    )
    assert response.status_code == 400 and "file" in response.json()["errors"]


def test_an_upload_over_the_limit_is_413(world: World, settings: Any) -> None:
    settings.ANNOTATOR_MAX_UPLOAD_BYTES = 1000
    response = upload(world.client("admin"), world.project.pk, LINE * 100)
    assert response.status_code == 413, response.json()
    assert response.json()["code"] == "too_large"
    assert not Job.objects.exists()
    assert upload(world.client("admin"), world.project.pk, LINE).status_code == 202


@pytest.mark.django_db(transaction=True)
def test_an_import_job_rechecks_only_that_its_starter_is_still_an_admin(world: World) -> None:
    from django.core.files.storage import default_storage

    from annotator.articles.models import Article
    from annotator.jobs.runner import run_job
    from annotator.projects.models import Membership

    response = upload(world.client("admin"), world.project.pk, LINE)
    assert response.status_code == 202, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    Membership.objects.filter(project=world.project, user=world.users["admin"]).update(role="reviewer")
    run_job(job.pk, redelivered=False)
    job.refresh_from_db()
    assert job.status == "failed" and "import" in job.error
    assert not Article.objects.filter(external_id="x1").exists()
    assert not default_storage.exists(job.params["upload"])  # the upload is removed all the same
