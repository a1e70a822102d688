"""Runs one job inside a worker: claim, heartbeat, progress, cancel, final status.

Every status change is a conditional UPDATE on the status the runner expects, so two
deliveries of one message never both run the job, and a job that was cancelled or failed
meanwhile is never overwritten by a late writer.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, Literal

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import close_old_connections, connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from annotator.common.errors import DomainError
from annotator.jobs import registry
from annotator.jobs.models import Job, JobStatus
from annotator.jobs.pushes import announce_finished, push_progress

log = logging.getLogger(__name__)

# Progress is written at most this often (seconds) unless the job reports it has finished.
PROGRESS_WRITE_INTERVAL = 0.5
ERROR_MAX_CHARS = 1000
MESSAGE_MAX_CHARS = Job._meta.get_field("message").max_length or 500


class JobCancelled(BaseException):
    """Raised in a handler at a progress call once the job was cancelled or stopped running.

    A BaseException, like KeyboardInterrupt, so a handler's ``except Exception`` around one
    item's work (to record a problem and go on) cannot swallow it.
    """


class JobFailed(Exception):
    """Raised by a handler to fail its job with a message and still keep a result (a report)."""

    def __init__(self, message: str, result: dict[str, Any]) -> None:
        super().__init__(message)
        self.result = result


@dataclass(frozen=True)
class Outcome:
    """What one delivery of a job's message did.

    ``recheck_in`` is set when the job is running under another delivery whose heartbeat is
    still fresh: the caller should run this again after that many seconds, when the job
    has either finished or gone stale.
    """

    action: Literal["ran", "skipped", "failed_stale", "recheck"]
    status: str | None  # the job's status afterwards; None if there is no such job
    recheck_in: float | None = None


# How a job failed for its silence begins its error (the API and tests read it).
WORKER_LOST = "worker lost"


def worker_id(pid: int | None = None) -> str:
    """host:pid of this process (or of process ``pid`` on this host): a prefork child's own
    pid, so it can be found (and killed), and its loss reported by the main process."""
    return f"{socket.gethostname()}:{pid or os.getpid()}"[:200]


def stale_after() -> timedelta:
    return timedelta(seconds=settings.JOB_STALE_AFTER_SECONDS)


def run_job(job_id: int, *, redelivered: bool) -> Outcome:
    """Run the job if this delivery claims it (queued -> running); otherwise do nothing,
    except fail it if it is running with a stale heartbeat (its worker died)."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING,
        started_at=now,
        heartbeat_at=now,
        worker=worker_id(),
        attempts=F("attempts") + 1,
    )
    if not claimed:
        return _not_claimed(job_id, redelivered=redelivered)
    job = Job.objects.select_related("project", "created_by").get(pk=job_id)
    log.info("job %s (%s) started in %s", job.pk, job.kind, job.worker)
    return Outcome("ran", _execute(job))


def _not_claimed(job_id: int, *, redelivered: bool) -> Outcome:
    # attempts counts every delivery seen, so a duplicate shows even when it did nothing.
    Job.objects.filter(pk=job_id).update(attempts=F("attempts") + 1)
    job = Job.objects.filter(pk=job_id).only("status", "heartbeat_at", "started_at", "worker").first()
    how = "redelivered" if redelivered else "duplicate"
    if job is None:
        log.warning("job %s does not exist (deleted?); %s message dropped", job_id, how)
        return Outcome("skipped", None)
    if job.status != JobStatus.RUNNING:
        log.info("job %s is already %s; %s message ignored", job_id, job.status, how)
        return Outcome("skipped", job.status)
    if fail_if_stale(job_id):
        log.warning("job %s: its worker %s was lost (no heartbeat); marked failed", job_id, job.worker)
        return Outcome("failed_stale", JobStatus.FAILED)
    # Still beating: either it runs elsewhere (e.g. the broker redelivered a long job) or
    # its worker died moments ago. Look again once the heartbeat would have gone stale.
    last_sign = job.heartbeat_at or job.started_at or timezone.now()
    remaining = (last_sign + stale_after() - timezone.now()).total_seconds()
    recheck_in = min(max(remaining, 0.0), settings.JOB_STALE_AFTER_SECONDS) + 0.5
    log.info("job %s runs in %s; %s message re-checks in %.1f s", job_id, job.worker, how, recheck_in)
    return Outcome("recheck", JobStatus.RUNNING, recheck_in)


def fail_if_stale(job_id: int) -> bool:
    """Mark the job failed if it is running and silent for JOB_STALE_AFTER_SECONDS.

    Conditional on the exact heartbeat read, so a beat that lands in between wins."""
    row = (
        Job.objects.filter(pk=job_id, status=JobStatus.RUNNING)
        .values_list("heartbeat_at", "started_at")
        .first()
    )
    if row is None:
        return False
    heartbeat, started = row
    last_sign = heartbeat or started
    now = timezone.now()
    if last_sign is not None and now - last_sign < stale_after():
        return False
    same_beat = Q(heartbeat_at=heartbeat) if heartbeat is not None else Q(heartbeat_at__isnull=True)
    since = last_sign.isoformat(timespec="seconds") if last_sign is not None else "it started"
    failed = Job.objects.filter(same_beat, pk=job_id, status=JobStatus.RUNNING).update(
        status=JobStatus.FAILED,
        finished_at=now,
        error=f"{WORKER_LOST}: no heartbeat since {since}",
    )
    if failed:
        announce_finished(job_id)
    return bool(failed)


