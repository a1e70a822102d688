"""Comments: threads on an article, or on one span or relation of it, and their replies.

Who reads a comment is fixed when it is written (its ``layer`` and ``layer_annotator``): an
annotator's comment belongs to their own layer (they, reviewers, admins and researchers read
it; no other annotator does: blind annotation stays blind, replies in a shared thread
included); a reviewer's or admin's belongs to what it is about (the annotation's layer, or
the whole project for the article) or, for a reply, to its thread. Threads are read through
the layer rule every reader of annotations uses (annotations.access.visible_layers_q)."""

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q, QuerySet

from annotator.annotations.access import can_read, visible_layers_q
from annotator.annotations.locking import check_version
from annotator.annotations.models import Layer, Relation, Span
from annotator.articles.access import article_get
from annotator.articles.changes import ARTICLE_PART, changes_mark, layer_part
from annotator.common.errors import Forbidden, InvalidInput, NotFound
from annotator.common.live import Audience, publish
from annotator.common.text import check_storable
from annotator.projects.access import WRITE_GOLD, WRITE_OWN_LAYER, require_role
from annotator.projects.models import Membership, Role

from .models import Comment

MAX_BODY = 10_000


def _visible_q(membership: Membership) -> Q:
    layers = visible_layers_q(membership, owner="layer_annotator_id")
    return Q(layer="") | layers if layers else layers  # an empty Q (every layer) absorbs nothing


def article_comments(*, actor: User, article_id: int) -> QuerySet[Comment]:
    """The comments of an article the caller may read, in the order they were written."""
    _, membership = article_get(user=actor, article_id=article_id)
    return (
        Comment.objects.filter(_visible_q(membership), article_id=article_id)
        .select_related("author", "layer_annotator")
        .order_by("pk")
    )


def comment_get(*, actor: User, comment_id: int) -> tuple[Comment, Membership]:
    """A comment the caller may read (else 404), with their membership."""
    found = Comment.objects.filter(pk=comment_id).values_list("article_id", flat=True).first()
    if found is None:
        raise NotFound("Comment not found.")
    try:
        _, membership = article_get(user=actor, article_id=found)
    except NotFound:
        raise NotFound("Comment not found.") from None
    comment = (
        Comment.objects.filter(_visible_q(membership), pk=comment_id)
        .select_related("author", "layer_annotator")
        .first()
    )
    if comment is None:
        raise NotFound("Comment not found.")
    return comment, membership


def _clean_body(body: str) -> str:
    body = body.strip()
    if not body or len(body) > MAX_BODY:
        raise InvalidInput(
            f"body: 1 to {MAX_BODY} characters.", fields={"body": [f"1 to {MAX_BODY} characters."]}
        )
    check_storable(body, "body")
    return body


def _scope(membership: Membership, layer: str, annotator_id: int | None) -> tuple[str, int | None]:
    if membership.role == Role.ANNOTATOR:
        return Layer.ANNOTATOR, membership.user_id
    return layer, annotator_id


def _about(
    article_id: int, membership: Membership, model: type[Span] | type[Relation], pk: int, field: str
) -> Span | Relation:
    obj = model._default_manager.filter(pk=pk, article_id=article_id).first()
    if obj is None or not can_read(membership, obj.layer, obj.annotator_id):
        raise NotFound(f"{model.__name__} {pk} not found in this article.", fields={field: ["not found"]})
    return obj


def _mark(comment: Comment, verb: str, actor: User) -> None:
    """An incremental pull of the comment's layer (or of the article, for a shared thread) sees
    it, and the open pages of those who may read it are told (docs/live.md)."""
    part = layer_part(comment.layer, comment.layer_annotator_id) if comment.layer else ARTICLE_PART
    changes_mark(project_id=comment.project_id, parts=[(comment.article_id, part)])
    data = {
        "id": comment.pk,
        "article": comment.article_id,
        "span": comment.span_id,
        "relation": comment.relation_id,
        "parent": comment.parent_id,
        "body": comment.body,
        "resolved": comment.resolved,
        "layer": comment.layer,
        "version": comment.version,
        "actor": actor.username,
    }
    audience: Audience = {
        "article": comment.article_id,
        "layer": comment.layer,
        "annotator": comment.layer_annotator_id,
    }
    publish(comment.project_id, f"comment.{verb}", data, audience)


