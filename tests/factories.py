"""Objects the tests need that no service of the application writes one at a time."""

from typing import Any

from django.db import transaction

from annotator.annotations.checks import check_relation_labels
from annotator.annotations.history import changed, history_record, history_state
from annotator.annotations.models import Layer, Origin, Relation, Span, SuggestionStatus
from annotator.articles.models import Article
from annotator.common.errors import InvalidInput
from annotator.common.text import check_storable_json, span_text
from annotator.projects.models import Label, LabelKind


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
    history_record("span.create", span, actor=None, article=article, before=None, after=history_state(span))
    changed(article, Layer.SUGGESTION, None)
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
    check_relation_labels(label, source, target)
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
    history_record(
        "relation.create", relation, actor=None, article=article, before=None, after=history_state(relation)
    )
    changed(article, Layer.SUGGESTION, None)
    return relation
