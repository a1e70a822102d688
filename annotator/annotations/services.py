"""Every write to spans, relations, document labels and article states goes through here.

Each service locks the article row first, so the rules that look at siblings (overlap,
duplicates) hold under concurrent writers on every database.
"""

from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from annotator.articles.changes import changes_mark, layer_part
from annotator.articles.models import Article
from annotator.common.errors import Conflict, InvalidInput, NotFound, StaleVersion, VersionRequired
from annotator.common.text import check_storable_json, span_text
from annotator.projects.access import WRITE_OWN_LAYER, membership_for_article, require_role
from annotator.projects.models import Label, LabelKind, Membership
from annotator.projects.services import label_resolve

from .access import can_read, check_can_write
from .models import (
    AnnotationEvent,
    ArticleState,
    DocumentLabel,
    Layer,
    LayeredAnnotation,
    Origin,
    Relation,
    Span,
    Status,
    SuggestionStatus,
)

WRITABLE_LAYERS = (Layer.ANNOTATOR, Layer.GOLD)


# --- helpers ----------------------------------------------------------------------------


def _locked_article(*, actor: User, article_id: int) -> tuple[Article, Membership]:
    membership = membership_for_article(user=actor, article_id=article_id)
    # Lock only the article row: every write to one article queues here, other articles
    # and the project's labels stay free.
    locked = Article.objects.select_for_update().get(pk=article_id)
    locked.project = membership.project
    return locked, membership


def _layer_owner(membership: Membership, layer: str) -> int | None:
    if layer not in WRITABLE_LAYERS:
        if layer == Layer.SUGGESTION:
            check_can_write(membership, layer, None)
        raise InvalidInput(
            f"Unknown layer {layer!r}; use 'annotator' (your own) or 'gold'.",
            fields={"layer": ["annotator or gold"]},
        )
    return membership.user_id if layer == Layer.ANNOTATOR else None


def _check_version(obj: LayeredAnnotation | ArticleState, expected: int | None, what: str) -> None:
    if expected is None:
        raise VersionRequired(
            f"Send the {what}'s version in If-Match (it is {obj.version}) so a stale write cannot "
            "overwrite someone else's change."
        )
    if expected != obj.version:
        raise StaleVersion(
            f"The {what} changed since you read it (you sent version {expected}, it is now "
            f"{obj.version}); reload and try again.",
            current_version=obj.version,
        )


def _locked_for_write(
    model: type[LayeredAnnotation], *, actor: User, object_id: int, what: str
) -> tuple[Any, Article, Membership]:
    """Fetch an annotation the caller may see (else 404) and may write (else 403), locked."""
    found = model._default_manager.filter(pk=object_id).values("article_id").first()
    if found is None:
        raise NotFound(f"{what.capitalize()} not found.")
    article, membership = _locked_article(actor=actor, article_id=found["article_id"])
    obj = (
        model._default_manager.select_for_update(of=("self",))
        .select_related("label", "annotator")
        .get(pk=object_id)
    )
    if not can_read(membership, obj.layer, obj.annotator_id):
        raise NotFound(f"{what.capitalize()} not found.")
    check_can_write(membership, obj.layer, obj.annotator_id)
    return obj, article, membership


def snapshot(obj: LayeredAnnotation | ArticleState) -> dict[str, Any]:
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
    if isinstance(obj, Span):
        data.update(start=obj.start, end=obj.end, text=obj.text)
    elif isinstance(obj, Relation):
        data.update(source=obj.source_id, target=obj.target_id)
    return data


