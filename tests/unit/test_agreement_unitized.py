"""Krippendorff's unitizing alpha (annotator.agreement.metrics_unitized): a published worked
example, a literal per-code-point reference of the 2016 equations, the laws over random codings,
and small hand-worked cases."""

from collections import Counter, defaultdict
from itertools import pairwise, permutations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.agreement.metrics import krippendorff_alpha
from annotator.agreement.metrics_unitized import unitized_alpha

LABELS = ["X", "Y", "Z"]


# -- a published worked example ------------------------------------------------------------------

# Krippendorff, K. (2011) "Computing Krippendorff's Alpha-Reliability", Annenberg School for
# Communication Departmental Papers 43, example C (nominal data, any number of observers,
# missing values): 4 observers, 12 units, alpha_nominal = 0.743 (also the doctest of the
# krippendorff package). Each unit is written as a continuum of length 1 that
# the observer coded with a unit of that value: then u-alpha's intersections are alpha's pairs, its
# unit correction l^2 = 1 is alpha's n.. - 1, and pooling the continua is alpha's pooling of units
# coded by different numbers of observers (unit 12, coded once, is dropped).
RELIABILITY_DATA = {
    "A": [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    "B": [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    "C": [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    "D": [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
}


def as_continua(data: dict[str, list]) -> list:
    units = len(next(iter(data.values())))
    return [
        (1, {coder: [(0, 1, values[u])] for coder, values in data.items() if values[u] is not None})
        for u in range(units)
    ]


def test_krippendorff_2011_nominal_example() -> None:
    result = unitized_alpha(as_continua(RELIABILITY_DATA))
    assert result.value == pytest.approx(0.743, abs=5e-4)
    assert (result.units, result.coders) == (11, 4)


@pytest.mark.parametrize("value", [1, 2, 3, 4, 5])
def test_per_label_of_unit_length_data_is_binary_alpha(value: int) -> None:
    """label=L is alpha of the data dichotomised into L and not-L (Krippendorff 2011, ibid.)."""
    table = [
        [None if v is None else v == value for v in (RELIABILITY_DATA[c][u] for c in "ABCD")]
        for u in range(12)
    ]
    expected = krippendorff_alpha(table).value
    assert unitized_alpha(as_continua(RELIABILITY_DATA), label=value).value == pytest.approx(expected)


# -- a literal reference: the 2016 equations, code point by code point ---------------------------


def reference(continua, label=None) -> float | None:
    """Krippendorff et al. 2016, eqs. 1, 4, 5 as written: each coder's value at every code point
    (the set of its labels covering it, frozenset() for a gap), pieces cut at the coder's own
    boundaries; o_ck over ordered pairs of coders / (m - 1); e_ck from the margins and S."""
    observed: defaultdict[tuple, float] = defaultdict(float)
    margins: defaultdict[frozenset, float] = defaultdict(float)
    self_pairs: Counter = Counter()
    for length, layers in continua:
        m = len(layers)
        if m < 2:
            continue
        points = []
        for segments in layers.values():
            segs = _merged([s for s in segments if label is None or s[2] == label])
            value = [frozenset({lab for s, e, lab in segs if s <= x < e}) for x in range(length)]
            points.append(value)
            cuts = sorted({0, length} | {s for s, _, _ in segs} | {e for _, e, _ in segs})
            for a, b in pairwise(cuts):
                # a gap counts per code point, a unit (piece) as one thing
                self_pairs[value[a]] += (b - a) if not value[a] else (b - a) ** 2
        for x in range(length):
            for i, j in permutations(range(m), 2):
                observed[(points[i][x], points[j][x])] += 1 / (m - 1)
    for (c, _k), n in observed.items():
        margins[c] += n
    total = sum(margins.values())
    if total == 0:
        return None
    s = sum(self_pairs.values())
    d_o = sum(n for (c, k), n in observed.items() if c != k)
    d_e = (
        sum(margins[c] * margins[k] for c in margins for k in margins if c != k) * total / (total * total - s)
    )
    return None if d_e == 0 else 1 - d_o / d_e


def _merged(segments):
    """One coder's overlapping segments of one label as their union (touching ones stay apart)."""
    out: list = []
    for s, e, lab in sorted(segments, key=lambda seg: (str(seg[2]), seg[0])):
        if out and out[-1][2] == lab and s < out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], e), lab)
        else:
            out.append((s, e, lab))
    return out


# -- random codings --------------------------------------------------------------------------------


@st.composite
def layer(draw, length: int, *, overlapping: bool = False):
    """One coder's segments: non-overlapping unless asked, labels from LABELS."""
    n = draw(st.integers(0, 5))
    if overlapping:
        out = []
        for _ in range(n):
            a = draw(st.integers(0, length - 1))
            b = draw(st.integers(a + 1, length))
            out.append((a, b, draw(st.sampled_from(LABELS))))
        return out
    cuts = sorted(draw(st.lists(st.integers(0, length), min_size=2 * n, max_size=2 * n)))
    return [
        (a, b, draw(st.sampled_from(LABELS))) for a, b in zip(cuts[::2], cuts[1::2], strict=True) if a < b
    ]


@st.composite
def continuum(draw, *, coders=(2, 4), overlapping: bool = False):
    length = draw(st.integers(1, 30))
    m = draw(st.integers(*coders))
    return (length, {f"c{i}": draw(layer(length, overlapping=overlapping)) for i in range(m)})


def continua(**kw):
    return st.lists(continuum(**kw), min_size=1, max_size=4)


labels = st.one_of(st.none(), st.sampled_from(LABELS))


@settings(max_examples=300, deadline=None)
@given(st.booleans().flatmap(lambda o: continua(coders=(1, 4), overlapping=o)), labels)
def test_equals_the_literal_reference(data, label) -> None:
    ours = unitized_alpha(data, label=label).value
    ref = reference(data, label)
    assert (ours is None) == (ref is None)
    if ours is not None:
        assert ours == pytest.approx(ref, abs=1e-9)


@settings(max_examples=200, deadline=None)
@given(continua(), labels)
def test_identical_layers_agree_perfectly(data, label) -> None:
    copied = [(length, {c: next(iter(layers.values())) for c in layers}) for length, layers in data]
    result = unitized_alpha(copied, label=label)
    assert result.value is None or result.value == pytest.approx(1.0)
    if result.value is None:
        assert result.reason


@settings(max_examples=200, deadline=None)
@given(continuum(coders=(2, 2)), labels)
def test_an_empty_coder_against_a_coded_layer_is_no_better_than_chance(data, label) -> None:
    length, layers = data
    coded = next(iter(layers.values()))
    result = unitized_alpha([(length, {"a": coded, "b": []})], label=label)
    assert result.value is None or result.value <= 1e-12


@settings(max_examples=200, deadline=None)
@given(continua(overlapping=True), labels, st.randoms(use_true_random=False))
def test_symmetric_in_coders_and_at_most_one(data, label, rnd) -> None:
    value = unitized_alpha(data, label=label).value
    shuffled = []
    for length, layers in data:
        names = list(layers)
        rnd.shuffle(names)
        items = list(zip(names, layers.values(), strict=True))
        rnd.shuffle(items)
        shuffled.append((length, dict(items)))
    other = unitized_alpha(shuffled, label=label).value
    assert (value is None) == (other is None)
    if value is not None:
        assert other == pytest.approx(value, abs=1e-12)
        assert value <= 1 + 1e-12


# -- small hand-worked cases -----------------------------------------------------------------------


def value_of(continua, label=None) -> float:
    value = unitized_alpha(continua, label=label).value
    assert value is not None
    return value


def test_per_label_and_overall_by_hand() -> None:
    # Length 10, two coders. a: X on [0, 4); b: X on [0, 4) and Y on [6, 8).
    # l.. = 20. Overall: disagreeing ordered pairs on [6, 8): 2 points x 2 = 4 = sum_{c!=k} l_ck.
    # Margins: X 8, Y 2, gap 10; S = 4^2 + 4^2 + 2^2 + 10 (gap points) = 46.
    # sum_{c!=k} e_ck = 20 (400 - 64 - 4 - 100) / (400 - 46) = 4640 / 354; u-alpha = 1 - 4 * 354 / 4640.
    data = [(10, {"a": [(0, 4, "X")], "b": [(0, 4, "X"), (6, 8, "Y")]})]
    assert unitized_alpha(data).value == pytest.approx(1 - 4 * 354 / 4640)
    # label X: both agree everywhere -> 1; label Y: a has nothing -> margins Y 2, not-Y 18,
    # S = 2^2 + 18 = 22, sum e = 20 (400 - 4 - 324) / (400 - 22) = 1440 / 378; 1 - 4 * 378 / 1440.
    assert unitized_alpha(data, label="X").value == pytest.approx(1.0)
    assert unitized_alpha(data, label="Y").value == pytest.approx(1 - 4 * 378 / 1440)


def test_continua_with_different_coder_sets_pool_and_one_coder_is_ignored() -> None:
    first = (10, {"a": [(0, 4, "X")], "b": [(0, 4, "X"), (6, 8, "Y")]})
    second = (6, {"b": [(0, 3, "Y")], "c": [(0, 3, "Y")], "d": [(1, 3, "Y")]})
    alone = (50, {"e": [(0, 50, "Z")]})
    pooled = unitized_alpha([first, second, alone])
    assert (pooled.units, pooled.coders) == (2, 4)
    assert pooled.value == pytest.approx(reference([first, second]))
    assert unitized_alpha([first, second]) == pooled
    # Pooling is not averaging: a perfectly agreeing article raises the value.
    agreeing = (10, {"a": [(0, 5, "X")], "b": [(0, 5, "X")]})
    assert value_of([first, agreeing]) > value_of([first])


def test_nested_labels_of_one_coder() -> None:
    # Both coders nest X inside Y: they agree on the label sets {Y}, {X, Y}, {Y} -> 1.
    nested = [(0, 10, "Y"), (3, 6, "X")]
    assert unitized_alpha([(12, {"a": nested, "b": nested})]).value == pytest.approx(1.0)
    # b has only the Y: on [3, 6) {X, Y} differs from {Y}; per label, Y agrees fully.
    data = [(12, {"a": nested, "b": [(0, 10, "Y")]})]
    assert value_of(data) < 1
    assert unitized_alpha(data, label="Y").value == pytest.approx(1.0)
    # Overlapping segments of one label are their union.
    merged = unitized_alpha([(12, {"a": [(0, 6, "X"), (4, 9, "X")], "b": [(0, 9, "X")]})])
    assert merged.value == pytest.approx(1.0)


def test_undefined_cases_have_a_reason() -> None:
    nobody = unitized_alpha([(10, {"a": [], "b": []})])
    assert nobody.value is None and "nobody coded" in nobody.reason and nobody.units == 1
    assert "nobody coded 'Q'" in unitized_alpha([(10, {"a": [(0, 2, "X")], "b": []})], label="Q").reason
    single = unitized_alpha([(10, {"a": [(0, 3, "X")]})])
    assert single.value is None and "two coders" in single.reason and single.units == 0
    assert unitized_alpha([]).value is None
    everything = unitized_alpha([(5, {"a": [(0, 5, "X")], "b": [(0, 5, "X")]})])
    assert everything.value is None and "alike" in everything.reason
    assert (
        unitized_alpha([(0, {"a": [], "b": []})]).reason == "the articles submitted by two coders are empty"
    )


def test_segments_outside_the_text_are_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        unitized_alpha([(5, {"a": [(3, 9, "X")], "b": []})])
