"""Who may do what in a project. Every service and selector asks here."""

from django.contrib.auth.models import AnonymousUser, User

from annotator.common.errors import Forbidden, NotFound
from annotator.projects.models import Membership, Role

READ_ALL_LAYERS = frozenset({Role.ADMIN, Role.REVIEWER, Role.RESEARCHER})
WRITE_GOLD = frozenset({Role.ADMIN, Role.REVIEWER})
WRITE_OWN_LAYER = frozenset({Role.ADMIN, Role.REVIEWER, Role.ANNOTATOR})


def membership_get(*, user: User | AnonymousUser, project_id: int) -> Membership:
    """The caller's membership; a non-member is told the project does not exist."""
    membership = (
        Membership.objects.select_related("project", "user")
        .filter(user_id=user.pk, project_id=project_id)
        .first()
        if user.is_authenticated
        else None
    )
    if membership is None:
        raise NotFound("Project not found.")
    return membership


def membership_for_article(*, user: User | AnonymousUser, article_id: int) -> Membership:
    """The caller's membership in the project of an article, in one query; else 404."""
    membership = (
        Membership.objects.select_related("project", "user")
        .filter(user_id=user.pk, project__articles=article_id)
        .first()
        if user.is_authenticated
        else None
    )
    if membership is None:
        raise NotFound("Article not found.")
    return membership


def require_role(membership: Membership, roles: frozenset[str] | set[str], action: str) -> None:
    if membership.role not in roles:
        allowed = " or ".join(sorted(roles))
        raise Forbidden(f"Only a project {allowed} may {action}; you are {membership.role}.")


def require_admin(membership: Membership, action: str) -> None:
    require_role(membership, {Role.ADMIN}, action)
