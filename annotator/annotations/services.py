"""Every write to spans, relations, document labels and article states goes through here
(accepting and rejecting suggestions: ``review``).

Each service locks the article row first (``locking``), so the rules that look at siblings
(overlap, duplicates; ``rules``) hold under concurrent writers on every database.
"""

from django.contrib.auth.models import User
from django.db import transaction

from annotator.articles.models import Article, Assignment
from annotator.common import events
from annotator.common.errors import Conflict, InvalidInput, StaleVersion
from annotator.common.text import span_text
from annotator.projects.access import WRITE_OWN_LAYER, require_role
from annotator.projects.models import Label, LabelKind
from annotator.projects.services import label_resolve

from . import rules
from .access import check_can_write
from .checks import (
    changed_other_end,
    check_overlap,
    check_relation_duplicate,
    check_relation_labels,
    check_span_duplicate,
)
from .history import changed, changed_elsewhere, history_record, history_state
from .locking import (
    check_version,
    layer_owner,
    locked_article,
    locked_article_pair,
    locked_for_write,
    span_article_id,
    visible_span,
    write_transaction,
)
from .models import FINISHED, ArticleState, DocumentLabel, Layer, Origin, Relation, Span, Status

# --- spans ------------------------------------------------------------------------------


@write_transaction
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
    article, membership = locked_article(actor=actor, article_id=article_id)
    annotator_id = layer_owner(membership, layer)
    check_can_write(membership, layer, annotator_id)
    span_label = label_resolve(project_id=article.project_id, ref=label, kind=LabelKind.SPAN)
    text = span_text(article.text, start, end)
    check_span_duplicate(article, layer, annotator_id, start, end, span_label, exclude=0)
    check_overlap(article, layer, annotator_id, start, end, exclude=0)
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
    history_record("span.create", span, actor=actor, article=article, before=None, after=history_state(span))
    changed(article, layer, annotator_id)
    return span


@write_transaction
def span_update(
    *,
    actor: User,
    span_id: int,
    expected_version: int | None,
    start: int | None = None,
    end: int | None = None,
    label: int | str | None = None,
    speaker: str | None = None,
) -> Span:
    """Move, relabel or set the speaker of (``attributes.speaker``; "" removes it) a span read
    at ``expected_version``; relations must stay valid."""
    span, article, _ = locked_for_write(Span, actor=actor, object_id=span_id, what="span")
    check_version(span, expected_version, "span")
    if start is None and end is None and label is None and speaker is None:
        return span  # nothing to change: no new version, no history
    before = history_state(span)
    if speaker is not None:
        span.attributes = {k: v for k, v in span.attributes.items() if k != "speaker"}
        if speaker.strip():
            span.attributes["speaker"] = speaker.strip()
    new_start = span.start if start is None else start
    new_end = span.end if end is None else end
    new_label = (
        span.label
        if label is None
        else label_resolve(project_id=article.project_id, ref=label, kind=LabelKind.SPAN)
    )
    text = span_text(article.text, new_start, new_end)
    check_span_duplicate(
        article, span.layer, span.annotator_id, new_start, new_end, new_label, exclude=span.pk
    )
    check_overlap(article, span.layer, span.annotator_id, new_start, new_end, exclude=span.pk)
    span.start, span.end, span.text, span.label = new_start, new_end, text, new_label
    if new_label.name != before["label"]:
        for rel in Relation.objects.filter(source=span).select_related("label", "target__label"):
            check_relation_labels(rel.label, span, rel.target)
        for rel in Relation.objects.filter(target=span).select_related("label", "source__label"):
            check_relation_labels(rel.label, rel.source, span)
    if span.origin == Origin.ACCEPTED:
        span.origin = Origin.EDITED
    span.version += 1
    span.save()
    history_record(
        "span.update", span, actor=actor, article=article, before=before, after=history_state(span)
    )
    changed(article, span.layer, span.annotator_id)
    return span


