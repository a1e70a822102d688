"""Krippendorff's alpha for unitizing (alpha_U): labelled segments of a continuum, where the
coded and the uncoded stretches both count. Pure: numpy, no Django.

Follows Krippendorff (1995), "On the reliability of unitizing continuous data", Sociological
Methodology 25:47-76, and Krippendorff (2004), *Content Analysis*, 2nd ed., the reliability
chapter's alpha for unitizing (the worked example on p. 254), as DKPro Statistics' reference
implementation computes it. The tests reproduce the published examples (1995: Bertha/Bill, John/Jill, Gerret/Gill,
Heather/Hill; 2004: p. 254). For one label c, each coder's layer of one continuum of length L
is a sequence of *units* (its segments labelled c) and *gaps* (the rest, other labels
included). Then, over the m coders:

- observed ``D_o = 2 / (m (m - 1) L^2) * sum over pairs of coders, over pairs of their
  sections that intersect, of delta^2``, where two intersecting units differ by
  ``(b_1 - b_2)^2 + (e_1 - e_2)^2`` (their start and end points), a unit lying inside the
  other's gap by its length squared, and anything else (gap and gap, a unit only partly in a
  gap) not at all;
- expected ``D_e = (2 / L) * sum over units u of [(N_c - 1)(2 l^3 - 3 l^2 + l) / 3
  + l^2 * sum over gaps g with l_g >= l of (l_g - l + 1)] / (mL (mL - 1) - sum over units of
  l (l - 1))``, units and gaps of every coder pooled, N_c the number of units, l a length;
- ``alpha_c = 1 - D_o / D_e``; over all labels (2004, p. 254) ``1 - sum_c D_o / sum_c D_e``.

Several continua (articles) with different coders are pooled as if laid end to end (each
keeps its own gaps): each article's pairs add to the observed sum, which is divided by
``L * sum over articles of m_a (m_a - 1) L_a`` (``m (m - 1) L^2`` when every coder coded every
article); units and gaps pool into the expected one with ``mL`` the coded length summed over
articles. An article with one coder pairs nothing and is left out. A coder's overlapping
segments of one label merge into their union (one unit); segments of other labels never
disturb a label's layer, so nested spans are fine.

Computation: all segments go into numpy arrays; intersecting pairs are found per article among
that label's units only, so that 10,000 articles take well under a second.
"""

from collections.abc import Collection, Hashable, Iterable, Mapping
from typing import TypeVar

import numpy as np

from annotator.agreement.metrics import Agreement

CoderT = TypeVar("CoderT", bound=Hashable)
Segment = tuple[int, int, Hashable]  # start, end (code points, half-open), label
Continuum = tuple[int, Mapping[CoderT, Collection[Segment]]]  # text length, coder -> segments


def _run_starts(keys: np.ndarray) -> np.ndarray:
    """True where a run of equal keys (in a sorted array) begins."""
    first = np.ones(len(keys), dtype=bool)
    first[1:] = keys[1:] != keys[:-1]
    return first


