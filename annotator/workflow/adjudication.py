"""Adjudication into gold: what at least m of the chosen annotator layers share is copied into
the gold layer (what gold has already is skipped; where the project forbids overlapping spans,
a shared span that would overlap gold is left to the reviewer), and what the layers do not
all agree on is reported as disagreements, spans clustered by overlap, each version naming
the annotators who made it.

Gold rows written here carry origin "adjudicated" and {"from": [usernames], "by": reviewer}.
They are written in bulk (``insert_rows``) with one history event per article (as imports and
pre-annotation write theirs), and the gold layer's change is marked for incremental exports."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from annotator.annotations import rules
from annotator.annotations.models import (
    DOCUMENT_LABEL_FIELDS,
    RELATION_FIELDS,
    SPAN_FIELDS,
    AnnotationEvent,
    ArticleState,
    DocumentLabel,
    Layer,
    Origin,
    Relation,
    Span,
    Status,
)
from annotator.articles.changes import changes_mark, layer_part
from annotator.common.bulk import insert_rows, reserve_ids
from annotator.common.errors import check_whole_number
from annotator.common.live import publish

from .layers import ArticleLayers, LayerRows, RelationKey, SpanKey, label_votes, relation_votes, span_votes

MAX_MIN_AGREEMENT = 10


@dataclass
class GoldPlan:
    """What one article's gold gains (keys, text, who had it) and the disagreements left."""

    article_id: int
    spans: list[tuple[SpanKey, str, list[str]]] = field(default_factory=list)
    relations: list[tuple[RelationKey, list[str]]] = field(default_factory=list)
    document_labels: list[tuple[int, list[str]]] = field(default_factory=list)
    disagreements: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        added = {
            "spans": len(self.spans),
            "relations": len(self.relations),
            "document_labels": len(self.document_labels),
        }
        return {"added": added, "disagreements": self.disagreements}


def check_min_agreement(value: object) -> int:
    return check_whole_number(value, "min_agreement", 1, MAX_MIN_AGREEMENT)


def submitted_annotators(article_ids: Iterable[int]) -> dict[int, list[int]]:
    """Who submitted each article (annotator ids, ascending)."""
    chosen: dict[int, list[int]] = {a: [] for a in article_ids}
    for article_id, user_id in (
        ArticleState.objects.filter(article_id__in=list(chosen), status=Status.SUBMITTED)
        .order_by("annotator_id")
        .values_list("article_id", "annotator_id")
    ):
        chosen[article_id].append(user_id)
    return chosen


def gold_plan(
    article: ArticleLayers, names: list[str], m: int, *, allow_overlap: bool, labels: dict[int, str]
) -> GoldPlan:
    """The plan for one article, ``names`` naming its chosen layers in order (pure)."""
    layers = list(article.annotators.values())
    gold = article.gold
    plan = GoldPlan(article.article_id)
    taken = [(key[0], key[1]) for key in gold.spans]
    in_gold = set(gold.spans)
    for key, who in sorted(span_votes(layers).items()):
        if len(who) < m or key in in_gold:
            continue
        if not allow_overlap and rules.first_overlapping(taken, key[0], key[1]):
            continue
        plan.spans.append((key, layers[who[0]].texts[key], sorted(names[i] for i in who)))
        taken.append((key[0], key[1]))
        in_gold.add(key)
    for rkey, who in relation_votes(layers).items():
        if len(who) >= m and rkey not in gold.relations and rkey[0] in in_gold and rkey[1] in in_gold:
            plan.relations.append((rkey, sorted(names[i] for i in who)))
    for label_id, who in label_votes(layers).items():
        if len(who) >= m and label_id not in gold.document_labels:
            plan.document_labels.append((label_id, sorted(names[i] for i in who)))
    plan.disagreements = disagreements(layers, names, labels)
    return plan


def _version(
    layers: list[LayerRows], names: list[str], who: list[int], part: str, key: object
) -> dict[str, Any]:
    """Who made one version (by name) and the ids of their rows, in the same order."""
    made = sorted((names[i], getattr(layers[i], part)[key]) for i in who)
    return {"annotators": [name for name, _ in made], "ids": [pk for _, pk in made]}


def _span_fields(key: SpanKey, labels: dict[int, str]) -> dict[str, Any]:
    return {"start": key[0], "end": key[1], "label": labels.get(key[2], str(key[2]))}


