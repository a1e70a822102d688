"""Train the figures recogniser's filter (``figures_model.json``) on the tuning sets' gold.

    .venv/bin/python -m annotator.preannotation.recognisers.figures_training [--check]

Every candidate the rules read in the tuning sets, ``tests/data/preannotation/eval.txt``,
``dev.txt`` (written to be rich in the false positives of issue 18), ``dev2-a.txt`` and
``dev2-b.txt`` (written without seeing the recognisers; see ``UNSEEN``), is one example:
a FIGURE when it overlaps a marked FIGURE. A logistic regression (scikit-learn, L2, no class
weights, so that its probabilities stay calibrated) is fitted to all of them and written as
an intercept and one weight per feature; ``--check`` only says whether the shipped file is
what training gives. Five-fold cross-validation by article measures what the model does on
articles it was not fitted to: a reliability table and precision/recall at the threshold.
The held-out set is never read here. Pure: scikit-learn and the standard library, no Django.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from ..evaluation import EvalArticle, parse_marked
from . import figures_model
from .figures import Figures

DATA = Path(__file__).resolve().parents[3] / "tests" / "data" / "preannotation"


@dataclass(frozen=True)
class MarkedSet:
    """Articles ``first`` to ``last`` (Python slice bounds) of a marked file."""

    name: str
    first: int = 0
    last: int | None = None

    @property
    def path(self) -> Path:
        return DATA / self.name

    def label(self) -> str:
        whole = self.first == 0 and self.last is None
        return self.name if whole else f"{self.name}[{self.first}:{'' if self.last is None else self.last}]"

    def articles(self) -> list[EvalArticle]:
        return parse_marked(self.path.read_text(encoding="utf-8"))[self.first : self.last]


# Each dev2 file's first 30 articles tuned the rules and the filter while its last 10 stayed
# unseen; those were scored once, at the end of that round (bench/README.md), and have trained
# the filter since (never the rules: nobody read their errors). A new set's unseen part goes in
# UNSEEN the same way: ``bench.preannotation --unseen`` scores it, its misses never listed.
DEV2_TUNING: int | None = None  # was 30
TUNING_SETS = (
    MarkedSet("eval.txt"),
    MarkedSet("dev.txt"),
    MarkedSet("dev2-a.txt", 0, DEV2_TUNING),
    MarkedSet("dev2-b.txt", 0, DEV2_TUNING),
)
UNSEEN: tuple[MarkedSet, ...] = ()
FOLDS = 5
C = 1.0  # inverse regularisation strength: scikit-learn's default
DIGITS = 6  # the weights as shipped
TAKEN = "left_out=no"  # the feature of a candidate the rules take


def examples(articles: Sequence[EvalArticle]) -> tuple[list[tuple[str, ...]], list[int]]:
    """Each candidate's features, and 1 where it overlaps a gold FIGURE."""
    found: list[tuple[str, ...]] = []
    gold: list[int] = []
    recogniser = Figures()
    for article in articles:
        figures = [(s.start, s.end) for s in article.spans if s.label == "FIGURE"]
        for candidate in recogniser.candidates(article.text):
            found.append(candidate.features)
            gold.append(int(any(candidate.start < e and s < candidate.end for s, e in figures)))
    return found, gold


def fit(found: Sequence[tuple[str, ...]], gold: Sequence[int]) -> dict[str, Any]:
    """The model as shipped: intercept and weights by feature name."""
    from sklearn.feature_extraction import DictVectorizer
    from sklearn.linear_model import LogisticRegression

    vectoriser = DictVectorizer()
    matrix = vectoriser.fit_transform([dict.fromkeys(f, 1) for f in found])
    model = LogisticRegression(C=C, max_iter=2000).fit(matrix, list(gold))
    weights = dict(zip(vectoriser.get_feature_names_out(), model.coef_[0], strict=True))
    return {
        "trained_on": [f"tests/data/preannotation/{marked.label()}" for marked in TUNING_SETS],
        "examples": len(gold),
        "figures": int(sum(gold)),
        "C": C,
        "intercept": round(float(model.intercept_[0]), DIGITS),
        "weights": {name: round(float(w), DIGITS) for name, w in sorted(weights.items())},
    }


def tuning_articles() -> list[EvalArticle]:
    """The articles of every tuning set, in order (cross-validation folds by position)."""
    return [a for marked in TUNING_SETS for a in marked.articles()]


