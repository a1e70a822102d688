"""Import and export as jobs on a real worker: upload -> progress -> report; export -> file."""

import hashlib
import io
import json
import time
from typing import Any

import pytest
from rest_framework.test import APIClient

from annotator.articles.models import Article
from tests.conftest import client_for, streamed
from tests.jobs.conftest import Team, Worker

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, databases=["default", "snapshot"])]

TEXT = "The council 👩‍👩‍👧 said rents rose 4.75%.\r\nTenants said £1,400 a month was too much."


def lines(n: int, bad_line: int | None = None) -> bytes:
    out = []
    for i in range(n):
        start = TEXT.index("4.75%")
        span = {"id": 1, "start": start, "end": start + 5, "label": "FIGURE", "text": "4.75%"}
        if i + 1 == bad_line:
            span["end"] = 10_000
        out.append(
            {"id": f"doc-{i}", "text": f"{TEXT} ({i})", "annotations": [{"layer": "gold", "spans": [span]}]}
        )
    return "\n".join(json.dumps(o, ensure_ascii=False) for o in out).encode()


def wait(client: APIClient, job_id: int, timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/api/v1/jobs/{job_id}/").json()
        if body["status"] not in ("queued", "running"):
            return body
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not finish: {body}")


def upload(
    client: APIClient, project_id: int, data: bytes, name: str = "articles.jsonl", **fields: Any
) -> Any:
    handle = io.BytesIO(data)
    handle.name = name
    return client.post(
        f"/api/v1/projects/{project_id}/imports/", {"file": handle, **fields}, format="multipart"
    )


def test_import_runs_on_the_worker_and_reports(worker: Worker, team: Team) -> None:
    client = client_for(team.admin)
    response = upload(client, team.project.pk, lines(1200))
    assert response.status_code == 202, response.json()
    job = wait(client, response.json()["id"])
    assert job["status"] == "succeeded", job
    assert job["kind"] == "import" and job["progress"]["done"] == job["progress"]["total"] == 1200
    report = job["result"]
    assert report["articles_created"] == 1200 and report["spans_created"] == 1200 and report["errors"] == []
    assert Article.objects.filter(project=team.project).count() == 1200
    listed = client.get(f"/api/v1/projects/{team.project.pk}/articles/?page_size=1").json()
    assert listed["count"] == 1200
    # The same file again changes nothing.
    again = wait(client, upload(client, team.project.pk, lines(1200)).json()["id"])
    assert again["status"] == "succeeded"
    assert again["result"]["articles_created"] == 0 and again["result"]["articles_unchanged"] == 1200
    assert again["result"]["annotations_unchanged"] == 1200


def test_an_import_with_an_error_fails_and_writes_nothing(worker: Worker, team: Team) -> None:
    client = client_for(team.admin)
    job = wait(client, upload(client, team.project.pk, lines(50, bad_line=37)).json()["id"])
    assert job["status"] == "failed"
    assert "1 of 50 records have errors; nothing was imported" in job["error"]
    assert job["result"]["errors"] == [
        {"line": 37, "field": "annotations[0].spans[0].end", "message": job["result"]["errors"][0]["message"]}
    ]
    assert "not inside the text" in job["result"]["errors"][0]["message"]
    assert not Article.objects.filter(project=team.project).exists()
    skipped = wait(
        client, upload(client, team.project.pk, lines(50, bad_line=37), on_error="skip").json()["id"]
    )
    assert skipped["status"] == "succeeded" and skipped["result"]["articles_created"] == 49


def test_export_job_on_the_worker(worker: Worker, team: Team) -> None:
    client = client_for(team.admin)
    assert wait(client, upload(client, team.project.pk, lines(30)).json()["id"])["status"] == "succeeded"
    response = client.post(
        f"/api/v1/projects/{team.project.pk}/exports/", {"layers": ["gold"]}, format="json"
    )
    job = wait(client, response.json()["id"])
    assert job["status"] == "succeeded", job
    assert job["result"]["counts"]["articles"] == 30
    assert job["result"]["counts"]["layers"]["gold"]["spans"] == 30
    download = client.get(f"/api/v1/projects/{team.project.pk}/exports/{job['id']}/download")
    body = streamed(download)
    assert hashlib.sha256(body).hexdigest() == job["result"]["sha256"]
    assert len(body.splitlines()) == 30
