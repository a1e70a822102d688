"""Krippendorff's unitizing alpha (annotator.agreement.metrics_unitized): the worked examples
published with its definition, a literal section-by-section reference of the definition, the
laws over random codings, and small hand-worked cases."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from annotator.agreement.metrics_unitized import unitized_alpha, unitized_alphas

LABELS = ["X", "Y", "Z"]


# -- the published worked examples ---------------------------------------------------------------

# Krippendorff (2004), Content Analysis, 2nd ed., p. 254: two observers, i and j, on a continuum
# from 150 to 450 (here shifted to start at 0), categories c and k. Published: D_o(c) = .0144,
# D_e(c) = .0532, alpha_c = .7286; D_o(k) = 0, D_e(k) = .0490, alpha_k = 1.000; over both
# categories alpha = .8591 (from the rounded D's; unrounded .8587).
BOOK_2004 = [
    (
        300,
        {
            "i": [(75, 145, "c"), (220, 250, "c"), (30, 90, "k"), (150, 200, "k")],
            "j": [(70, 150, "c"), (205, 225, "c"), (250, 270, "c"), (30, 90, "k"), (150, 200, "k")],
        },
    )
]


def test_krippendorff_2004_p254_per_category_and_overall() -> None:
    assert unitized_alpha(BOOK_2004, label="c").value == pytest.approx(0.7286, abs=1e-4)
    assert unitized_alpha(BOOK_2004, label="k").value == pytest.approx(1.0)
    assert unitized_alpha(BOOK_2004).value == pytest.approx(1 - 0.0144 / (0.0532 + 0.0490), abs=5e-4)


# Krippendorff (1995), "On the reliability of unitizing continuous data", Sociological Methodology
# 25, p. 57: four pairs of observers on a continuum of 24 time units, one category each (A:
# Bertha and Bill, B: John and Jill, C: Gerret and Gill, D: Heather and Hill), as (offset,
# length). The paper computes over a continuous line; stretched 50,000-fold our code points
# approximate it. Published alpha: A .553, B -.926, C .679, D .066 (the paper's D_e for C
# differs slightly from its own formula, as DKPro Statistics notes; within .02).
BOOK_1995 = {
    "A": ([(2, 8), (14, 6)], [(4, 4), (15, 2)], 0.553),
    "B": ([(0, 18)], [(0, 2), (2, 1), (3, 1), (4, 1), (5, 1), (6, 3), (9, 1)], -0.926),
    "C": ([(2, 6), (10, 2), (14, 4), (20, 2)], [(0, 2), (4, 4), (10, 4), (16, 2), (20, 2)], 0.679),
    "D": ([(0, 2), (2, 8), (10, 4), (14, 6), (20, 4)], [(0, 4), (4, 4), (8, 7), (15, 2), (17, 7)], 0.066),
}


@pytest.mark.parametrize("pair", sorted(BOOK_1995))
def test_krippendorff_1995_p57_examples(pair: str) -> None:
    first, second, published = BOOK_1995[pair]
    stretch = 50_000

    def layer(units):
        return [(o * stretch, (o + n) * stretch, pair) for o, n in units]

    data = [(24 * stretch, {"first": layer(first), "second": layer(second)})]
    assert unitized_alpha(data, label=pair).value == pytest.approx(published, abs=0.02)


# -- a literal reference: the definition, section by section --------------------------------------


def _sections(segments, length):
    """One coder's layer of one label: its units (merged where they overlap) and the gaps."""
    units: list = []
    for s, e in sorted(segments):
        if units and s < units[-1][1]:
            units[-1] = (units[-1][0], max(units[-1][1], e))
        else:
            units.append((s, e))
    out, at = [], 0
    for s, e in units:
        if s > at:
            out.append((at, s, False))
        out.append((s, e, True))
        at = e
    if at < length:
        out.append((at, length, False))
    return out


def _delta2(g, h) -> int:
    (bg, eg, unit_g), (bh, eh, unit_h) = g, h
    if unit_g and unit_h:
        return (bg - bh) ** 2 + (eg - eh) ** 2
    if unit_g and not unit_h and bh <= bg and eg <= eh:
        return (eg - bg) ** 2
    if unit_h and not unit_g and bg <= bh and eh <= eg:
        return (eh - bh) ** 2
    return 0


def reference(continua, label=None) -> float | None:
    """Krippendorff 1995/2004 as written, per label, pooled as the module says."""
    pairable_continua = [(n, layers) for n, layers in continua if len(layers) >= 2]
    present = {
        seg[2]
        for _, layers in pairable_continua
        for segs in layers.values()
        for seg in segs
        if seg[0] < seg[1]
    }
    observed = expected = 0.0
    for c in [label] if label is not None else sorted(present, key=str):
        obs = total = pairable = coded = 0
        units: list[int] = []
        gaps: list[int] = []
        for length, layers in pairable_continua:
            m = len(layers)
            total, pairable, coded = total + length, pairable + m * (m - 1) * length, coded + m * length
            secs = [
                _sections([(s, e) for s, e, lab in segs if lab == c and s < e], length)
                for segs in layers.values()
            ]
            for sec in secs:
                units += [e - s for s, e, u in sec if u]
                gaps += [e - s for s, e, u in sec if not u]
            for i in range(m):
                for j in range(i + 1, m):
                    obs += sum(_delta2(g, h) for g in secs[i] for h in secs[j] if g[0] < h[1] and h[0] < g[1])
        if total == 0 or not units:
            continue
        n = len(units)
        e_sum = sum(
            (n - 1) * (2 * u**3 - 3 * u**2 + u) / 3 + u**2 * sum(g - u + 1 for g in gaps if g >= u)
            for u in units
        )
        chance = coded * (coded - 1) - sum(u * (u - 1) for u in units)
        observed += 2 * obs / (total * pairable)
        expected += 2 / total * e_sum / chance if chance else 0.0
    return None if expected == 0 else 1 - observed / expected


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


