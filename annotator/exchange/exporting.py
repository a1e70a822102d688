"""Streaming export: every record read from one database snapshot, in batches, memory flat.

An export runs inside one transaction on the "snapshot" connection (REPEATABLE READ on
PostgreSQL; a deferred read transaction on SQLite in WAL mode), so concurrent writers never
produce a record that mixes old and new state. Its cursor is the project's change_seq as
that snapshot sees it; ``since=<cursor>`` selects only the articles changed after it (see
articles.changes for why that never misses nor repeats a change).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import CharField, Q
from django.db.models.functions import Cast

from annotator.annotations.models import ArticleState, DocumentLabel, Layer, Origin, Relation, Span, Status
from annotator.articles.changes import ARTICLE_PART, GOLD_PART, SUGGESTION_PART
from annotator.articles.models import Article, ArticleChange, ArticleTombstone
from annotator.articles.selectors import of_articles
from annotator.common.db import iso_timestamps
from annotator.common.errors import InvalidInput, NotFound
from annotator.exchange.formats import registry
from annotator.exchange.formats.records import ANNOTATOR, GOLD, OFFSETS, SCHEMA_VERSION, SUGGESTIONS
from annotator.projects.access import READ_ALL_LAYERS, membership_get, require_role
from annotator.projects.models import Label, Project

SNAPSHOT_DB = "snapshot"
BATCH = 500  # articles per round of queries
FIRST_BATCH = 20  # a small first round: the first line goes out without waiting for 500
NOT_STARTED = Status.NOT_STARTED.value  # an annotator layer's state when there is no state row


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
    *, actor: User, project_id: int, filters: ExportFilters, formats: Iterable[str] = registry.STREAM_FORMATS
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
    spec = registry.get(filters.format)
    if plan.since is not None and not spec.tombstones:
        raise InvalidInput(
            "Incremental pulls (since) are native JSONL only: other formats cannot say an article was deleted.",
            fields={"since": ["native format only"]},
        )
    if plan.since is not None and plan.since > membership.project.change_seq:
        raise InvalidInput(
            "This cursor is ahead of the project (was it reset?).", fields={"since": ["unknown"]}
        )
    if spec.layers == registry.ONE and plan.layer_count() != 1:
        raise InvalidInput(
            f"{filters.format} holds one layer per article: choose one (layers=gold, suggestions or a username).",
            fields={"layers": ["exactly one layer"]},
        )
    return plan


# --- reading lines ----------------------------------------------------------------------


def _as_text(field: str) -> Cast:
    # Timestamps and JSON columns read as the database's text: a datetime object (or a
    # decoded dict) per value, turned back into text, was a fifth of an export's time.
    return Cast(field, output_field=CharField())


def _json_text(raw: str | None) -> Any:
    """A JSON column read as text; most are empty objects, which need no decoding."""
    if raw is None or raw == "{}":
        return {}
    return orjson.loads(raw)


@dataclass
class Counts:
    """What an export holds, for its manifest."""

    articles: int = 0
    deleted: int = 0
    layers: dict[str, dict[str, int]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(int)))

    def add(self, name: str, layer: dict[str, Any]) -> None:
        counts = self.layers[name]
        counts["spans"] += len(layer["spans"])
        counts["relations"] += len(layer["relations"])
        counts["document_labels"] += len(layer["document_labels"])

    def as_dict(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "deleted": self.deleted,
            "layers": {name: dict(c) for name, c in sorted(self.layers.items())},
        }


# The columns _batch reads, in order.
SPAN_COLUMNS = (
    "article_id",
    "layer",
    "annotator_id",
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
    _as_text("attributes"),
    "source_suggestion_id",
)
RELATION_COLUMNS = (
    "article_id",
    "layer",
    "annotator_id",
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

    def tombstones(self) -> Iterator[dict[str, Any]]:
        if self.plan.since is None:
            return
        rows = ArticleTombstone.objects.using(self.db).filter(
            project_id=self.plan.project.pk, seq__gt=self.plan.since
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
        articles = self.articles().values_list(
            "pk",
            "external_id",
            "title",
            "source_url",
            _as_text("published_at"),
            _as_text("meta"),
            "text",
            "text_sha256",
        )
        after = 0
        while True:
            batch = list(articles.filter(pk__gt=after)[: BATCH if after else FIRST_BATCH])
            if not batch:
                return
            after = batch[-1][0]
            yield from self._batch(batch)

    def _rows(self, model: Any, ids: list[int], columns: Iterable[Any], order: Iterable[str]) -> list[Any]:
        rows = model._default_manager.using(self.db).filter(self.plan.layer_q(), of_articles(ids))
        return list(rows.order_by(*order).values_list(*columns))

    def _batch(self, batch: list[tuple[Any, ...]]) -> Iterator[dict[str, Any]]:
        # This is the export's inner loop: plain tuples and dicts, one pass over each row.
        plan = self.plan
        ids = [row[0] for row in batch]
        span_rows = self._rows(Span, ids, SPAN_COLUMNS, ("article_id", "start", "end", "pk"))
        relation_rows = self._rows(Relation, ids, RELATION_COLUMNS, ("pk",))
        document_rows = self._rows(
            DocumentLabel, ids, ("article_id", "layer", "annotator_id", "label_id"), ("pk",)
        )
        state_rows: list[tuple[Any, ...]] = []
        if plan.annotators is None or plan.annotators:
            states = ArticleState.objects.using(self.db).filter(of_articles(ids))
            if plan.annotators is not None:
                states = states.filter(annotator_id__in=plan.annotators)
            state_rows = list(states.values_list("article_id", "annotator_id", "status"))
        # Where accepted spans came from: few spans, so one small query instead of a join.
        sources = {r[17] for r in span_rows if r[17] is not None}
        origins = {
            pk: (recogniser, version, score)
            for pk, recogniser, version, score in Span.objects.using(self.db)
            .filter(pk__in=sources)
            .values_list("pk", "recogniser", "recogniser_version", "score")
        }
        # Layer owners (an annotator may have only document labels, or only a state) and authors.
        self._names(
            {r[2] for r in span_rows}
            | {r[8] for r in span_rows}
            | {r[2] for r in document_rows}
            | {r[7] for r in relation_rows}
            | {r[1] for r in state_rows}
        )
        labels, users = self.labels, self.usernames
        iso = iso_timestamps(self.db)

        layers: dict[int, dict[tuple[str, int | None], dict[str, Any]]] = {pk: {} for pk in ids}

        def new_layer(article_id: int, layer: str, who: int | None) -> dict[str, Any]:
            found: dict[str, Any]
            if who is None:
                name = GOLD if layer == Layer.GOLD else SUGGESTIONS
                found = {"layer": name, "spans": [], "relations": [], "document_labels": []}
            else:
                found = {
                    "layer": ANNOTATOR,
                    "annotator": users[who],
                    "state": NOT_STARTED,
                    "spans": [],
                    "relations": [],
                    "document_labels": [],
                }
            layers[article_id][(layer, who)] = found
            return found

        for article_id in ids:  # selected gold and suggestion layers show even when empty
            if plan.gold:
                new_layer(article_id, Layer.GOLD, None)
            if plan.suggestions:
                new_layer(article_id, Layer.SUGGESTION, None)
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
        ) in span_rows:
            if layer == Layer.SUGGESTION:
                provenance: dict[str, Any] = {
                    "origin": Origin.SUGGESTED.value,
                    "recogniser": recogniser,
                    "recogniser_version": version,
                    "score": score,
                    "status": status,
                }
            elif origin == Origin.ACCEPTED or origin == Origin.EDITED:
                recogniser, version, score = origins.get(source, (None, None, None))
                provenance = {
                    "origin": origin,
                    "suggestion": source,
                    "recogniser": recogniser,
                    "recogniser_version": version,
                    "score": score,
                }
            else:
                provenance = {"origin": origin}
            span = {
                "id": pk,
                "start": start,
                "end": end,
                "label": labels[label],
                "text": text,
                "created_by": users.get(by),
                "created_at": iso(created),
                "updated_at": iso(updated),
                "provenance": provenance,
            }
            if attributes is not None and attributes != "{}":
                span["attributes"] = orjson.loads(attributes)
            target = layers[article_id].get((layer, who)) or new_layer(article_id, layer, who)
            target["spans"].append(span)
        for (
            article_id,
            layer,
            who,
            pk,
            source,
            to,
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
            target = layers[article_id].get((layer, who)) or new_layer(article_id, layer, who)
            target["relations"].append(
                {
                    "id": pk,
                    "from": source,
                    "to": to,
                    "label": labels[label],
                    "created_by": users.get(by),
                    "created_at": iso(created),
                    "provenance": provenance,
                }
            )
        for article_id, layer, who, label in document_rows:
            target = layers[article_id].get((layer, who)) or new_layer(article_id, layer, who)
            target["document_labels"].append(labels[label])
        for article_id, who, status in state_rows:
            target = layers[article_id].get((Layer.ANNOTATOR, who)) or new_layer(
                article_id, Layer.ANNOTATOR, who
            )
            target["state"] = status

        wanted = plan.filters.status
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
            yield {
                "schema": SCHEMA_VERSION,
                "id": external_id,
                "article_id": pk,
                "title": title,
                "source_url": source_url,
                "published_at": published,
                "meta": _json_text(meta),
                "text": text,
                "text_sha256": sha,
                "offsets": OFFSETS,
                "annotations": [record for _key, record in kept],
            }


# --- writing formats --------------------------------------------------------------------


def lines(plan: Plan, objects: Iterable[dict[str, Any]], columns: registry.Columns) -> Iterator[bytes]:
    """The export's UTF-8 bytes, piece by piece, in the plan's (streamable) format, from the
    Reader's line objects. ``columns`` gives the layer columns of formats that need one fixed
    set for the whole file (CoNLL)."""
    stream = registry.get(plan.filters.format).stream
    assert stream is not None, "export_plan refuses formats that cannot stream"
    return stream(objects, columns)


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
    """UTF-8 chunks of one export for a streaming response. Creating it opens the snapshot
    and takes the cursor, so the response can send the cursor in a header before any line."""

    def __init__(self, plan: Plan, chunk_bytes: int = 64 * 1024) -> None:
        self.plan = plan
        self.chunk_bytes = chunk_bytes
        self._gen = self._run()
        self.cursor = next(self._gen).decode()

    def _run(self) -> Generator[bytes, None, None]:
        with snapshot(self.plan) as reader:
            self._reader = reader
            yield reader.cursor.encode()
            buffer: list[bytes] = []
            size = 0
            first = True
            for piece in lines(self.plan, reader.objects(), reader.layer_names):
                buffer.append(piece)
                size += len(piece)
                # The first line goes out on its own: a client sees data at once.
                if first or size >= self.chunk_bytes:
                    yield b"".join(buffer)
                    buffer, size, first = [], 0, False
            if buffer:
                yield b"".join(buffer)

    def __iter__(self) -> Iterator[bytes]:
        return self._gen

    def close(self) -> None:
        """End the snapshot transaction (a client that went away stops the export here)."""
        self._gen.close()

    def manifest(self, **extra: Any) -> dict[str, Any]:
        """The manifest of what was streamed (complete once the stream was read to its end)."""
        return manifest(self._reader, **extra)
