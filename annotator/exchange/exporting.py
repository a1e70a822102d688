"""Streaming export: every record read from one database snapshot, in batches, memory flat.

An export runs inside one transaction on the "snapshot" connection (REPEATABLE READ on
PostgreSQL; a deferred read transaction on SQLite in WAL mode), so concurrent writers never
produce a record that mixes old and new state. Its cursor is the project's change_seq as
that snapshot sees it; ``since=<cursor>`` selects only the articles changed after it (see
articles.changes for why that never misses nor repeats a change).
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from annotator.annotations.models import ArticleState, DocumentLabel, Layer, Origin, Relation, Span, Status
from annotator.articles.changes import ARTICLE_PART, GOLD_PART, SUGGESTION_PART
from annotator.articles.models import Article, ArticleChange, ArticleTombstone
from annotator.common.errors import InvalidInput, NotFound
from annotator.exchange.formats import conll, doccano, labelstudio, native
from annotator.exchange.formats.records import (
    ANNOTATOR,
    GOLD,
    OFFSETS,
    SCHEMA_VERSION,
    SUGGESTIONS,
    ArticleRecord,
    LayerRecord,
    RelationRecord,
    SpanRecord,
)
from annotator.projects.access import READ_ALL_LAYERS, membership_get, require_role
from annotator.projects.models import Label, Project

SNAPSHOT_DB = "snapshot"
FORMATS = ("native", "doccano", "labelstudio", "conll")
FILE_FORMATS = (*FORMATS, "brat")  # brat is a zip of files: export jobs only
BATCH = 500  # articles per round of queries
FIRST_BATCH = 20  # a small first round: the first line goes out without waiting for 500
CONTENT_TYPES = {
    "native": "application/x-ndjson",
    "doccano": "application/x-ndjson",
    "labelstudio": "application/json",
    "conll": "text/plain",
    "brat": "application/zip",
}
EXTENSIONS = {"native": "jsonl", "doccano": "jsonl", "labelstudio": "json", "conll": "conll", "brat": "zip"}


# --- what to export ---------------------------------------------------------------------


def cursor_format(project_id: int, seq: int) -> str:
    return f"{project_id}-{seq}"


def _cursor_parse(project_id: int, value: str) -> int:
    head, _, tail = value.partition("-")
    if not (head.isdigit() and tail.isdigit()):
        raise InvalidInput(
            "since must be a cursor from an earlier export (X-Export-Cursor).",
            fields={"since": ["malformed"]},
        )
    if int(head) != project_id:
        raise InvalidInput("This cursor belongs to another project.", fields={"since": ["other project"]})
    return int(tail)


@dataclass(frozen=True)
class ExportFilters:
    """An export's parameters as a client sends them (strings), checked by ``export_plan``."""

    format: str = "native"
    layers: tuple[str, ...] = ("all",)  # "all", "gold", "suggestions", annotator usernames
    status: str = ""  # keep annotator layers whose state is this
    articles: tuple[int, ...] = ()  # article ids; empty = all
    since: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "layers": list(self.layers),
            "status": self.status,
            "articles": list(self.articles),
            "since": self.since,
        }


@dataclass(frozen=True)
class Plan:
    project: Project
    filters: ExportFilters
    since: int | None
    gold: bool
    suggestions: bool
    annotators: frozenset[int] | None  # None = every annotator; empty = none

    def layer_q(self) -> Q:
        """The annotation rows of the selected layers."""
        q = Q(pk__in=[])
        if self.gold:
            q |= Q(layer=Layer.GOLD)
        if self.suggestions:
            q |= Q(layer=Layer.SUGGESTION)
        if self.annotators is None:
            q |= Q(layer=Layer.ANNOTATOR)
        elif self.annotators:
            q |= Q(layer=Layer.ANNOTATOR, annotator_id__in=self.annotators)
        return q

    def parts_q(self) -> Q:
        """The change parts that put an article into an incremental pull."""
        q = Q(part=ARTICLE_PART)
        if self.gold:
            q |= Q(part=GOLD_PART)
        if self.suggestions:
            q |= Q(part=SUGGESTION_PART)
        if self.annotators is None:
            q |= Q(part__startswith="annotator:")
        else:
            q |= Q(part__in=[f"annotator:{uid}" for uid in self.annotators])
        return q

    def layer_count(self) -> int | None:
        if self.annotators is None:
            return None
        return int(self.gold) + int(self.suggestions) + len(self.annotators)


