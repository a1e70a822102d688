"""What every format reads into and writes from: one article with its layers.

Pure: no Django. Offsets are code points, half-open ``[start, end)``. A format that counts
otherwise (doccano: UTF-16 code units) converts at its own edge with ``offsets``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1
OFFSETS = "codepoint"

# Layer names as files carry them.
ANNOTATOR = "annotator"
GOLD = "gold"
SUGGESTIONS = "suggestions"
LAYERS = (ANNOTATOR, GOLD, SUGGESTIONS)


class RecordError(ValueError):
    """One problem with one record: ``field`` is a dotted path inside it ("" = the whole record)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


@dataclass
class SpanRecord:
    start: int
    end: int
    label: str
    # A file-local key that relations use to name their ends (export: the span's id).
    # Keys compare as strings: 7 and "7" name the same span.
    key: str | int | None = None
    text: str | None = None  # when the file states it, it must equal article text[start:end]
    # suggestions only (import and export); on export also for spans accepted from one
    recogniser: str = ""
    recogniser_version: str = ""
    score: float | None = None
    status: str = ""  # a suggestion's pending / accepted / rejected
    attributes: dict[str, Any] = field(default_factory=dict)
    # export only
    provenance: dict[str, Any] | None = None
    created_by: str | None = None
    created_at: str | None = None
    updated_at: str | None = None


@dataclass
class RelationRecord:
    source: str | int  # a SpanRecord.key of the same layer
    target: str | int
    label: str
    # A cross-article relation (native only): the external id of the article whose span (of
    # the same layer, in the same file) ``target`` names; None for a span of this article.
    target_article: str | None = None
    key: str | int | None = None
    score: float | None = None  # suggestions only
    provenance: dict[str, Any] | None = None
    created_by: str | None = None
    created_at: str | None = None


@dataclass
class LayerRecord:
    layer: str  # ANNOTATOR, GOLD or SUGGESTIONS
    annotator: str | None = None  # username, for ANNOTATOR layers only
    spans: list[SpanRecord] = field(default_factory=list)
    relations: list[RelationRecord] = field(default_factory=list)
    document_labels: list[str] = field(default_factory=list)
    state: str | None = None  # the annotator's status on the article (ANNOTATOR layers)

    @property
    def name(self) -> str:
        """How reports and manifests name the layer: a username, "gold" or "suggestions"."""
        return f"{ANNOTATOR}:{self.annotator}" if self.layer == ANNOTATOR else self.layer


@dataclass
class ArticleRecord:
    text: str
    external_id: str = ""
    title: str = ""
    meta: dict[str, Any] = field(default_factory=dict)
    source_url: str = ""
    published_at: str | None = None  # ISO date
    text_sha256: str | None = None  # when the file states it, it must match the text
    layers: list[LayerRecord] = field(default_factory=list)
    # export only
    article_id: int | None = None
    deleted: bool = False  # an incremental pull's tombstone: the article is gone


@dataclass(frozen=True)
class Located:
    """Where a record came from, for per-line error reports. ``line`` is 1-based; for a JSON
    array it is the item's position; ``file`` names the zip entry ("" for a plain upload)."""

    file: str
    line: int


@dataclass
class Parsed:
    """One record read from a file, or the errors that stopped it."""

    where: Located
    record: ArticleRecord | None
    errors: list[RecordError] = field(default_factory=list)
