"""The history of every annotation write (one event each, with its state before and after),
and the change marks that incremental exports read."""

from typing import Any

from django.contrib.auth.models import User

from annotator.articles.changes import changes_mark, layer_part
from annotator.articles.models import Article
from annotator.common.live import Audience, publish

from .models import AnnotationEvent, ArticleState, Layer, LayeredAnnotation, Relation, Span, Status
from .rules import NOT_STARTED_VERSION


def history_state(obj: LayeredAnnotation | ArticleState) -> dict[str, Any]:
    """The JSON the history keeps for an object's state."""
    if isinstance(obj, ArticleState):
        return {"status": obj.status, "version": obj.version}
    data: dict[str, Any] = {
        "label": obj.label.name,
        "layer": obj.layer,
        "annotator": obj.annotator_id,
        "origin": obj.origin,
        "version": obj.version,
    }
    if obj.layer == Layer.SUGGESTION:
        # Accepting or rejecting changes only this, so the history must show it.
        data["suggestion_status"] = obj.suggestion_status
    if isinstance(obj, Span):
        data.update(start=obj.start, end=obj.end, text=obj.text)
        if obj.attributes.get("speaker"):
            data["speaker"] = obj.attributes["speaker"]
    elif isinstance(obj, Relation):
        data.update(source=obj.source_id, target=obj.target_id)
    return data


def history_record(
    action: str,
    obj: LayeredAnnotation | ArticleState,
    *,
    actor: User | None,
    article: Article,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    """Add one history event: who did ``action`` to ``obj``, with its state before and after."""
    is_state = isinstance(obj, ArticleState)
    AnnotationEvent.objects.create(
        project_id=article.project_id,
        article=article,
        actor_id=actor.pk if actor else None,
        action=action,
        object_type=type(obj).__name__.lower(),
        object_id=obj.pk,
        layer=Layer.ANNOTATOR if is_state else obj.layer,  # type: ignore[union-attr]
        layer_annotator_id=obj.annotator_id,
        before=before,
        after=after,
    )
    _push(action, obj, actor, article, after if after is not None else before or {})


_VERBS = {"create": "created", "update": "updated", "delete": "deleted"}


def _push(
    action: str,
    obj: LayeredAnnotation | ArticleState,
    actor: User | None,
    article: Article,
    state: dict[str, Any],
) -> None:
    """The write, pushed to the open pages that may read it (docs/live.md): ``span.created``,
    ``relation.deleted``, ``suggestion.updated``, ``state.changed``..., with the object's
    ``state`` after it (its new version) or, deleted, before it."""
    kind, _, verb = action.partition(".")
    event_type = "state.changed" if kind == "state" else f"{kind}.{_VERBS.get(verb, 'updated')}"
    data = {**state, "id": obj.pk, "article": article.pk, "actor": actor.username if actor else None}
    audience: Audience
    if isinstance(obj, ArticleState):
        data["annotator"] = obj.annotator_id
        audience = {"article": article.pk, "layer": Layer.ANNOTATOR, "annotator": obj.annotator_id}
    else:
        audience = {"article": article.pk, "layer": obj.layer, "annotator": obj.annotator_id}
        other = _other_article(obj) if isinstance(obj, Relation) else None
        if other is not None and other != article.pk:
            # Across articles: the other article's open pages show it too (its incoming list).
            data["articles"] = [article.pk, other]
    publish(article.project_id, event_type, data, audience)


def _other_article(relation: Relation) -> int | None:
    """The article of a relation's target, without loading the span when the caller has it
    (a deleted relation's target may be gone already: None then)."""
    if Relation.target.is_cached(relation):
        return relation.target.article_id
    return Span.objects.filter(pk=relation.target_id).values_list("article_id", flat=True).first()


def started(article: Article, annotator_id: int) -> None:
    """An annotator's first write to their layer of an article puts it in progress: a state row
    at version 0, the version of "not started", so a page that read the state before the write
    still submits with the version it has. A state already there stays as it is."""
    ArticleState.objects.bulk_create(
        [
            ArticleState(
                article=article,
                annotator_id=annotator_id,
                status=Status.IN_PROGRESS,
                version=NOT_STARTED_VERSION,
            )
        ],
        ignore_conflicts=True,
    )


def changed(article: Article, layer: str, annotator_id: int | None) -> None:
    """Mark one layer of the article changed, for incremental exports (and an annotator's
    first change to their layer puts the article in progress for them)."""
    if layer == Layer.ANNOTATOR and annotator_id is not None:
        started(article, annotator_id)
    # Last in every write: it holds the project row until commit (see articles.changes).
    changes_mark(project_id=article.project_id, parts=[(article.pk, layer_part(layer, annotator_id))])


def changed_elsewhere(*, project_id: int, article_id: int, layer: str, annotator_id: int | None) -> None:
    """Mark a layer of another article changed by a cross-article relation, for incremental
    exports only: its annotator did not work on that article, so its state stays as it is."""
    changes_mark(project_id=project_id, parts=[(article_id, layer_part(layer, annotator_id))])
