"""Import articles, and optionally their annotations, from a file: all or nothing by default.

One read of the file, in one transaction. Records are checked in chunks against the project
(labels, annotators, offsets, conflicts with stored articles), each problem reported per
line, and the valid ones written; with on_error=abort, once one record is found invalid
the rest are only checked, and at the end the transaction is rolled back, so nothing is
written. An import is all or nothing even if the worker dies. Memory stays flat however
large the file is: a chunk at a time. (An earlier design checked the whole file first and
then read it again to write: every record was checked twice, a third of the import's time.)

The database stores one chunk while the next is checked: rows get ids reserved ahead
(``reserve_ids``), so a chunk's articles, spans and relations go out together with none
read back, and are sent without waiting (``bulk_writes``, PostgreSQL's pipeline); the
lookup of the next records' stored articles, a read, is where the import waits for them. On two cores that overlap,
Python on one and the server on the other, was a third of an import's time.

Idempotent: an article already in the project with the same text is not written again,
and of its annotations only those not already there are added, so importing a file twice
changes nothing the second time.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from itertools import islice, pairwise
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Model
from django.utils import timezone

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
    Status,
    SuggestionStatus,
)
from annotator.articles.changes import ARTICLE_PART, changes_mark, layer_part
from annotator.articles.models import Article
from annotator.articles.selectors import of_articles
from annotator.articles.services import ArticleInput, CheckedArticle, article_check
from annotator.common.bulk import bulk_writes, insert_rows, reserve_ids
from annotator.common.errors import Conflict, DomainError, InvalidInput
from annotator.common.text import check_storable
from annotator.exchange.formats import files, registry
from annotator.exchange.formats.records import (
    ANNOTATOR,
    GOLD,
    SUGGESTIONS,
    ArticleRecord,
    LayerRecord,
    Located,
    Parsed,
    RecordError,
)
from annotator.projects.access import WRITE_OWN_LAYER, membership_get, require_admin
from annotator.projects.models import Label, LabelKind, Membership
from annotator.projects.services import label_create

log = logging.getLogger(__name__)

MAX_ERRORS_REPORTED = 1000
# Records checked and written together. Small, so that a chunk's objects die young (with
# 500 the garbage collector kept re-scanning them).
CHUNK = 200
# Records whose stored articles are looked up at once. The lookup, a read, is where the
# import waits for the database: between two, each chunk is sent as it is built, and the
# server works through them while the next is checked.
LOOKUP = 5 * CHUNK
ON_ERROR = ("abort", "skip")
STATES = frozenset(Status.values)  # Status.values builds a new list at every use
NEW_LABEL_COLOURS = ("#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1", "#ff9da7")

# Opens the uploaded file.
Opener = Callable[[], AbstractContextManager[IO[bytes]]]
# progress(records done, records at most (None: unknown), message)
Progress = Callable[[int, int | None, str], None]


@dataclass(frozen=True)
class ImportOptions:
    format: str = "native"
    on_error: str = "abort"  # "skip": write the valid records and report the rest
    create_labels: bool = False
    # None: each layer as the file says. Else every annotation goes to one layer:
    # "gold", "suggestions", "annotator:<username>", or "none" (articles only).
    layer: str | None = None

    def check(self) -> None:
        """Raise InvalidInput for an option no import could run with."""
        if self.format not in registry.IMPORT_FORMATS:
            raise InvalidInput(
                f"Unknown format {self.format!r}.",
                fields={"format": [f"one of {', '.join(registry.IMPORT_FORMATS)}"]},
            )
        if self.on_error not in ON_ERROR:
            raise InvalidInput("on_error must be abort or skip.", fields={"on_error": ["abort or skip"]})
        if self.layer is not None and not (
            self.layer in ("gold", "suggestions", "none") or self.layer.startswith("annotator:")
        ):
            raise InvalidInput(
                "layer must be gold, suggestions, none or annotator:<username>.",
                fields={"layer": ["gold, suggestions, none or annotator:<username>"]},
            )


@dataclass
class Report:
    """What an import did (or, when it wrote nothing, would have done)."""

    format: str
    filename: str
    records: int = 0
    valid: int = 0
    articles_created: int = 0
    articles_unchanged: int = 0  # same external id and text: not written again
    conflicts: int = 0  # same external id, other text
    spans_created: int = 0
    relations_created: int = 0
    document_labels_created: int = 0
    states_set: int = 0
    annotations_unchanged: int = 0  # already in the project (or twice in the file)
    labels_created: list[str] = field(default_factory=list)
    error_count: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    written: bool = False

    def error(self, where: Located, err: RecordError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS_REPORTED:
            item: dict[str, Any] = {"line": where.line, "field": err.field, "message": err.message}
            if where.file:
                item["file"] = where.file
            self.errors.append(item)

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def discard_writes(self) -> None:
        """The import's transaction was rolled back: nothing it counted as created exists."""
        self.articles_created = self.articles_unchanged = 0
        self.spans_created = self.relations_created = self.document_labels_created = 0
        self.states_set = self.annotations_unchanged = 0
        self.labels_created = []


