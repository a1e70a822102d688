"""Uploads and export files kept in S3 (a real S3-API server: moto's), nothing under var/."""

import hashlib
import io
import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from annotator.articles.models import Article
from annotator.jobs.models import Job
from annotator.jobs.runner import run_job
from tests.conftest import World
from tests.ops.conftest import S3

# Jobs write progress through a connection of their own, and exports read a snapshot: as a worker.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "snapshot"])

LINES = b'{"id": "s3-1", "text": "Rents rose 4.75%."}\n{"id": "s3-2", "text": "55 NHS trusts."}\n'


def upload(client: APIClient, project_id: int, data: bytes, name: str) -> dict[str, Any]:
    handle = io.BytesIO(data)
    handle.name = name
    response = client.post(
        f"/api/v1/projects/{project_id}/imports/", {"file": handle, "format": "native"}, format="multipart"
    )
    assert response.status_code == 202, response.json()
    body: dict[str, Any] = response.json()
    return body


def finished(client: APIClient, job_id: int) -> dict[str, Any]:
    run_job(job_id, redelivered=False)  # what a worker does with the job's message
    body: dict[str, Any] = client.get(f"/api/v1/jobs/{job_id}/").json()
    assert body["status"] == "succeeded", body
    return body


def test_an_import_reads_its_upload_from_s3_and_removes_it(world: World, s3: S3) -> None:
    admin, pid = world.client("admin"), world.project.pk
    job = upload(admin, pid, LINES, "articles.jsonl")
    (key,) = s3.keys()
    assert key.startswith(f"annotator/imports/{pid}/") and key.endswith(".jsonl")
    assert s3.read(key) == LINES
    assert Job.objects.get(pk=job["id"]).params["upload"] == key.removeprefix(s3.prefix)

    report = finished(admin, job["id"])["result"]
    assert report["articles_created"] == 2
    assert set(Article.objects.filter(project=world.project).values_list("external_id", flat=True)) >= {
        "s3-1",
        "s3-2",
    }
    assert s3.keys() == []  # the upload is deleted once read


def test_a_zip_upload_is_read_back_from_s3(world: World, s3: S3) -> None:
    import zipfile

    packed = io.BytesIO()
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("part.jsonl", LINES)
    admin = world.client("admin")
    job = upload(admin, world.project.pk, packed.getvalue(), "articles.zip")
    assert finished(admin, job["id"])["result"]["articles_created"] == 2


def test_an_export_file_is_written_to_s3_and_downloaded_through_the_api(world: World, s3: S3) -> None:
    admin, pid = world.client("admin"), world.project.pk
    finished(admin, upload(admin, pid, LINES, "articles.jsonl")["id"])
    researcher = world.client("researcher")
    started = researcher.post(f"/api/v1/projects/{pid}/exports/", {}, format="json")
    assert started.status_code == 202, started.json()
    manifest = finished(researcher, started.json()["id"])["result"]

    (key,) = s3.keys()
    assert key == s3.prefix + manifest["file"] and key.startswith(f"annotator/exports/{pid}/")
    stored = s3.read(key)
    assert hashlib.sha256(stored).hexdigest() == manifest["sha256"] and len(stored) == manifest["bytes"]
    ids = {json.loads(line)["id"] for line in stored.decode().splitlines()}
    assert {"s3-1", "s3-2"} <= ids

    download = researcher.get(f"/api/v1/projects/{pid}/exports/{started.json()['id']}/download")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == stored  # type: ignore[attr-defined]
    assert download["X-Export-SHA256"] == manifest["sha256"]


def test_an_export_whose_file_is_gone_from_s3_is_404(world: World, s3: S3) -> None:
    researcher, pid = world.client("researcher"), world.project.pk
    started = researcher.post(f"/api/v1/projects/{pid}/exports/", {}, format="json").json()
    manifest = finished(researcher, started["id"])["result"]
    s3.client.delete_object(Bucket=s3.bucket, Key=s3.prefix + manifest["file"])
    assert researcher.get(f"/api/v1/projects/{pid}/exports/{started['id']}/download").status_code == 404