def _merge_same_label(
    layer: np.ndarray, value: np.ndarray, start: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Merge each layer's overlapping segments of one label into their union (touching ones stay
    apart: two adjacent units are two units)."""
    if not len(start):
        return layer, value, start, end
    order = np.lexsort((start, value, layer))
    layer, value, start, end = layer[order], value[order], start[order], end[order]
    group = np.cumsum(_run_starts(layer * (1 << 31) + value))
    # The running maximum of ``end`` within a group: lifting each group above the previous one
    # lets one global maximum.accumulate restart at every group.
    lift = group * (int(end.max()) + 1)
    reach = np.maximum.accumulate(lift + end) - lift
    new = np.ones(len(start), dtype=bool)
    new[1:] = (group[1:] != group[:-1]) | (start[1:] >= reach[:-1])
    last = np.append(np.flatnonzero(new)[1:] - 1, len(start) - 1)  # each merged run's last segment
    return layer[new], value[new], start[new], reach[last]


class _Layers:
    """Every pairable article's segments as arrays (one label's, or all), merged per layer."""

    def __init__(self, continua: Iterable[Continuum[CoderT]], label: Hashable | None) -> None:
        lengths: list[int] = []  # per article used
        sizes: list[int] = []  # its number of coders m_a
        layer_article: list[int] = []  # per layer (article, coder): its article
        per_layer: list[int] = []  # how many of the segments below are that layer's
        starts: list[int] = []
        ends: list[int] = []
        codes: list[int] = []
        self.labels: dict[Hashable, int] = {}
        self.coders: set[Hashable] = set()
        for length, layers in continua:
            if len(layers) < 2:
                continue  # one coder: nothing to pair
            article = len(lengths)
            lengths.append(length)
            sizes.append(len(layers))
            for coder, segments in layers.items():
                self.coders.add(coder)
                layer_article.append(article)
                count = 0
                for first, stop, lab in segments:
                    if not 0 <= first <= stop <= length:
                        raise ValueError(f"segment {(first, stop)} lies outside its text [0, {length})")
                    if first == stop or (label is not None and lab != label):
                        continue  # covers no code point, or not the label asked for
                    starts.append(first)
                    ends.append(stop)
                    codes.append(self.labels.setdefault(lab, len(self.labels)))
                    count += 1
                per_layer.append(count)
        self.articles = len(lengths)
        self.length = np.array(lengths, dtype=np.int64)  # L_a
        self.m = np.array(sizes, dtype=np.int64)  # m_a
        self.layer_article = np.array(layer_article, dtype=np.int64)
        layer = np.repeat(np.arange(len(per_layer), dtype=np.int64), per_layer)
        self.layer, self.code, self.start, self.end = _merge_same_label(
            layer,
            np.array(codes, dtype=np.int64),
            np.array(starts, dtype=np.int64),
            np.array(ends, dtype=np.int64),
        )

    def undefined(self, label: Hashable | None) -> Agreement | None:
        """The answer when there is nothing to compare, with its reason; None otherwise."""
        if self.articles == 0:
            return Agreement(None, 0, 0, "no article was submitted by two coders")
        if int(self.length.sum()) == 0:
            return Agreement(
                None, self.articles, len(self.coders), "the articles submitted by two coders are empty"
            )
        if not self.labels if label is None else label not in self.labels:
            what = "anything" if label is None else repr(label)
            return Agreement(None, self.articles, len(self.coders), f"nobody coded {what} (no variation)")
        return None

    def alpha(self, codes: list[int], known: dict[int, tuple[float, float]] | None = None) -> Agreement:
        """1 - the sum of these labels' observed disagreements / the sum of their expected ones."""
        pairs = [known[code] if known else self.disagreements(code) for code in codes]
        observed = sum(d_o for d_o, _ in pairs)
        expected = sum(d_e for _, d_e in pairs)
        if expected == 0:
            reason = "every coder coded every code point alike (no variation)"
            return Agreement(None, self.articles, len(self.coders), reason)
        return Agreement(1 - observed / expected, self.articles, len(self.coders))

    def disagreements(self, code: int) -> tuple[float, float]:
        """(D_o, D_e) of one label over all the articles."""
        pick = self.code == code
        layer, start, end = self.layer[pick], self.start[pick], self.end[pick]
        order = np.lexsort((start, layer))  # by layer, then position: layers lie in article order
        layer, start, end = layer[order], start[order], end[order]
        article = self.layer_article[layer]
        total = float(self.length.sum())  # L
        pairable = float((self.m * (self.m - 1) * self.length).sum())
        coded = float((self.m * self.length).sum())  # mL
        observed = 2 * _observed_sum(article, layer, start, end, self.m) / (total * pairable)
        width = (end - start).astype(np.float64)
        gaps = _gaps(layer, start, end, self.layer_article, self.length)
        n_c = len(width)
        over_gaps = _sum_over_longer_gaps(gaps, width)
        units = (n_c - 1) * (2 * width**3 - 3 * width**2 + width) / 3 + width**2 * over_gaps
        chance = coded * (coded - 1) - float((width * (width - 1)).sum())
        expected = 2 / total * float(units.sum()) / chance if chance else 0.0
        return observed, expected


