"""The native JSONL format: one article per line with every layer the reader may see.

Documented, with its versioned schema, in docs/formats.md. Pure: no Django.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

from .records import (
    ANNOTATOR,
    LAYERS,
    OFFSETS,
    SCHEMA_VERSION,
    SUGGESTIONS,
    ArticleRecord,
    LayerRecord,
    RecordError,
    RelationRecord,
    SpanRecord,
)

SUGGESTION_STATUSES = ("pending", "accepted", "rejected")


# --- writing ----------------------------------------------------------------------------
#
# The exporter builds each line's JSON object itself (annotator/exchange/exporting.py: the
# shape is documented in docs/formats.md); these turn one into bytes, or into a record for
# the formats that write records.


def dumps(obj: dict[str, Any]) -> bytes:
    """One line of native JSONL, UTF-8, newline included."""
    try:
        # orjson writes the same compact UTF-8 JSON as json, in a fraction of its time
        # (bench/README.md).
        return orjson.dumps(obj, option=orjson.OPT_APPEND_NEWLINE)
    except (orjson.JSONEncodeError, TypeError):  # e.g. an integer in meta beyond 64 bits
        return (json.dumps(obj, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


def _span_record(obj: dict[str, Any], suggestion: bool) -> SpanRecord:
    provenance = obj["provenance"]
    span = SpanRecord(
        start=obj["start"],
        end=obj["end"],
        label=obj["label"],
        key=obj["id"],
        text=obj["text"],
        attributes=obj.get("attributes", {}),
        provenance=provenance,
        created_by=obj["created_by"],
        created_at=obj["created_at"],
        updated_at=obj["updated_at"],
    )
    if suggestion:
        span.recogniser = provenance["recogniser"]
        span.recogniser_version = provenance["recogniser_version"]
        span.score = provenance["score"]
        span.status = provenance["status"]
    return span


def _relation_record(obj: dict[str, Any]) -> RelationRecord:
    provenance = obj["provenance"]
    return RelationRecord(
        source=obj["from"],
        target=obj["to"],
        label=obj["label"],
        key=obj["id"],
        score=provenance.get("score"),
        provenance=provenance,
        created_by=obj["created_by"],
        created_at=obj["created_at"],
    )


def to_record(obj: dict[str, Any]) -> ArticleRecord:
    """An exported line's object (as ``dumps`` writes it) as a record, for other formats."""
    if obj.get("deleted"):
        return ArticleRecord(text="", external_id=obj["id"], article_id=obj["article_id"], deleted=True)
    layers = []
    for item in obj["annotations"]:
        suggestion = item["layer"] == SUGGESTIONS
        layers.append(
            LayerRecord(
                layer=item["layer"],
                annotator=item.get("annotator"),
                spans=[_span_record(s, suggestion) for s in item["spans"]],
                relations=[_relation_record(r) for r in item["relations"]],
                document_labels=list(item["document_labels"]),
                state=item.get("state"),
            )
        )
    return ArticleRecord(
        text=obj["text"],
        external_id=obj["id"],
        title=obj["title"],
        meta=obj["meta"],
        source_url=obj["source_url"],
        published_at=obj["published_at"],
        text_sha256=obj["text_sha256"],
        layers=layers,
        article_id=obj["article_id"],
    )


# --- reading ----------------------------------------------------------------------------
# An import reads thousands of records a second, so the common case (each field present
# with the right type) is tested first, inline; anything else takes the general
# path through _field, which gives every error message.


_REQUIRED: Any = object()


def _field(
    obj: dict[str, Any], key: str, kind: type | tuple[type, ...], path: str, default: Any = _REQUIRED
) -> Any:
    """``obj[key]`` checked against ``kind``; null counts as absent (``default``, or required)."""
    value = obj.get(key)
    if type(value) is kind:
        return value
    if value is None:
        if default is _REQUIRED:
            raise RecordError(f"{path}{key}", "is required")
        return default
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
        names = "a number" if float in kinds else " or ".join(_TYPE_NAMES.get(k, k.__name__) for k in kinds)
        raise RecordError(
            f"{path}{key}", f"must be {names}, not {_TYPE_NAMES.get(type(value), type(value).__name__)}"
        )
    return value