def disagreements(layers: list[LayerRows], names: list[str], labels: dict[int, str]) -> list[dict[str, Any]]:
    """What not every layer has: spans in clusters of overlapping ones, relations grouped by
    their source span, document labels one by one; each version with who made it."""
    everyone = len(layers)
    found: list[dict[str, Any]] = []
    spans = span_votes(layers)
    open_spans = sorted(key for key, who in spans.items() if len(who) < everyone)
    cluster: list[SpanKey] = []
    reach = -1
    ends: list[SpanKey | None] = [*open_spans, None]
    for key in ends:
        if cluster and (key is None or key[0] >= reach):
            versions = []
            for k in cluster:
                text = next(layers[i].texts[k] for i in spans[k])
                versions.append(
                    {
                        **_version(layers, names, spans[k], "spans", k),
                        **_span_fields(k, labels),
                        "text": text,
                    }
                )
            found.append({"kind": "span", "versions": versions})
            cluster, reach = [], -1
        if key is not None:
            cluster.append(key)
            reach = max(reach, key[1])
    by_source: dict[tuple[int, int], list[dict[str, Any]]] = {}
    for rkey, who in sorted(relation_votes(layers).items()):
        if len(who) < everyone:
            version = {
                **_version(layers, names, who, "relations", rkey),
                "label": labels.get(rkey[2], str(rkey[2])),
                "source": _span_fields(rkey[0], labels),
                "target": _span_fields(rkey[1], labels),
            }
            by_source.setdefault((rkey[0][0], rkey[0][1]), []).append(version)
    found.extend({"kind": "relation", "versions": versions} for versions in by_source.values())
    for label_id, who in sorted(label_votes(layers).items()):
        if len(who) < everyone:
            version = {
                **_version(layers, names, who, "document_labels", label_id),
                "label": labels.get(label_id, ""),
            }
            found.append({"kind": "document_label", "versions": [version]})
    return found


def gold_write(*, project_id: int, actor: User, plans: list[tuple[GoldPlan, LayerRows]]) -> None:
    """Insert the plans' gold rows (each with its article's gold layer as read) in a few
    statements, one history event per article that gained something, and the change marks."""
    now = timezone.now()

    def row(article_id: int, label_id: int, who: list[str]) -> tuple[Any, ...]:
        return (article_id, label_id, Layer.GOLD, None, actor.pk, Origin.ADJUDICATED, "", "", None, "", {}, 1,
                now, now)  # fmt: skip

    def adjudication(who: list[str]) -> dict[str, Any]:
        return {"from": who, "by": actor.username}

    ids = iter(reserve_ids(Span, sum(len(plan.spans) for plan, _ in plans)))
    spans: list[tuple[Any, ...]] = []
    relations: list[tuple[Any, ...]] = []
    labels: list[tuple[Any, ...]] = []
    events: list[AnnotationEvent] = []
    changed: list[tuple[int, str]] = []
    for plan, gold in plans:
        span_ids = dict(gold.spans)
        for key, text, who in plan.spans:
            span_ids[key] = pk = next(ids)
            spans.append((pk, *row(plan.article_id, key[2], who), key[0], key[1], text, adjudication(who)))
        for rkey, who in plan.relations:
            relations.append(
                (*row(plan.article_id, rkey[2], who), span_ids[rkey[0]], span_ids[rkey[1]], adjudication(who))
            )
        labels.extend(
            (*row(plan.article_id, label_id, who), adjudication(who))
            for label_id, who in plan.document_labels
        )
        added = plan.as_dict()["added"]
        if any(added.values()):
            changed.append((plan.article_id, layer_part(Layer.GOLD, None)))
            events.append(
                AnnotationEvent(
                    project_id=project_id, article_id=plan.article_id, actor=actor, action="article.adjudicate",
                    object_type="article", object_id=plan.article_id, layer=Layer.GOLD, before=None, after=added,
                )
            )  # fmt: skip
    insert_rows(Span, ("id", *SPAN_FIELDS, "adjudication"), spans)
    insert_rows(Relation, (*RELATION_FIELDS, "adjudication"), relations)
    insert_rows(DocumentLabel, (*DOCUMENT_LABEL_FIELDS, "adjudication"), labels)
    AnnotationEvent.objects.bulk_create(events)
    if changed:
        changes_mark(project_id=project_id, parts=changed)
        articles = sorted({article for article, _ in changed})
        publish(project_id, "gold.changed", {"articles": articles}, {"layer": Layer.GOLD})
