"""Every write to spans, relations, document labels and article states goes through here.

Each service locks the article row first, so the rules that look at siblings (overlap,
duplicates) hold under concurrent writers on every database.
"""

import math
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q

from annotator.articles.changes import changes_mark, layer_part
from annotator.articles.models import Article
from annotator.common.errors import Conflict, InvalidInput, NotFound, StaleVersion, VersionRequired
from annotator.common.text import check_storable_json, span_text
from annotator.projects.access import WRITE_OWN_LAYER, membership_for_article, require_role
from annotator.projects.models import Label, LabelKind, Membership
from annotator.projects.services import label_resolve

from . import rules
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
from .selectors import article_suggestions

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
    if obj.layer == Layer.SUGGESTION:
        # Accepting or rejecting changes only this, so the history must show it.
        data["suggestion_status"] = obj.suggestion_status
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
    if article.project.allow_overlapping_spans:
        return
    same_layer = Span.objects.filter(article=article, layer=layer, annotator_id=annotator_id).exclude(
        pk=exclude
    )
    clash = rules.first_overlapping(same_layer.values_list("start", "end", "pk"), start, end)
    if clash:
        raise Conflict(
            f"This project does not allow overlapping spans: [{start}, {end}) overlaps span "
            f"{clash[2]} [{clash[0]}, {clash[1]})."
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
            article=article, layer=layer, annotator_id=annotator_id, **rules.span_lookup(start, end, label.pk)
        )
        .exclude(pk=exclude)
        .values_list("pk", flat=True)
        .first()
    )
    if twin:
        raise Conflict(f"The same span already exists in this layer (span {twin}).")


def _check_relation_labels(label: Label, source: Span, target: Span) -> None:
    sources = {lab.pk: lab.name for lab in label.allowed_sources.all()}
    targets = {lab.pk: lab.name for lab in label.allowed_targets.all()}
    breach = rules.relation_labels_breach(sources.keys(), targets.keys(), source.label_id, target.label_id)
    if breach is None:
        return
    end, allowed = breach
    if end == "from":
        names = ", ".join(sorted(sources[pk] for pk in allowed))
        raise InvalidInput(
            f"{label.name} must start at a span labelled {names}, not {source.label.name}.",
            fields={"from": [f"must be a {names} span"]},
        )
    names = ", ".join(sorted(targets[pk] for pk in allowed))
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
    """Write one pending suggestion, with its history event (no caller, no role check).
    Pre-annotation jobs write theirs in bulk instead (preannotation.suggestions)."""
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


