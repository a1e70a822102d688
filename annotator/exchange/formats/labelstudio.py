"""Label Studio JSON tasks: ``data`` with the text, ``annotations`` and ``predictions``.

Label Studio (since 1.4's fix for emoji) stores Text offsets in code points, as we do; older
exports counted UTF-16 units, which the importer's check of each region's ``text`` catches.

Writing: Label Studio takes ``completed_by`` only as one of its own user ids or ``{"email": ...}``
of one of its members, so the file leaves it out (Label Studio credits the user who imports) and
names each annotation's layer in the ``meta`` of every result instead (``{"layer": "gold"}`` or
``{"layer": "annotator", "annotator": "alice"}``), which Label Studio stores and exports as it
was given. Gold is marked ``ground_truth``, other layers explicitly not (Label Studio's import
would mark them). Layers with nothing Label Studio can hold (no regions, relations or document
labels) are left out rather than written as empty annotations.

Reading: each annotation is a layer: the one its results' ``meta`` names; else gold when marked
``ground_truth`` or when ``completed_by`` is not a username (Label Studio's own user id, or an
``{"email"}``); else the annotator with that username. Cancelled (skipped) annotations are left out;
all predictions together make the suggestions layer. A region with several labels gives one span
per label; relations naming it attach to the first. A ``left`` relation is turned round so that
``source`` is always where the arrow starts; an unlabelled relation gets the label "" (for the
importer to refuse or map). Result types other than labels, relation and document-level choices
are skipped. Pure: no Django.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from .checks import kind_name, need_int, need_key, need_str
from .records import (
    ANNOTATOR,
    GOLD,
    SUGGESTIONS,
    ArticleRecord,
    LayerRecord,
    RecordError,
    RelationRecord,
    SpanRecord,
)

FROM_NAME = "label"
TO_NAME = "text"
DOCUMENT_FROM_NAME = "document"
LAYER_KEY = "layer"  # in a result's meta: which of our layers the annotation is
ANNOTATOR_KEY = "annotator"

_OWN_DATA_KEYS = frozenset({"text", "title", "id", "external_id", "meta", "text_sha256", "article_id"})


def _score(value: object, path: str) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise RecordError(path, f"must be a number, not {kind_name(value)}")
    return float(value)


def _dict(value: object, path: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise RecordError(path, f"must be an object, not {kind_name(value)}")
    return value


def _list(obj: dict[str, Any], key: str, path: str) -> list[Any]:
    value = obj.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise RecordError(f"{path}{key}", f"must be an array, not {kind_name(value)}")
    return value


def _strings(obj: dict[str, Any], key: str, path: str) -> list[str]:
    return [need_str(v, f"{path}{key}[{i}]") for i, v in enumerate(_list(obj, key, path))]


def _unique(candidate: str | int, used: set[str]) -> str | int:
    # Keys must be unique within a layer; result ids are only unique within one annotation or
    # prediction, and a multi-label region yields several spans.
    key, n = candidate, 1
    while str(key) in used:
        n += 1
        key = f"{candidate}-{n}"
    used.add(str(key))
    return key


@dataclass
class _Origin:
    """What a prediction stamps on each suggestion it makes."""

    recogniser: str
    version: str
    score: float | None
    used: set[str] = field(default_factory=set)
    # relation items (with their path and origin) waiting for every prediction's regions
    pending: list[tuple[list[tuple[int, dict[str, Any]]], str, _Origin]] | None = None


def _region(
    item: dict[str, Any], path: str, layer: LayerRecord, used: set[str], origin: _Origin | None
) -> str | int | None:
    """Add a labels result's spans to ``layer``; returns the key relations should use for it."""
    value = _dict(item.get("value"), f"{path}.value")
    start = need_int(value.get("start"), f"{path}.value.start")
    end = need_int(value.get("end"), f"{path}.value.end")
    text = value.get("text")
    if text is not None:
        text = need_str(text, f"{path}.value.text")
    labels = _strings(value, "labels", f"{path}.value.")
    if not labels:
        raise RecordError(f"{path}.value.labels", "must name at least one label")
    result_id = need_key(item["id"], f"{path}.id") if item.get("id") is not None else None
    score = _score(item.get("score"), f"{path}.score")
    keys: list[str | int | None] = []
    for n, label in enumerate(labels):
        key: str | int | None = None
        if result_id is not None:
            key = _unique(result_id if n == 0 else f"{result_id}.{n + 1}", used)
        span = SpanRecord(start=start, end=end, label=label, key=key, text=text)
        if origin is not None:
            span.recogniser = origin.recogniser
            span.recogniser_version = origin.version
            span.score = score if score is not None else origin.score
            span.status = "pending"
        layer.spans.append(span)
        keys.append(key)
    return keys[0]


