"""The ``claim_links`` job: cross-article SAME_CLAIM and REBUTS suggestions for a whole project.

What it reads. Every CLAIM and REBUTTAL span of the project in the suggestion layer (pending
or accepted, not rejected), in the annotators' layers and in the gold layer, streamed
``READ_CHUNK`` articles at a time. Spans with the same article, offsets and label are one end (the
same claim marked by three annotators and suggested once is one claim); its speaker is the
first ``attributes.speaker`` found among them (the quotes recogniser and importers fill it).

Where the suggestions go. A relation joins two spans of one layer, and a suggestion relation
is a row of the suggestion layer, so both its ends must be suggestion-layer spans:
- an end that is a suggestion already (from any recogniser, pending or accepted) is used as it is;
- an end marked only in people's layers gets a suggestion-layer *twin*: a pending span
  suggestion of ``claim_links`` at the same offsets and label (with its speaker), made only
  when a proposed relation needs it. Accepting the relation brings both ends into the
  accepter's layer; the accept service reuses a span already there with the same offsets and
  label, so an annotator who marked the claim does not get a second copy of it;
- an end whose suggestion was rejected is left out, and so are its pairs: what was rejected
  is never proposed again; so is an end that only a pending twin of this job still holds
  (the person's span it stood for was deleted).

Idempotence. A run makes the project's pending ``claim_links`` relation suggestions what the
matcher proposes now: those proposed again stay (their score and reason updated), the others
go, new ones are added. Accepted or rejected suggestions (of any recogniser) are never touched
and never proposed again; a SAME_CLAIM pair (symmetric) counts in either direction. Twins
left with no relation at the end are removed while still pending.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
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
from annotator.articles.models import Article
from annotator.articles.selectors import of_articles
from annotator.common.bulk import insert_rows
from annotator.common.errors import InvalidInput
from annotator.preannotation.recognisers import crosslinks
from annotator.preannotation.suggestions import Schema, suggestions_changed

NAME, VERSION = crosslinks.NAME, crosslinks.VERSION
READ_CHUNK = 5000  # articles whose spans are read at once (and rows of the relations read at once)
WRITE_CHUNK = 2000
PENDING, REJECTED = SuggestionStatus.PENDING, SuggestionStatus.REJECTED
SPAN_LABELS = ("CLAIM", "REBUTTAL")
RELATION_LABELS = (crosslinks.SAME_CLAIM, crosslinks.REBUTS)

Key = tuple[int, int, int, int]  # article, start, end, span label id
Progress = Callable[[int, int | None, str], None]


def check_params(params: dict[str, Any]) -> dict[str, Any]:
    """claim_links takes no options: the job's params stay empty."""
    if params:
        names = ", ".join(sorted(params))
        raise InvalidInput(
            f"claim_links takes no params (got {names}).", fields={"params": ["must be empty"]}
        )
    return {}


@dataclass
class _End:
    text: str
    speaker: str = ""
    suggestion: int | None = None  # the suggestion-layer span standing for it
    rejected: bool = False
    # Marked by someone or suggested by another recogniser: an end that only this job's own
    # twin keeps (its people's span was deleted since) is no longer an end.
    backed: bool = False


@dataclass
class Tally:
    claims: int = 0
    rebuttals: int = 0
    proposed: dict[str, int] = field(default_factory=dict)
    created: int = 0
    kept: int = 0
    removed: int = 0
    twins_created: int = 0
    twins_removed: int = 0
    skipped_decided: int = 0
    skipped_rejected_end: int = 0


def _read_ends(project_id: int, label_ids: dict[int, str], progress: Progress) -> dict[Key, _End]:
    # Article by article (READ_CHUNK of them at a time), through the spans' (article, ...)
    # index: a scan of the span table in id order joined to articles was a bad plan on
    # PostgreSQL before the planner had statistics for freshly imported rows.
    articles = Article.objects.filter(project_id=project_id).order_by("pk").values_list("pk", flat=True)
    total = articles.count()
    ends: dict[Key, _End] = {}
    after = done = 0
    while ids := list(articles.filter(pk__gt=after)[:READ_CHUNK]):
        spans = (
            Span.objects.filter(of_articles(ids), label_id__in=list(label_ids))
            .order_by("pk")
            .values_list(
                "pk", "article_id", "start", "end", "label_id", "text", "attributes", "layer",
                "suggestion_status", "recogniser",
            )
        )  # fmt: skip
        for pk, article, start, end, label, text, attributes, layer, status, recogniser in spans:
            key = (article, *rules.span_key(start, end, label))
            found = ends.setdefault(key, _End(text))
            speaker = (attributes or {}).get("speaker")
            if not found.speaker and isinstance(speaker, str):
                found.speaker = speaker
            found.backed |= layer != Layer.SUGGESTION or recogniser != NAME or status != PENDING
            if layer == Layer.SUGGESTION:
                if status == REJECTED:
                    found.rejected = True
                elif found.suggestion is None:
                    found.suggestion = pk
        after = ids[-1]
        done += len(ids)
        progress(done, total, f"reading claims and rebuttals: {done} of {total} articles")
    return ends