_TYPE_NAMES: dict[type, str] = {
    float: "a number",
    str: "a string",
    int: "an integer",
    dict: "an object",
    list: "an array",
    bool: "true or false",
}


# The fields each level of a line may carry: what docs/formats.md lists, which is what an
# export writes. Anything else is an error, not dropped: a misplaced or misspelt field
# ("spans" beside "text", "lable") would otherwise lose its annotations without a word.
_ARTICLE_KEYS = frozenset(
    [
        "schema",
        "id",
        "article_id",
        "title",
        "source_url",
        "published_at",
        "meta",
        "text",
        "text_sha256",
        "offsets",
        "annotations",
        "deleted",
        "comments",  # exports with comments=1 carry them; an import leaves them out
    ]
)
# incoming_relations mirror relations of other lines (exports carry them); an import reads
# each relation where it lives, so it leaves them out.
_LAYER_KEYS = frozenset(
    ("layer", "annotator", "state", "spans", "relations", "document_labels", "incoming_relations")
)
_SPAN_KEYS = frozenset(
    (
        "id",
        "start",
        "end",
        "label",
        "text",
        "attributes",
        "provenance",
        "created_by",
        "created_at",
        "updated_at",
    )
)
_RELATION_KEYS = frozenset(
    ("id", "from", "to", "label", "provenance", "created_by", "created_at", "updated_at")
)
_OTHER_END_KEYS = frozenset(("article", "span"))  # "to" of a cross-article relation
# Where a field found at the wrong level belongs.
_BELONGS = {
    "spans": "an annotations entry",
    "relations": "an annotations entry",
    "document_labels": "an annotations entry",
    "layer": "an annotations entry",
    "annotator": "an annotations entry",
    "state": "an annotations entry",
    "start": "a span",
    "end": "a span",
    "label": "a span or relation",
}


def _only_known(obj: dict[str, Any], known: frozenset[str], path: str) -> None:
    if known.issuperset(obj):
        return
    name = min(key for key in obj if key not in known)
    where = _BELONGS.get(name)
    hint = f" ({name} belongs in {where}; see docs/formats.md)" if where else ""
    raise RecordError(
        f"{path}{name}", f"is not a field here{hint}; the fields are {', '.join(sorted(known))}"
    )


def _key(value: object, path: str) -> str | int:
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise RecordError(path, "must be a string or an integer")
    return value


def _span(obj: object, path: str, layer: str) -> SpanRecord:
    if not isinstance(obj, dict):
        raise RecordError(path, "must be an object")
    _only_known(obj, _SPAN_KEYS, f"{path}.")
    get = obj.get
    start, end, label = get("start"), get("end"), get("label")
    if type(start) is not int or type(end) is not int or type(label) is not str:
        prefix = f"{path}."
        start = _field(obj, "start", int, prefix)
        end = _field(obj, "end", int, prefix)
        label = _field(obj, "label", str, prefix)
    key = get("id")
    if key is not None and type(key) is not str and type(key) is not int:
        key = _key(key, f"{path}.id")
    text = get("text")
    if text is not None and type(text) is not str:
        text = _field(obj, "text", str, f"{path}.")
    attributes = get("attributes")
    if type(attributes) is not dict:
        attributes = _field(obj, "attributes", dict, f"{path}.", default={})
    provenance = get("provenance")
    if provenance is not None and type(provenance) is not dict:
        provenance = _field(obj, "provenance", dict, f"{path}.")
    span = SpanRecord(start=start, end=end, label=label, key=key, text=text, attributes=attributes)
    if layer == SUGGESTIONS:
        provenance = provenance or {}
        where = f"{path}.provenance."
        span.recogniser = _field(provenance, "recogniser", str, where, default="import") or "import"
        span.recogniser_version = _field(provenance, "recogniser_version", str, where, default="")
        score = _field(provenance, "score", (int, float), where, default=None)
        span.score = float(score) if score is not None else None
        status = _field(provenance, "status", str, where, default="pending") or "pending"
        if status not in SUGGESTION_STATUSES:
            raise RecordError(f"{where}status", f"must be one of {', '.join(SUGGESTION_STATUSES)}")
        span.status = status
    return span


