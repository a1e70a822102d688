import logging
from functools import partial
from typing import Any

from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from annotator.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from annotator.common.text import check_storable_json
from annotator.jobs import registry
from annotator.jobs.models import FINISHED, Job, JobStatus
from annotator.jobs.pushes import announce_finished
from annotator.jobs.selectors import job_get
from annotator.jobs.tasks import run_job_task
from annotator.projects.access import membership_get, require_admin, require_role
from annotator.projects.models import Membership, Role

log = logging.getLogger(__name__)

MESSAGE_MAX_CHARS = Job._meta.get_field("message").max_length or 500

BROKER_DOWN = "could not reach the task broker"


@transaction.atomic
def job_create(
    *,
    actor: User,
    project_id: int,
    kind: str,
    params: dict[str, Any] | None = None,
    from_api: bool = False,
    roles: frozenset[str] = frozenset({Role.ADMIN}),
    publish: bool = True,
) -> Job:
    """Queue a job of a registered kind (admins, unless ``roles`` says who else); published
    after commit, never run inline. ``publish=False`` leaves it queued for a caller that
    runs it itself, on purpose (a management command: ``runner.run_job``)."""
    membership = membership_get(user=actor, project_id=project_id)
    require_role(membership, roles, f"start {kind} jobs")
    spec = registry.kind_get(kind)
    if spec is None or (from_api and not spec.api_startable):
        known = ", ".join(
            sorted(name for name, k in registry.kinds_all().items() if k.api_startable or not from_api)
        )
        raise InvalidInput(
            f"Unknown job kind {kind!r}; known: {known or 'none'}.", fields={"kind": [f"one of {known}"]}
        )
    if params is None:
        params = {}
    if not isinstance(params, dict):
        raise InvalidInput("params must be a JSON object", fields={"params": ["must be a JSON object"]})
    check_storable_json(params, "params")
    if spec.check_params is not None:
        params = spec.check_params(params)
    job = Job.objects.create(project_id=project_id, kind=kind, params=params, created_by=actor)
    if publish:
        transaction.on_commit(partial(_publish, job))
    return job


def _publish(job: Job) -> None:
    # What the task's delay_on_commit does, plus the failure path: an exception from an
    # on_commit callback would escape from the caller's commit (a 500 with the job left
    # queued for ever). A job whose message cannot be sent is failed instead; it is never
    # run inline in the web process.
    try:
        run_job_task.delay(job.pk)
    except Exception:
        log.exception("job %s: publishing its message failed", job.pk)
        now = timezone.now()
        if Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
            status=JobStatus.FAILED, error=BROKER_DOWN, finished_at=now
        ):
            job.status, job.error, job.finished_at = JobStatus.FAILED, BROKER_DOWN, now
            announce_finished(job.pk)


@transaction.atomic
def job_cancel(*, actor: User, job_id: int) -> Job:
    """Cancel a queued job now or ask a running one to stop; project admins and its creator only."""
    job = job_get(user=actor, job_id=job_id)
    membership = membership_get(user=actor, project_id=job.project_id)
    if membership.role != Role.ADMIN and job.created_by_id != actor.pk:
        raise Forbidden("Only a project admin or the job's creator may cancel it.")
    jobs = Job.objects.filter(pk=job.pk)
    # Conditional updates: the worker may claim or finish the job between these statements.
    cancelled_now = jobs.filter(status=JobStatus.QUEUED).update(
        status=JobStatus.CANCELLED,
        cancel_requested=True,
        finished_at=timezone.now(),
        message="cancelled before it started",
    )
    if cancelled_now:
        announce_finished(job.pk)
    if not cancelled_now and not jobs.filter(status=JobStatus.RUNNING).update(cancel_requested=True):
        status = _still_there(jobs).status
        if status in FINISHED:
            raise Conflict(f"The job has already finished ({status}); there is nothing to cancel.")
    return _still_there(jobs)


def _still_there(jobs: QuerySet[Job]) -> Job:
    """The job as it is now; gone meanwhile (its project deleted) is a 404, not a 500."""
    job = jobs.first()
    if job is None:
        raise NotFound("Job not found.")
    return job


def job_starter(job: Job, *, roles: frozenset[str], action: str) -> tuple[User, Membership]:
    """Whoever started ``job`` and their membership, still with one of ``roles`` in its project:
    what a job handler re-checks before it trusts the params its start service checked."""
    if job.created_by is None:
        raise InvalidInput(f"The user who started this job no longer exists, so it cannot {action}.")
    membership = membership_get(user=job.created_by, project_id=job.project_id)
    require_role(membership, roles, action)
    return job.created_by, membership


# Finished without succeeding: what a retry may queue again.
RETRYABLE = (JobStatus.FAILED, JobStatus.CANCELLED)


def _missing_upload(job: Job) -> str | None:
    """The stored file a job reads (an import's ``upload``) if it is gone, else None."""
    upload = job.params.get("upload") if isinstance(job.params, dict) else None
    if isinstance(upload, str) and upload and not default_storage.exists(upload):
        return upload
    return None


@transaction.atomic
def job_retry(*, actor: User, job_id: int) -> Job:
    """Queue a failed or cancelled job again, the same job with the same kind and params
    (project admins). Idempotent: a job already queued again is returned as it is."""
    job = job_get(user=actor, job_id=job_id)
    require_admin(membership_get(user=actor, project_id=job.project_id), f"retry {job.kind} jobs")
    # Locked: two retries at once queue it once; a worker's claim waits for this commit.
    locked = _still_there(Job.objects.select_for_update().filter(pk=job.pk))
    if locked.status == JobStatus.QUEUED:
        return locked  # retried already (or not run yet): its message is on its way
    if locked.status not in RETRYABLE:
        raise Conflict(
            f"The job is {locked.status}; only a failed or cancelled job can be retried.",
            code="not_retryable",
        )
    if registry.kind_get(locked.kind) is None:
        raise Conflict(f"No worker knows job kind {locked.kind!r} any more; it cannot be retried.")
    missing = _missing_upload(locked)
    if missing is not None:
        raise Conflict(
            f"The uploaded file of this {locked.kind} is gone (it is deleted once an import has "
            "read it); upload the file again to import it.",
            code="upload_gone",
        )
    was = f"{locked.status}: {locked.error}" if locked.error else locked.status
    Job.objects.filter(pk=locked.pk).update(
        status=JobStatus.QUEUED,
        created_by=actor,  # the run is now on the retrier's behalf and checks their rights
        progress_done=0,
        progress_total=None,
        message=f"retried (the last run {was})"[:MESSAGE_MAX_CHARS],
        result=None,
        error="",
        cancel_requested=False,
        started_at=None,
        finished_at=None,
        heartbeat_at=None,
        worker="",
    )
    locked.refresh_from_db()
    transaction.on_commit(partial(_publish, locked))
    return locked
