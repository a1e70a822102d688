from django.contrib.auth.models import User
from django.db.models import QuerySet

from annotator.common.errors import NotFound
from annotator.projects.models import Membership

from .models import Job


def job_list(*, membership: Membership) -> QuerySet[Job]:
    """The jobs of the membership's project, newest first."""
    return (
        Job.objects.filter(project_id=membership.project_id)
        .select_related("created_by")
        .order_by("-created_at", "-id")
    )


def job_get(*, user: User, job_id: int) -> Job:
    """A job of one of the user's projects; anything else is a 404."""
    job = (
        Job.objects.filter(pk=job_id, project__memberships__user_id=user.pk)
        .select_related("created_by")
        .first()
    )
    if job is None:
        raise NotFound("Job not found.")
    return job
