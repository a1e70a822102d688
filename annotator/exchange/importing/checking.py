"""Checking records against the project: each one prepared for writing, or its errors
reported with the line and field they are about."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from annotator.annotations import rules
from annotator.annotations.models import Layer, Span, Status
from annotator.articles.models import Article
from annotator.articles.services import ArticleInput, CheckedArticle, article_check
from annotator.common.errors import DomainError
from annotator.exchange.formats.records import ArticleRecord, LayerRecord, Located, Parsed, RecordError
from annotator.exchange.importing.options import Report
from annotator.exchange.importing.schema import LayerTarget, ProjectSchema
from annotator.projects.models import LabelKind

# Records checked and written together. Small, so that a chunk's objects die young (with
# 500 the garbage collector kept re-scanning them).
CHUNK = 200
# Records whose stored articles are looked up at once. The lookup, a read, is where the
# import waits for the database: between two, each chunk is sent as it is built, and the
# server works through them while the next is checked.
LOOKUP = 5 * CHUNK
STATES = frozenset(Status.values)  # Status.values builds a new list at every use


@dataclass
class PreparedLayer:
    target: LayerTarget
    # (key, SpanRecord, label name) with keys made unique per file layer
    spans: list[tuple[str, Any, str]] = field(default_factory=list)
    relations: list[tuple[str, str, str]] = field(default_factory=list)  # (from key, to key, label)
    # Cross-article relations, resolved once the whole file is written (the other article may
    # come later in it): (from key, the other article's external id, its span's id, label, path)
    crossing: list[tuple[str, str, str, str, str]] = field(default_factory=list)
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


def _prepare_layer(project: ProjectSchema, text: str, layer: LayerRecord, index: int) -> PreparedLayer:
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
        aliases[key] = first_of.setdefault(rules.span_key(start, end, label), key)
        prepared.spans.append((key, span, label))
    for j, rel in enumerate(layer.relations):
        if rel.target_article is not None:
            prepared.crossing.append(
                _crossing(project, rel, f"{index}:{rel.source}", labels_by_key, f"{path}.relations[{j}]")
            )
            continue
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


def _crossing(
    project: ProjectSchema, rel: Any, source: str, labels_by_key: dict[str, str], path: str
) -> tuple[str, str, str, str, str]:
    """What can be checked of a cross-article relation before the file's end: its source and
    a stored label that may cross articles."""
    if source not in labels_by_key:
        raise RecordError(f"{path}.from", f"no span with id {str(rel.source)!r} in this layer")
    stored = project.labels.get((LabelKind.RELATION, rel.label))
    if stored is None:
        project.label(LabelKind.RELATION, rel.label, f"{path}.label")  # unknown: its error
        raise RecordError(f"{path}.label", f"{rel.label} is a new label: it cannot cross articles")
    if not stored.cross_article:
        raise RecordError(f"{path}.to", f"{rel.label} joins spans of one article; it cannot cross articles")
    return (source, str(rel.target_article), str(rel.target), rel.label, path)


def _prepare(
    project: ProjectSchema, parsed: Parsed, article: CheckedArticle, existing: dict[str, StoredArticle]
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
    by_target: dict[LayerTarget, dict[tuple[int, int, str], int]] = {}  # span -> index of its file layer
    for index, layer in enumerate(layers):
        spans = by_target.setdefault(layer.target, {})
        for _, rec, name in layer.spans:
            spans.setdefault(rules.span_key(rec.start, rec.end, name), index)
    for spans in by_target.values():
        pair = rules.first_overlapping_pair(spans)
        if pair is not None:
            a, b = pair
            field = f"annotations[{spans[b]}].spans" if spans[a] == spans[b] else "annotations"
            raise RecordError(
                field,
                f"this project does not allow overlapping spans: [{a[0]}, {a[1]}) overlaps [{b[0]}, {b[1]})",
            )


def _check_stored_overlap(article_id: int, layer: PreparedLayer) -> None:
    stored = Span.objects.filter(
        article_id=article_id, layer=layer.target.layer, annotator_id=layer.target.annotator_id
    ).values_list("start", "end", "label__name")
    # A span already stored is not added again: it overlaps nothing new.
    found = rules.first_overlapping_other(
        stored, [rules.span_key(rec.start, rec.end, name) for _key, rec, name in layer.spans]
    )
    if found is not None:
        (start, end, _label), (new_start, new_end, _name) = found
        raise RecordError(
            "annotations",
            f"this project does not allow overlapping spans: [{new_start}, {new_end}) overlaps "
            f"the stored span [{start}, {end})",
        )


def _chunks(items: Iterable[Parsed], size: int) -> Iterator[list[Parsed]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def checked(
    project: ProjectSchema,
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
    project: ProjectSchema,
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