def _observed_sum(
    article: np.ndarray, layer: np.ndarray, start: np.ndarray, end: np.ndarray, m: np.ndarray
) -> float:
    """The sum over pairs of coders of delta^2 of their intersecting sections (units sorted by
    article): units of two coders that intersect, and units inside the other coder's gap."""
    n = len(start)
    if n == 0:
        return 0.0
    first = np.searchsorted(article, article, side="left")  # each unit's article's first unit
    count = np.searchsorted(article, article, side="right") - first
    left = np.repeat(np.arange(n), count)  # every ordered pair of units of one article
    right = first[left] + np.arange(len(left)) - np.repeat(np.cumsum(count) - count, count)
    cross = (layer[left] != layer[right]) & (start[left] < end[right]) & (start[right] < end[left])
    left, right = left[cross], right[cross]
    both_coded = float(((start[left] - start[right]) ** 2 + (end[left] - end[right]) ** 2).sum()) / 2
    # A unit meets each other coder either in a unit (above) or wholly inside a gap.
    met = np.unique(left * (int(layer.max()) + 1) + layer[right]) // (int(layer.max()) + 1)
    coders_met = np.bincount(met, minlength=n)
    inside_gaps = (m[article] - 1 - coders_met) * (end - start) ** 2
    return both_coded + float(inside_gaps.sum())


def _gaps(
    layer: np.ndarray, start: np.ndarray, end: np.ndarray, layer_article: np.ndarray, length: np.ndarray
) -> np.ndarray:
    """The lengths of every layer's gaps (units sorted by layer and start), empty ones dropped."""
    first = np.ones(len(layer), dtype=bool)
    first[1:] = layer[1:] != layer[:-1]
    last = np.ones(len(layer), dtype=bool)
    last[:-1] = layer[1:] != layer[:-1]
    before = start - np.where(first, 0, np.roll(end, 1))
    after = length[layer_article[layer[last]]] - end[last]
    unused = np.ones(len(layer_article), dtype=bool)
    unused[layer] = False  # layers without a unit of the label: one gap, the whole article
    gaps = np.concatenate([before, after, length[layer_article[unused]]])
    return np.sort(gaps[gaps > 0]).astype(np.float64)


def _sum_over_longer_gaps(gaps: np.ndarray, width: np.ndarray) -> np.ndarray:
    """For each unit length l: the sum over gaps g with l_g >= l of (l_g - l + 1)."""
    at = np.searchsorted(gaps, width, side="left")
    suffix = np.concatenate([np.cumsum(gaps[::-1])[::-1], [0.0]])
    return suffix[at] - (width - 1) * (len(gaps) - at)


def unitized_alpha(continua: Iterable[Continuum[CoderT]], *, label: Hashable | None = None) -> Agreement:
    """Krippendorff's alpha_U (1995; 2004, p. 254) over all labels (label=None) or of one label,
    pooled over the articles coded by at least two coders (see the module notes)."""
    data = _Layers(continua, label)
    undefined = data.undefined(label)
    if undefined is not None:
        return undefined
    return data.alpha(list(data.labels.values()))


def unitized_alphas(
    continua: Iterable[Continuum[CoderT]], labels: Iterable[Hashable]
) -> tuple[Agreement, dict[Hashable, Agreement]]:
    """The overall alpha_U and each of ``labels``' from one reading of the segments (the same
    values as ``unitized_alpha`` without and with ``label``)."""
    data = _Layers(continua, None)
    each = {code: data.disagreements(code) for code in data.labels.values()}
    per_label = {label: data.undefined(label) or data.alpha([data.labels[label]], each) for label in labels}
    return data.undefined(None) or data.alpha(list(each), each), per_label
