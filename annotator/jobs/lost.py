"""A job whose worker process dies is failed as soon as the worker notices, saying how.

A prefork worker's main process sees its child die (SIGKILL, the out-of-memory killer, a
crash) and hands the message's request a ``WorkerLostError``; with ``reject_on_worker_lost``
Celery then puts the message back and sends no ``task_failure`` signal. ``JobRequest`` is the
task's request class in that main process: before the message goes back it fails the job
the dead child had claimed, so the job does not stay "running" until its heartbeat is stale.
The heartbeat sweep (``runner.jobs_fail_stale``) stays the backstop for a worker that dies
whole (its main process too), which nobody is left to report.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from billiard.exceptions import WorkerLostError
from celery.worker.request import Request
from django.db import connection
from django.utils import timezone

from annotator.jobs.models import Job, JobStatus
from annotator.jobs.runner import WORKER_LOST, worker_id

log = logging.getLogger(__name__)

# billiard's text: "Worker exited prematurely: signal 9 (SIGKILL) Job: 3." (or "exitcode 1").
_HOW = re.compile(r"prematurely:\s*(?P<how>.*?)(?:\s+Job:\s*\d+)?\.?\s*$")


def lost_reason(exc: BaseException) -> str:
    """What happened to the worker process, in words a user reads on the job."""
    match = _HOW.search(str(exc))
    how = match.group("how") if match else str(exc).strip() or type(exc).__name__
    if how.startswith("signal"):
        return f"the worker process running it was killed ({how})"
    return f"the worker process running it exited unexpectedly ({how})"


def job_fail_lost(*, job_id: int, pid: int, reason: str) -> bool:
    """Fail the job if it is running in process ``pid`` of this host (the one that died).

    Conditional on that process having claimed it: a job finished before the process died,
    or claimed by another process since, is left as it is."""
    return bool(
        Job.objects.filter(pk=job_id, status=JobStatus.RUNNING, worker=worker_id(pid)).update(
            status=JobStatus.FAILED, finished_at=timezone.now(), error=f"{WORKER_LOST}: {reason}"
        )
    )


def _job_id(args: Any, kwargs: Any) -> int | None:
    job_id = (kwargs or {}).get("job_id")
    if job_id is None and args:
        job_id = args[0]
    return job_id if isinstance(job_id, int) and not isinstance(job_id, bool) else None


class JobRequest(Request):
    """``annotator.jobs.run``'s request in the worker's main process (``Task.Request``)."""

    def on_failure(self, exc_info: Any, send_failed_event: bool = True, return_ok: bool = False) -> None:
        exc = getattr(exc_info.exception, "exc", exc_info.exception)  # ExceptionWithTraceback
        job_id = _job_id(self.args, self.kwargs)
        if isinstance(exc, WorkerLostError) and job_id is not None and self.worker_pid:
            try:
                if job_fail_lost(job_id=job_id, pid=int(self.worker_pid), reason=lost_reason(exc)):
                    log.warning("job %s: its worker process %s was lost: %s", job_id, self.worker_pid, exc)
            except Exception:
                # The sweep fails it later; the message must still go back as Celery does.
                log.exception("job %s: could not mark it failed after its worker was lost", job_id)
            finally:
                # The main process forks new children: none may inherit an open connection.
                connection.close()
        super().on_failure(exc_info, send_failed_event=send_failed_event, return_ok=return_ok)