# --- the project as the import sees it -------------------------------------------------


@dataclass(frozen=True)
class Target:
    layer: str  # a Layer value
    annotator_id: int | None = None

    @property
    def part(self) -> str:
        return layer_part(self.layer, self.annotator_id)


@dataclass
class PreparedLayer:
    target: Target
    # (key, SpanRecord, label name) with keys made unique per file layer
    spans: list[tuple[str, Any, str]] = field(default_factory=list)
    relations: list[tuple[str, str, str]] = field(default_factory=list)  # (from key, to key, label)
    document_labels: list[str] = field(default_factory=list)
    state: str | None = None


@dataclass
class Prepared:
    where: Located
    article: CheckedArticle  # the record's; a stored article has the same text (same sha256)
    existing: bool  # the project has the article already
    layers: list[PreparedLayer]
    article_id: int | None = None  # the stored article's; for a new one, set once written


@dataclass(frozen=True)
class StoredArticle:
    id: int
    text_sha256: str


class ImportTarget:
    """Labels, annotators and rules of the project being imported into, loaded once."""

    def __init__(self, membership: Membership, options: ImportOptions) -> None:
        self.id = membership.project_id
        self.allow_overlap = membership.project.allow_overlapping_spans
        self.options = options
        self.labels: dict[tuple[str, str], Label] = {
            (lab.kind, lab.name): lab
            for lab in Label.objects.filter(project_id=self.id).prefetch_related(
                "allowed_sources", "allowed_targets"
            )
        }
        self.new_labels: dict[tuple[str, str], None] = {}  # ordered set, for create_labels
        self.pending: dict[tuple[str, str], None] = {}  # new labels of the record being checked
        self.annotators = {
            m.user.username: m.user_id
            for m in Membership.objects.filter(project_id=self.id, role__in=WRITE_OWN_LAYER).select_related(
                "user"
            )
        }
        self.override = self._override(options.layer)
        # relation label -> names of the span labels it may start at / point to (empty: any)
        self.rules: dict[str, tuple[set[str], set[str]]] = {}

    def _override(self, layer: str | None) -> Target | None:
        if layer is None or layer == "none":
            return None
        if layer == "gold":
            return Target(Layer.GOLD)
        if layer == "suggestions":
            return Target(Layer.SUGGESTION)
        username = layer.split(":", 1)[1]
        if username not in self.annotators:
            raise InvalidInput(
                f"{username!r} is not a member of this project who annotates.",
                fields={"layer": ["annotator:<username> of an annotating member"]},
            )
        return Target(Layer.ANNOTATOR, self.annotators[username])

    def target(self, layer: LayerRecord, path: str) -> Target:
        if self.override is not None:
            return self.override
        if layer.layer == GOLD:
            return Target(Layer.GOLD)
        if layer.layer == SUGGESTIONS:
            return Target(Layer.SUGGESTION)
        assert layer.layer == ANNOTATOR
        user_id = self.annotators.get(layer.annotator or "")
        if user_id is None:
            raise RecordError(
                f"{path}.annotator",
                f"{layer.annotator!r} is not a member of this project who annotates "
                "(add them, or import with layer=gold or layer=annotator:<username>)",
            )
        return Target(Layer.ANNOTATOR, user_id)

    def label(self, kind: str, name: str, path: str) -> str:
        """The project's name for a label the record uses; a new one waits in ``pending``
        until the whole record is known to be valid."""
        name = name.strip()  # as label_create stores names
        if (kind, name) in self.labels:
            return name
        if not name or len(name) > 100:
            raise RecordError(path, "a label name must be 1 to 100 characters")
        try:
            check_storable(name, "label")
        except DomainError as exc:
            raise RecordError(path, exc.message) from None
        if self.options.create_labels:
            self.pending[(kind, name)] = None
            return name
        known = sorted(n for k, n in self.labels if k == kind)
        close = [n for n in known if n.casefold() == name.casefold()]
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise RecordError(
            path,
            f"unknown {kind} label {name!r}; {hint}known: {', '.join(known) or 'none'} "
            "(label names are case-sensitive; import with create_labels=true to add it)",
        )

    def check_relation(self, label: str, source: str, target: str, path: str) -> None:
        rule = self.rules.get(label)
        if rule is None:
            stored = self.labels.get((LabelKind.RELATION, label))
            if stored is None:
                return  # created by this import: no constraints yet
            # Once per label, not per relation: every .all() builds a queryset.
            rule = self.rules[label] = (
                {lab.name for lab in stored.allowed_sources.all()},
                {lab.name for lab in stored.allowed_targets.all()},
            )
        sources, targets = rule
        if sources and source not in sources:
            raise RecordError(f"{path}.from", f"{label} must start at a {' or '.join(sorted(sources))} span")
        if targets and target not in targets:
            raise RecordError(f"{path}.to", f"{label} must point to a {' or '.join(sorted(targets))} span")


