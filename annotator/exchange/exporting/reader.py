"""Reading an export's lines from the database, batch by batch, as native JSON objects."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import Exists, F, Max, OuterRef

from annotator.annotations.models import ArticleState, DocumentLabel, Layer, Relation, Span
from annotator.articles.models import Article, ArticleChange, ArticleTombstone
from annotator.articles.selectors import of_articles
from annotator.common.db import change_horizon, iso_timestamps
from annotator.common.errors import NotFound
from annotator.exchange.exporting.layers import (
    ARTICLES,
    DOCUMENT_LABELS,
    INCOMING,
    RELATIONS,
    SPANS,
    STATES,
    BatchLayers,
    Columns,
    LayerObject,
    Row,
    json_text,
)
from annotator.exchange.exporting.plan import NOT_REVIEWED, Plan
from annotator.exchange.formats.records import ANNOTATOR, GOLD, OFFSETS, SCHEMA_VERSION, SUGGESTIONS
from annotator.projects.models import Label, Project
from annotator.workflow.models import ArticleReview, Comment

SNAPSHOT_DB = "snapshot"
NATIVE = "native"  # the one format that carries cross-article relations
BATCH = 500  # articles per round of queries
FIRST_BATCH = 20  # a small first round: the first line goes out without waiting for 500


@dataclass
class Counts:
    """What an export holds, for its manifest."""

    articles: int = 0
    deleted: int = 0
    # Cross-article relations a format cannot carry (all but native); None for native.
    left_out: int | None = None
    layers: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    def add(self, name: str, layer: dict[str, Any]) -> None:
        counts = self.layers[name]
        counts["spans"] += len(layer["spans"])
        counts["relations"] += len(layer["relations"])
        counts["document_labels"] += len(layer["document_labels"])

    def as_dict(self) -> dict[str, Any]:
        counts = {
            "articles": self.articles,
            "deleted": self.deleted,
            "layers": {name: dict(c) for name, c in sorted(self.layers.items())},
        }
        if self.left_out is not None:
            counts["left_out"] = {"cross_article_relations": self.left_out}
        return counts


class BatchRows(NamedTuple):
    """The annotation rows of one batch of articles, of the plan's layers."""

    spans: list[Row]
    relations: list[Row]
    document_labels: list[Row]
    states: list[Row]


