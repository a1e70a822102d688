"""A job's progress and end, pushed to the project's open pages (docs/live.md), so they need
not poll: ``job.progress`` as often as the runner writes progress, ``job.finished`` once.
Every member sees them, as every member may read the project's jobs."""

from typing import Any

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


def push_finished(job_id: int) -> None:
    job = Job.objects.filter(pk=job_id).values("project_id", "kind", "status", "error").first()
    if job is not None:
        data = {"id": job_id, "kind": job["kind"], "status": job["status"], "error": job["error"]}
        publish(job["project_id"], "job.finished", data, {})