def export_plan(
    *, actor: User, project_id: int, filters: ExportFilters, formats: Iterable[str] = FORMATS
) -> Plan:
    """Check an export's filters; researchers, reviewers and admins may export, annotators not."""
    membership = membership_get(user=actor, project_id=project_id)
    require_role(membership, READ_ALL_LAYERS, "export")
    allowed = tuple(formats)
    if filters.format not in allowed:
        raise InvalidInput(
            f"Unknown export format {filters.format!r}.", fields={"format": [f"one of {', '.join(allowed)}"]}
        )
    if filters.status and filters.status not in Status.values:
        raise InvalidInput(
            f"Unknown status {filters.status!r}.", fields={"status": [f"one of {', '.join(Status.values)}"]}
        )
    names = set(filters.layers) or {"all"}
    everything = "all" in names
    usernames = names - {"all", "gold", "suggestions"}
    users = dict(get_user_model().objects.filter(username__in=usernames).values_list("username", "pk"))
    unknown = sorted(usernames - set(users))
    if unknown:
        raise InvalidInput(
            f"No user called {', '.join(unknown)}.",
            fields={"layers": ["all, gold, suggestions or annotator usernames"]},
        )
    plan = Plan(
        project=membership.project,
        filters=filters,
        since=_cursor_parse(project_id, filters.since) if filters.since else None,
        gold=everything or "gold" in names,
        suggestions=everything or "suggestions" in names,
        annotators=None if everything else frozenset(users.values()),
    )
    if plan.since is not None and filters.format != "native":
        raise InvalidInput(
            "Incremental pulls (since) are native JSONL only: other formats cannot say an article was deleted.",
            fields={"since": ["native format only"]},
        )
    if plan.since is not None and plan.since > membership.project.change_seq:
        raise InvalidInput(
            "This cursor is ahead of the project (was it reset?).", fields={"since": ["unknown"]}
        )
    if filters.format in ("doccano", "brat") and plan.layer_count() != 1:
        raise InvalidInput(
            f"{filters.format} holds one layer per article: choose one (layers=gold, suggestions or a username).",
            fields={"layers": ["exactly one layer"]},
        )
    return plan


# --- reading records --------------------------------------------------------------------


def _as_text(field: str) -> Cast:
    # A timestamp read as the database's text and tidied by _iso_text costs far less than
    # a datetime object per value, turned back into text (a fifth of an export's time).
    return Cast(field, output_field=CharField())


def _iso_text(raw: str | None) -> str | None:
    """A UTC timestamp as the database writes it as text, in ISO 8601 with its offset:
    "2026-11-23 10:00:00.5" (SQLite) and "2026-11-23 10:00:00.5+00" (PostgreSQL) both
    become "2026-11-23T10:00:00.5+00:00"."""
    if raw is None:
        return None
    text = raw.replace(" ", "T", 1)
    if text.endswith("+00"):
        return text + ":00"
    return text if text.endswith("+00:00") else text + "+00:00"


def _iso(value: dt.datetime | dt.date | None) -> str | None:
    return value.isoformat() if value is not None else None


@dataclass
class Counts:
    """What an export holds, for its manifest."""

    articles: int = 0
    deleted: int = 0
    layers: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    def add(self, layer: LayerRecord) -> None:
        counts = self.layers[layer.name]
        counts["spans"] += len(layer.spans)
        counts["relations"] += len(layer.relations)
        counts["document_labels"] += len(layer.document_labels)

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "deleted": self.deleted,
            "layers": {name: dict(c) for name, c in sorted(self.layers.items())},
        }