@transaction.atomic
def span_delete(*, actor: User, span_id: int, expected_version: int | None) -> None:
    """Delete a span read at ``expected_version`` and the relations that use it."""
    span, article, _ = locked_for_write(Span, actor=actor, object_id=span_id, what="span")
    check_version(span, expected_version, "span")
    relations = Relation.objects.filter(source=span) | Relation.objects.filter(target=span)
    others: set[int] = set()  # articles at the other end of cross-article relations
    for rel in relations.select_related("label", "target"):
        # A relation is recorded where it lives (its source's article), which for a
        # cross-article one may be the other article; both articles' records change.
        home = Article(pk=rel.article_id, project_id=article.project_id)
        history_record(
            "relation.delete", rel, actor=actor, article=home, before=history_state(rel), after=None
        )
        others |= {rel.article_id, rel.target.article_id} - {article.pk}
    history_record("span.delete", span, actor=actor, article=article, before=history_state(span), after=None)
    relations.delete()
    span.delete()
    for other_id in sorted(others):
        changed_elsewhere(
            project_id=article.project_id,
            article_id=other_id,
            layer=span.layer,
            annotator_id=span.annotator_id,
        )
    changed(article, span.layer, span.annotator_id)


# --- relations --------------------------------------------------------------------------


@write_transaction
def relation_create(
    *, actor: User, article_id: int, source_id: int, target_id: int, label: int | str
) -> Relation:
    """Link two spans of one layer; the label's source/target constraints must hold, and only a
    cross-article label may point to a span of another article of the project."""
    target_article_id = span_article_id(target_id)
    if target_article_id is None or target_article_id == article_id:
        article, membership = locked_article(actor=actor, article_id=article_id)
        target_article = article
    else:
        article, target_article, membership = locked_article_pair(
            actor=actor, article_id=article_id, other_id=target_article_id
        )
    source = visible_span(article, membership, source_id, "from")
    target = visible_span(target_article, membership, target_id, "to")
    if source.pk == target.pk:
        raise InvalidInput("A relation needs two different spans.", fields={"to": ["same span as from"]})
    if (source.layer, source.annotator_id) != (target.layer, target.annotator_id):
        raise InvalidInput(
            "Both spans of a relation must be in the same layer.", fields={"to": ["other layer"]}
        )
    check_can_write(membership, source.layer, source.annotator_id)
    rel_label = label_resolve(project_id=article.project_id, ref=label, kind=LabelKind.RELATION)
    if target_article.pk != article.pk and not rel_label.cross_article:
        raise InvalidInput(
            f"{rel_label.name} joins spans of one article; only a cross-article label may point "
            "to a span of another article.",
            fields={"to": ["span of another article"]},
        )
    check_relation_labels(rel_label, source, target)
    check_relation_duplicate(rel_label, source.pk, target.pk)
    relation = Relation.objects.create(
        article=article,
        label=rel_label,
        source=source,
        target=target,
        layer=source.layer,
        annotator=source.annotator,
        created_by=actor,
    )
    history_record(
        "relation.create", relation, actor=actor, article=article, before=None, after=history_state(relation)
    )
    changed_other_end(article, target, relation)
    changed(article, relation.layer, relation.annotator_id)
    return relation


@write_transaction
def relation_update(
    *, actor: User, relation_id: int, expected_version: int | None, label: int | str
) -> Relation:
    """Relabel a relation read at ``expected_version``."""
    relation, article, _ = locked_for_write(Relation, actor=actor, object_id=relation_id, what="relation")
    check_version(relation, expected_version, "relation")
    before = history_state(relation)
    new_label = label_resolve(project_id=article.project_id, ref=label, kind=LabelKind.RELATION)
    source = Span.objects.select_related("label").get(pk=relation.source_id)
    target = Span.objects.select_related("label").get(pk=relation.target_id)
    if target.article_id != source.article_id and not new_label.cross_article:
        raise InvalidInput(
            f"{new_label.name} joins spans of one article; this relation crosses articles.",
            fields={"label": ["not cross-article"]},
        )
    check_relation_labels(new_label, source, target)
    check_relation_duplicate(new_label, source.pk, target.pk, exclude=relation.pk)
    relation.label = new_label
    if relation.origin == Origin.ACCEPTED:
        relation.origin = Origin.EDITED  # as span_update does: provenance says it was changed
    relation.version += 1
    relation.save()
    history_record(
        "relation.update",
        relation,
        actor=actor,
        article=article,
        before=before,
        after=history_state(relation),
    )
    changed_other_end(article, target, relation)
    changed(article, relation.layer, relation.annotator_id)
    return relation


@transaction.atomic
def relation_delete(*, actor: User, relation_id: int, expected_version: int | None) -> None:
    """Delete a relation read at ``expected_version``."""
    relation, article, _ = locked_for_write(Relation, actor=actor, object_id=relation_id, what="relation")
    check_version(relation, expected_version, "relation")
    history_record(
        "relation.delete", relation, actor=actor, article=article, before=history_state(relation), after=None
    )
    target = Span(pk=relation.target_id, article_id=relation.target.article_id)
    relation.delete()
    changed_other_end(article, target, relation)
    changed(article, relation.layer, relation.annotator_id)


