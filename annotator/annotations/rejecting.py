"""A suggestion's status changes (accepted, rejected) and rejecting, one at a time and in bulk
(annotations.review accepts). A rejected suggestion is marked changed where it is listed: its
article and, for a relation suggestion across articles, the other article too."""

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q

from annotator.articles.changes import changes_mark, layer_part
from annotator.articles.models import Article
from annotator.common.errors import Conflict, NotFound
from annotator.projects.access import WRITE_OWN_LAYER, require_role
from annotator.projects.models import Membership

from .access import can_read
from .history import history_record, history_state
from .locking import locked_article
from .models import Layer, LayeredAnnotation, Relation, Span, SuggestionStatus


def locked_suggestion(
    model: type[LayeredAnnotation], *, actor: User, suggestion_id: int
) -> tuple[Any, Article, Membership]:
    """A suggestion of one of the caller's projects, locked after its article; else 404."""
    what = "Suggestion" if model is Span else "Relation suggestion"
    suggestions = model._default_manager.filter(pk=suggestion_id, layer=Layer.SUGGESTION)
    found = suggestions.values("article_id").first()
    if found is None:
        raise NotFound(f"{what} not found.")
    try:
        article, membership = locked_article(actor=actor, article_id=found["article_id"])
    except NotFound:
        raise NotFound(f"{what} not found.") from None  # a non-member learns nothing more
    obj = suggestions.select_for_update(of=("self",)).select_related("label").first()
    # Gone while we waited for the article, or (should the layer rules ever change) hidden.
    if obj is None or not can_read(membership, obj.layer, obj.annotator_id):
        raise NotFound(f"{what} not found.")
    return obj, article, membership


def set_status(
    suggestion: Span | Relation, status: str, *, actor: User, article: Article, marked: list[tuple[str, int]]
) -> None:
    before = history_state(suggestion)
    suggestion.suggestion_status = status
    suggestion.version += 1
    suggestion.save()
    verb = "accept" if status == SuggestionStatus.ACCEPTED else "reject"
    history_record(
        f"suggestion.{verb}",
        suggestion,
        actor=actor,
        article=article,
        before=before,
        after=history_state(suggestion),
    )
    marked.append((type(suggestion).__name__.lower(), suggestion.pk))


def reject(
    suggestion: Span | Relation, *, actor: User, article: Article, marked: list[tuple[str, int]]
) -> None:
    """Reject one pending suggestion; a span's pending relation suggestions go with it."""
    set_status(suggestion, SuggestionStatus.REJECTED, actor=actor, article=article, marked=marked)
    if isinstance(suggestion, Span):
        # A relation to a rejected span could never be accepted: leaving it pending would
        # only show annotators a suggestion that always fails.
        using = Relation.objects.filter(
            Q(source=suggestion) | Q(target=suggestion),
            layer=Layer.SUGGESTION,
            suggestion_status=SuggestionStatus.PENDING,
        ).select_related("label")
        for relation in using.select_for_update(of=("self",)):
            set_status(relation, SuggestionStatus.REJECTED, actor=actor, article=article, marked=marked)


def _reject_one(model: type[Span] | type[Relation], *, actor: User, suggestion_id: int) -> Any:
    suggestion, article, membership = locked_suggestion(model, actor=actor, suggestion_id=suggestion_id)
    require_role(membership, WRITE_OWN_LAYER, "reject suggestions")
    if suggestion.suggestion_status == SuggestionStatus.REJECTED:
        return suggestion
    if suggestion.suggestion_status == SuggestionStatus.ACCEPTED:
        raise Conflict(
            "This suggestion was already accepted; delete or change the annotation made from it instead."
        )
    marked: list[tuple[str, int]] = []
    reject(suggestion, actor=actor, article=article, marked=marked)
    rejected_changes(article, marked)
    return suggestion


@transaction.atomic
def suggestion_reject(*, actor: User, suggestion_id: int) -> Span:
    """Mark a pending span suggestion rejected, with the relation suggestions that use it."""
    span: Span = _reject_one(Span, actor=actor, suggestion_id=suggestion_id)
    return span


@transaction.atomic
def relation_suggestion_reject(*, actor: User, suggestion_id: int) -> Relation:
    """Mark a pending relation suggestion rejected."""
    relation: Relation = _reject_one(Relation, actor=actor, suggestion_id=suggestion_id)
    return relation


def rejected_changes(article: Article, marked: list[tuple[str, int]]) -> None:
    """Mark the suggestion layer changed where the rejected suggestions are listed: ``article``
    and the other articles of the relation suggestions among them (across articles)."""
    relation_ids = [pk for kind, pk in marked if kind == "relation"]
    ends = Relation.objects.filter(pk__in=relation_ids).values_list("article_id", "target__article_id")
    listed = {article.pk, *(end for pair in ends for end in pair)}
    part = layer_part(Layer.SUGGESTION, None)
    changes_mark(project_id=article.project_id, parts=[(a, part) for a in sorted(listed)])