class Reader:
    """Builds ArticleRecords batch by batch on the snapshot connection."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.db = SNAPSHOT_DB
        self.labels: dict[int, str] = {}
        self.usernames: dict[int, str] = {}
        self.counts = Counts()
        self.cursor = ""

    def _names(self, user_ids: Iterable[int | None]) -> None:
        missing = {uid for uid in user_ids if uid is not None and uid not in self.usernames}
        if missing:
            users = get_user_model().objects.using(self.db).filter(pk__in=missing)
            self.usernames.update(users.values_list("pk", "username"))

    def change_seq(self) -> int:
        seq = (
            Project.objects.using(self.db)
            .filter(pk=self.plan.project.pk)
            .values_list("change_seq", flat=True)
        )
        found = seq.first()
        if found is None:  # deleted since the plan was made
            raise NotFound("Project not found.")
        return int(found)

    def articles(self) -> Any:
        plan = self.plan
        qs = Article.objects.using(self.db).filter(project_id=plan.project.pk)
        if plan.filters.articles:
            qs = qs.filter(pk__in=plan.filters.articles)
        if plan.since is not None:
            changed = ArticleChange.objects.using(self.db).filter(
                plan.parts_q(), project_id=plan.project.pk, seq__gt=plan.since
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

    def tombstones(self) -> Iterator[ArticleRecord]:
        if self.plan.since is None:
            return
        rows = ArticleTombstone.objects.using(self.db).filter(
            project_id=self.plan.project.pk, seq__gt=self.plan.since
        )
        if self.plan.filters.articles:
            rows = rows.filter(article_pk__in=self.plan.filters.articles)
        for pk, external_id in rows.order_by("seq", "pk").values_list("article_pk", "external_id"):
            self.counts.deleted += 1
            yield ArticleRecord(text="", external_id=external_id, article_id=pk, deleted=True)

    def records(self) -> Iterator[ArticleRecord]:
        self.labels = dict(
            Label.objects.using(self.db).filter(project_id=self.plan.project.pk).values_list("pk", "name")
        )
        yield from self.tombstones()
        articles = self.articles().values_list(
            "pk", "external_id", "title", "source_url", "published_at", "meta", "text", "text_sha256"
        )
        after = 0
        while True:
            batch = list(articles.filter(pk__gt=after)[: BATCH if after else FIRST_BATCH])
            if not batch:
                return
            after = batch[-1][0]
            yield from self._batch(batch)

    def _batch(self, batch: list[tuple[Any, ...]]) -> Iterator[ArticleRecord]:
        ids = [row[0] for row in batch]
        layer_q = self.plan.layer_q()
        fields = ("article_id", "layer", "annotator_id")
        spans = (
            Span.objects.using(self.db)
            .filter(layer_q, article_id__in=ids)
            .order_by("article_id", "start", "end", "pk")
        )
        span_rows = list(
            spans.values_list(
                *fields,
                "pk",
                "start",
                "end",
                "label_id",
                "text",
                "created_by_id",
                _as_text("created_at"),
                _as_text("updated_at"),
                "origin",
                "recogniser",
                "recogniser_version",
                "score",
                "suggestion_status",
                "attributes",
                "source_suggestion_id",
                "source_suggestion__recogniser",
                "source_suggestion__recogniser_version",
                "source_suggestion__score",
            )
        )
        relation_rows = list(
            Relation.objects.using(self.db)
            .filter(layer_q, article_id__in=ids)
            .order_by("pk")
            .values_list(
                *fields,
                "pk",
                "source_id",
                "target_id",
                "label_id",
                "created_by_id",
                _as_text("created_at"),
                "origin",
                "recogniser",
                "recogniser_version",
                "score",
                "suggestion_status",
            )
        )
        document_rows = list(
            DocumentLabel.objects.using(self.db)
            .filter(layer_q, article_id__in=ids)
            .order_by("pk")
            .values_list(*fields, "label_id")
        )
        state_rows: list[tuple[Any, ...]] = []
        if self.plan.annotators is None or self.plan.annotators:
            states = ArticleState.objects.using(self.db).filter(article_id__in=ids)
            if self.plan.annotators is not None:
                states = states.filter(annotator_id__in=self.plan.annotators)
            state_rows = list(states.values_list("article_id", "annotator_id", "status"))
        # Layer owners (an annotator may have only document labels, or only a state) and authors.
        self._names(
            chain(
                (r[2] for r in span_rows),
                (r[2] for r in document_rows),
                (r[1] for r in state_rows),
                (r[8] for r in span_rows),
                (r[7] for r in relation_rows),
            )
        )

        layers: dict[int, dict[tuple[str, int | None], LayerRecord]] = defaultdict(dict)

        def layer_of(article_id: int, layer: str, annotator_id: int | None) -> LayerRecord:
            key = (layer, annotator_id)
            found = layers[article_id].get(key)
            if found is None:
                name = {Layer.GOLD: GOLD, Layer.SUGGESTION: SUGGESTIONS}.get(layer, ANNOTATOR)  # type: ignore[call-overload]
                found = LayerRecord(
                    layer=name,
                    annotator=self.usernames.get(annotator_id) if annotator_id is not None else None,
                )
                layers[article_id][key] = found
            return found

        for article_id in ids:  # selected gold and suggestion layers show even when empty
            if self.plan.gold:
                layer_of(article_id, Layer.GOLD, None)
            if self.plan.suggestions:
                layer_of(article_id, Layer.SUGGESTION, None)
        labels, users = self.labels, self.usernames
        for (
            article_id,
            layer,
            who,
            pk,
            start,
            end,
            label,
            text,
            by,
            created,
            updated,
            origin,
            recogniser,
            version,
            score,
            status,
            attributes,
            source,
            source_recogniser,
            source_version,
            source_score,
        ) in span_rows:
            if layer == Layer.SUGGESTION:
                provenance: dict[str, Any] = {
                    "origin": Origin.SUGGESTED,
                    "recogniser": recogniser,
                    "recogniser_version": version,
                    "score": score,
                    "status": status,
                }
            elif origin in (Origin.ACCEPTED, Origin.EDITED):
                provenance = {
                    "origin": origin,
                    "suggestion": source,
                    "recogniser": source_recogniser,
                    "recogniser_version": source_version,
                    "score": source_score,
                }
            else:
                provenance = {"origin": origin}
            layer_of(article_id, layer, who).spans.append(
                SpanRecord(
                    start=start,
                    end=end,
                    label=labels[label],
                    key=pk,
                    text=text,
                    recogniser=recogniser,
                    recogniser_version=version,
                    score=score,
                    status=status,
                    attributes=attributes,
                    provenance=provenance,
                    created_by=users.get(by) if by else None,
                    created_at=_iso_text(created),
                    updated_at=_iso_text(updated),
                )
            )
        for (
            article_id,
            layer,
            who,
            pk,
            source,
            target,
            label,
            by,
            created,
            origin,
            recogniser,
            version,
            score,
            status,
        ) in relation_rows:
            provenance = {"origin": origin}
            if layer == Layer.SUGGESTION:
                provenance.update(
                    recogniser=recogniser, recogniser_version=version, score=score, status=status
                )
            layer_of(article_id, layer, who).relations.append(
                RelationRecord(
                    source=source,
                    target=target,
                    label=labels[label],
                    key=pk,
                    score=score,
                    provenance=provenance,
                    created_by=users.get(by) if by else None,
                    created_at=_iso_text(created),
                )
            )
        for article_id, layer, who, label in document_rows:
            layer_of(article_id, layer, who).document_labels.append(labels[label])
        state_of = {(a, who): status for a, who, status in state_rows}
        for article_id, who, _status in state_rows:
            layer_of(article_id, Layer.ANNOTATOR, who)
        wanted = self.plan.filters.status
        for pk, external_id, title, source_url, published, meta, text, sha in batch:
            record_layers = []
            for (layer, who), record in layers.get(pk, {}).items():
                if layer == Layer.ANNOTATOR:
                    record.state = state_of.get((pk, who), Status.NOT_STARTED)
                    if wanted and record.state != wanted:
                        continue
                record_layers.append(record)
            if wanted and not any(r.layer == ANNOTATOR for r in record_layers):
                continue  # no annotator of this article has the wanted status
            for record in record_layers:
                self.counts.add(record)
            self.counts.articles += 1
            yield ArticleRecord(
                text=text,
                external_id=external_id,
                title=title,
                meta=meta,
                source_url=source_url,
                published_at=_iso(published),
                text_sha256=sha,
                layers=record_layers,
                article_id=pk,
            )


# --- writing formats --------------------------------------------------------------------


def _layer_named(name: str) -> LayerRecord:
    if name.startswith(f"{ANNOTATOR}:"):
        return LayerRecord(layer=ANNOTATOR, annotator=name.split(":", 1)[1])
    return LayerRecord(layer=name)


def lines(
    plan: Plan, records: Iterator[ArticleRecord], columns: Callable[[], list[str]] | None = None
) -> Iterator[str]:
    """The export's text, piece by piece, in the plan's format. ``columns`` gives the layer
    columns of formats that need one fixed set for the whole file (CoNLL)."""
    fmt = plan.filters.format
    if fmt == "native":
        for record in records:
            yield native.dumps(record)
    elif fmt == "doccano":
        for record in records:
            layer = record.layers[0] if record.layers else LayerRecord(layer=GOLD)
            yield doccano.dumps(record, layer)
    elif fmt == "labelstudio":
        first = True
        yield "["
        for record in records:
            yield ("\n" if first else ",\n") + json.dumps(labelstudio.to_json(record), ensure_ascii=False)
            first = False
        yield "\n]\n"
    elif fmt == "conll":
        names = columns() if columns is not None else []
        yield conll.header(names)
        for record in records:
            by_name = {layer.name: layer for layer in record.layers}
            yield conll.dumps(record, [by_name.get(name) or _layer_named(name) for name in names])
    else:  # pragma: no cover - export_plan refuses other formats
        raise ValueError(fmt)


@contextmanager
def snapshot(plan: Plan) -> Iterator[Reader]:
    """A Reader inside one snapshot transaction, its cursor already taken."""
    with transaction.atomic(using=SNAPSHOT_DB):
        reader = Reader(plan)
        reader.cursor = cursor_format(plan.project.pk, reader.change_seq())
        yield reader


def manifest(reader: Reader, **extra: Any) -> dict[str, Any]:
    """What an export held; complete once its records have been read to the end."""
    plan = reader.plan
    return {
        "schema_version": SCHEMA_VERSION,
        "offsets": OFFSETS,
        "format": plan.filters.format,
        "project": plan.project.pk,
        "filters": plan.filters.as_dict(),
        "cursor": reader.cursor,
        "counts": reader.counts.as_dict(),
        **extra,
    }


class ExportStream:
    """Text chunks of one export for a streaming response. Creating it opens the snapshot
    and takes the cursor, so the response can send the cursor in a header before any line."""

    def __init__(self, plan: Plan, chunk_chars: int = 64 * 1024) -> None:
        self.plan = plan
        self.chunk_chars = chunk_chars
        self._gen = self._run()
        self.cursor = next(self._gen)

    def _run(self) -> Generator[str, None, None]:
        with snapshot(self.plan) as reader:
            self._reader = reader
            yield reader.cursor
            buffer: list[str] = []
            size = 0
            first = True
            for piece in lines(self.plan, reader.records(), reader.layer_names):
                buffer.append(piece)
                size += len(piece)
                # The first line goes out on its own: a client sees data at once.
                if first or size >= self.chunk_chars:
                    yield "".join(buffer)
                    buffer, size, first = [], 0, False
            if buffer:
                yield "".join(buffer)

    def __iter__(self) -> Iterator[str]:
        return self._gen

    def close(self) -> None:
        """End the snapshot transaction (a client that went away stops the export here)."""
        self._gen.close()

    def manifest(self, **extra: Any) -> dict[str, Any]:
        """The manifest of what was streamed (complete once the stream was read to its end)."""
        return manifest(self._reader, **extra)
