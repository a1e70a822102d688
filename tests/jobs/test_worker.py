"""The jobs framework end to end: a real `celery worker` process, the configured broker
(filesystem by default, Redis in CI) and the test database (SQLite file or PostgreSQL)."""

import os
import signal
import time

import pytest
from django.utils import timezone

from annotator.articles.services import ArticleInput, articles_add
from annotator.jobs.models import Job, JobStatus
from annotator.jobs.services import job_create
from annotator.jobs.tasks import run_job_task
from tests.conftest import client_for
from tests.jobs.conftest import Team, Worker, wait_finished, wait_for

pytestmark = pytest.mark.worker

# Generous: the killed job is failed once its heartbeat is STALE_AFTER_SECONDS (3 s) old.
STALE_WAIT = 30


def child_pid(job: Job) -> int:
    host, _, pid = job.worker.rpartition(":")
    assert host and pid.isdigit(), job.worker
    return int(pid)


def test_success_progress_reaches_total(worker: Worker, team: Team) -> None:
    client = client_for(team.admin)
    job = job_create(
        actor=team.admin, project_id=team.project.pk, kind="test_ok", params={"n": 20, "sleep": 0.05}
    )
    seen = []
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        body = client.get(f"/api/v1/jobs/{job.pk}/").json()
        seen.append((body["status"], body["progress"]["done"], body["progress"]["total"]))
        if body["status"] not in ("queued", "running"):
            break
        time.sleep(0.05)
    assert body["status"] == "succeeded", body
    assert body["progress"] == {"done": 20, "total": 20}
    assert body["result"] == {"counted": 20}
    assert body["error"] == ""
    assert body["started_at"] and body["finished_at"] and body["heartbeat_at"]
    # Progress was visible while it ran, not only at the end.
    assert any(status == "running" and total == 20 and done < 20 for status, done, total in seen), seen
    job.refresh_from_db()
    assert child_pid(job) != worker.process.pid  # claimed by the prefork child, not the parent
    assert job.attempts == 1


def test_failure_is_reported_with_its_message(worker: Worker, team: Team) -> None:
    job = job_create(
        actor=team.admin,
        project_id=team.project.pk,
        kind="test_fail",
        params={"message": "the source feed is unreachable"},
    )
    job = wait_finished(job)
    assert job.status == JobStatus.FAILED
    assert job.error == "the source feed is unreachable"
    assert job.result is None and job.finished_at is not None
    assert (job.progress_done, job.progress_total) == (1, 3)
    assert "Traceback" in worker.log()  # the traceback goes to the worker's log, not the API


def test_redelivered_message_does_not_run_the_job_twice(worker: Worker, team: Team, tmp_path) -> None:
    marker = tmp_path / "runs.txt"
    job = job_create(
        actor=team.admin,
        project_id=team.project.pk,
        kind="test_count_runs",
        params={"marker": str(marker), "sleep": 0.3},
    )
    run_job_task.delay(job.pk)  # the same message again, as a broker redelivery would send it
    job = wait_finished(job)
    # attempts counts deliveries: wait until the worker has seen the second message too.
    wait_for(lambda: Job.objects.get(pk=job.pk).attempts >= 2, 30, "the second delivery")
    run_job_task.delay(job.pk)  # and once more after it finished
    wait_for(lambda: Job.objects.get(pk=job.pk).attempts >= 3, 30, "the third delivery")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED
    assert job.result == {"runs": 1}
    assert len(marker.read_text().splitlines()) == 1


def test_killed_worker_child_leaves_the_job_failed_not_running(worker: Worker, team: Team) -> None:
    job = job_create(
        actor=team.admin, project_id=team.project.pk, kind="test_slow", params={"seconds": 60, "step": 0.1}
    )
    wait_for(
        lambda: Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, progress_done__gte=2).exists(),
        30,
        "the job to run",
    )
    job.refresh_from_db()
    pid = child_pid(job)
    assert pid != worker.process.pid
    os.kill(pid, signal.SIGKILL)
    # The worker's main process fails the job as it sees its child die (jobs/lost.py), then
    # reject_on_worker_lost puts the message back; the new delivery finds the job failed.
    job = wait_finished(job, timeout=STALE_WAIT)
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("worker lost: the worker process running it was killed"), job.error
    wait_for(lambda: Job.objects.get(pk=job.pk).attempts >= 2, STALE_WAIT, "the message to come back")
    assert job.progress_total is not None and job.progress_done < job.progress_total
    assert worker.alive()  # the pool replaced its child; the worker goes on


def test_delivery_for_a_job_running_elsewhere_rechecks_until_it_is_stale(worker: Worker, team: Team) -> None:
    """As when the broker redelivers a job whose whole worker machine vanished: the job is
    running under a heartbeat that has just stopped. The delivery must neither run it again
    nor drop it: it re-checks later (a retry with a countdown, on this queue) and fails it."""
    now = timezone.now()
    job = Job.objects.create(
        project=team.project,
        kind="test_ok",
        params={"n": 1},
        status=JobStatus.RUNNING,
        worker="gone:1",
        started_at=now,
        heartbeat_at=now,
    )
    run_job_task.delay(job.pk)
    wait_for(lambda: Job.objects.get(pk=job.pk).attempts >= 1, 30, "the first delivery")
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING
    job = wait_finished(job, timeout=STALE_WAIT)
    assert job.status == JobStatus.FAILED
    assert job.error.startswith("worker lost: no heartbeat since"), job.error
    assert job.attempts >= 2  # the first delivery and at least one re-check
    assert job.result is None and job.worker == "gone:1"  # never ran here


def test_cancel_a_running_job(worker: Worker, team: Team) -> None:
    client = client_for(team.admin)
    job = job_create(
        actor=team.admin, project_id=team.project.pk, kind="test_slow", params={"seconds": 30, "step": 0.05}
    )
    wait_for(
        lambda: Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, progress_done__gte=1).exists(),
        30,
        "the job to run",
    )
    response = client.post(f"/api/v1/jobs/{job.pk}/cancel/")
    assert response.status_code == 200, response.json()
    assert response.json()["cancel_requested"] is True
    asked = time.monotonic()
    job = wait_finished(job, timeout=10)
    assert job.status == JobStatus.CANCELLED
    assert time.monotonic() - asked < 5  # stopped at a progress call, not at the end
    assert job.progress_total is not None and job.progress_done < job.progress_total
    assert client.post(f"/api/v1/jobs/{job.pk}/cancel/").status_code == 409


def test_integrity_check_over_the_api(worker: Worker, team: Team) -> None:
    articles_add(
        actor=team.admin,
        project_id=team.project.pk,
        items=[ArticleInput(text=f"Inflation was {i}.5% in May.", external_id=f"a{i}") for i in range(5)],
    )
    client = client_for(team.admin)
    response = client.post(
        f"/api/v1/projects/{team.project.pk}/jobs/", {"kind": "integrity_check"}, format="json"
    )
    assert response.status_code == 202, response.json()
    job = wait_finished(Job.objects.get(pk=response.json()["id"]))
    body = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert body["status"] == "succeeded", body
    assert body["progress"] == {"done": 5, "total": 5}
    assert body["result"]["articles"] == 5 and body["result"]["problems"] == []
