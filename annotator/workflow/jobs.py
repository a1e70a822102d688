"""The workflow's job kinds (settings.JOB_KIND_MODULES imports this module): up-front
assignment of many articles, and adjudication of a whole project."""

from typing import Any

from django.contrib.auth.models import User

from annotator.common.errors import InvalidInput, check_whole_number
from annotator.jobs.models import Job
from annotator.jobs.registry import job_kind
from annotator.jobs.runner import JobContext
from annotator.jobs.services import job_create, job_starter
from annotator.projects.access import ADMIN_ONLY, WRITE_GOLD
from annotator.projects.models import MAX_ANNOTATORS_PER_ARTICLE

from .adjudication import check_min_agreement
from .assignment import ASSIGN, assignments_create, check_params
from .gold import project_adjudicate
from .review import ready_articles

ADJUDICATE = "adjudicate"


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


def check_adjudicate_params(params: dict[str, Any]) -> dict[str, Any]:
    min_submitted = params.get("min_submitted")
    if min_submitted is not None:
        check_whole_number(min_submitted, "min_submitted", 1, MAX_ANNOTATORS_PER_ARTICLE)
    unknown = sorted(set(params) - {"min_agreement", "min_submitted"})
    if unknown:
        raise InvalidInput(
            f"Unknown fields: {', '.join(unknown)}.", fields={name: ["unknown field"] for name in unknown}
        )
    return {
        "min_agreement": check_min_agreement(params.get("min_agreement", 2)),
        "min_submitted": min_submitted,
    }


@job_kind(
    ADJUDICATE,
    description="Adjudicate every ready article of a project into gold.",
    check_params=check_adjudicate_params,
)
def run_adjudicate(job: Job, ctx: JobContext) -> dict[str, Any]:
    """What at least m layers share, into gold, for every article ready now; batch by batch."""
    actor, membership = job_starter(job, roles=WRITE_GOLD, action="adjudicate into gold")
    ready = sorted(ready_articles(membership.project, job.params.get("min_submitted")).items())
    ctx.progress(0, len(ready), "adjudicating")
    return project_adjudicate(
        actor=actor,
        project_id=job.project_id,
        min_agreement=job.params["min_agreement"],
        ready=ready,
        progress=lambda done, total: ctx.progress(done, total, f"{done} of {total} articles adjudicated"),
    )


def project_adjudicate_start(
    *, actor: User, project_id: int, params: dict[str, Any], publish: bool = True
) -> Job:
    """Queue the adjudication of every ready article (reviewers, admins); ``publish=False``
    for a caller that runs the job itself (the bench)."""
    return job_create(
        actor=actor, project_id=project_id, kind=ADJUDICATE, params=params, roles=WRITE_GOLD, publish=publish
    )