def cross_validated(articles: Sequence[EvalArticle]) -> list[tuple[float, int]]:
    """(probability, gold) of every candidate the rules take (what may be proposed), each
    scored by the model fitted without its article's fold (folds by position)."""
    return [pair for fold in by_fold(articles) for pair in fold]


def by_fold(articles: Sequence[EvalArticle]) -> list[list[tuple[float, int]]]:
    """cross_validated's pairs, fold by fold."""
    folds = []
    for fold in range(FOLDS):
        model = fit(*examples([a for n, a in enumerate(articles) if n % FOLDS != fold]))
        held = [a for n, a in enumerate(articles) if n % FOLDS == fold]
        folds.append(
            scored(
                held,
                partial(figures_model.probability, intercept=model["intercept"], weights=model["weights"]),
            )
        )
    return folds


def fold_rows(folds: Sequence[Sequence[tuple[float, int]]]) -> list[tuple[int, int, float, int, int, int]]:
    """Per fold: (fold, candidates taken, log-loss, proposed at THRESHOLD, false positives among
    them, figures the threshold drops): whether the filter fits some folds and not others."""
    rows = []
    for n, pairs in enumerate(folds):
        loss = -sum(math.log(max(1e-12, p if g else 1 - p)) for p, g in pairs) / max(1, len(pairs))
        proposed = [g for p, g in pairs if p >= figures_model.THRESHOLD]
        dropped = sum(g for p, g in pairs if p < figures_model.THRESHOLD)
        rows.append((n, len(pairs), loss, len(proposed), len(proposed) - sum(proposed), dropped))
    return rows


def scored(
    articles: Sequence[EvalArticle],
    probability: Callable[[tuple[str, ...]], float] = figures_model.probability,
) -> list[tuple[float, int]]:
    """(probability, gold) of every candidate the rules take in ``articles``, under the
    shipped model unless another model's ``probability`` is given."""
    found, gold = examples(articles)
    return [(probability(f), g) for f, g in zip(found, gold, strict=True) if TAKEN in f]


def reliability(pairs: Sequence[tuple[float, int]], bins: int = 10) -> list[tuple[str, int, float, float]]:
    """(bin, candidates, mean probability, share that are figures) per probability decile."""
    rows = []
    for b in range(bins):
        low, high = b / bins, (b + 1) / bins
        inside = [(p, g) for p, g in pairs if low <= p < high or (b == bins - 1 and p == 1.0)]
        if inside:
            mean = sum(p for p, _ in inside) / len(inside)
            share = sum(g for _, g in inside) / len(inside)
            rows.append((f"{low:.1f}-{high:.1f}", len(inside), mean, share))
    return rows


def _same(shipped: dict[str, Any], trained: dict[str, Any], tolerance: float = 1e-4) -> bool:
    """Equal but for the last digits a different BLAS may change."""
    names = set(shipped["weights"]) | set(trained["weights"])
    return abs(shipped["intercept"] - trained["intercept"]) <= tolerance and all(
        abs(shipped["weights"].get(n, 0.0) - trained["weights"].get(n, 0.0)) <= tolerance for n in names
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only compare with the shipped model")
    args = parser.parse_args(argv)
    articles = tuning_articles()
    model = fit(*examples(articles))
    text = json.dumps(model, indent=1, sort_keys=True) + "\n"
    if args.check:
        same = _same(json.loads(figures_model.MODEL_FILE.read_text(encoding="utf-8")), model)
        print("figures_model.json is current" if same else "figures_model.json is out of date: retrain")
        return 0 if same else 1
    figures_model.MODEL_FILE.write_text(text, encoding="utf-8")
    print(
        f"wrote {figures_model.MODEL_FILE.name}: {model['examples']} candidates, {model['figures']} figures"
    )
    folds = by_fold(articles)
    print("5-fold cross-validated reliability (bin, candidates, mean probability, share figures):")
    for row in reliability([pair for fold in folds for pair in fold]):
        print(f"  {row[0]}  {row[1]:5d}  {row[2]:.3f}  {row[3]:.3f}")
    print("by fold (fold, candidates taken, log-loss, proposed, false positives, figures dropped):")
    for fold, taken, loss, proposed, false, dropped in fold_rows(folds):
        print(f"  {fold}  {taken:5d}  {loss:.4f}  {proposed:5d}  {false:3d}  {dropped:3d}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
