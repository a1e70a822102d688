"""One batch's annotation rows into the layer objects of its export lines.

This is the export's inner loop: rows are plain tuples read in one pass, each into a plain
dict. Columns are named (``Columns``): a row's position of a column is looked up once per
batch, never per row, and loops unpack rows in their columns' order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import orjson
from django.db.models import CharField
from django.db.models.functions import Cast

from annotator.annotations import rules
from annotator.annotations.models import Layer, Origin
from annotator.exchange.exporting.plan import Plan
from annotator.exchange.formats.records import ANNOTATOR, GOLD, SUGGESTIONS

NOT_STARTED, _ = rules.article_state(None)  # an annotator layer's state when there is no state row

Row = tuple[Any, ...]
LayerObject = dict[str, Any]


def as_text(field: str) -> Cast:
    # Timestamps and JSON columns read as the database's text: no datetime object (or decoded
    # dict) per value only to be turned back into text.
    return Cast(field, output_field=CharField())


def json_text(raw: str | None) -> Any:
    """A JSON column read as text; most are empty objects, which need no decoding."""
    if raw is None or raw == "{}":
        return {}
    return orjson.loads(raw)


class Columns:
    """The columns one ``values_list`` reads, in order, each under a name."""

    def __init__(self, **columns: str | Cast) -> None:
        self.names = tuple(columns)
        self.expressions = tuple(columns.values())
        self._positions = {name: i for i, name in enumerate(self.names)}

    def at(self, name: str) -> int:
        """The position of a column in a row (look it up once, then index rows with it)."""
        return self._positions[name]


ARTICLES = Columns(
    pk="pk",
    external_id="external_id",
    title="title",
    source_url="source_url",
    published=as_text("published_at"),
    meta=as_text("meta"),
    text="text",
    sha="text_sha256",
)
# The loops below unpack rows in these orders.
SPANS = Columns(
    article_id="article_id",
    layer="layer",
    who="annotator_id",
    pk="pk",
    start="start",
    end="end",
    label="label_id",
    text="text",
    by="created_by_id",
    created=as_text("created_at"),
    updated=as_text("updated_at"),
    origin="origin",
    recogniser="recogniser",
    version="recogniser_version",
    score="score",
    status="suggestion_status",
    attributes=as_text("attributes"),
    source="source_suggestion_id",
    adjudication=as_text("adjudication"),
)
RELATIONS = Columns(
    article_id="article_id",
    layer="layer",
    who="annotator_id",
    pk="pk",
    source="source_id",
    to="target_id",
    label="label_id",
    by="created_by_id",
    created=as_text("created_at"),
    origin="origin",
    recogniser="recogniser",
    version="recogniser_version",
    score="score",
    status="suggestion_status",
    adjudication=as_text("adjudication"),
    to_article="target__article_id",  # another article's for a cross-article relation
)
# Cross-article relations of other articles pointing into the batch's articles (native only).
INCOMING = Columns(
    article_id="target__article_id",
    layer="layer",
    who="annotator_id",
    pk="pk",
    source="source_id",
    from_article="article__external_id",
    to="target_id",
    label="label_id",
)
DOCUMENT_LABELS = Columns(article_id="article_id", layer="layer", who="annotator_id", label="label_id")
STATES = Columns(article_id="article_id", who="annotator_id", status="status")


def adjudicated(origin: str, adjudication: str | None) -> dict[str, Any]:
    """The provenance of a row that no suggestion made: its origin, and for a gold row made by
    adjudication the layers it came from and the reviewer ({"from": [...], "by": ...})."""
    if origin == Origin.ADJUDICATED and adjudication:
        return {"origin": origin, **json_text(adjudication)}
    return {"origin": origin}


class BatchLayers:
    """The layer objects of one batch's articles, by article id and (layer, annotator id),
    filled from the batch's rows."""

    def __init__(
        self,
        plan: Plan,
        ids: list[int],
        labels: dict[int, str],
        usernames: dict[int, str],
        iso: Callable[[str | None], str | None],
        elsewhere: dict[int, str] | None = None,
    ) -> None:
        self.labels = labels
        self.usernames = usernames
        self.iso = iso
        # External ids of the other articles cross-article relations point to; None: the
        # format cannot say "a span of another article", so such relations are left out.
        self.elsewhere = elsewhere
        self.left_out = 0
        self.by_article: dict[int, dict[tuple[str, int | None], LayerObject]] = {pk: {} for pk in ids}
        for article_id in ids:  # selected gold and suggestion layers show even when empty
            if plan.gold:
                self.new(article_id, Layer.GOLD, None)
            if plan.suggestions:
                self.new(article_id, Layer.SUGGESTION, None)

    def new(self, article_id: int, layer: str, who: int | None) -> LayerObject:
        found: LayerObject
        if who is None:
            name = GOLD if layer == Layer.GOLD else SUGGESTIONS
            found = {"layer": name, "spans": [], "relations": [], "document_labels": []}
        else:
            found = {
                "layer": ANNOTATOR,
                "annotator": self.usernames[who],
                "state": NOT_STARTED,
                "spans": [],
                "relations": [],
                "document_labels": [],
            }
        self.by_article[article_id][(layer, who)] = found
        return found

    def add_spans(self, rows: list[Row], origins: dict[int, tuple[Any, Any, Any]]) -> None:
        """``origins``: recogniser, version and score of the suggestions accepted spans came from."""
        by_article, new, labels, users, iso = self.by_article, self.new, self.labels, self.usernames, self.iso
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
            adjudication,
        ) in rows:
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
                provenance = adjudicated(origin, adjudication)
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
            target = by_article[article_id].get((layer, who)) or new(article_id, layer, who)
            target["spans"].append(span)

    def add_relations(self, rows: list[Row]) -> None:
        by_article, new, labels, users, iso = self.by_article, self.new, self.labels, self.usernames, self.iso
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
            adjudication,
            to_article,
        ) in rows:
            end: Any = to
            if to_article != article_id:
                if self.elsewhere is None:
                    self.left_out += 1
                    continue
                end = {"article": self.elsewhere[to_article], "span": to}
            provenance = adjudicated(origin, adjudication)
            if layer == Layer.SUGGESTION:
                provenance.update(
                    recogniser=recogniser, recogniser_version=version, score=score, status=status
                )
            target = by_article[article_id].get((layer, who)) or new(article_id, layer, who)
            target["relations"].append(
                {
                    "id": pk,
                    "from": source,
                    "to": end,
                    "label": labels[label],
                    "created_by": users.get(by),
                    "created_at": iso(created),
                    "provenance": provenance,
                }
            )

    def add_incoming(self, rows: list[Row]) -> None:
        """Relations of other articles pointing into these: listed in the layer they point
        into as ``incoming_relations`` (a mirror; the relation itself is in its own article's line)."""
        by_article, new, labels = self.by_article, self.new, self.labels
        for article_id, layer, who, pk, source, from_article, to, label in rows:
            target = by_article[article_id].get((layer, who)) or new(article_id, layer, who)
            target.setdefault("incoming_relations", []).append(
                {
                    "id": pk,
                    "from": {"article": from_article, "span": source},
                    "to": to,
                    "label": labels[label],
                }
            )

    def add_document_labels(self, rows: list[Row]) -> None:
        by_article, new, labels = self.by_article, self.new, self.labels
        for article_id, layer, who, label in rows:
            target = by_article[article_id].get((layer, who)) or new(article_id, layer, who)
            target["document_labels"].append(labels[label])

    def add_states(self, rows: list[Row]) -> None:
        by_article, new = self.by_article, self.new
        for article_id, who, status in rows:
            target = by_article[article_id].get((Layer.ANNOTATOR, who)) or new(
                article_id, Layer.ANNOTATOR, who
            )
            target["state"] = status