def _relation(obj: object, path: str) -> RelationRecord:
    if not isinstance(obj, dict):
        raise RecordError(path, "must be an object")
    _only_known(obj, _RELATION_KEYS, f"{path}.")
    source, target, label = obj.get("from"), obj.get("to"), obj.get("label")
    if type(source) is str and type(target) is str and type(label) is str:
        return RelationRecord(source=source, target=target, label=label)
    for end in ("from", "to"):
        if obj.get(end) is None:
            raise RecordError(f"{path}.{end}", "is required (the id of a span in this layer)")
    target, target_article = obj["to"], None
    if isinstance(target, dict):  # {"article": external id, "span": id}: a cross-article relation
        _only_known(target, _OTHER_END_KEYS, f"{path}.to.")
        for key in ("article", "span"):
            if target.get(key) is None:
                raise RecordError(f"{path}.to.{key}", "is required")
        target_article = str(_key(target["article"], f"{path}.to.article"))
        target = target["span"]
    return RelationRecord(
        source=_key(obj["from"], f"{path}.from"),
        target=_key(target, f"{path}.to"),
        label=_field(obj, "label", str, f"{path}."),
        target_article=target_article,
    )


def _document_label(obj: object, path: str) -> str:
    if isinstance(obj, str):
        return obj
    if isinstance(obj, dict) and isinstance(obj.get("label"), str):
        return str(obj["label"])
    raise RecordError(path, 'must be a label name or {"label": name}')


def _layer(obj: object, path: str) -> LayerRecord:
    if not isinstance(obj, dict):
        raise RecordError(path, "must be an object")
    prefix = f"{path}."
    _only_known(obj, _LAYER_KEYS, prefix)
    name = _field(obj, "layer", str, prefix)
    if name not in LAYERS:
        raise RecordError(f"{prefix}layer", f"must be one of {', '.join(LAYERS)}")
    layer = LayerRecord(layer=name)
    if name == ANNOTATOR:
        layer.annotator = _field(obj, "annotator", str, prefix)
        layer.state = _field(obj, "state", str, prefix, default=None)
    layer.spans = [
        _span(s, f"{prefix}spans[{i}]", name) for i, s in enumerate(_field(obj, "spans", list, prefix, []))
    ]
    layer.relations = [
        _relation(r, f"{prefix}relations[{i}]")
        for i, r in enumerate(_field(obj, "relations", list, prefix, []))
    ]
    if name != SUGGESTIONS:  # suggested document labels are not a thing (yet)
        layer.document_labels = [
            _document_label(d, f"{prefix}document_labels[{i}]")
            for i, d in enumerate(_field(obj, "document_labels", list, prefix, []))
        ]
    return layer


def from_json(obj: object) -> ArticleRecord:
    """Read one line's object; raises RecordError on the first problem found."""
    if not isinstance(obj, dict):
        raise RecordError("", f"each line must be a JSON object, not {type(obj).__name__}")
    if obj.get("deleted") is True:
        raise RecordError("deleted", "a deletion line (from an incremental pull) cannot be imported")
    _only_known(obj, _ARTICLE_KEYS, "")
    schema = obj.get("schema", SCHEMA_VERSION)
    if schema != SCHEMA_VERSION or type(schema) is not int:
        raise RecordError("schema", f"must be {SCHEMA_VERSION}, the native schema version this server reads")
    offsets = obj.get("offsets", OFFSETS)
    if offsets != OFFSETS:
        raise RecordError("offsets", f'must be "{OFFSETS}" (offsets count Unicode code points)')
    external_id = _field(obj, "id", (str, int), "", default="")
    return ArticleRecord(
        text=_field(obj, "text", str, ""),
        external_id=str(external_id),
        title=_field(obj, "title", str, "", default=""),
        meta=_field(obj, "meta", dict, "", default={}),
        source_url=_field(obj, "source_url", str, "", default=""),
        published_at=_field(obj, "published_at", str, "", default=None),
        text_sha256=_field(obj, "text_sha256", str, "", default=None),
        layers=[
            _layer(item, f"annotations[{i}]")
            for i, item in enumerate(_field(obj, "annotations", list, "", default=[]))
        ],
    )
