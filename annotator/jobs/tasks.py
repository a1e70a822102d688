"""Celery entry points: thin wrappers that take ids and call plain functions.

``annotator.jobs.run`` is the only task that runs jobs; what a job does is its kind
(``annotator.jobs.registry``), so adding a kind never adds a task or a queue.
"""

from typing import Any

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from annotator.jobs import runner


class JobTask(Task[Any, Any]):
    # Its request in the worker's main process fails the job at once when its child dies.
    Request = "annotator.jobs.lost:JobRequest"


@shared_task(
    name="annotator.jobs.run",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=settings.JOB_TIME_LIMIT_SECONDS,
    time_limit=settings.JOB_TIME_LIMIT_SECONDS + 60,
    ignore_result=True,
    # Re-checks of a job running elsewhere retry until it finishes or goes stale.
    max_retries=None,
    # The database unreachable before the claim (or at the final write) must not leave the
    # job queued for ever: try again later. Claiming is conditional, so this is safe.
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    retry_backoff_max=300,
    retry_kwargs={"max_retries": 8},
    base=JobTask,
)
def run_job_task(self: Task[Any, None], job_id: int) -> None:
    """Run job ``job_id`` at most once however often its message is delivered."""
    delivery_info = self.request.delivery_info or {}
    redelivered = bool(delivery_info.get("redelivered")) or bool(self.request.retries)
    outcome = runner.run_job(job_id, redelivered=redelivered)
    # An eager call (tests, CELERY_TASK_ALWAYS_EAGER) would retry inline at once, in a loop.
    if outcome.recheck_in is not None and not self.request.is_eager:
        raise self.retry(countdown=outcome.recheck_in, max_retries=None)


@shared_task(
    name="annotator.jobs.fail_stale",
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=60,
    time_limit=120,
    ignore_result=True,
)
def fail_stale_jobs() -> int:
    """Fail running jobs whose heartbeat stopped; safe to run any number of times."""
    return runner.jobs_fail_stale()