def _existing(project_id: int, relation_ids: Iterable[int]) -> dict[tuple[int, int, int], tuple[Any, ...]]:
    """Every suggestion relation of these labels: (source, target, label) -> (pk, status,
    recogniser, and what a re-run may change: version, score, attributes)."""
    rows = (
        Relation.objects.filter(
            article__project_id=project_id, layer=Layer.SUGGESTION, label_id__in=list(relation_ids)
        )
        .order_by()
        .values_list(
            "pk", "source_id", "target_id", "label_id", "suggestion_status", "recogniser",
            "recogniser_version", "score", "attributes",
        )
    )  # fmt: skip
    return {(s, t, lab): (pk, *rest) for pk, s, t, lab, *rest in rows.iterator(chunk_size=READ_CHUNK)}


def claim_links_run(*, project_id: int, schema: Schema, progress: Progress) -> dict[str, Any]:
    """Make the project's pending claim_links suggestions what the matcher proposes now."""
    span_ids = {schema.spans[name]: name for name in SPAN_LABELS if name in schema.spans}
    rel_rules = {name: schema.relations[name] for name in RELATION_LABELS if name in schema.relations}
    if "CLAIM" not in schema.spans or not rel_rules:
        raise InvalidInput(
            "claim_links needs a CLAIM span label and a SAME_CLAIM or REBUTS relation label "
            "(the 'argument' preset has them)."
        )
    tally = Tally()
    ends = _read_ends(project_id, span_ids, progress)
    keys = [k for k, e in ends.items() if e.backed and not e.rejected]
    tally.skipped_rejected_end = sum(e.rejected for e in ends.values())
    claims: list[crosslinks.Item] = []
    rebuttals: list[crosslinks.Item] = []
    for n, key in enumerate(keys):
        end = ends[key]
        item = crosslinks.Item(n, key[0], end.text, end.speaker)
        (claims if span_ids[key[3]] == "CLAIM" else rebuttals).append(item)
    tally.claims, tally.rebuttals = len(claims), len(rebuttals)
    progress(0, None, f"matching {len(claims)} claims and {len(rebuttals)} rebuttals across articles")
    pairs = [
        p
        for p in crosslinks.claim_links(claims, rebuttals if crosslinks.REBUTS in rel_rules else [])
        if p.label in rel_rules
        and rules.label_allowed(rel_rules[p.label].sources, keys[p.source][3])
        and rules.label_allowed(rel_rules[p.label].targets, keys[p.target][3])
    ]
    for p in pairs:
        tally.proposed[p.label] = tally.proposed.get(p.label, 0) + 1
    twins = _twins(project_id, [keys[i] for p in pairs for i in (p.source, p.target)], ends, tally)
    wanted: dict[tuple[int, int, int], tuple[float, str, int, int]] = {}
    for p in pairs:
        source, target = keys[p.source], keys[p.target]
        s_pk = ends[source].suggestion or twins[source]
        t_pk = ends[target].suggestion or twins[target]
        wanted[(s_pk, t_pk, rel_rules[p.label].id)] = (p.score, p.reason, source[0], target[0])
    _write(project_id, wanted, {rel_rules[n].id for n in rel_rules}, schema, tally, progress)
    return {"recogniser": NAME, "version": VERSION, **vars(tally)}


def _twins(project_id: int, needed: list[Key], ends: dict[Key, _End], tally: Tally) -> dict[Key, int]:
    """Suggestion-layer spans for the ends marked only in people's layers, made now."""
    missing = sorted({k for k in needed if ends[k].suggestion is None})
    now = timezone.now()
    made: dict[Key, int] = {}
    for first in range(0, len(missing), WRITE_CHUNK):
        chunk = missing[first : first + WRITE_CHUNK]
        rows = [
            (a, lab, Layer.SUGGESTION, None, None, Origin.SUGGESTED, NAME, VERSION, None, PENDING,
             {"speaker": ends[(a, s, e, lab)].speaker} if ends[(a, s, e, lab)].speaker else {},
             1, now, now, s, e, ends[(a, s, e, lab)].text)
            for a, s, e, lab in chunk
        ]  # fmt: skip
        with transaction.atomic():
            insert_rows(Span, SPAN_FIELDS, rows)
            articles = sorted({k[0] for k in chunk})
            back = Span.objects.filter(
                article_id__in=articles, layer=Layer.SUGGESTION, recogniser=NAME, suggestion_status=PENDING
            ).values_list("pk", "article_id", "start", "end", "label_id")
            wanted = set(chunk)
            for pk, a, s, e, lab in back:
                if (a, s, e, lab) in wanted:
                    made[(a, s, e, lab)] = pk
            suggestions_changed(project_id, articles)
        tally.twins_created += len(rows)
    return made


