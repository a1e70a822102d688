"""A project's agreement report from its gathered layers: every figure docs/agreement.md
defines, from plain data. Pure (no Django): the service reads, this computes.

Coders are compared over the articles both have a chosen layer of; an article counts when at
least two chosen layers of it exist. Spans are ``(article, start, end, label)``, relations
``(article, source span, target span, label)`` (metrics_spans), labels by name.
"""

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

from annotator.exchange.formats.conll import bio_tags, token_count, tokens_touching

from .metrics import (
    Agreement,
    cohen_kappa,
    cohen_kappa_table,
    fleiss_kappa,
    krippendorff_alpha,
    percentage_agreement,
)
from .metrics_spans import F1, Match, per_label_f1, relation_f1, span_f1
from .metrics_unitized import unitized_alphas

HARDEST = 20  # articles listed in hardest_articles
Span = tuple[int, int, int, str]  # article, start, end, label
Relation = tuple[int, Span, Span, str]


@dataclass(frozen=True)
class ArticleInfo:
    external_id: str
    title: str
    length: int  # code points


@dataclass
class LayerData:
    """One annotator's layer of one article."""

    spans: dict[int, tuple[int, int, str]] = field(default_factory=dict)  # span id -> start, end, label
    relations: list[tuple[int, int, str]] = field(default_factory=list)  # source id, target id, label
    document_labels: set[str] = field(default_factory=set)


@dataclass
class Gathered:
    match: Match
    usernames: dict[int, str]  # coder id -> username
    articles: dict[int, ArticleInfo]
    layers: dict[int, dict[int, LayerData]]  # article id -> coder id -> layer (two or more coders)
    span_labels: list[str]  # the labels in scope, by kind
    relation_labels: list[str]
    document_labels: list[str]
    # (article id, text) of the articles in ``layers``, read once, for token-level kappa
    texts: Callable[[], Iterable[tuple[int, str]]] | None = None


@dataclass
class _Pair:
    articles: int = 0
    # F1 counts per label, summed over the articles (matches never cross articles or labels)
    spans: dict[str, F1] = field(default_factory=dict)
    relations: dict[str, F1] = field(default_factory=dict)
    units: Counter[tuple[bool, bool]] = field(default_factory=Counter)  # document label codings
    tokens: Counter[tuple[str, str]] = field(default_factory=Counter)  # CoNLL tags


def _value(agreement: Agreement, name: str, reasons: dict[str, str]) -> float | None:
    if agreement.value is None:
        reasons[name] = agreement.reason
    return agreement.value


def _f1(score: F1, name: str, reasons: dict[str, str], what: str) -> float | None:
    if score.a + score.b == 0:
        reasons[name] = f"no {what} in the compared layers"
        return None
    return score.f1


