"""A job's progress and end, pushed to the project's open pages (docs/live.md), so they need
not poll: ``job.progress`` as often as the runner writes progress, ``job.finished`` once.
Every member sees them, as every member may read the project's jobs. A job's end is also
announced to the apps above (``JOB_ENDED`` on annotator.common.events: webhooks)."""

from typing import Any

from annotator.common import events
from annotator.common.live import publish

from .models import Job


def push_progress(*, project_id: int, job_id: int, kind: str, fields: dict[str, Any]) -> None:
    data = {
        "id": job_id,
        "kind": kind,
        "done": fields.get("progress_done"),
        "total": fields.get("progress_total"),
        "message": fields.get("message", ""),
    }
    publish(project_id, "job.progress", data, {})


# Published on annotator.common.events once a job has ended, whatever its kind and status.
JOB_ENDED = "job.ended"


def announce_finished(job_id: int) -> None:
    """Tell open pages and the apps above that the job ended; call once, after the status write."""
    job = (
        Job.objects.filter(pk=job_id)
        .values("project_id", "kind", "status", "error", "result", "created_by__username")
        .first()
    )
    if job is None:
        return
    outcome = {"kind": job["kind"], "status": job["status"], "error": job["error"]}
    publish(job["project_id"], "job.finished", {"id": job_id, **outcome}, {})
    ended = {"job": job_id, **outcome, "result": job["result"], "started_by": job["created_by__username"]}
    events.publish(job["project_id"], JOB_ENDED, ended)