@transaction.atomic
def relation_suggestion_create(
    *,
    label: Label,
    source: Span,
    target: Span,
    recogniser: str,
    recogniser_version: str,
    score: float | None = None,
    attributes: dict[str, Any] | None = None,
) -> Relation:
    """Write one pending relation suggestion between two span suggestions of one article, with
    its history event (no caller, no role check). Pre-annotation jobs write theirs in bulk."""
    article = source.article
    if source.layer != Layer.SUGGESTION or target.layer != Layer.SUGGESTION:
        raise InvalidInput("A relation suggestion joins two span suggestions.")
    if source.article_id != target.article_id or source.pk == target.pk:
        raise InvalidInput("A relation suggestion joins two different spans of one article.")
    if label.project_id != article.project_id or label.kind != LabelKind.RELATION:
        raise InvalidInput("A relation suggestion needs a relation label of the article's project.")
    # A recogniser that breaks the label schema is a bug: refuse it here, not when it is accepted.
    _check_relation_labels(label, source, target)
    check_storable_json(attributes or {}, "attributes")
    relation = Relation.objects.create(
        article=article,
        label=label,
        source=source,
        target=target,
        layer=Layer.SUGGESTION,
        origin=Origin.SUGGESTED,
        recogniser=recogniser,
        recogniser_version=recogniser_version,
        score=score,
        suggestion_status=SuggestionStatus.PENDING,
        attributes=attributes or {},
    )
    _record("relation.create", relation, actor=None, article=article, before=None, after=snapshot(relation))
    _changed(article, Layer.SUGGESTION, None)
    return relation


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
    if Relation.objects.filter(**rules.relation_lookup(source.pk, target.pk, rel_label.pk)).exists():
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
        Relation.objects.filter(**rules.relation_lookup(source.pk, target.pk, new_label.pk))
        .exclude(pk=relation.pk)
        .exists()
    ):
        raise Conflict("This relation already exists.")
    relation.label = new_label
    if relation.origin == Origin.ACCEPTED:
        relation.origin = Origin.EDITED  # as span_update does: provenance says it was changed
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
        if expected_version not in (None, rules.NOT_STARTED_VERSION):
            raise StaleVersion(
                f"You sent version {expected_version} but this article has no state yet "
                f"(version {rules.NOT_STARTED_VERSION}).",
                current_version=rules.NOT_STARTED_VERSION,
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


# --- reviewing suggestions --------------------------------------------------------------
#
# A suggestion's status is one per suggestion, shared by everyone in the project: once a
# member accepts it (into their own layer or gold) or rejects it, it is pending for nobody.
# Accept and reject are transitions guarded by that status, not edits of a version someone
# read, so they take no If-Match: a repeated accept finds the suggestion accepted and hands
# back what it made, a repeated reject changes nothing.

BULK_ACTIONS = ("accept", "reject")


@dataclass
class _Acceptance:
    """Where accepted suggestions go (one layer of one article), and what was done so far."""

    actor: User
    article: Article
    layer: str
    annotator_id: int | None
    marked: list[tuple[str, int]] = field(default_factory=list)  # (object type, suggestion id)
    created: int = 0


def _locked_suggestion(
    model: type[LayeredAnnotation], *, actor: User, suggestion_id: int
) -> tuple[Any, Article, Membership]:
    """A suggestion of one of the caller's projects, locked after its article; else 404."""
    what = "Suggestion" if model is Span else "Relation suggestion"
    suggestions = model._default_manager.filter(pk=suggestion_id, layer=Layer.SUGGESTION)
    found = suggestions.values("article_id").first()
    if found is None:
        raise NotFound(f"{what} not found.")
    try:
        article, membership = _locked_article(actor=actor, article_id=found["article_id"])
    except NotFound:
        raise NotFound(f"{what} not found.") from None  # a non-member learns nothing more
    obj = suggestions.select_for_update(of=("self",)).select_related("label").first()
    # Gone while we waited for the article, or (should the layer rules ever change) hidden.
    if obj is None or not can_read(membership, obj.layer, obj.annotator_id):
        raise NotFound(f"{what} not found.")
    return obj, article, membership


def _acceptance(actor: User, article: Article, membership: Membership, layer: str) -> _Acceptance:
    # The same rules as writing a span by hand: own layer for annotators, gold for reviewers
    # and admins, nothing for researchers.
    annotator_id = _layer_owner(membership, layer)
    check_can_write(membership, layer, annotator_id)
    return _Acceptance(actor=actor, article=article, layer=layer, annotator_id=annotator_id)


def _set_status(
    suggestion: Span | Relation, status: str, *, actor: User, article: Article, marked: list[tuple[str, int]]
) -> None:
    before = snapshot(suggestion)
    suggestion.suggestion_status = status
    suggestion.version += 1
    suggestion.save()
    verb = "accept" if status == SuggestionStatus.ACCEPTED else "reject"
    _record(
        f"suggestion.{verb}",
        suggestion,
        actor=actor,
        article=article,
        before=before,
        after=snapshot(suggestion),
    )
    marked.append((type(suggestion).__name__.lower(), suggestion.pk))


def _standing_for(acc: _Acceptance, suggestion: Span) -> Span | None:
    """The span of the target layer that stands for a span suggestion: the one accepted
    from it (perhaps edited since), else one with the same offsets and label."""
    layer_spans = Span.objects.filter(
        article=acc.article, layer=acc.layer, annotator_id=acc.annotator_id
    ).select_related("label", "annotator")
    return (
        layer_spans.filter(source_suggestion=suggestion).first()
        or layer_spans.filter(
            **rules.span_lookup(suggestion.start, suggestion.end, suggestion.label_id)
        ).first()
    )


def _accept_span(acc: _Acceptance, suggestion: Span) -> tuple[Span, bool]:
    """Accept one locked span suggestion into ``acc``'s layer: (its span there, created?)."""
    if suggestion.suggestion_status == SuggestionStatus.REJECTED:
        raise Conflict(f"Suggestion {suggestion.pk} was rejected; a rejected suggestion cannot be accepted.")
    existing = _standing_for(acc, suggestion)
    if suggestion.suggestion_status == SuggestionStatus.ACCEPTED:
        if existing is None:
            raise Conflict(
                f"Suggestion {suggestion.pk} was already accepted, and this layer has no span from it: "
                "it was accepted into another layer (the status is shared by the project), or the "
                "accepted span was deleted since."
            )
        return existing, False
    if existing is not None:
        # The layer has this very span already (drawn by hand, say): no twin, nothing relinked.
        _set_status(
            suggestion, SuggestionStatus.ACCEPTED, actor=acc.actor, article=acc.article, marked=acc.marked
        )
        return existing, False
    _check_overlap(acc.article, acc.layer, acc.annotator_id, suggestion.start, suggestion.end, exclude=0)
    span = Span.objects.create(
        article=acc.article,
        label=suggestion.label,
        start=suggestion.start,
        end=suggestion.end,
        text=suggestion.text,
        layer=acc.layer,
        annotator_id=acc.annotator_id,
        created_by=acc.actor,
        origin=Origin.ACCEPTED,
        source_suggestion=suggestion,
        recogniser=suggestion.recogniser,
        recogniser_version=suggestion.recogniser_version,
        score=suggestion.score,
        attributes=dict(suggestion.attributes),
    )
    _record("span.create", span, actor=acc.actor, article=acc.article, before=None, after=snapshot(span))
    _set_status(
        suggestion, SuggestionStatus.ACCEPTED, actor=acc.actor, article=acc.article, marked=acc.marked
    )
    acc.created += 1
    return span, True


def _accept_relation(acc: _Acceptance, suggestion: Relation) -> tuple[Relation, bool]:
    """Accept one locked relation suggestion, and its two span suggestions with it."""
    if suggestion.suggestion_status == SuggestionStatus.REJECTED:
        raise Conflict(
            f"Relation suggestion {suggestion.pk} was rejected; a rejected suggestion cannot be accepted."
        )
    ends = {
        s.pk: s
        for s in Span.objects.select_for_update(of=("self",))
        .select_related("label")
        .filter(pk__in=[suggestion.source_id, suggestion.target_id])
    }
    source_suggestion, target_suggestion = ends[suggestion.source_id], ends[suggestion.target_id]
    if suggestion.suggestion_status == SuggestionStatus.ACCEPTED:
        source, target = _standing_for(acc, source_suggestion), _standing_for(acc, target_suggestion)
        existing = (
            Relation.objects.select_related("label", "annotator")
            .filter(**rules.relation_lookup(source.pk, target.pk, suggestion.label_id))
            .first()
            if source and target
            else None
        )
        if existing is None:
            raise Conflict(
                f"Relation suggestion {suggestion.pk} was already accepted, and this layer has no "
                "relation from it: it was accepted into another layer (the status is shared by the "
                "project), or the accepted relation or one of its spans was deleted since."
            )
        return existing, False
    try:
        source, _ = _accept_span(acc, source_suggestion)
        target, _ = _accept_span(acc, target_suggestion)
    except Conflict as exc:
        raise Conflict(f"Relation suggestion {suggestion.pk} cannot bring its spans: {exc.message}") from exc
    if source.pk == target.pk:
        raise Conflict(
            f"Relation suggestion {suggestion.pk} would join span {source.pk} to itself in this layer."
        )
    # The spans standing for the suggestions may have been relabelled since they were accepted.
    _check_relation_labels(suggestion.label, source, target)
    existing = (
        Relation.objects.select_related("label", "annotator")
        .filter(**rules.relation_lookup(source.pk, target.pk, suggestion.label_id))
        .first()
    )
    if existing is not None:
        _set_status(
            suggestion, SuggestionStatus.ACCEPTED, actor=acc.actor, article=acc.article, marked=acc.marked
        )
        return existing, False
    relation = Relation.objects.create(
        article=acc.article,
        label=suggestion.label,
        source=source,
        target=target,
        layer=acc.layer,
        annotator_id=acc.annotator_id,
        created_by=acc.actor,
        origin=Origin.ACCEPTED,
        recogniser=suggestion.recogniser,
        recogniser_version=suggestion.recogniser_version,
        score=suggestion.score,
        attributes=dict(suggestion.attributes),
    )
    _record(
        "relation.create",
        relation,
        actor=acc.actor,
        article=acc.article,
        before=None,
        after=snapshot(relation),
    )
    _set_status(
        suggestion, SuggestionStatus.ACCEPTED, actor=acc.actor, article=acc.article, marked=acc.marked
    )
    acc.created += 1
    return relation, True


def _accepted_changes(acc: _Acceptance) -> None:
    # One change number for both layers: the suggestion's status and the new annotation are
    # one change, and an incremental pull must never see one without the other.
    parts = []
    if acc.marked:
        parts.append((acc.article.pk, layer_part(Layer.SUGGESTION, None)))
    if acc.created:
        parts.append((acc.article.pk, layer_part(acc.layer, acc.annotator_id)))
    if parts:
        changes_mark(project_id=acc.article.project_id, parts=parts)


@transaction.atomic
def suggestion_accept(*, actor: User, suggestion_id: int, layer: str = Layer.ANNOTATOR) -> tuple[Span, bool]:
    """Copy a span suggestion into the caller's layer (or gold) with its provenance, once:
    returns (the span, created?); an equal span already there is returned, not twinned."""
    suggestion, article, membership = _locked_suggestion(Span, actor=actor, suggestion_id=suggestion_id)
    acc = _acceptance(actor, article, membership, layer)
    span, created = _accept_span(acc, suggestion)
    _accepted_changes(acc)
    return span, created


@transaction.atomic
def relation_suggestion_accept(
    *, actor: User, suggestion_id: int, layer: str = Layer.ANNOTATOR
) -> tuple[Relation, bool]:
    """Accept a relation suggestion and its two span suggestions into the caller's layer (or
    gold): returns (the relation, created?)."""
    suggestion, article, membership = _locked_suggestion(Relation, actor=actor, suggestion_id=suggestion_id)
    acc = _acceptance(actor, article, membership, layer)
    relation, created = _accept_relation(acc, suggestion)
    _accepted_changes(acc)
    return relation, created


def _reject(
    suggestion: Span | Relation, *, actor: User, article: Article, marked: list[tuple[str, int]]
) -> None:
    """Reject one pending suggestion; a span's pending relation suggestions go with it."""
    _set_status(suggestion, SuggestionStatus.REJECTED, actor=actor, article=article, marked=marked)
    if isinstance(suggestion, Span):
        # A relation to a rejected span could never be accepted: leaving it pending would
        # only show annotators a suggestion that always fails.
        using = Relation.objects.filter(
            Q(source=suggestion) | Q(target=suggestion),
            layer=Layer.SUGGESTION,
            suggestion_status=SuggestionStatus.PENDING,
        ).select_related("label")
        for relation in using.select_for_update(of=("self",)):
            _set_status(relation, SuggestionStatus.REJECTED, actor=actor, article=article, marked=marked)


def _reject_one(model: type[Span] | type[Relation], *, actor: User, suggestion_id: int) -> Any:
    suggestion, article, membership = _locked_suggestion(model, actor=actor, suggestion_id=suggestion_id)
    require_role(membership, WRITE_OWN_LAYER, "reject suggestions")
    if suggestion.suggestion_status == SuggestionStatus.REJECTED:
        return suggestion
    if suggestion.suggestion_status == SuggestionStatus.ACCEPTED:
        raise Conflict(
            "This suggestion was already accepted; delete or change the annotation made from it instead."
        )
    _reject(suggestion, actor=actor, article=article, marked=[])
    _changed(article, Layer.SUGGESTION, None)
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


@transaction.atomic
def suggestions_bulk(
    *,
    actor: User,
    article_id: int,
    action: str,
    min_score: float = 0.0,
    recogniser: str = "",
    layer: str = Layer.ANNOTATOR,
) -> dict[str, Any]:
    """Accept or reject every pending suggestion of an article scoring at least ``min_score``
    (no score counts as 0), spans first; what cannot be accepted is skipped and listed."""
    article, membership = _locked_article(actor=actor, article_id=article_id)
    if action not in BULK_ACTIONS:
        raise InvalidInput(
            f"Unknown action {action!r}; use accept or reject.", fields={"action": ["accept or reject"]}
        )
    if not math.isfinite(min_score):
        raise InvalidInput("min_score must be a finite number.", fields={"min_score": ["a finite number"]})
    if action == "accept":
        acc = _acceptance(actor, article, membership, layer)
    else:
        require_role(membership, WRITE_OWN_LAYER, "reject suggestions")
        # Rejecting writes no layer but the suggestions': this only collects what was marked.
        acc = _Acceptance(actor=actor, article=article, layer=Layer.SUGGESTION, annotator_id=None)
    pending = article_suggestions(
        article=article,
        membership=membership,
        status=SuggestionStatus.PENDING,
        min_score=min_score,
        recogniser=recogniser,
    )
    # Best first: where the project forbids overlaps, the likelier of two overlapping
    # suggestions is the one accepted.
    spans = pending.spans.order_by("-score_or_zero", "start", "end", "id").select_for_update(of=("self",))
    skipped: list[dict[str, Any]] = []
    for span in spans:
        _bulk_one(acc, span, action, skipped)
    # Read only now: rejecting the spans has rejected the relations that use them.
    relations = pending.relations.order_by("-score_or_zero", "id").select_for_update(of=("self",))
    for relation in relations:
        _bulk_one(acc, relation, action, skipped)
    if action == "accept":
        _accepted_changes(acc)
    elif acc.marked:
        _changed(article, Layer.SUGGESTION, None)
    kinds = [kind for kind, _ in acc.marked]
    return {
        "action": action,
        "accepted" if action == "accept" else "rejected": len(kinds),
        "spans": kinds.count("span"),
        "relations": kinds.count("relation"),
        "created": acc.created,
        "skipped": len(skipped),
        "skipped_items": skipped,
    }


def _bulk_one(
    acc: _Acceptance, suggestion: Span | Relation, action: str, skipped: list[dict[str, Any]]
) -> None:
    if action == "reject":
        if suggestion.suggestion_status == SuggestionStatus.PENDING:
            _reject(suggestion, actor=acc.actor, article=acc.article, marked=acc.marked)
        return
    done, created = len(acc.marked), acc.created
    try:
        # One savepoint each: a suggestion that fails leaves nothing half-made behind
        # (a relation whose second span overlaps keeps its first span pending too).
        with transaction.atomic():
            if isinstance(suggestion, Span):
                _accept_span(acc, suggestion)
            else:
                _accept_relation(acc, suggestion)
    except (Conflict, InvalidInput) as exc:
        del acc.marked[done:]
        acc.created = created
        kind = type(suggestion).__name__.lower()
        skipped.append({"kind": kind, "id": suggestion.pk, "code": exc.code, "detail": exc.message})