class _Report:
    def __init__(self, data: Gathered) -> None:
        self.data = data
        self.spans: dict[tuple[int, int], list[Span]] = {}  # (article, coder) -> spans in scope
        self.relations: dict[tuple[int, int], list[Relation]] = {}
        span_scope, relation_scope = set(data.span_labels), set(data.relation_labels)
        for article_id, coders in data.layers.items():
            for coder, layer in coders.items():
                every = {pk: (article_id, s, e, label) for pk, (s, e, label) in layer.spans.items()}
                self.spans[article_id, coder] = [span for span in every.values() if span[3] in span_scope]
                self.relations[article_id, coder] = [
                    (article_id, every[source], every[target], label)
                    for source, target, label in layer.relations
                    if label in relation_scope and source in every and target in every
                ]
        self.pairs: dict[tuple[int, int], _Pair] = defaultdict(_Pair)
        self.disagreement: dict[int, float] = {}
        for article_id, coders in data.layers.items():
            self._article(article_id, sorted(coders, key=data.usernames.__getitem__))
        if data.texts is not None:
            self._tokens(data.texts())

    def _article(self, article_id: int, coders: list[int]) -> None:
        scores = []
        for a, b in combinations(coders, 2):
            pair = self.pairs[a, b]
            pair.articles += 1
            on_spans = self._scores(self.spans, article_id, a, b, self.data.span_labels, span_f1)
            _add(pair.spans, on_spans)
            _add(
                pair.relations,
                self._scores(self.relations, article_id, a, b, self.data.relation_labels, relation_f1),
            )
            mine, yours = self.data.layers[article_id][a], self.data.layers[article_id][b]
            for label in self.data.document_labels:
                pair.units[label in mine.document_labels, label in yours.document_labels] += 1
            scores.append(sum(on_spans.values(), F1(0, 0, 0)).f1)
        self.disagreement[article_id] = 1 - sum(scores) / len(scores)

    def _scores(
        self, items: Mapping[tuple[int, int], list[Any]], article_id: int, a: int, b: int,
        labels: list[str], f1: Callable[..., F1],
    ) -> dict[str, F1]:  # fmt: skip
        """The two coders' F1 counts per label on one article."""
        scores = per_label_f1(items[article_id, a], items[article_id, b], labels, f1, self.data.match)
        return {str(label): score for label, score in scores.items()}

    def _tokens(self, texts: Iterable[tuple[int, str]]) -> None:
        """Counts each pair's (tag, tag) over the article's CoNLL tokens; only tokens some
        span touches are tagged, the others are O for everyone."""
        for article_id, text in texts:
            coders = sorted(self.data.layers[article_id], key=self.data.usernames.__getitem__)
            layers = {
                coder: [_Tagged(*span[1:]) for span in self.spans[article_id, coder]] for coder in coders
            }
            touched = tokens_touching(text, [(s.start, s.end) for spans in layers.values() for s in spans])
            tags = {coder: bio_tags(touched, spans) for coder, spans in layers.items()}
            untouched = token_count(text) - len(touched)
            for a, b in combinations(coders, 2):
                counts = self.pairs[a, b].tokens
                counts.update(zip(tags[a], tags[b], strict=True))
                counts["O", "O"] += untouched

    def as_dict(self) -> dict[str, Any]:
        data = self.data
        users = sorted({data.usernames[c] for coders in data.layers.values() for c in coders})
        pairs = [self._pair(a, b, pair) for (a, b), pair in self.pairs.items()]
        pairs.sort(key=lambda p: (p["a"], p["b"]))
        hardest = sorted(self.disagreement.items(), key=lambda item: (-item[1], item[0]))[:HARDEST]
        return {
            "match": data.match,
            "articles": len(data.layers),
            "annotators": users,
            "spans": self._spans(pairs),
            "relations": self._relations(),
            "document_labels": self._document_labels(),
            "pairs": pairs,
            "hardest_articles": [
                {
                    "article": article_id,
                    "external_id": data.articles[article_id].external_id,
                    "title": data.articles[article_id].title,
                    "annotators": len(data.layers[article_id]),
                    "disagreement": value,
                }
                for article_id, value in hardest
            ],
        }

    def _pair(self, a: int, b: int, pair: _Pair) -> dict[str, Any]:
        reasons: dict[str, str] = {}
        return {
            "a": self.data.usernames[a],
            "b": self.data.usernames[b],
            "articles": pair.articles,
            "span_f1": _f1(sum(pair.spans.values(), F1(0, 0, 0)), "span_f1", reasons, "spans"),
            "relation_f1": _f1(
                sum(pair.relations.values(), F1(0, 0, 0)), "relation_f1", reasons, "relations"
            ),
            "kappa": self._kappa(pair.units, "kappa", reasons, "document labels"),
            "token_kappa": self._kappa(pair.tokens, "token_kappa", reasons, "tokens")
            if self.data.texts is not None
            else _skipped("token_kappa", reasons),
            "reasons": reasons,
        }

    @staticmethod
    def _kappa(table: Counter[Any], name: str, reasons: dict[str, str], what: str) -> float | None:
        if not table:
            reasons[name] = f"no {what} to compare"
            return None
        return _value(cohen_kappa_table(table), name, reasons)

    def _per_label(self, kind: str, labels: list[str]) -> dict[str, F1]:
        totals = {label: F1(0, 0, 0) for label in labels}
        for pair in self.pairs.values():
            _add(totals, pair.spans if kind == "spans" else pair.relations)
        return totals

    def _counts(self, kind: str) -> Counter[str]:
        items = self.spans if kind == "spans" else self.relations
        return Counter(item[-1] for layer in items.values() for item in layer)

    def _averages(self, scores: dict[str, F1], reasons: dict[str, str], what: str) -> dict[str, Any]:
        seen = [score for score in scores.values() if score.a + score.b]
        pooled = sum(seen, F1(0, 0, 0))
        if not seen:
            reasons["f1"] = f"no {what} in the compared layers"
        return {
            "micro": pooled.f1 if seen else None,
            "macro": sum(s.f1 for s in seen) / len(seen) if seen else None,
        }

    def _spans(self, pairs: list[dict[str, Any]]) -> dict[str, Any]:
        reasons: dict[str, str] = {}
        counts = self._counts("spans")
        scores = self._per_label("spans", self.data.span_labels)
        continua = [
            (
                self.data.articles[article_id].length,
                {c: [s[1:] for s in self.spans[article_id, c]] for c in coders},
            )
            for article_id, coders in self.data.layers.items()
        ]
        overall, alphas = unitized_alphas(continua, self.data.span_labels)
        per_label = {}
        for label in self.data.span_labels:
            label_reasons: dict[str, str] = {}
            per_label[label] = {
                "count": counts[label],
                "alpha_unitized": _value(alphas[label], "alpha_unitized", label_reasons),
                "f1": _f1(scores[label], "f1", label_reasons, f"{label} spans"),
                "reasons": label_reasons,
            }
        token_kappas = [p["token_kappa"] for p in pairs if p["token_kappa"] is not None]
        if self.data.texts is None:
            token_kappa = _skipped("token_kappa", reasons)
        elif not token_kappas:
            token_kappa = None
            reasons["token_kappa"] = "no pair of coders has a token kappa"  # noqa: S105 (not a password)  # nosec B105
        else:
            token_kappa = sum(token_kappas) / len(token_kappas)
        return {
            "count": sum(counts.values()),
            "alpha_unitized": _value(overall, "alpha_unitized", reasons),
            "token_kappa": token_kappa,
            "f1": self._averages(scores, reasons, "spans"),
            "per_label": per_label,
            "reasons": reasons,
        }

    def _relations(self) -> dict[str, Any]:
        reasons: dict[str, str] = {}
        counts = self._counts("relations")
        scores = self._per_label("relations", self.data.relation_labels)
        per_label = {}
        for label in self.data.relation_labels:
            label_reasons: dict[str, str] = {}
            f1 = _f1(scores[label], "f1", label_reasons, f"{label} relations")
            per_label[label] = {"count": counts[label], "f1": f1, "reasons": label_reasons}
        return {
            "count": sum(counts.values()),
            "f1": self._averages(scores, reasons, "relations"),
            "per_label": per_label,
            "reasons": reasons,
        }

    def _document_labels(self) -> dict[str, Any]:
        data = self.data
        reasons: dict[str, str] = {}
        coders = sorted(
            {c for layers in data.layers.values() for c in layers}, key=data.usernames.__getitem__
        )
        rows: dict[str, list[list[int | None]]] = {label: [] for label in data.document_labels}
        for layers in data.layers.values():
            for label in data.document_labels:
                rows[label].append(
                    [int(label in layers[c].document_labels) if c in layers else None for c in coders]
                )
        every = [row for label_rows in rows.values() for row in label_rows]
        per_label = {}
        for label, label_rows in rows.items():
            label_reasons: dict[str, str] = {}
            per_label[label] = {
                "units": len(label_rows),
                "krippendorff_alpha": _value(
                    krippendorff_alpha(label_rows), "krippendorff_alpha", label_reasons
                ),
                "percentage_agreement": _value(
                    percentage_agreement(label_rows), "percentage_agreement", label_reasons
                ),
                "reasons": label_reasons,
            }
        if len(coders) == 2:
            cohen = _value(cohen_kappa(every), "cohen_kappa", reasons)
        else:
            cohen = None
            reasons["cohen_kappa"] = f"Cohen's kappa takes exactly two coders; {len(coders)} took part."
        if not data.document_labels:
            reasons["units"] = "no document label in scope"
        return {
            "units": len(every),
            "cohen_kappa": cohen,
            "fleiss_kappa": _value(fleiss_kappa(every), "fleiss_kappa", reasons),
            "krippendorff_alpha": _value(krippendorff_alpha(every), "krippendorff_alpha", reasons),
            "percentage_agreement": _value(percentage_agreement(every), "percentage_agreement", reasons),
            "per_label": per_label,
            "reasons": reasons,
        }


@dataclass(frozen=True)
class _Tagged:
    start: int
    end: int
    label: str


def _add(totals: dict[str, F1], scores: Mapping[str, F1]) -> None:
    for label, score in scores.items():
        totals[label] = totals.get(label, F1(0, 0, 0)) + score


def _skipped(name: str, reasons: dict[str, str]) -> float | None:
    reasons[name] = "not computed: ask with tokens=1"
    return None


def agreement_report(data: Gathered) -> dict[str, Any]:
    """The report of docs/agreement.md over the gathered layers."""
    return _Report(data).as_dict()
