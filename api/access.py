"""A request's access, checked in one way and in one order: the caller's membership of the
project the request is about (a non-member gets 404, as if nothing were there), then the
role (403), then the body or query string (400, naming the fields). A view calls ``member``
and ``validated`` and then one service; the services check access again for their other
callers (commands, jobs), with the finer rules (which layer a role may write) that only they
know."""

from collections.abc import Callable, Mapping
from typing import Any

from rest_framework import serializers

from annotator.annotations.models import LayeredAnnotation, Relation, Span
from annotator.annotations.selectors import annotation_get, suggestion_get
from annotator.articles.access import membership_for_article
from annotator.projects.access import (
    WRITE_OWN_LAYER,
    membership_get,
    require_role,
)
from annotator.projects.models import Membership
from api.permissions import AuthenticatedRequest

Roles = frozenset[str] | set[str]


def member(
    request: AuthenticatedRequest,
    *,
    project_id: int | None = None,
    article_id: int | None = None,
    annotation: tuple[type[LayeredAnnotation], int] | None = None,
    suggestion: tuple[type[Span] | type[Relation], int] | None = None,
    roles: Roles | None = None,
    action: str = "",
) -> Membership:
    """The caller's membership of the project of the one thing named: a project, an article,
    a span/relation/document label the caller can see, or a suggestion (else 404); then, with
    ``roles``, refused (403) unless the caller's role is one of them."""
    user = request.user
    if project_id is not None:
        membership = membership_get(user=user, project_id=project_id)
    elif article_id is not None:
        membership = membership_for_article(user=user, article_id=article_id)
    elif annotation is not None:
        obj = annotation_get(annotation[0], user=user, object_id=annotation[1])
        membership = membership_get(user=user, project_id=obj.article.project_id)
    elif suggestion is not None:
        _, membership = suggestion_get(suggestion[0], user=user, suggestion_id=suggestion[1])
    else:
        raise TypeError("member() needs the project, article, annotation or suggestion the request names")
    if roles is not None:
        require_role(membership, roles, action)
    return membership


def validated(
    serializer_class: type[serializers.Serializer],
    data: Any,
    *,
    check: Callable[[], object] | None = None,
    **kwargs: Any,
) -> Any:
    """``data`` (a body, or a query string) as ``serializer_class`` validates it, a dict (a
    list of them with ``many=True``); else 400.

    ``check`` is the request's access check (a call of ``member``) for a write whose service
    looks up the caller's membership itself (annotation writes, reviews): it runs only when
    ``data`` is invalid, so a non-member still gets 404 and a read-only role 403 before any
    400, while a valid write looks the membership up once, in the service."""
    serializer = serializer_class(data=data, **kwargs)
    if not serializer.is_valid():
        if check is not None:
            check()
        raise serializers.ValidationError(serializer.errors)
    if isinstance(serializer.validated_data, Mapping):
        return dict(serializer.validated_data)
    return serializer.validated_data


def may_write_annotations(request: AuthenticatedRequest, article_id: int) -> Callable[[], object]:
    """The access check of a write to an article's annotations or state, for ``validated``."""
    return lambda: member(request, article_id=article_id, roles=WRITE_OWN_LAYER, action="write annotations")
