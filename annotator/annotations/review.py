"""Accepting suggestions, one at a time and in bulk (rejecting in bulk too; rejecting one,
and the status change both share, are in rejecting.py).

A suggestion's status is one per suggestion, shared by everyone in the project: once a
member accepts it (into their own layer or gold) or rejects it, it is pending for nobody.
Accept and reject are transitions guarded by that status, not edits of a version someone
read, so they take no If-Match: a repeated accept finds the suggestion accepted and hands
back what it made, a repeated reject changes nothing.
"""

import math
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from annotator.articles.access import check_article_visible
from annotator.articles.changes import changes_mark, layer_part
from annotator.articles.models import Article
from annotator.common.errors import Conflict, InvalidInput, NotFound
from annotator.projects.access import WRITE_OWN_LAYER, require_role
from annotator.projects.models import Membership

from . import rules
from .access import check_can_write
from .checks import check_overlap, check_relation_labels
from .history import history_record, history_state, started
from .locking import layer_owner, lock_bulk_articles, lock_relation_articles, locked_article
from .models import Layer, Origin, Relation, Span, SuggestionStatus
from .rejecting import locked_suggestion, reject, rejected_changes, set_status
from .selectors import article_suggestions

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
    others: list["_Acceptance"] = field(default_factory=list)  # other articles' ends of relations
    membership: Membership | None = None
    # The articles locked up front in id order (bulk accept); None: the caller locked them.
    prelocked: frozenset[int] | None = None


def _acceptance(actor: User, article: Article, membership: Membership, layer: str) -> _Acceptance:
    # The same rules as writing a span by hand: own layer for annotators, gold for reviewers
    # and admins, nothing for researchers.
    annotator_id = layer_owner(membership, layer)
    check_can_write(membership, layer, annotator_id)
    return _Acceptance(
        actor=actor, article=article, layer=layer, annotator_id=annotator_id, membership=membership
    )


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
        set_status(
            suggestion, SuggestionStatus.ACCEPTED, actor=acc.actor, article=acc.article, marked=acc.marked
        )
        return existing, False
    check_overlap(acc.article, acc.layer, acc.annotator_id, suggestion.start, suggestion.end, exclude=0)
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
    history_record(
        "span.create", span, actor=acc.actor, article=acc.article, before=None, after=history_state(span)
    )
    set_status(suggestion, SuggestionStatus.ACCEPTED, actor=acc.actor, article=acc.article, marked=acc.marked)
    acc.created += 1
    return span, True


def _other_end(acc: _Acceptance, article_id: int) -> _Acceptance:
    """Where a relation's target end goes: ``acc`` itself, or for a cross-article relation the
    same layer of the target's article, which the caller must see (under assignment), locked
    (``relation_suggestion_accept`` locked both in id order already)."""
    if article_id == acc.article.pk:
        return acc
    for other in acc.others:
        if other.article.pk == article_id:
            return other
    if acc.prelocked is not None and article_id not in acc.prelocked:
        # Made after the bulk accept locked its articles: locking it now could deadlock.
        raise Conflict("Its other article gained this suggestion meanwhile; accept it again.")
    if acc.membership is not None:
        check_article_visible(acc.membership, article_id)
    article = Article.objects.select_for_update().get(pk=article_id)
    article.project = acc.article.project
    other = _Acceptance(actor=acc.actor, article=article, layer=acc.layer, annotator_id=acc.annotator_id)
    acc.others.append(other)
    return other


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
        other = _other_end(acc, target_suggestion.article_id)
        source, target = _standing_for(acc, source_suggestion), _standing_for(other, target_suggestion)
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
    if target_suggestion.article_id != acc.article.pk and not suggestion.label.cross_article:
        raise Conflict(f"Relation suggestion {suggestion.pk} joins two articles; its label may not.")
    target_acc = _other_end(acc, target_suggestion.article_id)
    try:
        source, _ = _accept_span(acc, source_suggestion)
        target, _ = _accept_span(target_acc, target_suggestion)
    except Conflict as exc:
        raise Conflict(f"Relation suggestion {suggestion.pk} cannot bring its spans: {exc.message}") from exc
    if source.pk == target.pk:
        raise Conflict(
            f"Relation suggestion {suggestion.pk} would join span {source.pk} to itself in this layer."
        )
    # The spans standing for the suggestions may have been relabelled since they were accepted.
    check_relation_labels(suggestion.label, source, target)
    existing = (
        Relation.objects.select_related("label", "annotator")
        .filter(**rules.relation_lookup(source.pk, target.pk, suggestion.label_id))
        .first()
    )
    if existing is not None:
        set_status(
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
    history_record(
        "relation.create",
        relation,
        actor=acc.actor,
        article=acc.article,
        before=None,
        after=history_state(relation),
    )
    set_status(suggestion, SuggestionStatus.ACCEPTED, actor=acc.actor, article=acc.article, marked=acc.marked)
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
    if acc.created and acc.annotator_id is not None:
        started(acc.article, acc.annotator_id)
    for other in acc.others:
        _accepted_changes(other)


@transaction.atomic
def suggestion_accept(*, actor: User, suggestion_id: int, layer: str = Layer.ANNOTATOR) -> tuple[Span, bool]:
    """Copy a span suggestion into the caller's layer (or gold) with its provenance, once:
    returns (the span, created?); an equal span already there is returned, not twinned."""
    suggestion, article, membership = locked_suggestion(Span, actor=actor, suggestion_id=suggestion_id)
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
    lock_relation_articles(actor=actor, relation_id=suggestion_id)
    suggestion, article, membership = locked_suggestion(Relation, actor=actor, suggestion_id=suggestion_id)
    acc = _acceptance(actor, article, membership, layer)
    relation, created = _accept_relation(acc, suggestion)
    _accepted_changes(acc)
    return relation, created


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
    prelocked = lock_bulk_articles(actor=actor, article_id=article_id) if action == "accept" else None
    article, membership = locked_article(actor=actor, article_id=article_id)
    if action not in BULK_ACTIONS:
        raise InvalidInput(
            f"Unknown action {action!r}; use accept or reject.", fields={"action": ["accept or reject"]}
        )
    if not math.isfinite(min_score):
        raise InvalidInput("min_score must be a finite number.", fields={"min_score": ["a finite number"]})
    if action == "accept":
        acc = _acceptance(actor, article, membership, layer)
        acc.prelocked = prelocked
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
        rejected_changes(article, acc.marked)
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
            reject(suggestion, actor=acc.actor, article=acc.article, marked=acc.marked)
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
    except (Conflict, InvalidInput, NotFound) as exc:  # NotFound: its other article is hidden
        del acc.marked[done:]
        acc.created = created
        kind = type(suggestion).__name__.lower()
        skipped.append({"kind": kind, "id": suggestion.pk, "code": exc.code, "detail": exc.message})
