"""Krippendorff's alpha for unitized textual continua (coded and uncoded stretches both count).
Pure: no Django.

A continuum is one article: ``(length, {coder: segments})`` with a segment ``(start, end, label)``
in code points, half-open. Each coder's layer partitions the text into *units* (coded stretches,
valued by their label) and *gaps* (uncoded stretches). Implemented, after Krippendorff, Mathet,
Bouvry & Widlöcher (2016), "On the reliability of unitizing textual continua: Further
developments", Quality & Quantity 50:2347-2364 (the definition that replaced the 1995/2004 one,
which misbehaved with more than two coders; also Krippendorff, Content Analysis, 4th ed., 12.6):

- ``label=None``: u-alpha, the valued coefficient (2016, sec. 5.1, eqs. 1, 4, 5; nominal
  metric, the gap a value of its own). Observed coincidences ``l_ck``: for every ordered pair of different
  coders, the length of the intersection of a segment valued c with one valued k, divided by
  m - 1. Expected ``e_ck = l.. (l_c. l_.k - [c = k] S_c) / (l..^2 - S)``, where ``S_c`` sums
  ``length^2`` over units of value c (a unit is one indivisible thing) and ``length`` over gaps
  (a gap is only so many uncoded points). ``u-alpha = 1 - sum_{c!=k} l_ck / sum_{c!=k} e_ck``.
- ``label=L``: the same coefficient over the binary layer "coded L" vs "not coded L" (units:
  the coder's L segments; everything else, other labels included, is gap), i.e. |u-alpha (2016,
  sec. 5.2, eq. 6) of that label's layer; this is the per-value reading of the 1995/2004
  per-category alpha. (The 2016 (k)u-alpha, eq. 13, differs: it only looks where units of two
  coders intersect, so a missed unit does not count against it.)

Several continua (articles) with different coder sets are pooled as alpha pools units coded by
different numbers of coders: each contributes its coincidences with its own 1 / (m_u - 1), the
margins and S are summed over all of them, and chance pairs code points across all articles.
With one continuum of length 1 per unit this is exactly nominal alpha (tests check it).

A coder's own overlapping segments: segments of one label that overlap are merged into their
union (one unit). Where segments of different labels overlap (e.g. nested spans), the code
points carry the *set* of labels as their value (for ``label=None``; ``{X, Y}`` differs from
``{X}``), and the layer is cut at every boundary of the coder's own segments, each piece a unit.
For ``label=L`` only the L segments matter, so nesting never disturbs the per-label value.

Computation: all segments of all continua go into numpy arrays and are swept once, sorted by
position (no pairwise loops), so that 10,000 articles take a fraction of a second.
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


def _pieces(
    layer: np.ndarray, key: np.ndarray, start: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Cut each layer at its own unit boundaries; a piece's value is the sum of the keys of the
    units covering it (one bit per label, so the sum is the label set). Gaps (value 0) dropped."""
    pos = np.concatenate([start, end])
    lay = np.concatenate([layer, layer])
    delta = np.concatenate([key, -key])
    order = np.lexsort((pos, lay))
    pos, lay, delta = pos[order], lay[order], delta[order]
    with np.errstate(over="ignore"):
        value = np.cumsum(delta)  # every unit closes within its layer, so this returns to 0 per layer
    keep = np.zeros(len(pos), dtype=bool)
    keep[:-1] = (lay[1:] == lay[:-1]) & (pos[1:] > pos[:-1]) & (value[:-1] != 0)
    nxt = np.roll(pos, -1)
    return lay[keep], value[keep], pos[keep], nxt[keep]


