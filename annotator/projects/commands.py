"""What management commands share: finding the project and the user they act as."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.management.base import CommandError

from annotator.projects.models import Membership, Project, Role


def project_and_user(project_ref: str, username: str | None) -> tuple[Project, User]:
    """The project (by id or exact name) and the acting user (default: its first admin)."""
    projects = (
        Project.objects.filter(pk=int(project_ref)) if project_ref.isdigit() else Project.objects.none()
    )
    project = projects.first() or Project.objects.filter(name=project_ref).order_by("pk").first()
    if project is None:
        raise CommandError(f"No project {project_ref!r} (give its id or exact name).")
    if username:
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        return project, user
    admin = (
        Membership.objects.filter(project=project, role=Role.ADMIN)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if admin is None:
        raise CommandError(f"Project {project.pk} has no admin; pass --user.")
    return project, admin.user
