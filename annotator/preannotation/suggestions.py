"""Writing what recognisers propose as suggestions, one batch of articles at a time.

A suggestion is a span (or relation) of the suggestion layer, pending until an annotator
accepts or rejects it. Re-running recognisers over an article compares what they propose
now with their own pending suggestions there: those proposed again stay (same id, so the
relations and the screens that show them keep them), those no longer proposed go, new
ones are added. Nothing else is touched: not the annotators' and gold layers, not other
recognisers' suggestions, and never a suggestion someone accepted or rejected; what was
rejected is never proposed again.

The rows are written in bulk (``insert_rows``), without a history event each: the job that
wrote them is their record (who started it, when, with which recognisers and versions).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from annotator.annotations import rules
from annotator.annotations.models import (
    RELATION_FIELDS,
    SPAN_FIELDS,
    Layer,
    Origin,
    Relation,
    Span,
    SuggestionStatus,
)
from annotator.articles.changes import changes_mark, layer_part
from annotator.articles.models import Article
from annotator.articles.selectors import of_articles
from annotator.common.bulk import insert_rows
from annotator.common.live import publish
from annotator.preannotation.recognisers import Link, Recogniser
from annotator.projects.models import Label, LabelKind

Key = tuple[int, int, int, int]  # article id, then rules.span_key: what a span suggestion is
PENDING, REJECTED = SuggestionStatus.PENDING, SuggestionStatus.REJECTED


@dataclass(frozen=True)
class RelationRule:
    id: int
    sources: frozenset[int]  # span label ids it may start at; empty: any
    targets: frozenset[int]


@dataclass(frozen=True)
class Schema:
    """The project's labels by name, as the recognisers name them."""

    spans: dict[str, int]
    relations: dict[str, RelationRule]


def schema_of(project_id: int) -> Schema:
    labels = Label.objects.filter(project_id=project_id).prefetch_related(
        "allowed_sources", "allowed_targets"
    )
    spans: dict[str, int] = {}
    relations: dict[str, RelationRule] = {}
    for label in labels:
        if label.kind == LabelKind.SPAN:
            spans[label.name] = label.pk
        elif label.kind == LabelKind.RELATION:
            relations[label.name] = RelationRule(
                label.pk,
                frozenset(s.pk for s in label.allowed_sources.all()),
                frozenset(t.pk for t in label.allowed_targets.all()),
            )
    return Schema(spans, relations)


@dataclass
class Tally:
    """What a pre-annotation run did, summed over its batches (the job's result)."""

    created: int = 0  # new span suggestions
    kept: int = 0  # pending suggestions proposed again (updated where score or version changed)
    removed: int = 0  # pending suggestions no longer proposed
    relations_created: int = 0
    relations_removed: int = 0
    skipped_decided: int = 0  # accepted or rejected already: never proposed again
    skipped_duplicate: int = 0  # already suggested (by another recogniser, or twice)
    skipped_low_score: int = 0  # below min_score
    skipped_not_allowed: int = 0  # a link the label schema does not allow
    unknown_labels: Counter[str] = field(default_factory=Counter)  # proposals of labels the project lacks

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = dict(vars(self))
        data["unknown_labels"] = dict(sorted(self.unknown_labels.items()))
        return data


@dataclass
class _Wanted:
    recogniser: Recogniser
    score: float
    attributes: dict[str, Any]


