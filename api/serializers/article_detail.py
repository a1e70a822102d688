"""The article detail's body, built from rows read as tuples.

``ArticleDetailSerializer`` and the span, relation and document label serializers it nests stay
the schema (and the answer of every other endpoint); here the same answer is built without a
serializer and a model instance per annotation: 2,000 spans and 500 relations took DRF 200-400
ms, most of it field machinery and model instances. Which rows the caller sees is the
selector's business (``article_annotations``): these functions only read the querysets they are
given. tests/api/test_article_detail_fast.py holds the answer to the serializers' own, field by
field, so a field added there and not here fails.
"""

import gc
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone
from rest_framework import ISO_8601, serializers
from rest_framework.settings import api_settings

from annotator.annotations.models import DocumentLabel, Relation, Span
from annotator.annotations.selectors import ArticleAnnotations
from annotator.articles.models import Article
from api.serializers.annotations import provenance_data, state_data

# The columns each kind is read with, in the order the row functions unpack them: its own head,
# then COMMON + TAIL, which _shared turns into the fields every kind ends with.
COMMON = (
    "label__name",
    "label_id",
    "layer",
    "annotator__username",
    "origin",
    "adjudication",
    "recogniser",
    "recogniser_version",
    "score",
)
TAIL = ("suggestion_status", "attributes", "version", "created_at", "updated_at")
SPAN_COLUMNS = ("id", "article_id", "start", "end", "text", "source_suggestion_id", *COMMON, *TAIL)
RELATION_COLUMNS = ("id", "article_id", "source_id", "target_id", "target_article_id", *COMMON, *TAIL)
DOCUMENT_LABEL_COLUMNS = ("id", "article_id", *COMMON, *TAIL)

Stamp = Callable[[datetime], str]


def datetime_text() -> Stamp:
    """DRF's ``DateTimeField().to_representation`` for this request, with the current time zone
    looked up once rather than per value; anything but an aware datetime under ISO 8601 output
    goes to DRF's own."""
    field = serializers.DateTimeField()
    zone = timezone.get_current_timezone() if settings.USE_TZ else None
    if zone is None or str(api_settings.DATETIME_FORMAT).lower() != ISO_8601:
        return field.to_representation

    def text(value: datetime) -> str:
        if value.tzinfo is None:
            return field.to_representation(value)
        out = value.astimezone(zone).isoformat()
        return out[:-6] + "Z" if out.endswith("+00:00") else out

    return text


def _shared(values: Sequence[Any], suggestion: int | None, stamp: Stamp) -> dict[str, Any]:
    """The fields every kind ends with, from its row's COMMON + TAIL columns."""
    (label, label_id, layer, annotator, origin, adjudication, recogniser, version_of, score,
     status, attributes, version, created, updated) = values  # fmt: skip
    return {
        "label": label,
        "label_id": label_id,
        "layer": layer,
        "annotator": annotator,
        "provenance": provenance_data(origin, adjudication, recogniser, version_of, score, suggestion),
        "suggestion_status": status,
        "attributes": attributes,
        "version": version,
        "created_at": stamp(created),
        "updated_at": stamp(updated),
    }


def spans_data(spans: QuerySet[Span], stamp: Stamp) -> list[dict[str, Any]]:
    """SpanSerializer(spans, many=True).data, as plain dicts."""
    return [
        {
            "id": id_,
            "article": article,
            "start": start,
            "end": end,
            "text": text,
            **_shared(rest, suggestion, stamp),
        }
        for id_, article, start, end, text, suggestion, *rest in spans.values_list(*SPAN_COLUMNS)
    ]


def relations_data(relations: QuerySet[Relation], stamp: Stamp) -> list[dict[str, Any]]:
    """RelationSerializer(relations, many=True).data, as plain dicts; ``relations`` must carry
    ``target_article_id`` (the selectors annotate it)."""
    return [
        {
            "id": id_,
            "article": article,
            "from": source,
            "to": target,
            "to_article": to_article,
            **_shared(rest, None, stamp),
        }
        for id_, article, source, target, to_article, *rest in relations.values_list(*RELATION_COLUMNS)
    ]


def document_labels_data(labels: QuerySet[DocumentLabel], stamp: Stamp) -> list[dict[str, Any]]:
    """DocumentLabelSerializer(labels, many=True).data, as plain dicts."""
    return [
        {"id": id_, "article": article, **_shared(rest, None, stamp)}
        for id_, article, *rest in labels.values_list(*DOCUMENT_LABEL_COLUMNS)
    ]


@contextmanager
def collector_paused() -> Iterator[None]:
    """The cyclic garbage collector off for a while (back on afterwards unless it was off).
    Building thousands of dicts sets it off every 700 of them, and now and then for a full
    collection that walks every object of the process: half the CPU time of the slowest
    requests. What is built here holds no cycles, so reference counting frees all of it anyway."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def article_detail_data(article: Article, annotations: ArticleAnnotations) -> dict[str, Any]:
    """ArticleDetailSerializer's answer for ``article`` and what the caller may see of it."""
    with collector_paused():
        return _article_detail_data(article, annotations)


def _article_detail_data(article: Article, annotations: ArticleAnnotations) -> dict[str, Any]:
    stamp = datetime_text()
    published = article.published_at
    return {
        "id": article.pk,
        "project": article.project_id,
        "external_id": article.external_id,
        "title": article.title,
        "source_url": article.source_url,
        "published_at": published.isoformat() if published else None,
        "meta": article.meta,
        "text": article.text,
        "text_sha256": article.text_sha256,
        "offsets": "codepoint",
        "state": state_data(annotations.state),
        "spans": spans_data(annotations.spans, stamp),
        "relations": relations_data(annotations.relations, stamp),
        "incoming_relations": relations_data(annotations.incoming_relations, stamp),
        "document_labels": document_labels_data(annotations.document_labels, stamp),
    }