class Reader:
    """Builds the export's lines, as native JSON objects, batch by batch on the snapshot
    connection. Native JSONL writes them as they are; the other formats read them as records."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.db = SNAPSHOT_DB
        self.labels: dict[int, str] = {}
        self.usernames: dict[int, str] = {}
        self.counts = Counts()
        self.cursor = ""
        self.until = 0  # the stamp the cursor holds (change_seq)
        self.native = plan.filters.format == NATIVE
        if not self.native:
            self.counts.left_out = 0

    def _names(self, user_ids: Iterable[int | None]) -> None:
        missing = {uid for uid in user_ids if uid is not None and uid not in self.usernames}
        if missing:
            users = get_user_model().objects.using(self.db).filter(pk__in=missing)
            self.usernames.update(users.values_list("pk", "username"))

    def change_seq(self) -> int:
        """The stamp this pull reads up to, its cursor (see articles.changes): the newest
        stamp of the project at or below the snapshot's horizon, and never below ``since``.
        The newest stamp rather than the horizon itself: a project nobody changed keeps its
        cursor while other projects (other databases) move the horizon on."""
        project = self.plan.project.pk
        if not Project.objects.using(self.db).filter(pk=project).exists():  # deleted since the plan was made
            raise NotFound("Project not found.")
        horizon = change_horizon(project, using=self.db)
        newest = [
            model.objects.using(self.db)
            .filter(project_id=project, seq__lte=horizon)
            .aggregate(newest=Max("seq"))["newest"]
            for model in (ArticleChange, ArticleTombstone)
        ]
        self.until = max([self.plan.since or 0, *(n for n in newest if n is not None)])
        return self.until

    def articles(self) -> Any:
        plan = self.plan
        qs = Article.objects.using(self.db).filter(project_id=plan.project.pk)
        if plan.filters.articles:
            qs = qs.filter(pk__in=plan.filters.articles)
        if plan.filters.review_status:
            reviewed = ArticleReview.objects.using(self.db).filter(article_id=OuterRef("pk"))
            if plan.filters.review_status == NOT_REVIEWED:
                qs = qs.exclude(Exists(reviewed))
            else:
                qs = qs.filter(Exists(reviewed.filter(status=plan.filters.review_status)))
        if plan.since is not None:
            changed = ArticleChange.objects.using(self.db).filter(
                plan.parts_q(), project_id=plan.project.pk, seq__gt=plan.since, seq__lte=self.until
            )
            qs = qs.filter(pk__in=changed.values("article_id"))
        return qs.order_by("pk")

    def layer_names(self) -> list[str]:
        """Every layer the export can hold, in a fixed order: gold, suggestions, annotators by name."""
        plan = self.plan
        names = [GOLD] * plan.gold + [SUGGESTIONS] * plan.suggestions
        annotators = plan.annotators
        if annotators is None:
            in_project = {"article__project_id": plan.project.pk}
            found: set[int] = set()
            for model in (Span, DocumentLabel):
                rows = model._default_manager.using(self.db).filter(layer=Layer.ANNOTATOR, **in_project)
                found.update(rows.values_list("annotator_id", flat=True).distinct())
            found.update(
                ArticleState.objects.using(self.db)
                .filter(**in_project)
                .values_list("annotator_id", flat=True)
                .distinct()
            )
            annotators = frozenset(found)
        self._names(annotators)
        return names + sorted(f"{ANNOTATOR}:{self.usernames[uid]}" for uid in annotators)

    def tombstones(self) -> Iterator[dict[str, Any]]:
        if self.plan.since is None:
            return
        rows = ArticleTombstone.objects.using(self.db).filter(
            project_id=self.plan.project.pk, seq__gt=self.plan.since, seq__lte=self.until
        )
        if self.plan.filters.articles:
            rows = rows.filter(article_pk__in=self.plan.filters.articles)
        for pk, external_id in rows.order_by("seq", "pk").values_list("article_pk", "external_id"):
            self.counts.deleted += 1
            yield {"schema": SCHEMA_VERSION, "id": external_id, "article_id": pk, "deleted": True}

    def objects(self) -> Iterator[dict[str, Any]]:
        """Every line of the export as its native JSON object: deletions first, then articles."""
        self.labels = dict(
            Label.objects.using(self.db).filter(project_id=self.plan.project.pk).values_list("pk", "name")
        )
        yield from self.tombstones()
        articles = self.articles().values_list(*ARTICLES.expressions)
        pk_at = ARTICLES.at("pk")
        after = 0
        while True:
            batch = list(articles.filter(pk__gt=after)[: BATCH if after else FIRST_BATCH])
            if not batch:
                return
            after = batch[-1][pk_at]
            yield from self._batch(batch)

    def _batch(self, batch: list[Row]) -> Iterator[dict[str, Any]]:
        pk_at = ARTICLES.at("pk")
        ids = [row[pk_at] for row in batch]
        rows = self._rows(ids)
        origins = self._origins(rows.spans)
        self._owners_and_authors(rows)
        elsewhere = self._elsewhere(batch, rows.relations) if self.native else None
        layers = BatchLayers(self.plan, ids, self.labels, self.usernames, iso_timestamps(self.db), elsewhere)
        layers.add_spans(rows.spans, origins)
        layers.add_relations(rows.relations)
        if self.native:
            layers.add_incoming(self._incoming(ids))
        else:
            self.counts.left_out = (self.counts.left_out or 0) + layers.left_out
        layers.add_document_labels(rows.document_labels)
        layers.add_states(rows.states)
        comments = self._comments(ids) if self.plan.filters.comments else None
        return self._lines(batch, layers.by_article, comments)

    def _elsewhere(self, batch: list[Row], relations: list[Row]) -> dict[int, str]:
        """External ids of the articles the batch's relations point to: the batch's own, and
        the few others (one query)."""
        pk_at, external_at, at = ARTICLES.at("pk"), ARTICLES.at("external_id"), RELATIONS.at("to_article")
        known = {row[pk_at]: row[external_at] for row in batch}
        others = {r[at] for r in relations} - known.keys()
        if others:
            known.update(
                Article.objects.using(self.db).filter(pk__in=others).values_list("pk", "external_id")
            )
        return known

    def _incoming(self, ids: list[int]) -> list[Row]:
        """Relations of other articles (of the plan's layers) pointing into the batch's."""
        rows = (
            Relation.objects.using(self.db)
            .filter(self.plan.layer_q(), target__article_id__in=ids)
            .exclude(article_id=F("target__article_id"))
        )
        return list(rows.order_by("pk").values_list(*INCOMING.expressions))

    def _comments(self, ids: list[int]) -> dict[int, list[dict[str, Any]]]:
        """The batch's comments of the exported layers, by article, oldest first."""
        found: dict[int, list[dict[str, Any]]] = defaultdict(list)
        rows = list(
            Comment.objects.using(self.db)
            .filter(self.plan.comments_q(), article_id__in=ids)
            .order_by("pk")
            .values_list(
                "article_id", "pk", "span_id", "relation_id", "parent_id", "author_id", "body", "resolved",
                "layer", "layer_annotator_id", "created_at",
            )
        )  # fmt: skip
        self._names({r[5] for r in rows} | {r[9] for r in rows})
        for article_id, pk, span, relation, parent, author, body, resolved, layer, owner, created in rows:
            found[article_id].append(
                {
                    "id": pk, "span": span, "relation": relation, "parent": parent,
                    "author": self.usernames.get(author), "body": body, "resolved": resolved,
                    "layer": layer, "layer_annotator": self.usernames.get(owner),
                    "created_at": created.isoformat() if created else None,
                }
            )  # fmt: skip
        return found

    def _select(self, model: Any, ids: list[int], columns: Columns, order: Iterable[str]) -> list[Row]:
        rows = model._default_manager.using(self.db).filter(self.plan.layer_q(), of_articles(ids))
        return list(rows.order_by(*order).values_list(*columns.expressions))

    def _rows(self, ids: list[int]) -> BatchRows:
        """The batch's annotation rows of the plan's layers."""
        plan = self.plan
        states: list[Row] = []
        if plan.annotators is None or plan.annotators:
            selected = ArticleState.objects.using(self.db).filter(of_articles(ids))
            if plan.annotators is not None:
                selected = selected.filter(annotator_id__in=plan.annotators)
            states = list(selected.values_list(*STATES.expressions))
        return BatchRows(
            spans=self._select(Span, ids, SPANS, ("article_id", "start", "end", "pk")),
            relations=self._select(Relation, ids, RELATIONS, ("pk",)),
            document_labels=self._select(DocumentLabel, ids, DOCUMENT_LABELS, ("pk",)),
            states=states,
        )

    def _origins(self, span_rows: list[Row]) -> dict[int, tuple[Any, Any, Any]]:
        """Recogniser, version and score of the suggestions that accepted spans came from:
        few spans, so one small query instead of a join."""
        at = SPANS.at("source")
        sources = {r[at] for r in span_rows if r[at] is not None}
        return {
            pk: (recogniser, version, score)
            for pk, recogniser, version, score in Span.objects.using(self.db)
            .filter(pk__in=sources)
            .values_list("pk", "recogniser", "recogniser_version", "score")
        }

    def _owners_and_authors(self, rows: BatchRows) -> None:
        """Usernames of the layers' owners (an annotator may have only document labels, or
        only a state) and of the annotations' authors."""
        span_who, span_by = SPANS.at("who"), SPANS.at("by")
        document_who, relation_by, state_who = DOCUMENT_LABELS.at("who"), RELATIONS.at("by"), STATES.at("who")
        self._names(
            {r[span_who] for r in rows.spans}
            | {r[span_by] for r in rows.spans}
            | {r[document_who] for r in rows.document_labels}
            | {r[relation_by] for r in rows.relations}
            | {r[state_who] for r in rows.states}
        )

    def _lines(
        self,
        batch: list[Row],
        layers: dict[int, dict[tuple[str, int | None], LayerObject]],
        comments: dict[int, list[dict[str, Any]]] | None,
    ) -> Iterator[dict[str, Any]]:
        """The batch's article lines with their kept layers, counted for the manifest."""
        wanted = self.plan.filters.status
        counts = self.counts
        for pk, external_id, title, source_url, published, meta, text, sha in batch:
            kept = []
            for (layer, who), record in layers[pk].items():
                if wanted and layer == Layer.ANNOTATOR and record["state"] != wanted:
                    continue
                kept.append(((layer, who), record))
            if wanted and not any(layer == Layer.ANNOTATOR for (layer, _), _r in kept):
                continue  # no annotator of this article has the wanted status
            # Gold, suggestions, then annotators by username: the same order in every line.
            kept.sort(key=lambda item: (item[0][0] == Layer.ANNOTATOR, item[1].get("annotator") or ""))
            for (layer, _who), record in kept:
                counts.add(
                    f"{ANNOTATOR}:{record['annotator']}" if layer == Layer.ANNOTATOR else record["layer"],
                    record,
                )
            counts.articles += 1
            line = {
                "schema": SCHEMA_VERSION,
                "id": external_id,
                "article_id": pk,
                "title": title,
                "source_url": source_url,
                "published_at": published,
                "meta": json_text(meta),
                "text": text,
                "text_sha256": sha,
                "offsets": OFFSETS,
                "annotations": [record for _key, record in kept],
            }
            if comments is not None:
                line["comments"] = comments.get(pk, [])
            yield line