@settings(max_examples=300, deadline=None)
@given(continua(overlapping=True), labels)
def test_an_empty_coder_against_a_coded_layer_is_no_better_than_chance(data, label) -> None:
    """In every article (pooled), one coder coded nothing and another coded something. Not when a
    unit spans a whole article: see the next test."""
    emptied = [(length, {"a": next(iter(layers.values())), "b": []}) for length, layers in data]
    assume(not any(s[0] == 0 and s[1] == length for length, layers in emptied for s in layers["a"]))
    result = unitized_alpha(emptied, label=label)
    assert result.value is None or result.value <= 1e-12


def test_a_unit_spanning_its_whole_article_can_leave_an_empty_coder_just_above_chance() -> None:
    """Found by the property above (2026-12-04): with units that cover their whole article, the
    expected disagreement of the pooled labels is a little above the observed one, so alpha is
    slightly positive against a coder who coded nothing. It is the formula's value, not ours:
    the literal reference gives the same number."""
    data = [
        (1, {"a": [(0, 1, "Z")], "b": []}),
        (2, {"a": [(1, 2, "Z"), (0, 1, "X"), (0, 1, "X"), (0, 1, "X"), (0, 1, "Z")], "b": []}),
        (18, {"a": [(0, 18, "Z")], "b": []}),
    ]
    value = unitized_alpha(data, label=None).value
    assert value is not None
    assert value == pytest.approx(reference(data, None), abs=1e-12)
    assert 0 < value < 0.01


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
    # Length 10, two coders. a: X on [0, 4); b: X on [0, 4) and Y on [6, 8). L = 10, m = 2.
    # X: identical -> D_o = 0 -> alpha 1 (D_e > 0).
    # Y: a has a gap [0, 10), b the unit [6, 8) inside it: D_o = 2 * 2^2 / (10 * 2 * 10) = 0.04.
    #    Units: one, l = 2 (N = 1, so the first term is 0); gaps of length >= 2: a's 10, b's 6 and 2:
    #    sum (g - 1) = 9 + 5 + 1 = 15; D_e = 2/10 * (4 * 15) / (20 * 19 - 2) = 12 / 378.
    data = [(10, {"a": [(0, 4, "X")], "b": [(0, 4, "X"), (6, 8, "Y")]})]
    assert unitized_alpha(data, label="X").value == pytest.approx(1.0)
    assert unitized_alpha(data, label="Y").value == pytest.approx(1 - 0.04 / (12 / 378))
    # X: two units of 4 (N = 2): (2 * 64 - 48 + 4) / 3 = 28 each; gaps (Y is a gap of X's layer):
    #    a's [4, 10) and b's [4, 10), 6 - 4 + 1 = 3 each; sum = 2 * (28 + 16 * 6) = 248;
    #    D_e(X) = 2/10 * 248 / (380 - 24) = 49.6 / 356. Overall: 1 - (0 + 0.04) / (D_e(X) + D_e(Y)).
    assert unitized_alpha(data).value == pytest.approx(1 - 0.04 / (49.6 / 356 + 12 / 378))


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
    # Both coders nest X inside Y: each label's layer agrees -> 1.
    nested = [(0, 10, "Y"), (3, 6, "X")]
    assert unitized_alpha([(12, {"a": nested, "b": nested})]).value == pytest.approx(1.0)
    # b has only the Y: X disagrees, Y agrees fully, whatever is nested in it.
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
    assert everything.value == pytest.approx(1.0)  # units of a chance unitizing could differ
    assert (
        unitized_alpha([(0, {"a": [], "b": []})]).reason == "the articles submitted by two coders are empty"
    )


def test_segments_outside_the_text_are_refused() -> None:
    with pytest.raises(ValueError, match="outside"):
        unitized_alpha([(5, {"a": [(3, 9, "X")], "b": []})])


@settings(max_examples=100, deadline=None)
@given(continua(coders=(1, 4), overlapping=True))
def test_all_labels_at_once_equal_one_at_a_time(data) -> None:
    overall, per_label = unitized_alphas(data, [*LABELS, "Q"])
    assert overall == unitized_alpha(data)
    for label in [*LABELS, "Q"]:
        one = unitized_alpha(data, label=label)
        assert (
            per_label[label].value == pytest.approx(one.value)
            if one.value is not None
            else per_label[label] == one
        )