@transaction.atomic
def suggestions_write(
    *,
    project_id: int,
    articles: Sequence[tuple[int, str]],
    recognisers: Sequence[Recogniser],
    schema: Schema,
    min_score: float,
    tally: Tally,
) -> None:
    """Make the pending suggestions of ``recognisers`` in these articles (id, text; ids
    ascending) what they propose now; decided suggestions and other layers stay as they are."""
    ids = [article_id for article_id, _ in articles]
    # The services that accept and reject lock the article first: no suggestion is decided
    # while this batch replaces it.
    list(Article.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
    running = {r.name for r in recognisers}
    own: dict[Key, tuple[Any, ...]] = {}  # pending, of a recogniser running now -> row
    others: dict[Key, str] = {}  # everything else suggested there -> its status
    existing = Span.objects.filter(of_articles(ids), layer=Layer.SUGGESTION).order_by()
    for pk, a, s, e, lab, rec, ver, score, attributes, status in existing.values_list(
        "pk", "article_id", "start", "end", "label_id", "recogniser", "recogniser_version", "score",
        "attributes", "suggestion_status",
    ):  # fmt: skip
        key = (a, *rules.span_key(s, e, lab))
        if status == PENDING and rec in running:
            own[key] = (pk, rec, ver, score, attributes)
        else:
            others[key] = status

    wanted: dict[Key, _Wanted] = {}
    links: list[tuple[Key, Recogniser, float, Link]] = []
    for article_id, text in articles:
        for recogniser in recognisers:
            for p in recogniser.propose(text):
                label_id = schema.spans.get(p.label)
                if label_id is None:
                    tally.unknown_labels[p.label] += 1
                    continue
                if p.score < min_score:
                    tally.skipped_low_score += 1
                    continue
                key = (article_id, *rules.span_key(p.start, p.end, label_id))
                if key in wanted or others.get(key) == PENDING:
                    tally.skipped_duplicate += 1
                    continue
                if key in others:
                    tally.skipped_decided += 1
                    continue
                wanted[key] = _Wanted(recogniser, p.score, p.attributes)
                links.extend((key, recogniser, p.score, link) for link in p.links)
    relations = _link_targets(links, schema, wanted, others, tally)

    now = timezone.now()
    remove: list[int] = []  # own pending suggestions no longer proposed
    update: list[Span] = []  # proposed again, with another score, version or attributes
    changed: set[int] = set()  # articles whose suggestion layer this batch changes
    for key, (pk, rec, ver, score, attributes) in own.items():
        w = wanted.get(key)
        if w is None:
            remove.append(pk)
        elif (rec, ver, score, attributes) != (
            w.recogniser.name,
            w.recogniser.version,
            w.score,
            w.attributes,
        ):
            update.append(
                Span(
                    pk=pk,
                    recogniser=w.recogniser.name,
                    recogniser_version=w.recogniser.version,
                    score=w.score,
                    attributes=w.attributes,
                    updated_at=now,
                )
            )
        else:
            continue
        changed.add(key[0])
    texts = dict(articles)
    new_rows = [
        (a, lab, Layer.SUGGESTION, None, None, Origin.SUGGESTED, w.recogniser.name, w.recogniser.version,
         w.score, PENDING, w.attributes, 1, now, now, s, e, texts[a][s:e])
        for (a, s, e, lab), w in wanted.items()
        if (a, s, e, lab) not in own
    ]  # fmt: skip
    if remove:
        gone = Relation.objects.filter(Q(source_id__in=remove) | Q(target_id__in=remove))
        tally.relations_removed += gone.filter(suggestion_status=PENDING).count()
        gone.delete()
        Span.objects.filter(pk__in=remove).delete()
    if update:
        Span.objects.bulk_update(
            update, ["recogniser", "recogniser_version", "score", "attributes", "updated_at"]
        )
    insert_rows(Span, SPAN_FIELDS, new_rows)
    tally.created += len(new_rows)
    tally.kept += len(own) - len(remove)
    tally.removed += len(remove)
    changed |= {row[0] for row in new_rows}
    changed |= _write_relations(ids, running, relations, now, tally)
    suggestions_changed(project_id, changed)


def suggestions_changed(project_id: int, articles: Iterable[int]) -> None:
    """Mark the articles' suggestion layers changed, for incremental pulls, and tell the open
    pages that show them (docs/live.md); every bulk writer of suggestions ends here."""
    ids = sorted(set(articles))
    if ids:
        changes_mark(project_id=project_id, parts=[(a, layer_part(Layer.SUGGESTION, None)) for a in ids])
        publish(project_id, "suggestions.changed", {"articles": ids}, {"layer": Layer.SUGGESTION})


# A relation a recogniser wants: (source key, target key, relation label id) -> who and how sure.
_RelationWanted = dict[tuple[Key, Key, int], tuple[Recogniser, float]]


def _link_targets(
    links: list[tuple[Key, Recogniser, float, Link]],
    schema: Schema,
    wanted: dict[Key, _Wanted],
    others: dict[Key, str],
    tally: Tally,
) -> _RelationWanted:
    """The relations the links ask for. A link names its target by range only: it joins the
    suggestion there whose label the relation allows; where there is none and the schema
    allows exactly one target label, a suggestion of that label is proposed there too."""
    relations: _RelationWanted = {}
    if not links:
        return relations
    at_range: dict[tuple[int, int, int], list[Key]] = {}
    for key in (*wanted, *(k for k, status in others.items() if status != REJECTED)):
        at_range.setdefault(key[:3], []).append(key)
    for source, recogniser, score, link in links:
        rule = schema.relations.get(link.label)
        if rule is None:
            tally.unknown_labels[link.label] += 1
            continue
        if not rules.label_allowed(rule.sources, source[3]):
            tally.skipped_not_allowed += 1
            continue
        where = (source[0], link.start, link.end)
        at = [key for key in at_range.get(where, ()) if rules.label_allowed(rule.targets, key[3])]
        if at:
            target = at[0]
        elif len(rule.targets) == 1:
            target = (*where, next(iter(rule.targets)))
            if target in others:  # rejected: neither it nor a relation to it comes back
                tally.skipped_decided += 1
                continue
            wanted[target] = _Wanted(recogniser, score, {})
            at_range.setdefault(where, []).append(target)
        else:
            tally.skipped_not_allowed += 1
            continue
        relations.setdefault((source, target, rule.id), (recogniser, score))
    return relations


def _write_relations(
    ids: list[int], running: set[str], wanted: _RelationWanted, now: Any, tally: Tally
) -> set[int]:
    """Add the wanted relation suggestions that are new, drop the running recognisers'
    pending ones no longer wanted; returns the articles whose relations changed."""
    span_ids = {
        (a, *rules.span_key(s, e, lab)): pk
        for pk, a, s, e, lab in Span.objects.filter(of_articles(ids), layer=Layer.SUGGESTION)
        .exclude(suggestion_status=REJECTED)
        .order_by()
        .values_list("pk", "article_id", "start", "end", "label_id")
    }
    by_ids = {
        rules.relation_key(span_ids[source], span_ids[target], label): (source[0], who)
        for (source, target, label), who in wanted.items()
        if source in span_ids and target in span_ids
    }
    changed: set[int] = set()
    remove = []
    existing = Relation.objects.filter(of_articles(ids), layer=Layer.SUGGESTION).order_by()
    for pk, a, source_id, target_id, label, rec, status in existing.values_list(
        "pk", "article_id", "source_id", "target_id", "label_id", "recogniser", "suggestion_status"
    ):
        triple = rules.relation_key(source_id, target_id, label)
        if triple in by_ids:
            del by_ids[triple]  # there already, pending or decided
            if status != PENDING:
                tally.skipped_decided += 1
        elif status == PENDING and rec in running:
            remove.append(pk)
            changed.add(a)
    if remove:
        Relation.objects.filter(pk__in=remove).delete()
        tally.relations_removed += len(remove)
    rows: list[tuple[Any, ...]] = [
        (a, label, Layer.SUGGESTION, None, None, Origin.SUGGESTED, r.name, r.version, score, PENDING,
         {}, 1, now, now, source_id, target_id)
        for (source_id, target_id, label), (a, (r, score)) in by_ids.items()
    ]  # fmt: skip
    insert_rows(Relation, RELATION_FIELDS, rows)
    tally.relations_created += len(rows)
    changed |= {row[0] for row in rows}
    return changed
