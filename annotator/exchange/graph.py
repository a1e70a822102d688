"""The project's argument graph of one layer: spans as nodes, relations (within and across
articles) as edges, the clusters of symmetric labels (SAME_CLAIM) as connected components.

Streamed: nodes and edges are read with server-side cursors in a fixed number of queries,
whatever the project's size, and written as they come (``formats.graph``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q

from annotator.annotations.access import one_layer_q
from annotator.annotations.models import Relation, Span
from annotator.annotations.speakers import speaker_map, spellings_of
from annotator.articles.access import sees_assigned_only, visible_articles_q
from annotator.common.errors import InvalidInput
from annotator.exchange.formats import graph as fmt
from annotator.projects.access import membership_get
from annotator.projects.models import Label, LabelKind

FORMATS = ("json", "graphml")
CHUNK = 2000  # rows per fetch of the server-side cursors


@dataclass(frozen=True)
class GraphPlan:
    project_id: int
    layer: str  # "gold" or a username
    spans: Q  # the nodes
    relations: Q  # the edges (both ends among the nodes)
    symmetric: frozenset[int]  # relation labels whose components are clusters
    labels: dict[int, str]
    speakers: dict[str, str]  # spelling -> the speaker's name (the project's speaker list)


def graph_plan(
    *, actor: User, project_id: int, layer: str = "", labels: str = "", speaker: str = ""
) -> GraphPlan:
    """What the graph of ``layer`` holds, checked: the caller reads that layer (else 404),
    ``labels`` (comma-separated span and relation label names) exist (else 400)."""
    membership = membership_get(user=actor, project_id=project_id)
    name, in_layer = one_layer_q(membership, layer)
    known = {(lab.kind, lab.name): lab for lab in Label.objects.filter(project_id=project_id)}
    wanted = [n.strip() for n in labels.split(",") if n.strip()]
    span_labels, relation_labels = set(), set()
    for label_name in wanted:
        if (LabelKind.SPAN, label_name) in known:
            span_labels.add(known[(LabelKind.SPAN, label_name)].pk)
        elif (LabelKind.RELATION, label_name) in known:
            relation_labels.add(known[(LabelKind.RELATION, label_name)].pk)
        else:
            raise InvalidInput(
                f"No span or relation label {label_name!r}.", fields={"labels": ["unknown label"]}
            )
    spans = in_layer & Q(article__project_id=project_id) & visible_articles_q(membership, "article__")
    if span_labels:
        spans &= Q(label_id__in=span_labels)
    relations = in_layer & Q(article__project_id=project_id)
    if relation_labels:
        relations &= Q(label_id__in=relation_labels)
    ends = Span.objects.filter(spans)
    if speaker:
        # The speaker's spans (under any of their spellings) and the spans their relations
        # join them to.
        said = spellings_of(project_id, speaker)
        theirs = Q(source__attributes__speaker__in=said) | Q(target__attributes__speaker__in=said)
        touching = Relation.objects.filter(relations).filter(theirs)
        spans &= (
            Q(attributes__speaker__in=said)
            | Exists(touching.filter(source_id=OuterRef("pk")))
            | Exists(touching.filter(target_id=OuterRef("pk")))
        )
        relations &= theirs
    if span_labels or speaker or sees_assigned_only(membership):
        # Both ends among the nodes. Without a span filter every relation of the layer has
        # them (its spans are of the layer and the project): no need to ask, which costs.
        relations &= Q(Exists(ends.filter(pk=OuterRef("source_id")))) & Q(
            Exists(ends.filter(pk=OuterRef("target_id")))
        )
    return GraphPlan(
        project_id=project_id,
        layer=name,
        spans=spans,
        relations=relations,
        symmetric=frozenset(lab.pk for lab in known.values() if lab.symmetric),
        labels={lab.pk: lab.name for lab in known.values()},
        speakers=speaker_map(project_id),
    )


def _fill_clusters(plan: GraphPlan, clusters: fmt.Clusters) -> None:
    rows = Relation.objects.filter(plan.relations, label_id__in=plan.symmetric).order_by()
    for source, target in rows.values_list("source_id", "target_id").iterator(chunk_size=CHUNK):
        clusters.join(source, target)


def _nodes(plan: GraphPlan, clusters: fmt.Clusters) -> Iterator[dict[str, object]]:
    # Read here, after the head went out: the first byte waits for no query.
    _fill_clusters(plan, clusters)
    labels, speakers = plan.labels, plan.speakers
    rows = (
        Span.objects.filter(plan.spans)
        .order_by("pk")
        .values_list(
            "pk",
            "article_id",
            "article__external_id",
            "label_id",
            "text",
            "start",
            "end",
            "attributes__speaker",
        )
    )
    for pk, article_id, external_id, label, text, start, end, speaker in rows.iterator(chunk_size=CHUNK):
        node: dict[str, object] = {
            "id": pk,
            "article": external_id,
            "article_id": article_id,
            "label": labels[label],
            "text": text,
            "start": start,
            "end": end,
            "speaker": speakers.get(speaker, speaker) if isinstance(speaker, str) else None,
        }
        cluster = clusters.of(pk)
        if cluster is not None:
            node["cluster"] = cluster
        yield node


def _edges(plan: GraphPlan) -> Iterator[dict[str, object]]:
    labels = plan.labels
    rows = (
        Relation.objects.filter(plan.relations)
        .order_by("pk")
        .values_list("pk", "source_id", "target_id", "label_id", "article_id", "target__article_id")
    )
    for pk, source, target, label, article_id, target_article in rows.iterator(chunk_size=CHUNK):
        yield {
            "source": source,
            "target": target,
            "key": pk,
            "id": pk,
            "label": labels[label],
            "cross_article": article_id != target_article,
        }


def graph_stream(plan: GraphPlan, form: str) -> Iterator[bytes]:
    """The graph's bytes in ``form`` ("json" or "graphml"), as they are read."""
    if form not in FORMATS:
        raise InvalidInput(f"format must be one of {', '.join(FORMATS)}.", fields={"format": list(FORMATS)})
    return _stream(plan, form)


def _stream(plan: GraphPlan, form: str) -> Iterator[bytes]:
    head = {
        "name": f"project-{plan.project_id}-{plan.layer}",
        "project": plan.project_id,
        "layer": plan.layer,
        "speakers": sorted(set(plan.speakers.values())),
    }
    clusters = fmt.Clusters()
    if form == "graphml":
        yield from fmt.graphml(head, _nodes(plan, clusters), _edges(plan))
    else:
        yield from fmt.node_link(head, _nodes(plan, clusters), _edges(plan), clusters)
