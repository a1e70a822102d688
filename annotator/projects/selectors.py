from django.contrib.auth.models import User
from django.db.models import QuerySet

from annotator.common.errors import NotFound
from annotator.projects.models import Label, Membership, Project


def project_list(*, user: User) -> QuerySet[Project]:
    return Project.objects.filter(memberships__user_id=user.pk)


def member_list(*, project_id: int) -> QuerySet[Membership]:
    return Membership.objects.filter(project_id=project_id).select_related("user")


def label_list(*, project_id: int) -> QuerySet[Label]:
    return Label.objects.filter(project_id=project_id).prefetch_related("allowed_sources", "allowed_targets")


def label_get(*, user: User, label_id: int) -> Label:
    """A label of one of the user's projects; anything else is a 404."""
    label = Label.objects.filter(pk=label_id, project__memberships__user_id=user.pk).first()
    if label is None:
        raise NotFound("Label not found.")
    return label
