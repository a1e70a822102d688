"""Reading what imports and exports left behind: an export job's file."""

from __future__ import annotations

from typing import IO

from django.contrib.auth.models import User
from django.core.files.storage import default_storage

from annotator.common.errors import NotFound
from annotator.exchange.services import EXPORT
from annotator.jobs.models import Job
from annotator.jobs.selectors import job_get
from annotator.projects.access import READ_ALL_LAYERS, membership_get, require_role


def export_file(*, actor: User, project_id: int, job_id: int) -> tuple[Job, IO[bytes]]:
    """An export job's file, opened for reading; only for those who may export."""
    job = job_get(user=actor, job_id=job_id)
    if job.project_id != project_id or job.kind != EXPORT:
        raise NotFound("Export not found.")
    require_role(membership_get(user=actor, project_id=project_id), READ_ALL_LAYERS, "download exports")
    name = (job.result or {}).get("file")
    if not name or not default_storage.exists(name):
        raise NotFound("This export has no file (not finished, failed, or deleted).")
    return job, default_storage.open(name, "rb")
