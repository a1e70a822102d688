"""bench/preannotation's tables of the tuning, development and held-out sets side by side,
and the figures filter's reliability (issue 18)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from annotator.preannotation.evaluation import Counts, EvalArticle
from bench.support.report import print_grid

if TYPE_CHECKING:
    from bench.preannotation import Accuracy

DEV_LABELS = ("FIGURE",)  # what the development sets mark
HELDOUT_FIGURE_TARGET = 0.95  # issue 18, on the held-out set; reported, never gating


def short_rates(counts: Counts | None) -> str:
    if counts is None:
        return "-"
    return f"{counts.precision:.2f} / {counts.recall:.2f} / {counts.f1:.2f} ({counts.tp}/{counts.fp}/{counts.fn})"


def side_by_side_rows(
    name: str, tuning: Accuracy, devs: Sequence[Accuracy], heldout: Accuracy
) -> list[tuple[str, ...]]:
    """One row per label: overlap P / R / F1 (tp/fp/fn) and exact-boundary F1 on each set (on
    the development sets FIGURE only: they mark no other label)."""
    rows = []
    labels = dict.fromkeys(label for label, _ in [*tuning.counts, *heldout.counts])
    for label in labels:
        cells = [f"{name}: {label}"]
        for accuracy in (tuning, *devs, heldout):
            if any(accuracy is dev for dev in devs) and label not in DEV_LABELS:
                cells += ["-", "-"]
                continue
            exact = accuracy.counts.get((label, "exact"))
            cells += [
                short_rates(accuracy.counts.get((label, "overlap"))),
                "-" if exact is None else f"{exact.f1:.2f}",
            ]
        overlap = heldout.counts.get((label, "overlap"))
        if name == "figures" and label == "FIGURE" and overlap is not None:
            met = min(overlap.precision, overlap.recall) >= HELDOUT_FIGURE_TARGET
            cells.append(f"P, R >= {HELDOUT_FIGURE_TARGET}: {'met' if met else 'missed'}")
        else:
            cells.append("")
        rows.append(tuple(cells))
    return rows


def print_side_by_side(header: list[str], dev_names: Sequence[str], rows: list[tuple[str, ...]]) -> None:
    cells = [
        (
            "recogniser: label",
            "tuning: overlap P / R / F1 (tp/fp/fn)",
            "exact F1",
            *[cell for dev in dev_names for cell in (f"{dev}: overlap P / R / F1", "exact F1")],
            "held-out, measure only: overlap P / R / F1 (tp/fp/fn)",
            "exact F1",
            "held-out target (issue 18)",
        ),
        *rows,
    ]
    print_grid(header, cells)


def print_reliability(heldout: Sequence[EvalArticle]) -> None:
    """The figures model's calibration: per probability band, how many candidates the rules
    take and what share of them are FIGUREs; the sets it is trained on (eval.txt and dev.txt)
    by 5-fold cross-validation, the held-out set under the shipped model."""
    from annotator.preannotation.recognisers import figures_training

    columns = {
        "tuning sets (5-fold CV)": figures_training.cross_validated(figures_training.tuning_articles())
    }
    if heldout:
        columns["held-out (measure only)"] = figures_training.scored(heldout)
    print("\nfigures: reliability (probability band: candidates, mean probability, share that are FIGUREs)")
    for name, pairs in columns.items():
        print(f"  {name}:")
        for band, count, mean, share in figures_training.reliability(pairs):
            print(f"    {band}  {count:5d}  {mean:.3f}  {share:.3f}")