def _sum_squared_cover(
    group: np.ndarray, start: np.ndarray, end: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """For intervals in groups: per group, the integral over positions of n(x)^2, n(x) the number
    of the group's intervals covering x (sort the ends and sweep)."""
    pos = np.concatenate([start, end])
    grp = np.concatenate([group, group])
    delta = np.concatenate([np.ones(len(start), np.int64), -np.ones(len(end), np.int64)])
    order = np.lexsort((pos, grp))  # ties in any order: the width between them is 0
    pos, grp, delta = pos[order], grp[order], delta[order]
    n = np.cumsum(delta)  # back to 0 at the end of every group
    width = np.zeros(len(pos), dtype=np.int64)
    width[:-1] = pos[1:] - pos[:-1]
    return grp, width * n * n


def unitized_alpha(continua: Iterable[Continuum[CoderT]], *, label: Hashable | None = None) -> Agreement:
    """u-alpha over all labels (label=None) or the binary |u-alpha of one label's layer
    (label=L), pooled over the continua coded by at least two coders (see the module notes)."""
    lengths: list[int] = []  # per continuum used
    sizes: list[int] = []  # its number of coders m_u
    layer_cont: list[int] = []  # per layer (continuum, coder): its continuum
    per_layer: list[int] = []  # how many of the segments below are that layer's
    starts: list[int] = []
    ends: list[int] = []
    codes: list[int] = []
    label_ids: dict[Hashable, int] = {}
    coders: set[Hashable] = set()
    for length, layers in continua:
        if len(layers) < 2:
            continue  # one coder: nothing to pair
        u = len(lengths)
        lengths.append(length)
        sizes.append(len(layers))
        for coder, segments in layers.items():
            coders.add(coder)
            layer_cont.append(u)
            count = 0
            for first, stop, lab in segments:
                if not 0 <= first <= stop <= length:
                    raise ValueError(f"segment {(first, stop)} lies outside its text [0, {length})")
                if first == stop or (label is not None and lab != label):
                    continue  # covers no code point, or not the label asked for
                starts.append(first)
                ends.append(stop)
                codes.append(label_ids.setdefault(lab, len(label_ids)))
                count += 1
            per_layer.append(count)
    units = len(lengths)
    if units == 0:
        return Agreement(None, 0, 0, "no article was submitted by two coders")
    m = np.array(sizes, dtype=np.int64)
    size = np.array(lengths, dtype=np.int64)
    l_all = int((m * size).sum())  # l.., every coder's every code point
    if l_all == 0:
        return Agreement(None, units, len(coders), "the articles submitted by two coders are empty")

    layer = np.repeat(np.arange(len(per_layer), dtype=np.int64), per_layer)
    layer, code, start, end = _merge_same_label(
        layer,
        np.array(codes, dtype=np.int64),
        np.array(starts, dtype=np.int64),
        np.array(ends, dtype=np.int64),
    )
    # One bit per label, so that a sum of keys is the set of labels; beyond 62 labels random keys
    # (a collision, two label sets taken for one, has a chance of about 2^-60).
    keys = (
        np.left_shift(np.int64(1), np.arange(len(label_ids), dtype=np.int64))
        if len(label_ids) <= 62
        else np.random.default_rng(0).integers(1, 2**62, size=len(label_ids), dtype=np.int64)
    )
    layer, value, start, end = _pieces(layer, keys[code], start, end)
    cont = np.array(layer_cont, dtype=np.int64)[layer]
    width = end - start
    values, vidx = np.unique(value, return_inverse=True)
    per_value = np.bincount(vidx, weights=width, minlength=len(values)).astype(np.int64)  # l_c., units
    l_gap = l_all - int(width.sum())  # l_phi, the gaps of all layers
    sum_sq_margins = int((per_value * per_value).sum()) + l_gap * l_gap
    chance = l_all * l_all - sum_sq_margins  # l..^2 - sum_c l_c.^2
    if chance == 0:
        what = "anything" if label is None else repr(label)
        reason = f"nobody coded {what}" if len(width) == 0 else "every coder coded every code point alike"
        return Agreement(None, units, len(coders), f"{reason} (no variation)")
    self_pairs = int((width * width).sum()) + l_gap  # S: length^2 per unit, length per gap

    # Observed: per continuum, sum over x of sum_{i != j} [v_i(x) != v_j(x)]
    # = 2 m N - N^2 - sum_{c != gap} n_c^2 integrated, N(x) the coders with a unit at x.
    grp, sq = _sum_squared_cover(cont * len(values) + vidx, start, end)
    q_values = np.bincount(grp // len(values), weights=sq, minlength=units)
    grp, sq = _sum_squared_cover(cont, start, end)
    q_covered = np.bincount(grp, weights=sq, minlength=units)
    covered = np.bincount(cont, weights=width, minlength=units)
    observed = float(((2 * m * covered - q_covered - q_values) / (m - 1)).sum())  # sum_{c!=k} l_ck
    expected = l_all * chance / (l_all * l_all - self_pairs)  # sum_{c!=k} e_ck
    return Agreement(1 - observed / expected, units, len(coders))