# --- document labels --------------------------------------------------------------------


def _check_document_label_unique(
    article: Article, layer: str, annotator_id: int | None, label: Label, exclude: int
) -> None:
    twin = DocumentLabel.objects.filter(
        article=article, layer=layer, annotator_id=annotator_id, label=label
    ).exclude(pk=exclude)
    if twin.exists():
        raise Conflict(f"The article already has document label {label.name!r} in this layer.")


@write_transaction
def document_label_create(
    *, actor: User, article_id: int, label: int | str, layer: str = Layer.ANNOTATOR
) -> DocumentLabel:
    """Mark the whole article with a document label in the caller's layer (or gold)."""
    article, membership = locked_article(actor=actor, article_id=article_id)
    annotator_id = layer_owner(membership, layer)
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
    history_record(
        "document_label.create", obj, actor=actor, article=article, before=None, after=history_state(obj)
    )
    changed(article, obj.layer, obj.annotator_id)
    return obj


@write_transaction
def document_label_update(
    *, actor: User, document_label_id: int, expected_version: int | None, label: int | str
) -> DocumentLabel:
    """Change which document label this is, read at ``expected_version``."""
    obj, article, _ = locked_for_write(
        DocumentLabel, actor=actor, object_id=document_label_id, what="document label"
    )
    check_version(obj, expected_version, "document label")
    before = history_state(obj)
    new_label = label_resolve(project_id=article.project_id, ref=label, kind=LabelKind.DOCUMENT)
    _check_document_label_unique(article, obj.layer, obj.annotator_id, new_label, exclude=obj.pk)
    obj.label = new_label
    obj.version += 1
    obj.save()
    history_record(
        "document_label.update", obj, actor=actor, article=article, before=before, after=history_state(obj)
    )
    changed(article, obj.layer, obj.annotator_id)
    return obj


@transaction.atomic
def document_label_delete(*, actor: User, document_label_id: int, expected_version: int | None) -> None:
    """Remove a document label read at ``expected_version``."""
    obj, article, _ = locked_for_write(
        DocumentLabel, actor=actor, object_id=document_label_id, what="document label"
    )
    check_version(obj, expected_version, "document label")
    history_record(
        "document_label.delete", obj, actor=actor, article=article, before=history_state(obj), after=None
    )
    obj.delete()
    changed(article, obj.layer, obj.annotator_id)


# --- article state ----------------------------------------------------------------------


@transaction.atomic
def state_set(*, actor: User, article_id: int, status: str, expected_version: int | None) -> ArticleState:
    """Set the caller's own status for an article. An existing state needs its version;
    a state not yet written has version 0."""
    article, membership = locked_article(actor=actor, article_id=article_id)
    require_role(membership, WRITE_OWN_LAYER, "set an article status")
    if status not in Status.values:
        raise InvalidInput(
            f"Unknown status {status!r}.", fields={"status": [f"one of {', '.join(Status.values)}"]}
        )
    state = ArticleState.objects.select_for_update().filter(article=article, annotator_id=actor.pk).first()
    # A state at the not-started version (put in progress by a first write, history.started)
    # is set as one not written yet: without If-Match, or with the version 0 read before.
    if state is None or state.version == rules.NOT_STARTED_VERSION:
        if expected_version not in (None, rules.NOT_STARTED_VERSION):
            raise StaleVersion(
                f"You sent version {expected_version} but this article's state was not set yet "
                f"(version {rules.NOT_STARTED_VERSION}).",
                current_version=rules.NOT_STARTED_VERSION,
            )
        expected_version = rules.NOT_STARTED_VERSION
    if state is None:
        state = ArticleState.objects.create(article=article, annotator_id=actor.pk, status=status)
        history_record(
            "state.create", state, actor=actor, article=article, before=None, after=history_state(state)
        )
    else:
        check_version(state, expected_version, "article state")
        if state.status == status:
            return state
        before = history_state(state)
        state.status = status
        state.version += 1
        state.save()
        history_record(
            "state.update", state, actor=actor, article=article, before=before, after=history_state(state)
        )
    Assignment.objects.filter(article_id=article.pk, annotator_id=actor.pk).update(
        finished=status in FINISHED
    )
    changed(article, Layer.ANNOTATOR, actor.pk)
    if status == Status.SUBMITTED:
        submitted = {**events.article_data(article), "annotator": actor.username}
        events.publish(article.project_id, "article.submitted", submitted)
    return state
