"""The agreement report as a job (settings.JOB_KIND_MODULES imports this module), for projects
too large to wait for: its result is the report."""

from typing import Any

from django.contrib.auth.models import User

from annotator.jobs.models import Job
from annotator.jobs.registry import job_kind
from annotator.jobs.runner import JobContext
from annotator.jobs.services import job_create, job_starter
from annotator.projects.access import READ_ALL_LAYERS

from .service import check_params, project_agreement

AGREEMENT = "agreement"


@job_kind(AGREEMENT, description="Compute a project's agreement report.", check_params=check_params)
def run_agreement(job: Job, ctx: JobContext) -> dict[str, Any]:
    """The report of the layers as they are when the job runs; reading only, so a rerun is harmless."""
    actor, _ = job_starter(job, roles=READ_ALL_LAYERS, action="see the project's agreement")
    ctx.progress(0, 1, "computing agreement")
    report = project_agreement(actor=actor, project_id=job.project_id, params=job.params)
    ctx.progress(1, 1, "agreement computed")
    return report


def agreement_start(*, actor: User, project_id: int, params: dict[str, Any]) -> Job:
    """Queue the report (reviewers, admins, researchers)."""
    return job_create(
        actor=actor, project_id=project_id, kind=AGREEMENT, params=params, roles=READ_ALL_LAYERS
    )