def _write(
    project_id: int,
    wanted: dict[tuple[int, int, int], tuple[float, str, int, int]],
    relation_ids: set[int],
    schema: Schema,
    tally: Tally,
    progress: Progress,
) -> None:
    symmetric = {r.id for name, r in schema.relations.items() if name == crosslinks.SAME_CLAIM}
    existing = _existing(project_id, relation_ids)
    remove: list[int] = []
    update: list[Relation] = []
    now = timezone.now()
    for (s, t, lab), (pk, status, rec, version, old_score, attributes) in existing.items():
        if (s, t, lab) in wanted or (lab in symmetric and (t, s, lab) in wanted):
            key = (s, t, lab) if (s, t, lab) in wanted else (t, s, lab)
            score, reason, _, _ = wanted.pop(key)
            if status == PENDING and rec == NAME:
                tally.kept += 1
                if (version, old_score, attributes) == (VERSION, score, {"reason": reason}):
                    continue
                update.append(
                    Relation(
                        pk=pk,
                        score=score,
                        attributes={"reason": reason},
                        recogniser_version=VERSION,
                        updated_at=now,
                    )
                )
            else:
                tally.skipped_decided += 1
        elif status == PENDING and rec == NAME:
            remove.append(pk)
    new_rows = [
        (sa, lab, Layer.SUGGESTION, None, None, Origin.SUGGESTED, NAME, VERSION, score, PENDING,
         {"reason": reason}, 1, now, now, s, t)
        for (s, t, lab), (score, reason, sa, _) in sorted(wanted.items())
    ]  # fmt: skip
    touched = {row[0] for row in new_rows} | {ta for (_, _, _, ta) in wanted.values()}
    total = len(remove) + len(update) + len(new_rows)
    done = 0
    for first in range(0, len(remove), WRITE_CHUNK):
        with transaction.atomic():
            gone = Relation.objects.filter(
                pk__in=remove[first : first + WRITE_CHUNK], suggestion_status=PENDING
            )
            touched |= set(gone.values_list("article_id", flat=True)) | set(
                gone.values_list("target__article_id", flat=True)
            )
            tally.removed += gone.delete()[0]
        done += len(remove[first : first + WRITE_CHUNK])
        progress(done, total, f"writing suggestions: {done} of {total}")
    for first in range(0, len(update), WRITE_CHUNK):
        Relation.objects.bulk_update(
            update[first : first + WRITE_CHUNK], ["score", "attributes", "recogniser_version", "updated_at"]
        )
        done += len(update[first : first + WRITE_CHUNK])
        progress(done, total, f"writing suggestions: {done} of {total}")
    for first in range(0, len(new_rows), WRITE_CHUNK):
        with transaction.atomic():
            insert_rows(Relation, RELATION_FIELDS, new_rows[first : first + WRITE_CHUNK])
        tally.created += len(new_rows[first : first + WRITE_CHUNK])
        done += len(new_rows[first : first + WRITE_CHUNK])
        progress(done, total, f"writing suggestions: {done} of {total}")
    with transaction.atomic():
        unused = Span.objects.filter(
            article__project_id=project_id, layer=Layer.SUGGESTION, recogniser=NAME, suggestion_status=PENDING
        ).filter(
            ~Exists(Relation.objects.filter(source=OuterRef("pk"))),
            ~Exists(Relation.objects.filter(target=OuterRef("pk"))),
        )
        touched |= set(unused.values_list("article_id", flat=True))
        tally.twins_removed = Span.objects.filter(pk__in=list(unused.values_list("pk", flat=True))).delete()[
            0
        ]
        for first in range(0, len(touched), WRITE_CHUNK):
            articles = sorted(touched)[first : first + WRITE_CHUNK]
            existing_ids = Article.objects.filter(pk__in=articles).values_list("pk", flat=True)
            suggestions_changed(project_id, existing_ids)