# --- checking one record --------------------------------------------------------------


def _article(record: ArticleRecord) -> CheckedArticle:
    published = None
    if record.published_at:
        try:
            published = dt.date.fromisoformat(record.published_at)
        except ValueError:
            raise RecordError("published_at", "must be an ISO date (YYYY-MM-DD)") from None
    try:
        article = article_check(
            ArticleInput(
                text=record.text,
                external_id=record.external_id,
                title=record.title,
                source_url=record.source_url,
                published_at=published,
                meta=record.meta,
            )
        )
    except DomainError as exc:
        name, messages = next(iter((exc.fields or {"text": [exc.message]}).items()))
        raise RecordError(name, messages[0]) from None
    if record.text_sha256 is not None and record.text_sha256.lower() != article.text_sha256:
        raise RecordError("text_sha256", f"does not match the text (its sha256 is {article.text_sha256})")
    return article


def _prepare_layer(project: ImportTarget, text: str, layer: LayerRecord, index: int) -> PreparedLayer:
    # Runs for every layer of every record: paths for messages are built only on error.
    path = f"annotations[{index}]"
    prepared = PreparedLayer(target=project.target(layer, path))
    known = project.labels
    labels_by_key: dict[str, str] = {}
    aliases: dict[str, str] = {}  # key of a span repeated in the layer -> key of its first copy
    first_of: dict[tuple[int, int, str], str] = {}
    size = len(text)
    for j, span in enumerate(layer.spans):
        start, end = span.start, span.end
        if not 0 <= start < end <= size:
            where = f"{path}.spans[{j}]"
            raise RecordError(
                f"{where}.end" if start >= 0 else f"{where}.start",
                f"[{start}, {end}) is not inside the text (0 <= start < end <= {size})",
            )
        if span.text is not None and span.text != text[start:end]:
            actual = text[start:end]
            raise RecordError(
                f"{path}.spans[{j}].text", f"{span.text[:60]!r} differs from the article's {actual[:60]!r}"
            )
        label = span.label
        # Stored names are stripped (label_create), so one found as it is is the project's.
        if (LabelKind.SPAN, label) not in known:
            label = project.label(LabelKind.SPAN, label, f"{path}.spans[{j}].label")
        key = f"{index}:{span.key if span.key is not None else f'#{j}'}"
        if key in labels_by_key:
            raise RecordError(f"{path}.spans[{j}].id", f"repeats the id of another span ({span.key})")
        labels_by_key[key] = label
        aliases[key] = first_of.setdefault((start, end, label), key)
        prepared.spans.append((key, span, label))
    for j, rel in enumerate(layer.relations):
        source, target = f"{index}:{rel.source}", f"{index}:{rel.target}"
        if source not in labels_by_key or target not in labels_by_key:
            end_name, key = ("from", source) if source not in labels_by_key else ("to", target)
            raise RecordError(
                f"{path}.relations[{j}].{end_name}", f"no span with id {key.split(':', 1)[1]!r} in this layer"
            )
        if aliases[source] == aliases[target]:
            same = "" if source == target else " (these two are the same span)"
            raise RecordError(f"{path}.relations[{j}].to", f"a relation needs two different spans{same}")
        label = rel.label
        if (LabelKind.RELATION, label) not in known:
            label = project.label(LabelKind.RELATION, label, f"{path}.relations[{j}].label")
        project.check_relation(label, labels_by_key[source], labels_by_key[target], f"{path}.relations[{j}]")
        prepared.relations.append((source, target, label))
    for j, name in enumerate(layer.document_labels):
        prepared.document_labels.append(
            project.label(LabelKind.DOCUMENT, name, f"{path}.document_labels[{j}]")
        )
    if layer.state is not None and prepared.target.layer == Layer.ANNOTATOR:
        if layer.state not in STATES:
            raise RecordError(f"{path}.state", f"must be one of {', '.join(Status.values)}")
        prepared.state = layer.state
    return prepared


