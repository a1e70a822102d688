"""Writing checked records: rows built as plain tuples with ids reserved ahead, and sent
in bulk while the next records are checked."""

from __future__ import annotations

from collections import deque
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Model
from django.utils import timezone

from annotator.annotations import rules
from annotator.annotations.models import (
    DOCUMENT_LABEL_FIELDS,
    RELATION_FIELDS,
    SPAN_FIELDS,
    STATE_FIELDS,
    ArticleState,
    DocumentLabel,
    Layer,
    Origin,
    Relation,
    Span,
    SuggestionStatus,
)
from annotator.articles.changes import ARTICLE_PART
from annotator.articles.models import Article
from annotator.articles.selectors import of_articles
from annotator.common.bulk import insert_rows
from annotator.common.db import reserve_ids
from annotator.exchange.importing.checking import Prepared
from annotator.exchange.importing.crossing import Crossing
from annotator.exchange.importing.options import Report
from annotator.exchange.importing.schema import LayerTarget, ProjectSchema
from annotator.projects.models import LabelKind
from annotator.projects.services import label_create

NEW_LABEL_COLOURS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7")

# Columns as insert_rows writes them (the models' NOT NULL columns all given). The import
# writes plain value tuples, not model instances: bulk_create's instances and per-value
# preparation were most of the writing's time (bench/README.md).
ARTICLE_FIELDS = (
    "project_id",
    "external_id",
    "title",
    "source_url",
    "published_at",
    "meta",
    "text",
    "text_sha256",
    "created_at",
    "updated_at",
)
# Shared by every row without attributes (never changed): insert_rows converts it to JSON once.
NO_ATTRIBUTES: dict[str, Any] = {}


class IdPool:
    """Ids of one table reserved ahead, at a moment the import waits for the database
    anyway, and handed out as rows are built (no query then)."""

    def __init__(self, model: type[Model]) -> None:
        self.model = model
        self.free: deque[int] = deque()

    def reserve(self, count: int) -> None:
        self.free.extend(reserve_ids(self.model, count - len(self.free)))

    def take(self) -> int:
        if not self.free:  # more rows than foreseen: reserve now (waits for what was sent)
            self.reserve(1)
        return self.free.popleft()