@transaction.atomic
def comment_create(
    *,
    actor: User,
    article_id: int,
    body: str,
    span: int | None = None,
    relation: int | None = None,
    parent: int | None = None,
) -> Comment:
    """Start a thread on the article, a span or a relation, or reply to one (not researchers)."""
    article, membership = article_get(user=actor, article_id=article_id)
    require_role(membership, WRITE_OWN_LAYER, "comment")
    body = _clean_body(body)
    if sum(x is not None for x in (span, relation, parent)) > 1:
        raise InvalidInput(
            "Name at most one of span, relation and parent.",
            fields={"parent": ["one of span, relation, parent"]},
        )
    comment = Comment(project_id=article.project_id, article=article, author=actor, body=body)
    if parent is not None:
        root = Comment.objects.filter(_visible_q(membership), pk=parent, article_id=article_id).first()
        if root is None:
            raise NotFound(f"Comment {parent} not found in this article.", fields={"parent": ["not found"]})
        while root.parent_id is not None:  # a reply to a reply joins the thread
            root = Comment.objects.get(pk=root.parent_id)
        comment.parent, comment.span_id, comment.relation_id = root, root.span_id, root.relation_id
        comment.layer, comment.layer_annotator_id = _scope(membership, root.layer, root.layer_annotator_id)
    elif span is not None or relation is not None:
        about = (
            _about(article_id, membership, Span, span, "span")
            if span is not None
            else _about(article_id, membership, Relation, relation, "relation")  # type: ignore[arg-type]
        )
        comment.span_id, comment.relation_id = span, relation
        comment.layer, comment.layer_annotator_id = _scope(membership, about.layer, about.annotator_id)
    else:
        comment.layer, comment.layer_annotator_id = _scope(membership, "", None)
    comment.save()
    _mark(comment, "created", actor)
    return comment


@transaction.atomic
def comment_update(
    *,
    actor: User,
    comment_id: int,
    expected_version: int | None,
    body: str | None = None,
    resolved: bool | None = None,
) -> Comment:
    """Edit one's own comment's body; resolve or reopen a thread (its author, reviewers, admins)."""
    comment, membership = comment_get(actor=actor, comment_id=comment_id)
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    check_version(comment, expected_version, "comment")  # type: ignore[arg-type]
    if body is not None:
        if comment.author_id != actor.pk:
            raise Forbidden("Only its author may edit a comment.")
        comment.body = _clean_body(body)
    if resolved is not None:
        if comment.parent_id is not None:
            raise InvalidInput(
                "Resolve the thread (its first comment), not a reply.", fields={"resolved": ["threads only"]}
            )
        if comment.author_id != actor.pk and membership.role not in WRITE_GOLD:
            raise Forbidden("Only the thread's author, reviewers and admins may resolve it.")
        comment.resolved = resolved
    if body is not None or resolved is not None:
        comment.version += 1
        comment.save()
        _mark(comment, "updated", actor)
    return comment


@transaction.atomic
def comment_delete(*, actor: User, comment_id: int, expected_version: int | None) -> None:
    """Delete a comment (its author or an admin); a thread's first comment takes its replies."""
    comment, membership = comment_get(actor=actor, comment_id=comment_id)
    locked = Comment.objects.select_for_update().filter(pk=comment.pk).first()
    if locked is None:
        raise NotFound("Comment not found.")
    if locked.author_id != actor.pk and membership.role != Role.ADMIN:
        raise Forbidden("Only its author or an admin may delete a comment.")
    check_version(locked, expected_version, "comment")  # type: ignore[arg-type]
    _mark(locked, "deleted", actor)
    locked.delete()
