"""The annotator and gold layers of many articles, read in a fixed number of queries, and
what they agree on: the input of adjudication and of the review queue's figures.

Identity is the annotations rules' own: a span is (start, end, label), a relation is (its
source span's key, its target span's key, label), a document label is its label."""

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from django.db.models import F

from annotator.annotations import rules
from annotator.annotations.models import DocumentLabel, Layer, Relation, Span

SpanKey = tuple[int, int, int]  # start, end, label id
RelationKey = tuple[SpanKey, SpanKey, int]
K = TypeVar("K")


@dataclass
class LayerRows:
    """One layer of one article."""

    spans: dict[SpanKey, int] = field(default_factory=dict)  # key -> span id
    texts: dict[SpanKey, str] = field(default_factory=dict)
    relations: dict[RelationKey, int] = field(default_factory=dict)  # key -> relation id
    document_labels: dict[int, int] = field(default_factory=dict)  # label id -> row id


@dataclass
class ArticleLayers:
    article_id: int
    annotators: dict[int, LayerRows] = field(default_factory=dict)  # annotator id -> layer
    gold: LayerRows = field(default_factory=LayerRows)


def layers_read(chosen: Mapping[int, Sequence[int]]) -> dict[int, ArticleLayers]:
    """The gold layer and the chosen annotators' layers (article id -> annotator ids) of
    each article: three queries however many articles."""
    found = {
        article_id: ArticleLayers(article_id, {uid: LayerRows() for uid in uids})
        for article_id, uids in chosen.items()
    }

    def layer_of(article_id: int, layer: str, annotator_id: int | None) -> LayerRows | None:
        article = found[article_id]
        if layer == Layer.GOLD:
            return article.gold
        return article.annotators.get(annotator_id) if annotator_id is not None else None

    ids = list(found)
    in_layers = {"article_id__in": ids, "layer__in": [Layer.GOLD, Layer.ANNOTATOR]}
    keys: dict[int, SpanKey] = {}
    for pk, article_id, layer, annotator_id, start, end, label_id, text in (
        Span.objects.filter(**in_layers)
        .order_by()
        .values_list("pk", "article_id", "layer", "annotator_id", "start", "end", "label_id", "text")
        .iterator(chunk_size=5000)
    ):
        rows = layer_of(article_id, layer, annotator_id)
        if rows is not None:
            key = rules.span_key(start, end, label_id)
            rows.spans.setdefault(key, pk)
            rows.texts[key] = text
            keys[pk] = key
    for pk, article_id, layer, annotator_id, source_id, target_id, label_id in (
        # Within one article only: adjudication compares and copies an article's layers, and
        # a relation's key (span keys, no article) cannot name another article's span.
        Relation.objects.filter(**in_layers, target__article_id=F("article_id"))
        .order_by()
        .values_list("pk", "article_id", "layer", "annotator_id", "source_id", "target_id", "label_id")
        .iterator(chunk_size=5000)
    ):
        rows = layer_of(article_id, layer, annotator_id)
        if rows is not None and source_id in keys and target_id in keys:
            rows.relations.setdefault(rules.relation_key(keys[source_id], keys[target_id], label_id), pk)
    for pk, article_id, layer, annotator_id, label_id in (
        DocumentLabel.objects.filter(**in_layers)
        .order_by()
        .values_list("pk", "article_id", "layer", "annotator_id", "label_id")
    ):
        rows = layer_of(article_id, layer, annotator_id)
        if rows is not None:
            rows.document_labels.setdefault(label_id, pk)
    return found


def _votes(parts: Iterable[Iterable[K]]) -> dict[K, list[int]]:
    counted: dict[K, list[int]] = defaultdict(list)
    for position, keys in enumerate(parts):
        for key in keys:
            counted[key].append(position)
    return counted


def span_votes(layers: list[LayerRows]) -> dict[SpanKey, list[int]]:
    """For each span key, the positions (in ``layers``) of the layers that have it."""
    return _votes(rows.spans for rows in layers)


def relation_votes(layers: list[LayerRows]) -> dict[RelationKey, list[int]]:
    return _votes(rows.relations for rows in layers)


def label_votes(layers: list[LayerRows]) -> dict[int, list[int]]:
    return _votes(rows.document_labels for rows in layers)


def agreement_figures(article: ArticleLayers) -> tuple[float | None, int]:
    """(the share of span keys every layer has, or None without spans; the number of span
    keys some layer lacks): the review queue's agreement and disagreements."""
    layers = list(article.annotators.values())
    counted = span_votes(layers)
    if not counted:
        return None, 0
    agreed = sum(1 for who in counted.values() if len(who) == len(layers))
    return agreed / len(counted), len(counted) - agreed