def _relations(
    items: list[tuple[int, dict[str, Any]]],
    path: str,
    regions: dict[str, str | int],
    origin: _Origin | None,
) -> list[RelationRecord]:
    relations: list[RelationRecord] = []
    for j, item in items:
        where = f"{path}.result[{j}]"
        ends: list[str | int] = []
        for end in ("from_id", "to_id"):
            ref = need_key(item.get(end), f"{where}.{end}")
            if str(ref) not in regions:
                raise RecordError(f"{where}.{end}", f"no labels result with id {ref}")
            ends.append(regions[str(ref)])
        source, target = ends
        if item.get("direction") == "left":
            source, target = target, source
        score = _score(item.get("score"), f"{where}.score") if origin is not None else None
        if origin is not None and score is None:
            score = origin.score
        relations += [
            RelationRecord(source=source, target=target, label=label, score=score)
            for label in (_strings(item, "labels", f"{where}.") or [""])
        ]
    return relations


def _results(
    obj: dict[str, Any],
    path: str,
    layer: LayerRecord,
    origin: _Origin | None,
    regions: dict[str, str | int] | None = None,
) -> None:
    """Read one annotation's or prediction's ``result`` list into ``layer``. Predictions share
    ``regions``: a suggested relation may join spans of two predictions (two recognisers)."""
    used = origin.used if origin is not None else {str(s.key) for s in layer.spans}
    regions = {} if regions is None else regions
    relation_items: list[tuple[int, dict[str, Any]]] = []
    for j, raw in enumerate(_list(obj, "result", f"{path}.")):
        where = f"{path}.result[{j}]"
        item = _dict(raw, where)
        kind = item.get("type")
        if kind == "labels":
            key = _region(item, where, layer, used, origin)
            if key is not None:
                regions.setdefault(str(item["id"]), key)
        elif kind == "relation":
            relation_items.append((j, item))  # its ends may come later in the list
        elif kind == "choices" and origin is None:
            value = _dict(item.get("value"), f"{where}.value")
            if "start" in value:  # a per-region classification, not one of the document
                continue
            for choice in _strings(value, "choices", f"{where}.value."):
                if choice not in layer.document_labels:
                    layer.document_labels.append(choice)
    if origin is not None and origin.pending is not None:
        origin.pending.append((relation_items, path, origin))  # resolved once every prediction is read
    else:
        layer.relations += _relations(relation_items, path, regions, origin)


def _layer_of(annotation: dict[str, Any], path: str) -> LayerRecord:
    """The layer an annotation holds: as its results' meta says, else by Label Studio's fields."""
    for item in _list(annotation, "result", f"{path}."):
        meta = item.get("meta") if isinstance(item, dict) else None
        if not isinstance(meta, dict):
            continue
        if meta.get(LAYER_KEY) == GOLD:
            return LayerRecord(layer=GOLD)
        annotator = meta.get(ANNOTATOR_KEY)
        if meta.get(LAYER_KEY) == ANNOTATOR and isinstance(annotator, str) and annotator:
            return LayerRecord(layer=ANNOTATOR, annotator=annotator)
    completed_by = annotation.get("completed_by")
    if annotation.get("ground_truth") is True or not isinstance(completed_by, str) or not completed_by:
        return LayerRecord(layer=GOLD)
    return LayerRecord(layer=ANNOTATOR, annotator=completed_by)


def _origin(prediction: dict[str, Any], path: str, used: set[str]) -> _Origin:
    model_version = prediction.get("model_version")
    name = "" if model_version is None else str(need_key(model_version, f"{path}.model_version"))
    recogniser, at, version = name.rpartition("@")
    if not at:
        recogniser, version = name, ""
    return _Origin(
        recogniser=recogniser or "import",
        version=version,
        score=_score(prediction.get("score"), f"{path}.score"),
        used=used,
    )


def from_json(obj: object) -> ArticleRecord:
    """Read one Label Studio task; raises RecordError on the first problem found."""
    task = _dict(obj, "")
    data = _dict(task.get("data"), "data")
    text = need_str(data.get("text"), "data.text")

    external_id = ""
    for value, path in ((data.get("id"), "data.id"), (data.get("external_id"), "data.external_id")):
        if value is not None:
            external_id = str(need_key(value, path))
            break
    else:
        if task.get("id") is not None:
            external_id = str(need_key(task["id"], "id"))

    meta = {k: v for k, v in data.items() if k not in _OWN_DATA_KEYS}
    extra = data.get("meta")
    if isinstance(extra, dict):
        meta.update(extra)
    elif extra is not None:
        meta["meta"] = extra
    text_sha256 = data.get("text_sha256")

    layers: list[LayerRecord] = []
    for i, raw in enumerate(_list(task, "annotations", "")):
        path = f"annotations[{i}]"
        annotation = _dict(raw, path)
        if annotation.get("was_cancelled") is True:
            continue
        layer = _layer_of(annotation, path)
        _results(annotation, path, layer, None)
        layers.append(layer)

    # Label Studio's plain JSON export lists predictions by id only: nothing to read in those.
    predictions = [p for p in _list(task, "predictions", "") if isinstance(p, bool) or not isinstance(p, int)]
    if predictions:
        suggestions = LayerRecord(layer=SUGGESTIONS)
        used: set[str] = set()
        regions: dict[str, str | int] = {}
        pending: list[tuple[list[tuple[int, dict[str, Any]]], str, _Origin]] = []
        for i, raw in enumerate(predictions):
            path = f"predictions[{i}]"
            prediction = _dict(raw, path)
            origin = _origin(prediction, path, used)
            origin.pending = pending
            _results(prediction, path, suggestions, origin, regions)
        for items, path, origin in pending:
            suggestions.relations += _relations(items, path, regions, origin)
        layers.append(suggestions)

    title = data.get("title")
    return ArticleRecord(
        text=text,
        external_id=external_id,
        title=title if isinstance(title, str) else "",
        meta=meta,
        text_sha256=text_sha256 if isinstance(text_sha256, str) else None,
        layers=layers,
    )


