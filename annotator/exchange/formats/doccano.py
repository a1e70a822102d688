"""doccano JSONL: sequence labelling (``label``) and relation (``entities`` + ``relations``) forms.

doccano counts offsets in UTF-16 code units (its browser's string length) by default; a file can
also count code points (made through doccano's API) or grapheme clusters (doccano's grapheme
mode), chosen by ``offsets`` (see offsets.UNITS). They are converted to code points on the way
in and back on the way out. Export writes either form (``FORMS``): ``relations`` (entities,
relations and document labels: a doccano project with relations on) or ``label`` (``[[start,
end, label], ...]`` only: a plain sequence-labelling project). A ``label`` list of plain names
(doccano's text classification export) gives document labels. Everything goes into one gold
layer; the importer may re-target it. Ranges and label names are the importer's to check.
Pure: no Django.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from .checks import kind_name, need_int, need_key, need_str
from .offsets import UTF16, Converter, converter
from .records import GOLD, ArticleRecord, LayerRecord, RecordError, RelationRecord, SpanRecord

# Export forms: what a doccano project of each kind imports.
RELATIONS = "relations"
LABEL = "label"
FORMS = (RELATIONS, LABEL)

# Top-level keys with a meaning here; every other key is the article's metadata.
_OWN_KEYS = frozenset({"text", "label", "entities", "relations", "id", "meta"})
# Written into meta on export; read back into the record rather than left in meta, so a round
# trip does not grow the article's metadata.
_EXPORT_META = ("text_sha256", "article_id")


def _offset(conv: Converter, value: object, path: str) -> int:
    index = need_int(value, path)
    try:
        return conv.to_codepoint(index)
    except ValueError as exc:
        raise RecordError(path, str(exc)) from None


def _list(obj: dict[str, Any], key: str) -> list[Any]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError(key, f"must be an array, not {kind_name(value)}")
    return value


def _labels(items: list[Any], conv: Converter) -> tuple[list[SpanRecord], list[str]]:
    spans: list[SpanRecord] = []
    document_labels: list[str] = []
    for i, item in enumerate(items):
        path = f"label[{i}]"
        # doccano's text classification export uses the same key for a list of category names.
        if isinstance(item, str):
            document_labels.append(item)
            continue
        if not isinstance(item, list) or len(item) != 3:
            raise RecordError(path, "must be [start, end, label] (or a category name)")
        spans.append(
            SpanRecord(
                start=_offset(conv, item[0], f"{path}[0]"),
                end=_offset(conv, item[1], f"{path}[1]"),
                label=need_str(item[2], f"{path}[2]"),
                key=i,
            )
        )
    return spans, document_labels


def _entities(items: list[Any], conv: Converter) -> list[SpanRecord]:
    spans: list[SpanRecord] = []
    seen: set[str] = set()
    for i, item in enumerate(items):
        path = f"entities[{i}]"
        if not isinstance(item, dict):
            raise RecordError(path, f"must be an object, not {kind_name(item)}")
        key = need_key(item.get("id"), f"{path}.id")
        if str(key) in seen:
            raise RecordError(f"{path}.id", f"repeats entity id {key}")
        seen.add(str(key))
        spans.append(
            SpanRecord(
                start=_offset(conv, item.get("start_offset"), f"{path}.start_offset"),
                end=_offset(conv, item.get("end_offset"), f"{path}.end_offset"),
                label=need_str(item.get("label"), f"{path}.label"),
                key=key,
            )
        )
    return spans


def _relations(items: list[Any], spans: list[SpanRecord]) -> list[RelationRecord]:
    keys = {str(s.key): s.key for s in spans if s.key is not None}
    relations: list[RelationRecord] = []
    for i, item in enumerate(items):
        path = f"relations[{i}]"
        if not isinstance(item, dict):
            raise RecordError(path, f"must be an object, not {kind_name(item)}")
        ends: list[str | int] = []
        for end in ("from_id", "to_id"):
            ref = need_key(item.get(end), f"{path}.{end}")
            if str(ref) not in keys:
                raise RecordError(f"{path}.{end}", f"no entity with id {ref}")
            ends.append(keys[str(ref)])
        relations.append(
            RelationRecord(
                source=ends[0],
                target=ends[1],
                label=need_str(item.get("type"), f"{path}.type"),
                key=need_key(item["id"], f"{path}.id") if item.get("id") is not None else None,
            )
        )
    return relations


def from_json(obj: object, offsets: str = UTF16) -> ArticleRecord:
    """Read one doccano line's object, its offsets counted in ``offsets`` units; raises
    RecordError on the first problem found."""
    if not isinstance(obj, dict):
        raise RecordError("", f"each line must be a JSON object, not {kind_name(obj)}")
    text = need_str(obj.get("text"), "text")
    conv = converter(text, offsets)
    label_items, entity_items = _list(obj, "label"), _list(obj, "entities")
    if entity_items and any(not isinstance(item, str) for item in label_items):
        # Both would name spans by number, and relations could not tell which they mean.
        raise RecordError("label", "cannot be given with entities: use one doccano form per line")
    spans, document_labels = _labels(label_items, conv)
    spans += _entities(entity_items, conv)
    layer = LayerRecord(
        layer=GOLD,
        spans=spans,
        relations=_relations(_list(obj, "relations"), spans),
        document_labels=document_labels,
    )

    meta = {k: v for k, v in obj.items() if k not in _OWN_KEYS}
    extra = obj.get("meta")
    if extra is not None:
        if not isinstance(extra, dict):
            raise RecordError("meta", f"must be an object, not {kind_name(extra)}")
        meta.update(extra)
    text_sha256 = meta.get("text_sha256")
    for key in _EXPORT_META:
        meta.pop(key, None)

    external_id = obj.get("id")
    return ArticleRecord(
        text=text,
        external_id="" if external_id is None else str(need_key(external_id, "id")),
        meta=meta,
        text_sha256=text_sha256 if isinstance(text_sha256, str) else None,
        layers=[layer],
    )


def _entity_ids(spans: list[SpanRecord]) -> list[str | int]:
    # A span without a key still needs an id; pick numbers no keyed span uses.
    used = {str(s.key) for s in spans if s.key is not None}
    ids: list[str | int] = []
    candidate = 0
    for span in spans:
        if span.key is not None:
            ids.append(span.key)
            continue
        while str(candidate) in used:
            candidate += 1
        used.add(str(candidate))
        ids.append(candidate)
    return ids


def to_json(
    record: ArticleRecord, layer: LayerRecord, form: str = RELATIONS, offsets: str = UTF16
) -> dict[str, Any]:
    """One doccano object for ``layer`` of ``record`` in ``form``, offsets in ``offsets`` units.
    The ``label`` form has no room for relations or document labels: they are left out."""
    conv = converter(record.text, offsets)
    data: dict[str, Any] = {"id": record.external_id, "text": record.text}
    if form == LABEL:
        data["label"] = [
            [conv.to_units(span.start), conv.to_units(span.end, end=True), span.label] for span in layer.spans
        ]
    else:
        ids = _entity_ids(layer.spans)
        by_key = {str(s.key): entity_id for s, entity_id in zip(layer.spans, ids, strict=True)}
        data["entities"] = [
            {
                "id": entity_id,
                "label": span.label,
                "start_offset": conv.to_units(span.start),
                "end_offset": conv.to_units(span.end, end=True),
            }
            for span, entity_id in zip(layer.spans, ids, strict=True)
        ]
        data["relations"] = [
            {
                "id": n,
                "from_id": by_key.get(str(rel.source), rel.source),
                "to_id": by_key.get(str(rel.target), rel.target),
                "type": rel.label,
            }
            for n, rel in enumerate(layer.relations, start=1)
        ]
        # doccano's text-classification names, beside the entities; on every line, even when
        # empty, because doccano reads JSONL as a table whose missing cells break its import.
        data["label"] = list(layer.document_labels)
    data["meta"] = {
        **record.meta,
        "text_sha256": record.text_sha256 or hashlib.sha256(record.text.encode("utf-8")).hexdigest(),
        "article_id": record.article_id,
    }
    return data


def dumps(record: ArticleRecord, layer: LayerRecord, form: str = RELATIONS, offsets: str = UTF16) -> str:
    """One line of doccano JSONL, newline included."""
    return json.dumps(to_json(record, layer, form, offsets), ensure_ascii=False, separators=(",", ":")) + "\n"
