"""Agreement on categorical codings: Cohen's and Fleiss' kappa, Krippendorff's alpha (nominal)
and percentage agreement. Pure: no Django.

A coding is a table with one row per unit and one column per coder; a cell holds the value the
coder gave the unit, or None where that coder did not code it. Every function answers an
``Agreement``: the value, the units and coders it used, and, where the value cannot be computed
(one coder, no variation, no unit coded twice), ``None`` with the reason, never NaN.
"""

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations

Ratings = Sequence[Sequence[Hashable | None]]


@dataclass(frozen=True)
class Agreement:
    value: float | None
    units: int  # the units the value was computed over
    coders: int  # the coders who coded at least one of them
    reason: str = ""  # why value is None

    def as_dict(self) -> dict[str, object]:
        data: dict[str, object] = {"value": self.value, "units": self.units, "coders": self.coders}
        if self.value is None:
            data["reason"] = self.reason
        return data


def _coded(row: Sequence[Hashable | None]) -> list[Hashable]:
    return [v for v in row if v is not None]


def _pairable(ratings: Ratings) -> tuple[list[list[Hashable]], int]:
    """The units coded by at least two coders (their values), and how many coders took part."""
    units = [_coded(row) for row in ratings]
    kept = [values for values in units if len(values) >= 2]
    coders = {i for row in ratings for i, v in enumerate(row) if v is not None and len(_coded(row)) >= 2}
    return kept, len(coders)


def percentage_agreement(ratings: Ratings) -> Agreement:
    """The share of agreeing coder pairs within a unit, averaged over the units coded at least
    twice (for two coders: the share of units both coded alike). Fleiss 1971, P-bar."""
    units, coders = _pairable(ratings)
    if not units:
        return Agreement(None, 0, coders, "no unit was coded by two coders")
    shares = []
    for values in units:
        pairs = list(combinations(values, 2))
        shares.append(sum(a == b for a, b in pairs) / len(pairs))
    return Agreement(sum(shares) / len(shares), len(units), coders)


def cohen_kappa(ratings: Ratings) -> Agreement:
    """Cohen's kappa of two coders (columns) over the units both coded:
    (p_o - p_e) / (1 - p_e), p_e from each coder's own distribution. Cohen 1960."""
    if any(len(row) != 2 for row in ratings):
        raise ValueError("Cohen's kappa takes exactly two coders (two columns).")
    return cohen_kappa_table(Counter((a, b) for a, b in ratings if a is not None and b is not None))


def cohen_kappa_table(pairs: Mapping[tuple[Hashable, Hashable], int]) -> Agreement:
    """Cohen's kappa from the count of each (first coder's value, second's) pair: many
    units (tokens) in little memory."""
    n = sum(pairs.values())
    if n == 0:
        return Agreement(None, 0, 0, "no unit was coded by both coders")
    observed = sum(count for (a, b), count in pairs.items() if a == b) / n
    first: Counter[Hashable] = Counter()
    second: Counter[Hashable] = Counter()
    for (a, b), count in pairs.items():
        first[a] += count
        second[b] += count
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    if expected == 1:
        return Agreement(None, n, 2, "both coders gave every unit the same single value (no variation)")
    return Agreement((observed - expected) / (1 - expected), n, 2)


def fleiss_kappa(ratings: Ratings) -> Agreement:
    """Fleiss' kappa: (P-bar - P_e) / (1 - P_e) with P_e the squared overall category shares;
    every unit must be coded by the same number (>= 2) of coders. Fleiss 1971."""
    units = [_coded(row) for row in ratings]
    units = [values for values in units if values]
    coders = {i for row in ratings for i, v in enumerate(row) if v is not None}
    if not units:
        return Agreement(None, 0, len(coders), "no unit was coded")
    per_unit = {len(values) for values in units}
    if len(per_unit) != 1:
        return Agreement(None, len(units), len(coders), "units were coded by different numbers of coders")
    m = per_unit.pop()
    if m < 2:
        return Agreement(None, len(units), len(coders), "each unit was coded by one coder only")
    totals: Counter[Hashable] = Counter()
    p_bar = 0.0
    for values in units:
        counts = Counter(values)
        totals.update(counts)
        p_bar += (sum(c * c for c in counts.values()) - m) / (m * (m - 1))
    p_bar /= len(units)
    all_values = m * len(units)
    p_e = sum((c / all_values) ** 2 for c in totals.values())
    if p_e == 1:
        return Agreement(None, len(units), len(coders), "every unit got the same single value (no variation)")
    return Agreement((p_bar - p_e) / (1 - p_e), len(units), len(coders))


def krippendorff_alpha(ratings: Ratings) -> Agreement:
    """Krippendorff's alpha for nominal data, any number of coders, missing values allowed:
    1 - (n - 1) * D_o / D_e over the coincidence matrix of the units coded at least twice.
    Krippendorff, Content Analysis (2004), ch. 11."""
    units, coders = _pairable(ratings)
    if not units:
        return Agreement(None, 0, coders, "no unit was coded by two coders")
    disagreeing = 0.0  # sum over c != k of o_ck
    totals: Counter[Hashable] = Counter()  # n_c
    for values in units:
        counts = Counter(values)
        m = len(values)
        totals.update(counts)
        # Ordered pairs of different values within the unit, each weighted 1 / (m - 1).
        disagreeing += (m * m - sum(c * c for c in counts.values())) / (m - 1)
    n = sum(totals.values())
    expected = (n * n - sum(c * c for c in totals.values())) / (n - 1)  # sum over c != k of n_c n_k / (n - 1)
    if expected == 0:
        return Agreement(None, len(units), coders, "every pairable value is the same (no variation)")
    return Agreement(1 - disagreeing / expected, len(units), coders)