@transaction.atomic
def jobs_fail_stale() -> int:
    """Fail every running job silent for JOB_STALE_AFTER_SECONDS (its worker died); returns how many."""
    cutoff = timezone.now() - stale_after()
    silent = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True, started_at__lt=cutoff)
    candidates = list(Job.objects.filter(silent, status=JobStatus.RUNNING).values_list("pk", flat=True))
    failed = sum(fail_if_stale(pk) for pk in candidates)
    if failed:
        log.warning("marked %d job(s) failed: their workers stopped sending heartbeats", failed)
    return failed


def _execute(job: Job) -> str:
    kind = registry.kind_get(job.kind)
    if kind is None:
        return _finish(
            job.pk,
            JobStatus.FAILED,
            error=f"unknown job kind {job.kind!r}: no handler is registered for it on this worker",
        )
    ctx = JobContext(job)
    ctx.start_heartbeat()
    try:
        try:
            result = kind.handler(job, ctx)
        finally:
            ctx.stop_heartbeat()
        if result is not None and not isinstance(result, dict):
            raise TypeError(f"handler returned {type(result).__name__}, not a dict or None")
        json.dumps(result)  # fail here, as the job's error, not in the final UPDATE
    except JobCancelled as exc:
        log.info("job %s (%s) stopped: %s", job.pk, job.kind, exc)
        # Its last message, or "cancelled" (progress_fields has the message only when set).
        return _finish(job.pk, JobStatus.CANCELLED, **{"message": "cancelled", **ctx.progress_fields()})
    except SoftTimeLimitExceeded:
        log.error("job %s (%s) hit its time limit", job.pk, job.kind)
        error = f"time limit exceeded ({settings.JOB_TIME_LIMIT_SECONDS} s)"
        return _finish(job.pk, JobStatus.FAILED, error=error, **ctx.progress_fields())
    except JobFailed as exc:
        log.info("job %s (%s) failed: %s", job.pk, job.kind, exc)
        return _finish(
            job.pk, JobStatus.FAILED, error=error_text(exc), result=exc.result, **ctx.progress_fields()
        )
    except Exception as exc:
        # The traceback goes to the worker's log; the API shows only the short message.
        log.exception("job %s (%s) failed", job.pk, job.kind)
        return _finish(job.pk, JobStatus.FAILED, error=error_text(exc), **ctx.progress_fields())
    log.info("job %s (%s) succeeded", job.pk, job.kind)
    return _finish(job.pk, JobStatus.SUCCEEDED, result=result, **ctx.progress_fields())


def _reclaim(job_id: int, **fields: Any) -> int:
    """Running again (with ``fields``), if it was failed as lost while this worker runs it.

    Its heartbeat could not be written, so the verdict was wrong: on SQLite a handler's own
    long write transaction (a big import) holds the one write lock, and the sweep's update
    may land once it commits, before the handler's next write."""
    reclaimed = Job.objects.filter(
        pk=job_id, status=JobStatus.FAILED, worker=worker_id(), error__startswith=WORKER_LOST
    ).update(status=JobStatus.RUNNING, error="", finished_at=None, **fields)
    if reclaimed:
        log.warning("job %s was failed as lost while it ran here; it runs on", job_id)
    return reclaimed


def error_text(exc: BaseException) -> str:
    """A short, user-facing message for a failed job."""
    text = exc.message if isinstance(exc, DomainError) else str(exc).strip() or type(exc).__name__
    return text[:ERROR_MAX_CHARS]


def _finish(job_id: int, status: str, **fields: Any) -> str:
    """running -> status; returns the job's status afterwards (unchanged if it had left running)."""
    now = timezone.now()
    updated = Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        status=status, finished_at=now, heartbeat_at=now, **fields
    )
    if updated:
        announce_finished(job_id)
        return status
    if _reclaim(job_id):
        return _finish(job_id, status, **fields)
    current = Job.objects.filter(pk=job_id).values_list("status", flat=True).first()
    log.warning("job %s is %s already; outcome %s not recorded", job_id, current, status)
    return current or status


