"""Who may do what in a project. Every service and selector asks here."""

from django.contrib.auth.models import AnonymousUser, User

from annotator.common.errors import Forbidden, NotFound
from annotator.projects.models import Membership, Role

ADMIN_ONLY = frozenset({Role.ADMIN})
READ_ALL_LAYERS = frozenset({Role.ADMIN, Role.REVIEWER, Role.RESEARCHER})
WRITE_GOLD = frozenset({Role.ADMIN, Role.REVIEWER})
WRITE_OWN_LAYER = frozenset({Role.ADMIN, Role.REVIEWER, Role.ANNOTATOR})


def _membership(user: User | AnonymousUser, not_found: str, **lookup: object) -> Membership:
    membership = (
        Membership.objects.select_related("project").filter(user_id=user.pk, **lookup).first()
        if user.is_authenticated
        else None
    )
    if membership is None:
        raise NotFound(not_found)
    return membership


def membership_get(
    *, user: User | AnonymousUser, project_id: int, not_found: str = "Project not found."
) -> Membership:
    """The caller's membership; a non-member is told the project (or the ``not_found`` thing
    they asked for in it) does not exist."""
    return _membership(user, not_found, project_id=project_id)


def require_role(membership: Membership, roles: frozenset[str] | set[str], action: str) -> None:
    if membership.role not in roles:
        allowed = " or ".join(sorted(roles))
        raise Forbidden(f"Only a project {allowed} may {action}; you are {membership.role}.")


def require_admin(membership: Membership, action: str) -> None:
    require_role(membership, {Role.ADMIN}, action)