# --- writing ----------------------------------------------------------------------------


def _result_ids(spans: list[SpanRecord]) -> list[str]:
    # Label Studio ids are strings; a span without a key gets a number no keyed span uses.
    used = {str(s.key) for s in spans if s.key is not None}
    ids: list[str] = []
    candidate = 0
    for span in spans:
        if span.key is not None:
            ids.append(str(span.key))
            continue
        while str(candidate) in used:
            candidate += 1
        used.add(str(candidate))
        ids.append(str(candidate))
    return ids


def _region_json(text: str, span: SpanRecord, result_id: str, with_score: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        "id": result_id,
        "from_name": FROM_NAME,
        "to_name": TO_NAME,
        "type": "labels",
        "value": {
            "start": span.start,
            "end": span.end,
            "text": text[span.start : span.end],
            "labels": [span.label],
        },
    }
    if with_score and span.score is not None:
        item["score"] = span.score
    return item


def _relation_json(rel: RelationRecord, ids: dict[str, str], with_score: bool) -> dict[str, Any]:
    item: dict[str, Any] = {
        "from_id": ids.get(str(rel.source), str(rel.source)),
        "to_id": ids.get(str(rel.target), str(rel.target)),
        "type": "relation",
        "direction": "right",
        "labels": [rel.label],
    }
    if with_score and rel.score is not None:
        item["score"] = rel.score
    return item


def _annotation_json(text: str, layer: LayerRecord) -> dict[str, Any] | None:
    """The layer as one Label Studio annotation; None when it holds nothing to write."""
    ids = _result_ids(layer.spans)
    by_key = {str(s.key): rid for s, rid in zip(layer.spans, ids, strict=True)}
    result = [_region_json(text, s, rid, False) for s, rid in zip(layer.spans, ids, strict=True)]
    result += [_relation_json(r, by_key, False) for r in layer.relations]
    if layer.document_labels:
        result.append(
            {
                "from_name": DOCUMENT_FROM_NAME,
                "to_name": TO_NAME,
                "type": "choices",
                "value": {"choices": list(layer.document_labels)},
            }
        )
    if not result:
        return None
    meta: dict[str, Any] = {LAYER_KEY: layer.layer}
    if layer.layer == ANNOTATOR:
        meta[ANNOTATOR_KEY] = layer.annotator
    for item in result:
        item["meta"] = dict(meta)
    return {"ground_truth": layer.layer == GOLD, "result": result}


def _predictions_json(text: str, layer: LayerRecord) -> list[dict[str, Any]]:
    ids = _result_ids(layer.spans)
    by_key = {str(s.key): rid for s, rid in zip(layer.spans, ids, strict=True)}
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    group_of: dict[str, tuple[str, str]] = {}
    for span, rid in zip(layer.spans, ids, strict=True):
        origin = (span.recogniser, span.recogniser_version)
        groups.setdefault(origin, []).append(_region_json(text, span, rid, True))
        group_of[rid] = origin
    for rel in layer.relations:
        # A relation belongs to the model that found the span it starts from.
        origin_of_source = group_of.get(by_key.get(str(rel.source), ""))
        if origin_of_source is not None:
            groups[origin_of_source].append(_relation_json(rel, by_key, True))
    predictions: list[dict[str, Any]] = []
    for (recogniser, version), result in groups.items():
        prediction: dict[str, Any] = {
            "model_version": f"{recogniser}@{version}" if version else recogniser,
            "result": result,
        }
        scores = [item["score"] for item in result if "score" in item]
        if scores:
            prediction["score"] = sum(scores) / len(scores)
        predictions.append(prediction)
    return predictions


def to_json(record: ArticleRecord) -> dict[str, Any]:
    """One Label Studio task with every layer: suggestions as predictions, the rest as annotations."""
    return {
        "data": {
            "text": record.text,
            "title": record.title,
            "external_id": record.external_id,
            "text_sha256": record.text_sha256 or hashlib.sha256(record.text.encode("utf-8")).hexdigest(),
            "article_id": record.article_id,
        },
        "annotations": [
            annotation
            for lr in record.layers
            if lr.layer != SUGGESTIONS and (annotation := _annotation_json(record.text, lr)) is not None
        ],
        "predictions": [
            p for lr in record.layers if lr.layer == SUGGESTIONS for p in _predictions_json(record.text, lr)
        ],
    }