def _prepare(
    project: ImportTarget, parsed: Parsed, article: CheckedArticle, existing: dict[str, StoredArticle]
) -> Prepared:
    assert parsed.record is not None
    found = existing.get(article.external_id)
    if found is not None and found.text_sha256 != article.text_sha256:
        raise RecordError("text", f"conflict: article {article.external_id!r} exists with different text")
    layers = (
        []
        if project.options.layer == "none"
        else [_prepare_layer(project, article.text, layer, i) for i, layer in enumerate(parsed.record.layers)]
    )
    if not project.allow_overlap:
        _check_overlap(layers)
        if found is not None:
            for layer in layers:
                _check_stored_overlap(found.id, layer)
    if found is None:
        return Prepared(parsed.where, article, existing=False, layers=layers)
    return Prepared(parsed.where, article, existing=True, layers=layers, article_id=found.id)


def _check_overlap(layers: list[PreparedLayer]) -> None:
    """No two different spans overlap in one target layer (file layers may share a target)."""
    by_target: dict[Target, dict[tuple[int, int, str], int]] = {}  # span -> index of its file layer
    for index, layer in enumerate(layers):
        spans = by_target.setdefault(layer.target, {})
        for _, rec, name in layer.spans:
            spans.setdefault((rec.start, rec.end, name), index)
    for spans in by_target.values():
        for a, b in pairwise(sorted(spans)):
            if b[0] < a[1]:
                field = f"annotations[{spans[b]}].spans" if spans[a] == spans[b] else "annotations"
                raise RecordError(
                    field,
                    f"this project does not allow overlapping spans: [{a[0]}, {a[1]}) overlaps [{b[0]}, {b[1]})",
                )


def _check_stored_overlap(article_id: int, layer: PreparedLayer) -> None:
    stored = Span.objects.filter(
        article_id=article_id, layer=layer.target.layer, annotator_id=layer.target.annotator_id
    ).values_list("start", "end", "label__name")
    for start, end, label in stored:
        for _key, rec, name in layer.spans:
            same = (rec.start, rec.end, name) == (start, end, label)  # already there: not added
            if not same and rec.start < end and start < rec.end:
                raise RecordError(
                    "annotations",
                    f"this project does not allow overlapping spans: [{rec.start}, {rec.end}) overlaps "
                    f"the stored span [{start}, {end})",
                )


