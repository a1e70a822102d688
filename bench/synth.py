"""Synthetic news-like projects for the benchmarks: articles with spans and relations.

Every article is about 3,000 code points of invented prose built from word lists, in
paragraphs; one in five breaks its lines with CRLF, and some sentences carry emoji (one of
them astral, so UTF-16 and code-point offsets differ after it). Each article has ten spans
and two relations that the "argument" preset allows:

- gold layer (annotator NULL): CLAIM, CLAIM, FIGURE, REBUTTAL and FIGURE -SUPPORTS-> CLAIM;
- one annotator's layer: CLAIM, CLAIM, FIGURE, REBUTTAL and REBUTTAL -REBUTS-> CLAIM;
- suggestion layer: a FIGURE and a CLAIM, pending, with recogniser, version and score.

Offsets are code points computed from the generated text. Two outputs of the same content:
``populate_db`` bulk-inserts straight through the ORM (benchmark setup: it goes around the
services, so it writes no change tracking and no history), and ``write_jsonl`` writes a
native-format import file (annotator/exchange/formats/native.py).

Importing this module does not need Django; ``populate_db`` does.
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# --- word lists -------------------------------------------------------------------------

SPEAKERS = (
    "The chancellor",
    "A government spokesperson",
    "The health secretary",
    "Ministers",
    "The prime minister",
    "The mayor of Leeds",
    "The central bank's governor",
    "A senior Treasury official",
    "The transport minister",
    "Union leaders",
    "The head of the NHS Confederation",
    "Campaigners",
)
CRITICS = (
    "Critics",
    "The opposition",
    "Independent economists",
    "Researchers at the institute",
    "Several council leaders",
    "A group of doctors",
    "Fact-checkers",
    "Business groups",
    "The shadow chancellor",
)
SAY = ("said", "claimed", "insisted", "told reporters", "argued", "announced", "maintained")
REBUT = ("disputed this, saying", "rejected the claim, arguing", "countered", "pointed out", "replied")
CLAIMS = (
    "the plan would cut waiting times within a year",
    "wages had risen faster than prices since the spring",
    "the new rules would save households money",
    "the scheme had already reduced emissions",
    "rail services were more punctual than ever",
    "the reforms would bring thousands of teachers back",
    "inflation had peaked and would fall steadily",
    "the budget left public services properly funded",
    "crime in city centres was falling",
    "the policy would pay for itself by 2030",
    "building targets were on track",
    "the hospital backlog was shrinking every month",
)
REBUTTALS = (
    "the figures ignored rising rents",
    "waiting lists had grown in most regions",
    "real incomes were still below their 2019 level",
    "the savings depended on optimistic forecasts",
    "the official statistics had been revised down twice",
    "most of the money had been announced before",
    "the targets had been quietly changed",
    "emissions had risen once imports were counted",
    "the survey covered only a small sample",
)
FIGURES = (
    "4.75%",
    "£1,400",
    "55 NHS trusts",
    "seven million people",
    "£2.3bn",
    "one in five households",
    "12,000 nurses",
    "3.2 per cent",
    "€850m",
    "40,000 homes",
    "two-thirds of councils",
    "£11.50 an hour",
    "18 months",
    "9.4m passengers",
)
FIGURE_INTROS = (
    "According to the latest report, the change affects",
    "Official data published on Thursday put the total at",
    "The analysis found that",
    "Over the year the figure reached",
    "A survey of local authorities counted",
    "Ministers pointed to",
    "The watchdog estimated the cost at",
)
FIGURE_TAILS = (
    "across England and Wales",
    "compared with the previous year",
    "by the end of March",
    "in the twelve months to June",
    "according to the Office for National Statistics",
    "although the estimate is uncertain",
)
FILLER = (
    "The announcement came after weeks of speculation in Westminster",
    "Talks are expected to continue into next week",
    "Local businesses said they were still waiting for details",
    "The committee will publish its findings in the autumn",
    "Officials declined to comment on the timetable",
    "Residents gathered outside the town hall on Saturday morning",
    "The debate drew a large audience at the café on the high street",
    "Several MPs raised the issue during questions in the Commons",
    "Shares in the sector rose slightly after the statement",
    "The department said further guidance would follow",
    "Commuters faced delays on several routes into the capital",
    "The report runs to more than two hundred pages",
    "Both sides have agreed to meet again before the summer recess",
    "Analysts expect the figures to be revised next quarter",
)
# ☕ and — are in the Basic Multilingual Plane; 📈 and 🇬🇧 (two regional indicators) are astral:
# one code point each but two UTF-16 units, which is what offsets must not be confused by.
EMOJI = ("📈", "☕", "🇬🇧", "👍", "—")
ASTRAL = "📈"

SPAN_LABELS = ("CLAIM", "REBUTTAL", "FIGURE")
GOLD, ANNOTATOR, SUGGESTION = "gold", "annotator", "suggestion"
# Labels each layer of each article carries; relations join the first two of a layer.
LAYER_LABELS: dict[str, tuple[str, ...]] = {
    GOLD: ("FIGURE", "CLAIM", "CLAIM", "REBUTTAL"),
    ANNOTATOR: ("REBUTTAL", "CLAIM", "CLAIM", "FIGURE"),
    SUGGESTION: ("FIGURE", "CLAIM"),
}
LAYER_RELATION = {GOLD: "SUPPORTS", ANNOTATOR: "REBUTS"}  # FIGURE->CLAIM, REBUTTAL->CLAIM
RECOGNISERS = (("figures-regex", "1.2.0"), ("claim-cues", "0.4.1"))
SPANS_PER_ARTICLE = sum(len(labels) for labels in LAYER_LABELS.values())  # 10
RELATIONS_PER_ARTICLE = len(LAYER_RELATION)  # 2


# --- the generator ----------------------------------------------------------------------


@dataclass(frozen=True)
class Sentence:
    text: str
    label: str = ""  # "" for a sentence without a span
    start: int = 0  # the span inside the sentence, in code points
    end: int = 0


@dataclass
class SynthSpan:
    key: str
    layer: str  # gold, annotator or suggestion
    label: str
    start: int
    end: int
    text: str
    recogniser: str = ""
    recogniser_version: str = ""
    score: float | None = None


@dataclass
class SynthRelation:
    layer: str
    label: str
    source: str  # span keys
    target: str


@dataclass
class SynthArticle:
    external_id: str
    title: str
    source_url: str
    meta: dict[str, Any]
    text: str
    spans: list[SynthSpan] = field(default_factory=list)
    relations: list[SynthRelation] = field(default_factory=list)
    state: str = "submitted"


def _sentence(rng: random.Random, label: str) -> Sentence:
    lead = f"{rng.choice(EMOJI)} " if rng.random() < 0.15 else ""
    if label == "CLAIM":
        head = f"{lead}{rng.choice(SPEAKERS)} {rng.choice(SAY)} that "
        span = rng.choice(CLAIMS)
        tail = "." if rng.random() < 0.6 else f", {rng.choice(FIGURE_TAILS)}."
    elif label == "REBUTTAL":
        head = f"{lead}{rng.choice(CRITICS)} {rng.choice(REBUT)} that "
        span = rng.choice(REBUTTALS)
        tail = "." if rng.random() < 0.5 else f" {rng.choice(EMOJI)}."
    elif label == "FIGURE":
        head = f"{lead}{rng.choice(FIGURE_INTROS)} "
        span = rng.choice(FIGURES)
        tail = f" {rng.choice(FIGURE_TAILS)}."
    else:
        text = f"{lead}{rng.choice(FILLER)}"
        if rng.random() < 0.3:
            text += f", {rng.choice(FIGURE_TAILS)}"
        return Sentence(text + ("." if rng.random() < 0.9 else f" {rng.choice(EMOJI)}."))
    return Sentence(head + span + tail, label, len(head), len(head) + len(span))


class SentencePool:
    """Sentences drawn once from the word lists; articles pick from them (fast for 100k)."""

    def __init__(self, rng: random.Random, size: int = 4000) -> None:
        self.by_label = {label: [_sentence(rng, label) for _ in range(size)] for label in SPAN_LABELS}
        self.filler = [_sentence(rng, "") for _ in range(size)]


def make_article(
    rng: random.Random, pool: SentencePool, n: int, *, prefix: str = "synth", chars: int = 3000
) -> SynthArticle:
    """Article ``n``: text of about ``chars`` code points with 10 spans and 2 relations."""
    wanted = [(layer, label) for layer, labels in LAYER_LABELS.items() for label in labels]
    labelled = [(layer, rng.choice(pool.by_label[label])) for layer, label in wanted]
    size = sum(len(s.text) + 1 for _, s in labelled)
    pieces: list[tuple[str, Sentence]] = list(labelled)
    while size < chars:
        sentence = rng.choice(pool.filler)
        pieces.append(("", sentence))
        size += len(sentence.text) + 1
    rng.shuffle(pieces)
    crlf = n % 5 == 0
    paragraph_break = "\r\n\r\n" if crlf else "\n\n"
    astral = n % 7 == 0  # an astral character up front: every offset after it shifts by one unit
    parts: list[str] = [f"{ASTRAL} Breaking: " if astral else ""]
    offset = len(parts[0])
    spans: list[SynthSpan] = []
    counters = {GOLD: 0, ANNOTATOR: 0, SUGGESTION: 0}
    for i, (layer, sentence) in enumerate(pieces):
        if i:
            sep = paragraph_break if i % 4 == 0 else " "
            parts.append(sep)
            offset += len(sep)
        if layer:
            counters[layer] += 1
            start, end = offset + sentence.start, offset + sentence.end
            span = SynthSpan(
                key=f"{layer[0]}{counters[layer]}",
                layer=layer,
                label=sentence.label,
                start=start,
                end=end,
                text=sentence.text[sentence.start : sentence.end],
            )
            if layer == SUGGESTION:
                span.recogniser, span.recogniser_version = RECOGNISERS[sentence.label != "FIGURE"]
                span.score = round(0.5 + rng.random() / 2, 3)
            spans.append(span)
        parts.append(sentence.text)
        offset += len(sentence.text)
    text = "".join(parts)
    spans.sort(key=lambda s: (s.start, s.end))
    relations = []
    for layer, label in LAYER_RELATION.items():
        source_label, target_label = LAYER_LABELS[layer][:2]
        source = next(s for s in spans if s.layer == layer and s.label == source_label)
        target = next(s for s in spans if s.layer == layer and s.label == target_label)
        relations.append(SynthRelation(layer=layer, label=label, source=source.key, target=target.key))
    for span in spans:  # offsets always agree with the text
        assert text[span.start : span.end] == span.text, (n, span)
    return SynthArticle(
        external_id=f"{prefix}-{n:07d}",
        title=f"{rng.choice(SPEAKERS)} {rng.choice(SAY)}: report {n}",
        source_url=f"https://news.example.org/{prefix}/{n}",
        meta={"section": rng.choice(("politics", "economy", "health", "transport")), "n": n},
        text=text,
        spans=spans,
        relations=relations,
        state=rng.choice(("in_progress", "submitted", "submitted")),
    )


def articles(
    n: int, *, seed: int = 20260101, prefix: str = "synth", chars: int = 3000
) -> Iterator[SynthArticle]:
    """``n`` articles, the same for the same seed."""
    rng = random.Random(seed)
    pool = SentencePool(rng)
    for i in range(n):
        yield make_article(rng, pool, i, prefix=prefix, chars=chars)


@dataclass
class SynthCounts:
    articles: int = 0
    spans: int = 0
    relations: int = 0
    bytes: int = 0  # write_jsonl: the file's size


# --- output (a): straight into the database ---------------------------------------------


def populate_db(
    project: Any,
    annotator: Any,
    n: int,
    *,
    created_by: Any = None,
    seed: int = 20260101,
    prefix: str = "synth",
    chars: int = 3000,
    batch: int = 1000,
) -> SynthCounts:
    """Bulk-insert ``n`` synthetic articles with spans, relations and the annotator's state.

    Benchmark setup only: it bypasses the services (no change tracking, no history) and
    expects the project to have the "argument" preset's labels. ``created_by`` (default
    the annotator) is recorded on gold spans; the annotator's layer is theirs.
    """
    from django.db import transaction
    from django.utils import timezone

    from annotator.annotations.models import ArticleState, Layer, Origin, Relation, Span, SuggestionStatus
    from annotator.articles.models import Article
    from annotator.projects.models import Label

    labels = dict(Label.objects.filter(project=project).values_list("name", "pk"))
    missing = {*SPAN_LABELS, *LAYER_RELATION.values()} - set(labels)
    if missing:
        raise ValueError(f"project {project.pk} lacks the labels {sorted(missing)} (use the argument preset)")
    gold_by = (created_by or annotator).pk
    layer_of = {GOLD: Layer.GOLD, ANNOTATOR: Layer.ANNOTATOR, SUGGESTION: Layer.SUGGESTION}
    counts = SynthCounts()
    generated = articles(n, seed=seed, prefix=prefix, chars=chars)
    while True:
        items = [item for _, item in zip(range(batch), generated, strict=False)]
        if not items:
            return counts
        now = timezone.now()
        with transaction.atomic():
            rows = Article.objects.bulk_create(
                [
                    Article(
                        project_id=project.pk,
                        external_id=a.external_id,
                        title=a.title,
                        source_url=a.source_url,
                        meta=a.meta,
                        text=a.text,
                        text_sha256=hashlib.sha256(a.text.encode()).hexdigest(),
                    )
                    for a in items
                ]
            )
            spans: list[Span] = []
            for row, item in zip(rows, items, strict=True):
                for s in item.spans:
                    layer = layer_of[s.layer]
                    spans.append(
                        Span(
                            article_id=row.pk,
                            label_id=labels[s.label],
                            layer=layer,
                            annotator_id=annotator.pk if layer == Layer.ANNOTATOR else None,
                            created_by_id=None
                            if layer == Layer.SUGGESTION
                            else (annotator.pk if layer == Layer.ANNOTATOR else gold_by),
                            origin=Origin.SUGGESTED if layer == Layer.SUGGESTION else Origin.MANUAL,
                            recogniser=s.recogniser,
                            recogniser_version=s.recogniser_version,
                            score=s.score,
                            suggestion_status=SuggestionStatus.PENDING if layer == Layer.SUGGESTION else "",
                            start=s.start,
                            end=s.end,
                            text=s.text,
                            created_at=now,
                            updated_at=now,
                        )
                    )
            Span.objects.bulk_create(spans, batch_size=5000)
            span_ids = iter(span.pk for span in spans)
            relations: list[Relation] = []
            states: list[ArticleState] = []
            for row, item in zip(rows, items, strict=True):
                ids = {s.key: next(span_ids) for s in item.spans}
                for r in item.relations:
                    layer = layer_of[r.layer]
                    relations.append(
                        Relation(
                            article_id=row.pk,
                            label_id=labels[r.label],
                            layer=layer,
                            annotator_id=annotator.pk if layer == Layer.ANNOTATOR else None,
                            created_by_id=annotator.pk if layer == Layer.ANNOTATOR else gold_by,
                            source_id=ids[r.source],
                            target_id=ids[r.target],
                            created_at=now,
                            updated_at=now,
                        )
                    )
                states.append(ArticleState(article_id=row.pk, annotator_id=annotator.pk, status=item.state))
            Relation.objects.bulk_create(relations, batch_size=5000)
            ArticleState.objects.bulk_create(states, batch_size=5000)
        counts.articles += len(rows)
        counts.spans += len(spans)
        counts.relations += len(relations)


# --- output (b): a native JSONL import file ---------------------------------------------


def to_native(article: SynthArticle, annotator: str) -> dict[str, Any]:
    """One line of a native import file (the shape formats/native.py ``from_json`` reads)."""

    def span_json(s: SynthSpan) -> dict[str, Any]:
        data: dict[str, Any] = {"id": s.key, "start": s.start, "end": s.end, "label": s.label, "text": s.text}
        if s.layer == SUGGESTION:
            data["provenance"] = {
                "recogniser": s.recogniser,
                "recogniser_version": s.recogniser_version,
                "score": s.score,
                "status": "pending",
            }
        return data

    layers: list[dict[str, Any]] = []
    for layer, name in ((GOLD, "gold"), (ANNOTATOR, "annotator"), (SUGGESTION, "suggestions")):
        entry: dict[str, Any] = {"layer": name}
        if layer == ANNOTATOR:
            entry["annotator"] = annotator
            entry["state"] = article.state
        entry["spans"] = [span_json(s) for s in article.spans if s.layer == layer]
        entry["relations"] = [
            {"from": r.source, "to": r.target, "label": r.label}
            for r in article.relations
            if r.layer == layer
        ]
        layers.append(entry)
    return {
        "id": article.external_id,
        "title": article.title,
        "source_url": article.source_url,
        "meta": article.meta,
        "text": article.text,
        "annotations": layers,
    }


def write_jsonl(
    path: Path | str,
    n: int,
    *,
    annotator: str = "bench-annotator",
    seed: int = 20260202,
    prefix: str = "import",
    chars: int = 3000,
) -> SynthCounts:
    """Write ``n`` synthetic articles as native JSONL (UTF-8, one article per line)."""
    counts = SynthCounts()
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for article in articles(n, seed=seed, prefix=prefix, chars=chars):
            fh.write(json.dumps(to_native(article, annotator), ensure_ascii=False) + "\n")
            counts.articles += 1
            counts.spans += len(article.spans)
            counts.relations += len(article.relations)
    counts.bytes = Path(path).stat().st_size
    return counts
