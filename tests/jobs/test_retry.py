"""POST /api/v1/jobs/{id}/retry/: a failed or cancelled job runs again with the same params,
as the same job; idempotent while it waits; 409 for a running or succeeded one, or an import
whose upload is gone; admins only, 404 for non-members."""

import hashlib
import json
import os
import signal
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from annotator.articles.models import Article
from annotator.jobs.models import Job, JobStatus
from annotator.jobs.services import job_create
from tests.conftest import client_for
from tests.jobs.conftest import Team, Worker, wait_finished, wait_for

# Only the worker's report of a killed child fails a job quickly here (see test_worker_lost).
WORKER_ENV = {"JOB_STALE_AFTER_SECONDS": "300"}


def retry_url(job: Job) -> str:
    return f"/api/v1/jobs/{job.pk}/retry/"


def a_job(team: Team, status: str = JobStatus.FAILED, **fields: Any) -> Job:
    now = timezone.now()
    return Job.objects.create(
        project=team.project,
        kind=fields.pop("kind", "test_ok"),
        params=fields.pop("params", {"n": 3}),
        status=status,
        created_by=fields.pop("created_by", team.admin),
        started_at=now,
        finished_at=None if status in (JobStatus.QUEUED, JobStatus.RUNNING) else now,
        heartbeat_at=now,
        progress_done=2,
        progress_total=3,
        error="worker lost: the worker process running it was killed (signal 9 (SIGKILL))"
        if status == JobStatus.FAILED
        else "",
        worker="host:1",
        **fields,
    )


def stored_upload(team: Team, records: list[dict[str, Any]]) -> str:
    body = "\n".join(json.dumps(r) for r in records).encode()
    return default_storage.save(f"imports/{team.project.pk}/retry-test.jsonl", ContentFile(body))


def killed_import(team: Team, records: list[dict[str, Any]]) -> Job:
    """An import whose worker was killed mid-way: failed, its upload still stored."""
    params = {
        "upload": stored_upload(team, records),
        "filename": "articles.jsonl",
        "format": "native",
        "on_error": "abort",
        "create_labels": False,
        "layer": None,
    }
    return a_job(team, kind="import", params=params)


def test_retry_queues_the_same_job_again_once(team: Team, django_capture_on_commit_callbacks) -> None:
    job = a_job(team)
    client = client_for(team.admin)
    with django_capture_on_commit_callbacks() as first:
        response = client.post(retry_url(job))
    assert response.status_code == 202, response.json()
    body = response.json()
    assert (body["id"], body["status"], body["kind"]) == (job.pk, "queued", "test_ok")
    assert body["progress"] == {"done": 0, "total": None}
    assert body["error"] == "" and body["result"] is None and body["finished_at"] is None
    assert body["message"].startswith("retried (the last run failed: worker lost:")
    assert len(first) == 1  # its message is published after commit
    # Retried again while it waits: the same job, nothing more sent.
    with django_capture_on_commit_callbacks() as second:
        again = client.post(retry_url(job))
    assert again.status_code == 202 and again.json()["id"] == job.pk
    assert len(second) == 0
    stored = Job.objects.get(pk=job.pk)
    assert (stored.status, stored.params, stored.worker) == (JobStatus.QUEUED, {"n": 3}, "")
    assert Job.objects.count() == 1


def test_retry_of_a_cancelled_job_runs_it_as_the_admin_who_retried(team: Team) -> None:
    job = a_job(team, status=JobStatus.CANCELLED, created_by=team.reviewer, cancel_requested=True)
    response = client_for(team.admin).post(retry_url(job))
    assert response.status_code == 202
    assert response.json()["created_by"] == team.admin.username
    assert response.json()["cancel_requested"] is False


@pytest.mark.parametrize("status", [JobStatus.RUNNING, JobStatus.SUCCEEDED])
def test_running_or_succeeded_job_is_409(team: Team, status: str) -> None:
    job = a_job(team, status=status)
    response = client_for(team.admin).post(retry_url(job))
    assert response.status_code == 409
    assert response.json()["code"] == "not_retryable"
    assert status in response.json()["detail"]
    assert Job.objects.get(pk=job.pk).status == status


def test_only_admins_retry_and_non_members_see_nothing(team: Team) -> None:
    job = a_job(team)
    for role in ("reviewer", "annotator", "researcher"):
        assert client_for(getattr(team, role)).post(retry_url(job)).status_code == 403
    assert client_for(team.outsider).post(retry_url(job)).status_code == 404
    assert client_for(team.admin).post("/api/v1/jobs/999999/retry/").status_code == 404
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


def test_import_whose_upload_is_gone_is_409_saying_to_upload_again(team: Team) -> None:
    job = killed_import(team, [{"id": "r1", "text": "Gone."}])
    default_storage.delete(job.params["upload"])  # as a finished (failed) import leaves it
    response = client_for(team.admin).post(retry_url(job))
    assert response.status_code == 409
    assert response.json()["code"] == "upload_gone"
    assert "upload the file again" in response.json()["detail"]
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


@pytest.mark.worker
def test_killed_job_retried_runs_to_the_end_on_the_worker(worker: Worker, team: Team) -> None:
    job = job_create(
        actor=team.admin, project_id=team.project.pk, kind="test_slow", params={"seconds": 2, "step": 0.1}
    )
    wait_for(
        lambda: Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, progress_done__gte=2).exists(),
        30,
        "the job to run",
    )
    job.refresh_from_db()
    os.kill(int(job.worker.rpartition(":")[2]), signal.SIGKILL)
    job = wait_finished(job, timeout=20)
    assert job.status == JobStatus.FAILED and job.error.startswith("worker lost:"), job.error
    client = client_for(team.admin)
    assert client.post(retry_url(job)).status_code == 202
    assert client.post(retry_url(job)).status_code in (202, 409)  # queued still, or running already
    job = wait_finished(job, timeout=30)
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.result == {"steps": 20}
    assert client.post(retry_url(job)).status_code == 409


@pytest.mark.worker
@pytest.mark.django_db(transaction=True, databases=["default", "snapshot"])
def test_killed_import_retried_imports_its_file_on_the_worker(worker: Worker, team: Team) -> None:
    records = [{"id": f"retry-{i}", "text": f"Article {i} of a retried import."} for i in range(5)]
    job = killed_import(team, records)
    Article.objects.create(
        project=team.project,
        external_id="retry-0",
        text=records[0]["text"],
        text_sha256=hashlib.sha256(records[0]["text"].encode()).hexdigest(),
    )  # what the killed run had written (had it been committed): a retry counts it unchanged
    response = client_for(team.admin).post(retry_url(job))
    assert response.status_code == 202, response.json()
    job = wait_finished(job, timeout=60)
    assert job.status == JobStatus.SUCCEEDED, job.error
    report = job.result or {}
    assert (report["articles_created"], report["articles_unchanged"]) == (4, 1)
    assert Article.objects.filter(project=team.project, external_id__startswith="retry-").count() == 5
    assert not default_storage.exists(job.params["upload"])  # gone once the import has read it