def _record(
    action: str,
    obj: LayeredAnnotation | ArticleState,
    *,
    actor: User | None,
    article: Article,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
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


def _changed(article: Article, layer: str, annotator_id: int | None) -> None:
    # Last in every write: it holds the project row until commit (see articles.changes).
    changes_mark(project_id=article.project_id, parts=[(article.pk, layer_part(layer, annotator_id))])


def _check_overlap(
    article: Article, layer: str, annotator_id: int | None, start: int, end: int, exclude: int
) -> None:
    same_layer = Span.objects.filter(article=article, layer=layer, annotator_id=annotator_id).exclude(
        pk=exclude
    )
    if not article.project.allow_overlapping_spans:
        clash = same_layer.filter(start__lt=end, end__gt=start).first()
        if clash:
            raise Conflict(
                f"This project does not allow overlapping spans: [{start}, {end}) overlaps span "
                f"{clash.pk} [{clash.start}, {clash.end})."
            )


def _check_duplicate(
    article: Article,
    layer: str,
    annotator_id: int | None,
    start: int,
    end: int,
    label: Label,
    exclude: int,
) -> None:
    twin = (
        Span.objects.filter(
            article=article, layer=layer, annotator_id=annotator_id, start=start, end=end, label=label
        )
        .exclude(pk=exclude)
        .values_list("pk", flat=True)
        .first()
    )
    if twin:
        raise Conflict(f"The same span already exists in this layer (span {twin}).")


def _check_relation_labels(label: Label, source: Span, target: Span) -> None:
    sources = list(label.allowed_sources.all())
    targets = list(label.allowed_targets.all())
    if sources and source.label_id not in {lab.pk for lab in sources}:
        names = ", ".join(sorted(lab.name for lab in sources))
        raise InvalidInput(
            f"{label.name} must start at a span labelled {names}, not {source.label.name}.",
            fields={"from": [f"must be a {names} span"]},
        )
    if targets and target.label_id not in {lab.pk for lab in targets}:
        names = ", ".join(sorted(lab.name for lab in targets))
        raise InvalidInput(
            f"{label.name} must point to a span labelled {names}, not {target.label.name}.",
            fields={"to": [f"must be a {names} span"]},
        )


# --- spans ------------------------------------------------------------------------------


@transaction.atomic
def span_create(
    *,
    actor: User,
    article_id: int,
    start: int,
    end: int,
    label: int | str,
    layer: str = Layer.ANNOTATOR,
) -> Span:
    """Create a span in the caller's layer (or gold); its text is article.text[start:end]."""
    article, membership = _locked_article(actor=actor, article_id=article_id)
    annotator_id = _layer_owner(membership, layer)
    check_can_write(membership, layer, annotator_id)
    span_label = label_resolve(project_id=article.project_id, ref=label, kind=LabelKind.SPAN)
    text = span_text(article.text, start, end)
    _check_duplicate(article, layer, annotator_id, start, end, span_label, exclude=0)
    _check_overlap(article, layer, annotator_id, start, end, exclude=0)
    span = Span.objects.create(
        article=article,
        label=span_label,
        start=start,
        end=end,
        text=text,
        layer=layer,
        annotator=actor if annotator_id else None,
        created_by=actor,
    )
    _record("span.create", span, actor=actor, article=article, before=None, after=snapshot(span))
    _changed(article, layer, annotator_id)
    return span


@transaction.atomic
def span_update(
    *,
    actor: User,
    span_id: int,
    expected_version: int | None,
    start: int | None = None,
    end: int | None = None,
    label: int | str | None = None,
) -> Span:
    """Move or relabel a span read at ``expected_version``; relations must stay valid."""
    span, article, _ = _locked_for_write(Span, actor=actor, object_id=span_id, what="span")
    _check_version(span, expected_version, "span")
    if start is None and end is None and label is None:
        return span  # nothing to change: no new version, no history
    before = snapshot(span)
    new_start = span.start if start is None else start
    new_end = span.end if end is None else end
    new_label = (
        span.label
        if label is None
        else label_resolve(project_id=article.project_id, ref=label, kind=LabelKind.SPAN)
    )
    text = span_text(article.text, new_start, new_end)
    _check_duplicate(article, span.layer, span.annotator_id, new_start, new_end, new_label, exclude=span.pk)
    _check_overlap(article, span.layer, span.annotator_id, new_start, new_end, exclude=span.pk)
    span.start, span.end, span.text, span.label = new_start, new_end, text, new_label
    if new_label.name != before["label"]:
        for rel in Relation.objects.filter(source=span).select_related("label", "target__label"):
            _check_relation_labels(rel.label, span, rel.target)
        for rel in Relation.objects.filter(target=span).select_related("label", "source__label"):
            _check_relation_labels(rel.label, rel.source, span)
    if span.origin == Origin.ACCEPTED:
        span.origin = Origin.EDITED
    span.version += 1
    span.save()
    _record("span.update", span, actor=actor, article=article, before=before, after=snapshot(span))
    _changed(article, span.layer, span.annotator_id)
    return span


@transaction.atomic
def span_delete(*, actor: User, span_id: int, expected_version: int | None) -> None:
    """Delete a span read at ``expected_version`` and the relations that use it."""
    span, article, _ = _locked_for_write(Span, actor=actor, object_id=span_id, what="span")
    _check_version(span, expected_version, "span")
    relations = Relation.objects.filter(source=span) | Relation.objects.filter(target=span)
    for rel in relations.select_related("label"):
        _record("relation.delete", rel, actor=actor, article=article, before=snapshot(rel), after=None)
    _record("span.delete", span, actor=actor, article=article, before=snapshot(span), after=None)
    relations.delete()
    span.delete()
    _changed(article, span.layer, span.annotator_id)


def suggestion_create(
    *,
    article: Article,
    label: Label,
    start: int,
    end: int,
    recogniser: str,
    recogniser_version: str,
    score: float | None = None,
    attributes: dict[str, Any] | None = None,
) -> Span:
    """Write one pending suggestion (for pre-annotation jobs; no caller, no role check)."""
    if label.project_id != article.project_id or label.kind != LabelKind.SPAN:
        raise InvalidInput("A suggestion needs a span label of the article's project.")
    check_storable_json(attributes or {}, "attributes")
    span = Span.objects.create(
        article=article,
        label=label,
        start=start,
        end=end,
        text=span_text(article.text, start, end),
        layer=Layer.SUGGESTION,
        origin=Origin.SUGGESTED,
        recogniser=recogniser,
        recogniser_version=recogniser_version,
        score=score,
        suggestion_status=SuggestionStatus.PENDING,
        attributes=attributes or {},
    )
    _record("span.create", span, actor=None, article=article, before=None, after=snapshot(span))
    _changed(article, Layer.SUGGESTION, None)
    return span


# --- relations --------------------------------------------------------------------------


def _visible_span(article: Article, membership: Membership, span_id: object, field: str) -> Span:
    if isinstance(span_id, bool) or not isinstance(span_id, int):
        raise InvalidInput(f"{field} must be a span id", fields={field: ["span id"]})
    span = Span.objects.select_related("label", "annotator").filter(pk=span_id, article=article).first()
    if span is None or not can_read(membership, span.layer, span.annotator_id):
        raise NotFound(f"Span {span_id} not found in this article.", fields={field: ["not found"]})
    return span


@transaction.atomic
def relation_create(
    *, actor: User, article_id: int, source_id: int, target_id: int, label: int | str
) -> Relation:
    """Link two spans of one layer; the label's source/target constraints must hold."""
    article, membership = _locked_article(actor=actor, article_id=article_id)
    source = _visible_span(article, membership, source_id, "from")
    target = _visible_span(article, membership, target_id, "to")
    if source.pk == target.pk:
        raise InvalidInput("A relation needs two different spans.", fields={"to": ["same span as from"]})
    if (source.layer, source.annotator_id) != (target.layer, target.annotator_id):
        raise InvalidInput(
            "Both spans of a relation must be in the same layer.", fields={"to": ["other layer"]}
        )
    check_can_write(membership, source.layer, source.annotator_id)
    rel_label = label_resolve(project_id=article.project_id, ref=label, kind=LabelKind.RELATION)
    _check_relation_labels(rel_label, source, target)
    if Relation.objects.filter(source=source, target=target, label=rel_label).exists():
        raise Conflict("This relation already exists.")
    relation = Relation.objects.create(
        article=article,
        label=rel_label,
        source=source,
        target=target,
        layer=source.layer,
        annotator=source.annotator,
        created_by=actor,
    )
    _record("relation.create", relation, actor=actor, article=article, before=None, after=snapshot(relation))
    _changed(article, relation.layer, relation.annotator_id)
    return relation


@transaction.atomic
def relation_update(
    *, actor: User, relation_id: int, expected_version: int | None, label: int | str
) -> Relation:
    """Relabel a relation read at ``expected_version``."""
    relation, article, _ = _locked_for_write(Relation, actor=actor, object_id=relation_id, what="relation")
    _check_version(relation, expected_version, "relation")
    before = snapshot(relation)
    new_label = label_resolve(project_id=article.project_id, ref=label, kind=LabelKind.RELATION)
    source = Span.objects.select_related("label").get(pk=relation.source_id)
    target = Span.objects.select_related("label").get(pk=relation.target_id)
    _check_relation_labels(new_label, source, target)
    if (
        Relation.objects.filter(source=source, target=target, label=new_label)
        .exclude(pk=relation.pk)
        .exists()
    ):
        raise Conflict("This relation already exists.")
    relation.label = new_label
    relation.version += 1
    relation.save()
    _record(
        "relation.update", relation, actor=actor, article=article, before=before, after=snapshot(relation)
    )
    _changed(article, relation.layer, relation.annotator_id)
    return relation


@transaction.atomic
def relation_delete(*, actor: User, relation_id: int, expected_version: int | None) -> None:
    """Delete a relation read at ``expected_version``."""
    relation, article, _ = _locked_for_write(Relation, actor=actor, object_id=relation_id, what="relation")
    _check_version(relation, expected_version, "relation")
    _record("relation.delete", relation, actor=actor, article=article, before=snapshot(relation), after=None)
    relation.delete()
    _changed(article, relation.layer, relation.annotator_id)


# --- document labels --------------------------------------------------------------------


def _check_document_label_unique(
    article: Article, layer: str, annotator_id: int | None, label: Label, exclude: int
) -> None:
    twin = DocumentLabel.objects.filter(
        article=article, layer=layer, annotator_id=annotator_id, label=label
    ).exclude(pk=exclude)
    if twin.exists():
        raise Conflict(f"The article already has document label {label.name!r} in this layer.")


@transaction.atomic
def document_label_create(
    *, actor: User, article_id: int, label: int | str, layer: str = Layer.ANNOTATOR
) -> DocumentLabel:
    """Mark the whole article with a document label in the caller's layer (or gold)."""
    article, membership = _locked_article(actor=actor, article_id=article_id)
    annotator_id = _layer_owner(membership, layer)
    check_can_write(membership, layer, annotator_id)
    doc_label = label_resolve(project_id=article.project_id, ref=label, kind=LabelKind.DOCUMENT)
    _check_document_label_unique(article, layer, annotator_id, doc_label, exclude=0)
    obj = DocumentLabel.objects.create(
        article=article,
        label=doc_label,
        layer=layer,
        annotator=actor if annotator_id else None,
        created_by=actor,
    )
    _record("document_label.create", obj, actor=actor, article=article, before=None, after=snapshot(obj))
    _changed(article, obj.layer, obj.annotator_id)
    return obj


@transaction.atomic
def document_label_update(
    *, actor: User, document_label_id: int, expected_version: int | None, label: int | str
) -> DocumentLabel:
    """Change which document label this is, read at ``expected_version``."""
    obj, article, _ = _locked_for_write(
        DocumentLabel, actor=actor, object_id=document_label_id, what="document label"
    )
    _check_version(obj, expected_version, "document label")
    before = snapshot(obj)
    new_label = label_resolve(project_id=article.project_id, ref=label, kind=LabelKind.DOCUMENT)
    _check_document_label_unique(article, obj.layer, obj.annotator_id, new_label, exclude=obj.pk)
    obj.label = new_label
    obj.version += 1
    obj.save()
    _record("document_label.update", obj, actor=actor, article=article, before=before, after=snapshot(obj))
    _changed(article, obj.layer, obj.annotator_id)
    return obj


@transaction.atomic
def document_label_delete(*, actor: User, document_label_id: int, expected_version: int | None) -> None:
    """Remove a document label read at ``expected_version``."""
    obj, article, _ = _locked_for_write(
        DocumentLabel, actor=actor, object_id=document_label_id, what="document label"
    )
    _check_version(obj, expected_version, "document label")
    _record("document_label.delete", obj, actor=actor, article=article, before=snapshot(obj), after=None)
    obj.delete()
    _changed(article, obj.layer, obj.annotator_id)


# --- article state ----------------------------------------------------------------------


@transaction.atomic
def state_set(*, actor: User, article_id: int, status: str, expected_version: int | None) -> ArticleState:
    """Set the caller's own status for an article. An existing state needs its version;
    a state not yet written has version 0."""
    article, membership = _locked_article(actor=actor, article_id=article_id)
    require_role(membership, WRITE_OWN_LAYER, "set an article status")
    if status not in Status.values:
        raise InvalidInput(
            f"Unknown status {status!r}.", fields={"status": [f"one of {', '.join(Status.values)}"]}
        )
    state = ArticleState.objects.select_for_update().filter(article=article, annotator_id=actor.pk).first()
    if state is None:
        if expected_version not in (None, 0):
            raise StaleVersion(
                f"You sent version {expected_version} but this article has no state yet (version 0).",
                current_version=0,
            )
        state = ArticleState.objects.create(article=article, annotator_id=actor.pk, status=status)
        _record("state.create", state, actor=actor, article=article, before=None, after=snapshot(state))
        _changed(article, Layer.ANNOTATOR, actor.pk)
        return state
    _check_version(state, expected_version, "article state")
    if state.status == status:
        return state
    before = snapshot(state)
    state.status = status
    state.version += 1
    state.save()
    _record("state.update", state, actor=actor, article=article, before=before, after=snapshot(state))
    _changed(article, Layer.ANNOTATOR, actor.pk)
    return state
