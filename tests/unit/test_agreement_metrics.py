"""The categorical agreement metrics against reference implementations, over random codings:
scikit-learn (Cohen), statsmodels (Fleiss), the krippendorff package and NLTK (alpha)."""

import math
import warnings

import krippendorff
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from nltk.metrics.agreement import AnnotationTask
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import aggregate_raters
from statsmodels.stats.inter_rater import fleiss_kappa as sm_fleiss_kappa

from annotator.agreement.metrics import (
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    percentage_agreement,
)

CATEGORIES = ["CLAIM", "REBUTTAL", "FIGURE", "none"]


def codings(*, coders: st.SearchStrategy[int], missing: bool) -> st.SearchStrategy[list[list[str | None]]]:
    """Tables of units x coders, values from a few categories, None where missing."""
    value = st.sampled_from(CATEGORIES)
    cell = st.one_of(st.none(), value) if missing else value
    return coders.flatmap(lambda n: st.lists(st.lists(cell, min_size=n, max_size=n), min_size=1, max_size=40))


@settings(max_examples=300, deadline=None)
@given(codings(coders=st.just(2), missing=False))
def test_cohen_kappa_equals_scikit_learn(table: list[list[str | None]]) -> None:
    ours = cohen_kappa(table)
    a = [row[0] for row in table]
    b = [row[1] for row in table]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # scikit-learn warns (and answers NaN) where kappa is undefined
        theirs = cohen_kappa_score(a, b)
    if ours.value is None:
        assert math.isnan(theirs) or len(set(a) | set(b)) == 1
    else:
        assert ours.value == pytest.approx(theirs, abs=1e-9)
    assert ours.units == len(table)


@settings(max_examples=300, deadline=None)
@given(codings(coders=st.integers(2, 6), missing=False))
def test_fleiss_kappa_equals_statsmodels(table: list[list[str | None]]) -> None:
    ours = fleiss_kappa(table)
    codes = np.array([[CATEGORIES.index(v) for v in row] for row in table])  # type: ignore[arg-type]
    counts, _ = aggregate_raters(codes, n_cat=len(CATEGORIES))
    with np.errstate(divide="ignore", invalid="ignore"):
        theirs = sm_fleiss_kappa(counts, method="fleiss")
    if ours.value is None:
        assert not np.isfinite(theirs)
    else:
        assert ours.value == pytest.approx(theirs, abs=1e-9)


@settings(max_examples=300, deadline=None)
@given(codings(coders=st.integers(2, 6), missing=True))
def test_krippendorff_alpha_equals_the_krippendorff_package_and_nltk(table: list[list[str | None]]) -> None:
    ours = krippendorff_alpha(table)
    pairable = [row for row in table if sum(v is not None for v in row) >= 2]
    values = sorted({v for row in pairable for v in row if v is not None})
    if ours.value is None:
        assert len(values) <= 1
        return
    # The package takes coders x units, NaN for missing, numbers for the nominal categories.
    data = np.array([[np.nan if v is None else CATEGORIES.index(v) for v in row] for row in table]).T
    assert ours.value == pytest.approx(
        krippendorff.alpha(reliability_data=data, level_of_measurement="nominal"), abs=1e-9
    )
    # NLTK: (coder, item, label) triples; its default distance is nominal (binary).
    triples = [
        (f"c{c}", f"u{u}", v) for u, row in enumerate(pairable) for c, v in enumerate(row) if v is not None
    ]
    assert ours.value == pytest.approx(AnnotationTask(data=triples).alpha(), abs=1e-9)


@settings(max_examples=100, deadline=None)
@given(codings(coders=st.integers(2, 4), missing=False))
def test_percentage_agreement_for_two_coders_is_the_share_of_equal_units(
    table: list[list[str | None]],
) -> None:
    pair = [row[:2] for row in table]
    assert percentage_agreement(pair).value == pytest.approx(sum(a == b for a, b in pair) / len(pair))
    # Fleiss' kappa is built on the same observed agreement.
    assert 0 <= (percentage_agreement(table).value or 0) <= 1


def test_worked_cohen_example() -> None:
    # 50 units: both yes 20, both no 15, yes/no 5, no/yes 10 (the textbook table):
    # p_o = 0.7, p_e = 0.5 * 0.6 + 0.5 * 0.4 = 0.5, kappa = 0.4.
    table = [["yes", "yes"]] * 20 + [["no", "no"]] * 15 + [["yes", "no"]] * 5 + [["no", "yes"]] * 10
    result = cohen_kappa(table)
    assert result.value == pytest.approx(0.4)
    assert (result.units, result.coders) == (50, 2)


def test_undefined_values_say_why() -> None:
    assert cohen_kappa([["a", "a"], ["a", "a"]]).reason.startswith("both coders")
    assert cohen_kappa([["a", None]]).value is None
    assert fleiss_kappa([["a", "b"], ["a", None]]).reason == "units were coded by different numbers of coders"
    assert krippendorff_alpha([["a", None], [None, "b"]]).reason == "no unit was coded by two coders"
    assert krippendorff_alpha([["a", "a", None]]).value is None
    assert krippendorff_alpha([["a", "a"], ["b", "b"]]).value == 1.0
    assert percentage_agreement([]).as_dict() == {
        "value": None,
        "units": 0,
        "coders": 0,
        "reason": "no unit was coded by two coders",
    }