class Writer:
    """Builds the rows of prepared chunks and sends them (``send``); counts what it created
    into the report. Ids are reserved ahead (``reserve``), so a chunk's spans and relations
    are built with their article's and spans' ids, none read back."""

    def __init__(self, project: ProjectSchema, actor: User, report: Report) -> None:
        self.project = project
        self.actor = actor
        self.report = report
        self.parts: set[tuple[int, str]] = set()
        self.created: set[int] = set()  # ids of the articles this import made
        # One time for every row: the import is one transaction, and one object converts once.
        self.now = timezone.now()
        self.article_ids = IdPool(Article)
        self.span_ids = IdPool(Span)
        self.built: list[tuple[type[Model], tuple[str, ...], list[tuple[Any, ...]]]] = []
        self.crossing = Crossing(project, report)

    def reserve(self, articles: int, spans: int) -> None:
        """Ids for the records about to be checked (at most this many articles and spans)."""
        self.article_ids.reserve(articles)
        self.span_ids.reserve(spans)

    def finish(self) -> None:
        """Once every record is written: the cross-article relations, sent."""
        rows, parts = self.crossing.rows(self.now, self.actor.pk)
        self.built.append((Relation, RELATION_FIELDS, rows))
        self.parts |= parts
        self.send()

    def send(self) -> None:
        """Insert the rows built so far, in the order they were built."""
        for model, fields, rows in self.built:
            insert_rows(model, fields, rows)
        self.built = []

    def create_labels(self) -> None:
        """Those of the new labels that valid records use and are not created yet."""
        for index, (kind, name) in enumerate(self.project.new_labels):
            if (kind, name) in self.project.labels:
                continue
            colour = NEW_LABEL_COLOURS[index % len(NEW_LABEL_COLOURS)]
            label = label_create(
                actor=self.actor, project_id=self.project.id, kind=kind, name=name, colour=colour
            )
            self.project.labels[(kind, name)] = label
            self.report.labels_created.append(f"{kind}:{name}")

    def _layer_columns(self, target: LayerTarget) -> tuple[Any, ...]:
        """layer .. created_by_id .. origin: the columns every row of one target layer shares."""
        suggestion = target.layer == Layer.SUGGESTION
        return (
            target.layer,
            target.annotator_id,
            self.actor.pk,
            Origin.SUGGESTED if suggestion else Origin.IMPORTED,
        )

    def build(self, chunk: list[Prepared]) -> None:
        """The rows of a chunk, to go with the next ``send``."""
        report, now = self.report, self.now
        new = [p for p in chunk if not p.existing]
        new_ids = [self.article_ids.take() for _ in new]
        rows = [
            (
                pk,
                self.project.id,
                a.external_id,
                a.title,
                a.source_url,
                a.published_at,
                a.meta,
                a.text,
                a.text_sha256,
                now,
                now,
            )
            for pk, a in zip(new_ids, (p.article for p in new), strict=True)
        ]
        self.built.append((Article, ("id", *ARTICLE_FIELDS), rows))
        for prepared, pk in zip(new, new_ids, strict=True):
            prepared.article_id = pk
            self.parts.add((pk, ARTICLE_PART))
            self.created.add(pk)
        report.articles_created += len(new)
        report.articles_unchanged += len(chunk) - len(new)
        old_ids = sorted(p.article_id for p in chunk if p.existing and p.layers and p.article_id is not None)
        if old_ids:
            # Lock the existing articles this chunk annotates, as every annotation write does.
            list(Article.objects.select_for_update().filter(pk__in=old_ids).values_list("pk", flat=True))
        have = _Existing(old_ids)
        span_rows: list[tuple[Any, ...]] = []
        idents: dict[tuple[int, str], tuple[Any, ...]] = {}  # (article id, key) -> what the span is
        span_labels = {
            name: label.pk for (kind, name), label in self.project.labels.items() if kind == LabelKind.SPAN
        }
        for prepared in chunk:
            article_id, text = prepared.article_id, prepared.article.text
            assert article_id is not None
            for layer in prepared.layers:
                target = layer.target
                suggestion = target.layer == Layer.SUGGESTION
                columns = self._layer_columns(target)
                part = (article_id, target.part)
                for key, rec, name in layer.spans:
                    label_id = span_labels[name]
                    recogniser = (rec.recogniser or "import") if suggestion else ""
                    ident = _span_ident(
                        article_id,
                        target.layer,
                        target.annotator_id,
                        rec.start,
                        rec.end,
                        label_id,
                        recogniser,
                    )
                    idents[(article_id, key)] = ident
                    if ident in have.spans:  # stored already, or earlier in this file
                        report.annotations_unchanged += 1
                        continue
                    have.spans[ident] = pk = self.span_ids.take()
                    span_rows.append(
                        (
                            pk,
                            article_id,
                            label_id,
                            *columns,
                            recogniser,
                            rec.recogniser_version if suggestion else "",
                            rec.score if suggestion else None,
                            (rec.status or SuggestionStatus.PENDING) if suggestion else "",
                            rec.attributes or NO_ATTRIBUTES,
                            1,
                            now,
                            now,
                            rec.start,
                            rec.end,
                            text[rec.start : rec.end],
                        )
                    )
                    self.parts.add(part)
        self.built.append((Span, ("id", *SPAN_FIELDS), span_rows))
        report.spans_created += len(span_rows)
        self._build_rest(chunk, {key: have.spans[ident] for key, ident in idents.items()}, have)

    def _build_rest(
        self, chunk: list[Prepared], span_ids: dict[tuple[int, str], int], have: _Existing
    ) -> None:
        report, labels, now = self.report, self.project.labels, self.now
        relations: list[tuple[Any, ...]] = []
        documents: list[tuple[Any, ...]] = []
        states: list[tuple[Any, ...]] = []
        for prepared in chunk:
            article_id = prepared.article_id
            assert article_id is not None
            self.crossing.add(prepared, span_ids)
            for layer in prepared.layers:
                target = layer.target
                part = (article_id, target.part)
                status = SuggestionStatus.PENDING if target.layer == Layer.SUGGESTION else ""
                # label_id goes in front, source and target ids at the end
                shared = (*self._layer_columns(target), "", "", None, status, NO_ATTRIBUTES, 1, now, now)
                for source_key, target_key, name in layer.relations:
                    label_id = labels[(LabelKind.RELATION, name)].pk
                    ident = rules.relation_key(
                        span_ids[(article_id, source_key)], span_ids[(article_id, target_key)], label_id
                    )
                    if ident in have.relations:
                        report.annotations_unchanged += 1
                        continue
                    have.relations.add(ident)
                    relations.append((article_id, label_id, *shared, ident[0], ident[1]))
                    self.parts.add(part)
                for name in layer.document_labels:
                    label_id = labels[(LabelKind.DOCUMENT, name)].pk
                    doc = (article_id, target.layer, target.annotator_id, label_id)
                    if doc in have.documents:
                        report.annotations_unchanged += 1
                        continue
                    have.documents.add(doc)
                    documents.append((article_id, label_id, *shared))
                    self.parts.add(part)
                if (
                    layer.state
                    and target.annotator_id
                    and (article_id, target.annotator_id) not in have.states
                ):
                    have.states.add((article_id, target.annotator_id))
                    states.append((article_id, target.annotator_id, layer.state, 1, now, now))
                    self.parts.add(part)
        self.built += [
            (Relation, RELATION_FIELDS, relations),
            (DocumentLabel, DOCUMENT_LABEL_FIELDS, documents),
            (ArticleState, STATE_FIELDS, states),
        ]
        report.relations_created += len(relations)
        report.document_labels_created += len(documents)
        report.states_set += len(states)