class JobContext:
    """What a handler gets besides its job: progress reporting, cancellation, liveness.

    Call ``progress`` outside any ``transaction.atomic`` block of your own, or the progress
    (and the cancel check) stays invisible until that transaction commits.
    """

    def __init__(self, job: Job) -> None:
        self.job_id: int = job.pk
        self.project_id: int = job.project_id
        self.kind: str = job.kind
        self.done: int = job.progress_done
        self.total: int | None = job.progress_total
        self.message: str = ""
        self._last_write = 0.0
        self._stop_reason: str | None = None  # set (by either thread) once the job must stop
        self._stop_beating = threading.Event()
        self._wake_beater = threading.Event()  # progress for the heartbeat thread to write
        self._progress_noted = False
        self._beater: threading.Thread | None = None

    # --- for handlers ---------------------------------------------------------------
    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        """Report ``done`` of ``total`` units; raises JobCancelled if the job must stop.

        Writes at most every PROGRESS_WRITE_INTERVAL seconds, and always when done >= total.
        """
        self._note(done, total, message)
        finished = self.total is not None and self.done >= self.total
        if finished or time.monotonic() - self._last_write >= PROGRESS_WRITE_INTERVAL:
            self._write_progress()

    def progress_in_transaction(
        self, done: int, total: int | None = None, message: str | None = None
    ) -> None:
        """``progress`` for a handler inside its own transaction: the heartbeat thread writes it
        on its own connection (at most every PROGRESS_WRITE_INTERVAL seconds), so it shows
        while the transaction runs, where the database lets a second writer in (PostgreSQL;
        SQLite shows it at commit), and the handler's transaction never locks the job row (a
        cancel from the API would wait for it). Raises JobCancelled once a cancel was seen."""
        self._note(done, total, message)
        self._progress_noted = True
        self._wake_beater.set()

    def _note(self, done: int, total: int | None, message: str | None) -> None:
        self.done = max(0, int(done))
        if total is not None:
            self.total = max(0, int(total))
        if message is not None:
            self.message = message[:MESSAGE_MAX_CHARS]
        self._raise_if_stopping()

    @property
    def stopping(self) -> bool:
        """True once a cancel was seen; the next ``progress`` call raises JobCancelled."""
        return self._stop_reason is not None

    def check_cancelled(self) -> None:
        """Raise JobCancelled if a cancel was seen (no database query)."""
        self._raise_if_stopping()

    # --- for the runner -------------------------------------------------------------
    def progress_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = {"progress_done": self.done, "progress_total": self.total}
        if self.message:
            fields["message"] = self.message
        return fields

    def start_heartbeat(self) -> None:
        self._beater = threading.Thread(target=self._beat, name=f"job-{self.job_id}-heartbeat", daemon=True)
        self._beater.start()

    def stop_heartbeat(self) -> None:
        self._stop_beating.set()
        self._wake_beater.set()
        if self._beater is not None:
            self._beater.join(timeout=30)
            self._beater = None

    def _raise_if_stopping(self) -> None:
        if self._stop_reason is not None:
            raise JobCancelled(self._stop_reason)

    def _write_progress(self) -> None:
        fields = {**self.progress_fields(), "heartbeat_at": timezone.now()}
        self._last_write = time.monotonic()
        running = Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING, cancel_requested=False)
        updated = running.update(**fields) or (_reclaim(self.job_id) and running.update(**fields))
        if not updated:
            self._stop_reason = self._why_stopping()
            self._raise_if_stopping()
        self._push(fields)

    def _push(self, fields: dict[str, Any]) -> None:
        push_progress(project_id=self.project_id, job_id=self.job_id, kind=self.kind, fields=fields)

    def _why_stopping(self) -> str:
        row = Job.objects.filter(pk=self.job_id).values_list("status", "cancel_requested").first()
        if row is None:
            return "the job was deleted"
        status, cancel_requested = row
        if status != JobStatus.RUNNING:
            return f"the job is no longer running (now {status})"
        return "cancelled" if cancel_requested else "stopped"

    def _beat(self) -> None:
        """Heartbeat thread: shows the job alive through long steps without progress calls."""
        interval = settings.JOB_HEARTBEAT_SECONDS
        try:
            while True:
                self._wake_beater.wait(interval)  # a beat is due, or progress was noted
                if self._stop_beating.is_set():
                    return
                self._wake_beater.clear()
                try:
                    if not self._beat_once():
                        return
                except Exception:
                    log.exception("job %s: heartbeat failed; retrying", self.job_id)
                    close_old_connections()
                # Progress noted meanwhile waits this long: written not more often.
                if self._stop_beating.wait(min(PROGRESS_WRITE_INTERVAL, interval)):
                    return
        finally:
            # This thread's own connection; the handler's thread keeps its own.
            connections.close_all()

    def _beat_once(self) -> bool:
        """Write one heartbeat; False once the job is no longer running (nothing to show)."""
        fields: dict[str, Any] = {"heartbeat_at": timezone.now()}
        if self._progress_noted:
            self._progress_noted = False
            fields.update(self.progress_fields())
        base = Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING)
        if base.filter(cancel_requested=False).update(**fields):
            if "progress_done" in fields:
                self._push(fields)
            return True
        # Cancel requested but still running: keep beating (the handler may be between
        # progress calls) and tell the handler to stop at its next one.
        if base.update(**fields):
            self._stop_reason = "cancelled"
            return True
        if _reclaim(self.job_id, **fields):
            return True  # a cancel asked for before the wrong verdict shows at the next beat
        self._stop_reason = self._why_stopping()
        return False
