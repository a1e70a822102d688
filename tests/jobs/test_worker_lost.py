"""A job whose worker child process is killed is failed as soon as the worker sees the child
die, saying so, long before its heartbeat would go stale; the sweep stays the backstop."""

import os
import signal
import time

import pytest
from billiard.exceptions import WorkerLostError
from django.utils import timezone

from annotator.jobs.lost import job_fail_lost, lost_reason
from annotator.jobs.models import Job, JobStatus
from annotator.jobs.runner import WORKER_LOST, worker_id
from annotator.jobs.services import job_create
from tests.jobs.conftest import Team, Worker, wait_finished, wait_for

# This module's worker would fail a silent job only after 5 minutes: what fails it sooner is
# the report of its child's death.
WORKER_ENV = {"JOB_STALE_AFTER_SECONDS": "300"}
KILLED = f"{WORKER_LOST}: the worker process running it was killed (signal 9 (SIGKILL))"


def child_pid(job: Job) -> int:
    host, _, pid = job.worker.rpartition(":")
    assert host and pid.isdigit(), job.worker
    return int(pid)


@pytest.mark.worker
def test_killed_child_fails_its_job_within_seconds(worker: Worker, team: Team) -> None:
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
    killed_at = time.monotonic()
    os.kill(pid, signal.SIGKILL)
    job = wait_finished(job, timeout=20)
    assert time.monotonic() - killed_at < 10  # the heartbeat would take 300 s
    assert job.status == JobStatus.FAILED
    assert job.error == KILLED
    assert job.finished_at is not None
    assert job.progress_total is not None and 2 <= job.progress_done < job.progress_total
    # reject_on_worker_lost still puts the message back; its delivery leaves the job alone.
    wait_for(lambda: Job.objects.get(pk=job.pk).attempts >= 2, 20, "the message to come back")
    time.sleep(0.5)
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, KILLED)
    assert worker.alive()  # the pool replaced its child; the worker goes on


def test_reason_says_how_the_process_ended() -> None:
    assert lost_reason(WorkerLostError("Worker exited prematurely: signal 9 (SIGKILL) Job: 3.")) == (
        "the worker process running it was killed (signal 9 (SIGKILL))"
    )
    assert lost_reason(WorkerLostError("Worker exited prematurely: exitcode 70 Job: 12.")) == (
        "the worker process running it exited unexpectedly (exitcode 70)"
    )
    assert (
        lost_reason(WorkerLostError(""))
        == "the worker process running it exited unexpectedly (WorkerLostError)"
    )


def test_only_the_job_the_dead_process_runs_is_failed(team: Team) -> None:
    now = timezone.now()

    def running_in(pid: int, status: str = JobStatus.RUNNING, **fields: object) -> Job:
        return Job.objects.create(
            project=team.project,
            kind="test_slow",
            status=status,
            started_at=now,
            heartbeat_at=now,
            worker=worker_id(pid),
            **fields,
        )

    lost = running_in(4242)
    elsewhere = running_in(4343)  # claimed by another process since (a redelivery)
    finished = running_in(4242, status=JobStatus.SUCCEEDED, finished_at=now)
    assert job_fail_lost(job_id=lost.pk, pid=4242, reason="the worker process running it was killed (x)")
    assert not job_fail_lost(job_id=elsewhere.pk, pid=4242, reason="no")
    assert not job_fail_lost(job_id=finished.pk, pid=4242, reason="no")
    lost.refresh_from_db()
    assert (lost.status, lost.error) == (
        JobStatus.FAILED,
        "worker lost: the worker process running it was killed (x)",
    )
    assert Job.objects.get(pk=elsewhere.pk).status == JobStatus.RUNNING
    assert Job.objects.get(pk=finished.pk).status == JobStatus.SUCCEEDED
