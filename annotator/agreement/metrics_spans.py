"""Agreement on spans and relations between two coders: F1 with exact or overlap matching,
and its micro and macro averages. Pure: no Django.

A span is ``(article, start, end, label)`` (code points, half-open); a relation is
``(article, source span, target span, label)``. The two coders are compared over the same
articles (the caller picks the articles both submitted).
"""

from collections import defaultdict
from collections.abc import Callable, Collection, Hashable, Iterable, Mapping
from dataclasses import dataclass
from typing import Literal, TypeVar

import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import maximum_bipartite_matching

Span = tuple[Hashable, int, int, Hashable]
Relation = tuple[Hashable, Span, Span, Hashable]
Match = Literal["exact", "overlap"]
MATCHES: tuple[Match, ...] = ("exact", "overlap")
T = TypeVar("T", Span, Relation)


@dataclass(frozen=True)
class F1:
    matched: int  # pairs matched (each span of either coder in at most one)
    a: int  # the first coder's spans (or relations)
    b: int  # the second's

    @property
    def f1(self) -> float:
        """2 |matched| / (|A| + |B|); 1 when both are empty (they agree there is nothing)."""
        return 1.0 if self.a + self.b == 0 else 2 * self.matched / (self.a + self.b)

    def __add__(self, other: "F1") -> "F1":
        return F1(self.matched + other.matched, self.a + other.a, self.b + other.b)


def _overlap(x: Span, y: Span) -> bool:
    """Same article and label, and at least one shared code point."""
    return x[0] == y[0] and x[3] == y[3] and x[1] < y[2] and y[1] < x[2]


def _matching(a: list[T], b: list[T], matches: Callable[[T, T], bool]) -> int:
    """The size of a maximum matching between a and b where ``matches`` says which pairs may
    match (Hopcroft-Karp, scipy): every item is matched at most once."""
    if not a or not b:
        return 0
    rows, cols = [], []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            if matches(x, y):
                rows.append(i)
                cols.append(j)
    if not rows:
        return 0
    if len(set(rows)) == len(rows) and len(set(cols)) == len(cols):
        return len(rows)  # no item could match twice: every edge is in the matching
    graph = csr_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(len(a), len(b)))
    return int((maximum_bipartite_matching(graph, perm_type="column") >= 0).sum())


def _grouped(items: Iterable[T]) -> dict[Hashable, list[T]]:
    """By (article, label): only items of one group can match."""
    groups: dict[Hashable, list[T]] = defaultdict(list)
    for item in items:
        groups[(item[0], item[3])].append(item)
    return groups


def span_f1(a: Collection[Span], b: Collection[Span], *, match: Match = "exact") -> F1:
    """Pairwise span F1 (Hripcsak & Rothschild 2005: F1 as agreement without chance
    correction). exact: the same (article, start, end, label); overlap: the same article and
    label and any shared code point, each span matched at most once (a maximum matching)."""
    a, b = set(a), set(b)
    if match == "exact":
        return F1(len(a & b), len(a), len(b))
    by_b = _grouped(b)
    matched = sum(_matching(spans, by_b.get(key, []), _overlap) for key, spans in _grouped(a).items())
    return F1(matched, len(a), len(b))


def relation_f1(a: Collection[Relation], b: Collection[Relation], *, match: Match = "exact") -> F1:
    """Pairwise relation F1: a relation matches one of the other coder's when their labels are
    the same and both their source and their target spans match (exact or overlap, as for
    spans), so relation agreement cannot be high where span agreement is low."""
    a, b = set(a), set(b)
    if match == "exact":
        return F1(len(a & b), len(a), len(b))

    def ends_match(x: Relation, y: Relation) -> bool:
        return _overlap(x[1], y[1]) and _overlap(x[2], y[2])

    by_b = _grouped(b)
    matched = sum(_matching(rels, by_b.get(key, []), ends_match) for key, rels in _grouped(a).items())
    return F1(matched, len(a), len(b))


def by_label(items: Iterable[tuple]) -> dict[Hashable, set[tuple]]:
    """Spans or relations by their label (the last field)."""
    out: dict[Hashable, set[tuple]] = defaultdict(set)
    for item in items:
        out[item[-1]].add(item)
    return out


@dataclass(frozen=True)
class Averages:
    micro: float | None  # F1 of the summed counts
    macro: float | None  # the mean of the F1s


def averages(scores: Iterable[F1]) -> Averages:
    """Micro (pooled counts) and macro (unweighted mean) averages of F1 scores, e.g. over
    coder pairs and labels; None when there is none."""
    scores = list(scores)
    if not scores:
        return Averages(None, None)
    total = sum(scores[1:], scores[0])
    return Averages(total.f1, sum(s.f1 for s in scores) / len(scores))


def per_label_f1(
    a: Collection[tuple],
    b: Collection[tuple],
    labels: Collection[Hashable],
    f1: Callable[..., F1],
    match: Match,
) -> Mapping[Hashable, F1]:
    """``f1`` (span_f1 or relation_f1) of the two coders for each label."""
    ours, theirs = by_label(a), by_label(b)
    return {label: f1(ours.get(label, set()), theirs.get(label, set()), match=match) for label in labels}
