from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet

from annotator.projects.models import Label, Membership, Project


def project_list(*, user: AbstractBaseUser) -> QuerySet[Project]:
    return Project.objects.filter(memberships__user_id=user.pk)


def member_list(*, project_id: int) -> QuerySet[Membership]:
    return Membership.objects.filter(project_id=project_id).select_related("user")


def label_list(*, project_id: int) -> QuerySet[Label]:
    return Label.objects.filter(project_id=project_id).prefetch_related(
        "allowed_sources", "allowed_targets"
    )
