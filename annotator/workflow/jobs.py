"""The workflow's job kinds (settings.JOB_KIND_MODULES imports this module): up-front
assignment of many articles, and adjudication of a whole project."""

from typing import Any

from annotator.jobs.models import Job
from annotator.jobs.registry import job_kind
from annotator.jobs.runner import JobContext
from annotator.jobs.services import job_starter
from annotator.projects.access import ADMIN_ONLY

from .assignment import ASSIGN, assignments_create, check_params


@job_kind(
    ASSIGN,
    description="Give every chosen article k annotators, least-loaded first.",
    check_params=check_params,
)
def run_assign(job: Job, ctx: JobContext) -> dict[str, Any]:
    """The request's assignment, in one transaction (all or nothing), with progress."""
    actor, _ = job_starter(job, roles=ADMIN_ONLY, action="assign articles")
    result = assignments_create(
        actor=actor,
        project_id=job.project_id,
        params=job.params,
        progress=lambda done, total: ctx.progress_in_transaction(
            done, total, f"{done} of {total} articles assigned"
        ),
    )
    return result.as_dict()