def _chunks(items: Iterable[Parsed], size: int) -> Iterator[list[Parsed]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _checked(
    project: ImportTarget,
    parsed_items: Iterable[Parsed],
    report: Report,
    before_checking: Callable[[int, int], None],
) -> Iterator[tuple[list[Prepared], bool]]:
    """The valid records, prepared, in chunks, each with whether it ends its lookup (see
    LOOKUP); each problem goes into the report.

    ``before_checking(new articles, spans)`` runs once a lookup's stored articles are found,
    before its records are checked, with how many of its articles are new and how many
    spans they have at most. The lookup, a read, waited for all that was sent before it:
    the moment to reserve ids and to send the rows held back, which the database then
    stores while the next records are checked."""
    seen: dict[str, Located] = {}
    for group in _chunks(parsed_items, LOOKUP):
        built: list[CheckedArticle | RecordError] = []
        for parsed in group:
            try:
                built.append(_article(parsed.record) if parsed.record is not None else parsed.errors[0])
            except RecordError as err:
                built.append(err)
        ids = [a.external_id for a in built if isinstance(a, CheckedArticle)]
        # Only the id and hash of stored articles: a re-import need not read their texts.
        existing = {
            external_id: StoredArticle(pk, sha)
            for external_id, pk, sha in Article.objects.filter(project_id=project.id, external_id__in=ids)
            .order_by()  # no ORDER BY id: SQLite would then scan the project's articles in order
            .values_list("external_id", "pk", "text_sha256")
        }
        before_checking(
            sum(isinstance(a, CheckedArticle) and a.external_id not in existing for a in built),
            sum(len(layer.spans) for p in group if p.record is not None for layer in p.record.layers),
        )
        for start in range(0, len(group), CHUNK):
            checked = (
                _check(project, parsed, article, existing, seen, report)
                for parsed, article in zip(
                    group[start : start + CHUNK], built[start : start + CHUNK], strict=True
                )
            )
            yield [p for p in checked if p is not None], start + CHUNK >= len(group)


def _check(
    project: ImportTarget,
    parsed: Parsed,
    article: CheckedArticle | RecordError,
    existing: dict[str, StoredArticle],
    seen: dict[str, Located],
    report: Report,
) -> Prepared | None:
    """One record prepared, or None with its problem in the report."""
    report.records += 1
    project.pending.clear()
    try:
        if isinstance(article, RecordError):
            raise article
        prepared = _prepare(project, parsed, article, existing)
        first = seen.setdefault(prepared.article.external_id, parsed.where)
        if first != parsed.where:
            raise RecordError(
                "id", f"repeats the id of line {first.line}" + (f" of {first.file}" if first.file else "")
            )
    except RecordError as err:
        report.error(parsed.where, err)
        report.conflicts += err.message.startswith("conflict:")
        return None
    project.new_labels.update(project.pending)
    return prepared


# --- writing ----------------------------------------------------------------------

# Columns as insert_rows writes them (the models' NOT NULL columns all given). The import
# writes plain value tuples, not model instances: bulk_create's instances and per-value
# preparation were four fifths of the writing.
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

    def __init__(self, project: ImportTarget, actor: User, report: Report) -> None:
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

    def reserve(self, articles: int, spans: int) -> None:
        """Ids for the records about to be checked (at most this many articles and spans)."""
        self.article_ids.reserve(articles)
        self.span_ids.reserve(spans)

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

    def _layer_columns(self, target: Target) -> tuple[Any, ...]:
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
                    # Suggestions of two recognisers on one range are two suggestions.
                    recogniser = (rec.recogniser or "import") if suggestion else ""
                    ident = (
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
            for layer in prepared.layers:
                target = layer.target
                part = (article_id, target.part)
                status = SuggestionStatus.PENDING if target.layer == Layer.SUGGESTION else ""
                # label_id goes in front, source and target ids at the end
                shared = (*self._layer_columns(target), "", "", None, status, NO_ATTRIBUTES, 1, now, now)
                for source_key, target_key, name in layer.relations:
                    label_id = labels[(LabelKind.RELATION, name)].pk
                    ident = (span_ids[(article_id, source_key)], span_ids[(article_id, target_key)], label_id)
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
            .values_list("source_id", "target_id", "label_id")
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


def _stored_spans(article_ids: list[int]) -> dict[tuple[Any, ...], int]:
    """The spans of these articles (ids ascending) by what they are (the key Writer.build
    dedups on) -> id."""
    rows = Span.objects.filter(of_articles(article_ids)).order_by()
    return {
        (a, layer, who, s, e, lab, rec if layer == Layer.SUGGESTION else ""): pk
        for pk, a, layer, who, s, e, lab, rec in rows.values_list(
            "pk", "article_id", "layer", "annotator_id", "start", "end", "label_id", "recogniser"
        )
    }


# --- the whole import -------------------------------------------------------------------


def limits() -> files.Limits:
    return files.Limits(
        line_bytes=settings.ANNOTATOR_MAX_IMPORT_LINE_BYTES,
        file_bytes=settings.ANNOTATOR_MAX_IMPORT_FILE_BYTES,
        zip_entries=settings.ANNOTATOR_MAX_ZIP_ENTRIES,
        zip_bytes=settings.ANNOTATOR_MAX_ZIP_BYTES,
    )


class _NothingToKeep(Exception):
    """Rolls the import's transaction back: errors with on_error=abort, or no valid record."""


def import_file(
    *,
    actor: User,
    project_id: int,
    open_file: Opener,
    filename: str,
    options: ImportOptions,
    progress: Progress | None = None,
) -> Report:
    """Check every record and write the valid ones, in one transaction (admins only).

    With on_error=abort (the default) any error means nothing is written."""
    membership = membership_get(user=actor, project_id=project_id)
    require_admin(membership, "import articles")
    options.check()
    project = ImportTarget(membership, options)
    report = Report(format=options.format, filename=filename)
    tell = progress or (lambda done, total, message: None)
    with open_file() as stream:
        total = files.records_at_most(stream, filename)

    abort = options.on_error == "abort"
    try:
        # One transaction, one read of the file: each chunk of records is checked, then
        # written unless an aborting import has met an error (from then on it only checks,
        # to report every problem). An import that must not be kept is rolled back whole.
        with transaction.atomic(), open_file() as stream:
            writer = Writer(project, actor, report)
            records = files.read_upload(stream, filename, options.format, limits())

            def before_checking(articles: int, spans: int) -> None:
                writer.reserve(articles, spans)
                writer.send()  # held back, for the server to store while the next are checked

            with bulk_writes():
                for chunk, ends_lookup in _checked(project, records, report, before_checking):
                    if chunk and not (abort and report.error_count):
                        writer.create_labels()
                        writer.build(chunk)
                    if not ends_lookup:
                        writer.send()
                    tell(
                        report.records,
                        total,
                        f"{report.records} records read, {report.error_count} with errors",
                    )
                writer.send()
            report.valid = report.records - report.error_count
            if not report.valid or (abort and report.error_count):
                raise _NothingToKeep
            if writer.parts:
                changes_mark(project_id=project_id, parts=writer.parts, new_articles=writer.created)
    except _NothingToKeep:
        report.discard_writes()
        return report
    except IntegrityError:
        # Another import or writer added the same article meanwhile (its unique id).
        raise Conflict(
            "The project changed while the file was imported; nothing was written. Import it again."
        ) from None
    report.written = True
    log.info(
        "import into project %s: %d articles created, %d unchanged, %d spans",
        project_id,
        report.articles_created,
        report.articles_unchanged,
        report.spans_created,
    )
    return report