class _Existing:
    """Annotations already stored on the chunk's existing articles, to add only what is new."""

    def __init__(self, article_ids: list[int]) -> None:
        self.spans: dict[tuple[Any, ...], int] = {}  # what a span is -> its id
        self.relations: set[tuple[int, int, int]] = set()
        self.documents: set[tuple[Any, ...]] = set()
        self.states: set[tuple[int, int]] = set()
        if article_ids:  # a first import has none: skip four querysets per chunk
            self._load(article_ids)

    def _load(self, article_ids: list[int]) -> None:
        self.spans = _stored_spans(article_ids)
        self.relations = set(
            Relation.objects.filter(article_id__in=article_ids)
            .order_by()
            .values_list(*rules.RELATION_KEY_FIELDS)
        )
        self.documents = set(
            DocumentLabel.objects.filter(article_id__in=article_ids)
            .order_by()
            .values_list("article_id", "layer", "annotator_id", "label_id")
        )
        self.states = set(
            ArticleState.objects.filter(article_id__in=article_ids)
            .order_by()
            .values_list("article_id", "annotator_id")
        )


def _span_ident(
    article_id: int,
    layer: str,
    annotator_id: int | None,
    start: int,
    end: int,
    label_id: int,
    recogniser: str,
) -> tuple[Any, ...]:
    """What a span is among a chunk's articles (the key Writer.build dedups on): its article
    and layer, then ``rules.span_key``; a suggestion's recogniser too, since suggestions of
    two recognisers on one range are two suggestions ("" for other layers)."""
    return (article_id, layer, annotator_id, *rules.span_key(start, end, label_id), recogniser)


def _stored_spans(article_ids: list[int]) -> dict[tuple[Any, ...], int]:
    """The spans of these articles (ids ascending) by what they are (``_span_ident``) -> id."""
    rows = Span.objects.filter(of_articles(article_ids)).order_by()
    return {
        _span_ident(a, layer, who, s, e, lab, rec if layer == Layer.SUGGESTION else ""): pk
        for pk, a, layer, who, s, e, lab, rec in rows.values_list(
            "pk", "article_id", "layer", "annotator_id", *rules.SPAN_KEY_FIELDS, "recogniser"
        )
    }
