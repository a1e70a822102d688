"""Taking a decision on a suggestion back: accepted or rejected -> pending again (the web
app's undo of accept and reject). An accepted suggestion's annotation in the caller's layer
(or gold) goes with it, unless it was changed since; one accepted into another layer stays,
and so does the suggestion's status (it is shared by the project)."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from annotator.common.errors import Conflict
from annotator.projects.access import WRITE_GOLD, WRITE_OWN_LAYER, require_role
from annotator.projects.models import Membership

from .history import changed, history_record, history_state
from .models import Layer, Origin, Relation, Span, SuggestionStatus
from .rejecting import locked_suggestion
from .services import relation_delete, span_delete

CHANGED_SINCE = "The {what} made from this suggestion was changed since; delete it yourself if it must go."
ELSEWHERE = "This suggestion was accepted into another layer; only its taker can take it back."


def _own_layers(membership: Membership) -> set[tuple[str, int | None]]:
    """The layers whose annotations the caller may take back: their own, and gold for those
    who write it."""
    layers: set[tuple[str, int | None]] = {(Layer.ANNOTATOR, membership.user_id)}
    if membership.role in WRITE_GOLD:
        layers.add((Layer.GOLD, None))
    return layers


def _reopen(suggestion: Span | Relation, actor: User, article: Any) -> None:
    before = history_state(suggestion)
    suggestion.suggestion_status = SuggestionStatus.PENDING
    suggestion.version += 1
    suggestion.save(update_fields=["suggestion_status", "version", "updated_at"])
    history_record(
        "suggestion.reopen",
        suggestion,
        actor=actor,
        article=article,
        before=before,
        after=history_state(suggestion),
    )
    changed(article, Layer.SUGGESTION, None)


def _reopen_one(
    model: type[Span] | type[Relation],
    *,
    actor: User,
    suggestion_id: int,
    made_from: Callable[[Any, Any], list[Any]],
    delete: Callable[[Any], None],
) -> Any:
    """Reopen one suggestion: ``made_from`` finds what an accept of it made (in any layer but
    the suggestions'), ``delete`` removes one of those through its service."""
    suggestion, article, membership = locked_suggestion(model, actor=actor, suggestion_id=suggestion_id)
    require_role(membership, WRITE_OWN_LAYER, "reopen suggestions")
    if suggestion.suggestion_status == SuggestionStatus.PENDING:
        return suggestion
    if suggestion.suggestion_status == SuggestionStatus.ACCEPTED:
        made = made_from(suggestion, article)
        mine = [m for m in made if (m.layer, m.annotator_id) in _own_layers(membership)]
        if made and not mine:
            raise Conflict(ELSEWHERE)
        for obj in mine:
            if obj.origin != Origin.ACCEPTED:
                raise Conflict(CHANGED_SINCE.format(what=type(obj).__name__.lower()))
            delete(obj)
    _reopen(suggestion, actor, article)
    return suggestion


@transaction.atomic
def suggestion_reopen(*, actor: User, suggestion_id: int) -> Span:
    """A decided span suggestion back to pending, its span in the caller's layer removed."""
    span: Span = _reopen_one(
        Span,
        actor=actor,
        suggestion_id=suggestion_id,
        made_from=lambda suggestion, _article: list(Span.objects.filter(source_suggestion=suggestion)),
        delete=lambda span: span_delete(actor=actor, span_id=span.pk, expected_version=span.version),
    )
    return span


@transaction.atomic
def relation_suggestion_reopen(*, actor: User, suggestion_id: int) -> Relation:
    """A decided relation suggestion back to pending, its relation in the caller's layer
    removed (the spans accepted with it stay: they are decisions of their own)."""

    def made_from(suggestion: Relation, article: Any) -> list[Relation]:
        return list(
            Relation.objects.filter(
                article=article,
                label_id=suggestion.label_id,
                source__source_suggestion_id=suggestion.source_id,
                target__source_suggestion_id=suggestion.target_id,
            ).exclude(layer=Layer.SUGGESTION)
        )

    relation: Relation = _reopen_one(
        Relation,
        actor=actor,
        suggestion_id=suggestion_id,
        made_from=made_from,
        delete=lambda r: relation_delete(actor=actor, relation_id=r.pk, expected_version=r.version),
    )
    return relation
