"""Benchmark the recognisers: accuracy on the hand-marked evaluation set, and throughput.

    .venv/bin/python -m bench.preannotation [--only figures] [--articles 2000] [--show-errors]

No database and no Django: the recognisers are pure Python. For every recogniser in
``annotator.preannotation.recognisers`` and every label it proposes it scores ``propose()``
on each article of ``tests/data/preannotation/eval.txt`` (its header holds the annotation
guidelines) with ``annotator.preannotation.evaluation.score``, by overlap and by exact match,
summed over the set: precision, recall, F1. Then it times ``propose()`` in this one process
over ``--articles`` texts of about ``--chars`` code points, each made by joining eval-set
articles. Recognisers a project trains from its annotations (string_match, learned) are scored by
cross-validation: each article by the recogniser built from the other folds' marked spans.
Targets (issue 4): the figures recogniser's FIGURE precision and recall >= 0.9 by overlap; at
least 500 articles/s for every rule-based recogniser (all but learned). The exit status is 1 when one is missed; the
others' accuracy is reported without a target.

Then the same scores on the development sets (``dev.txt``; ``dev2-a.txt`` with ``dev2-b.txt``)
and on ``tests/data/preannotation/heldout.txt`` (issue 18), side by side with the tuning set's.
The development sets are tuning sets too: dev.txt was written to be rich in the figures
recogniser's false positives on unseen text (idioms, dates and datelines, titles, naming words),
dev2-a and dev2-b by two writers who never saw the recognisers; they mark FIGURE only, so only
FIGURE is scored on them, and the figures filter is trained on them with eval.txt, so their
columns say how well the rules fit them, not how they do on unseen text (``--unseen`` adds a
column for a development set's part kept unseen, figures_training.UNSEEN, misses not listed). The held-out set is a set written without reading the recognisers, in the same format and by the
same guidelines, in other registers. It is used ONLY to measure: a trained recogniser is built
from the whole tuning set and never from it, ``--show-errors`` does not list its misses (reading
them is how a set turns into a tuning set), and its figures decide no exit status; the issue 18
target (FIGURE P and R >= 0.95 by overlap) is printed beside them as met or missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.preannotation.evaluation import LABELS, MATCHES, Counts, EvalArticle, parse_marked, score
from bench.preannotation_sets import DEV_LABELS, print_reliability, print_side_by_side, side_by_side_rows
from bench.support.paths import ROOT
from bench.support.report import Row, print_table

if TYPE_CHECKING:
    from annotator.preannotation.recognisers import Recogniser

EVAL_SET = ROOT / "tests" / "data" / "preannotation" / "eval.txt"
DEV_SET = ROOT / "tests" / "data" / "preannotation" / "dev.txt"  # a second tuning set, FIGURE only
# The FIGURE-only development sets after dev.txt are figures_training's: dev2-a and dev2-b, a
# column together; a set's unseen part (figures_training.UNSEEN) is scored only with --unseen.
HELDOUT_SET = ROOT / "tests" / "data" / "preannotation" / "heldout.txt"  # measure only
FIGURE_TARGET = 0.9  # overlap precision and recall
ARTICLES_PER_S = 500.0
WARM_UP = 20  # texts proposed on before timing: compiled patterns, caches
LEARNED = ("learned",)  # statistical, not rule-based: no throughput target
FOLDS = 5  # cross-validation of the recognisers a project trains (string_match, learned)


@dataclass
class Accuracy:
    counts: dict[tuple[str, str], Counts] = field(default_factory=dict)  # (label, match) -> summed
    invalid: list[str] = field(default_factory=list)  # proposals out of the text's bounds
    misses: list[str] = field(default_factory=list)  # for --show-errors


def long_texts(articles: Sequence[EvalArticle], count: int, chars: int) -> list[str]:
    """``count`` texts of at least ``chars`` code points, eval articles joined by blank lines;
    the n-th starts at article n, so the texts differ while keeping the set's mix."""
    texts = []
    for n in range(count):
        parts: list[str] = []
        size = 0
        i = n
        while size < chars:
            text = articles[i % len(articles)].text
            parts.append(text)
            size += len(text) + 2
            i += 1
        texts.append("\n\n".join(parts))
    return texts


def labels_of(recogniser: Recogniser) -> list[str]:
    return list(dict.fromkeys(recogniser.labels))


def evaluate(
    recogniser: Recogniser,
    articles: Sequence[EvalArticle],
    *,
    show_errors: bool,
    per_article: Sequence[Recogniser] | None = None,
    min_score: float = 0.0,
) -> Accuracy:
    """Scores of ``recogniser`` over the set, of the proposals scoring at least ``min_score``
    (as a job's min_score keeps them); ``per_article`` names the recogniser that proposes on
    each article instead (one trained without it: cross-validation)."""
    result = Accuracy()
    labels = labels_of(recogniser)
    predictions = []
    for n, article in enumerate(articles):
        predicted = []
        for p in (per_article[n] if per_article else recogniser).propose(article.text):
            if p.score < min_score:
                continue
            if 0 <= p.start < p.end <= len(article.text):
                predicted.append((p.start, p.end, p.label))
            else:
                result.invalid.append(f"{article.id}: [{p.start}, {p.end}) {p.label}")
        predictions.append(predicted)
    # A label it proposes without declaring it is scored too, over every article.
    labels += sorted({label for predicted in predictions for *_, label in predicted} - set(labels))
    for article, predicted in zip(articles, predictions, strict=True):
        for label in labels:
            for match in MATCHES:
                key = (label, match)
                result.counts[key] = result.counts.get(key, Counts()) + score(
                    article.spans, predicted, label, match
                )
        if show_errors:
            result.misses += misses(article, predicted, labels)
    return result


def misses(article: EvalArticle, predicted: list[tuple[int, int, str]], labels: list[str]) -> list[str]:
    """Predictions that overlap no gold span of their label (FP) and gold spans that no
    prediction overlaps (FN), with some context: a reading aid, not the greedy matching."""

    def show(kind: str, label: str, start: int, end: int) -> str:
        before = article.text[max(0, start - 30) : start].replace("\n", " ")
        after = article.text[end : end + 30].replace("\n", " ")
        return f"{kind} {label:<8} {article.id}: ...{before}[{article.text[start:end]}]{after}..."

    lines = []
    for label in labels:
        gold = [(g.start, g.end) for g in article.spans if g.label == label]
        found = [(s, e) for s, e, lab in predicted if lab == label]
        lines += [show("FP", label, s, e) for s, e in found if not any(s < ge and gs < e for gs, ge in gold)]
        lines += [show("FN", label, s, e) for s, e in gold if not any(s < fe and fs < e for fs, fe in found)]
    return lines


def trained(name: str, articles: Sequence[EvalArticle]) -> Recogniser | None:
    """The recogniser ``name`` made from these articles' marked spans as a project makes it
    from its annotations; None for one that needs no training."""
    if name == "string_match":
        from annotator.preannotation.recognisers.string_match import StringMatch

        return StringMatch.from_examples(
            (a.text[s.start : s.end], s.label) for a in articles for s in a.spans
        )
    if name == "learned":
        from annotator.preannotation.recognisers import learned

        examples = [
            example
            for a in articles
            for example in learned.sentence_examples(a.text, [(s.start, s.end, s.label) for s in a.spans])
        ]
        return learned.LearnedRecogniser(learned.train(examples), model_version=1)
    return None


def cross_validated(name: str, articles: Sequence[EvalArticle]) -> list[Recogniser] | None:
    """For each article, ``name`` trained on the folds without it (FOLDS folds by position)."""
    models = []
    for fold in range(FOLDS):
        model = trained(name, [a for n, a in enumerate(articles) if n % FOLDS != fold])
        if model is None:
            return None
        models.append(model)
    return [models[n % FOLDS] for n in range(len(articles))]


def throughput(recogniser: Recogniser, texts: Sequence[str]) -> float:
    """Articles per second of ``propose`` on this one process."""
    for text in texts[:WARM_UP]:
        recogniser.propose(text)
    started = time.perf_counter()
    for text in texts:
        recogniser.propose(text)
    return len(texts) / (time.perf_counter() - started)


def rates(counts: Counts) -> str:
    return (
        f"{counts.precision:.3f} / {counts.recall:.3f} / {counts.f1:.3f} "
        f"(tp {counts.tp}, fp {counts.fp}, fn {counts.fn})"
    )


def report_rows(
    recogniser: Recogniser, accuracy: Accuracy, articles_per_s: float, gold_labels: set[str], chars: int
) -> list[Row]:
    name = recogniser.name
    rows: list[Row] = []
    for label, match in accuracy.counts:
        counts = accuracy.counts[(label, match)]
        value = rates(counts) + ("" if label in gold_labels else ", no gold spans of this label")
        if name == "figures" and label == "FIGURE" and match == "overlap":
            ok = counts.precision >= FIGURE_TARGET and counts.recall >= FIGURE_TARGET
            rows.append((f"{name}: {label} {match} P / R / F1", value, f"P, R >= {FIGURE_TARGET}", ok))
        else:
            rows.append((f"{name}: {label} {match} P / R / F1", value, "", None))
    rows.append(
        (f"{name}: proposals outside the text", f"{len(accuracy.invalid)}", "0", not accuracy.invalid)
    )
    rule_based = name not in LEARNED  # the target is set for the rule-based ones
    rows.append(
        (
            f"{name}: throughput, ~{chars:,}-char articles",
            f"{articles_per_s:,.0f} articles/s",
            f">= {ARTICLES_PER_S:,.0f}" if rule_based else "",
            articles_per_s >= ARTICLES_PER_S if rule_based else None,
        )
    )
    return rows


def gold_counts(articles: Sequence[EvalArticle]) -> dict[str, int]:
    return {label: sum(s.label == label for a in articles for s in a.spans) for label in LABELS}


def set_name(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.preannotation", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--eval-set", type=Path, default=EVAL_SET, help="the marked evaluation file")
    parser.add_argument(
        "--heldout-set", type=Path, default=HELDOUT_SET, help="the held-out file, scored to measure only"
    )
    parser.add_argument("--dev-set", type=Path, default=DEV_SET, help="the marked development set (FIGURE)")
    parser.add_argument("--no-heldout", action="store_true", help="score the tuning sets only")
    parser.add_argument(
        "--unseen",
        action="store_true",
        help="also score the development sets' unseen parts (figures_training.UNSEEN): once, at a round's end",
    )
    parser.add_argument("--only", action="append", default=[], help="recogniser name (repeatable)")
    parser.add_argument("--articles", type=int, default=2000, help="texts timed per recogniser")
    parser.add_argument("--chars", type=int, default=3000, help="approximate code points per timed text")
    parser.add_argument("--show-errors", action="store_true", help="print the false positives and negatives")
    parser.add_argument(
        "--min-score",
        type=float,
        default=0.0,
        help="score only proposals at least this (a job's min_score; default 0)",
    )
    args = parser.parse_args(argv)
    if args.articles < 1 or args.chars < 1:
        raise SystemExit("--articles and --chars must be positive")

    # Imported here so that --help works while the recognisers are being written.
    from annotator.preannotation.recognisers import recognisers

    chosen = [r for r in recognisers() if not args.only or r.name in args.only]
    unknown = set(args.only) - {r.name for r in chosen}
    if unknown or not chosen:
        known = ", ".join(r.name for r in recognisers()) or "none"
        raise SystemExit(
            f"no such recogniser: {', '.join(sorted(unknown)) or '(none registered)'}; known: {known}"
        )

    articles = parse_marked(args.eval_set.read_text(encoding="utf-8"))
    gold = gold_counts(articles)
    dev = parse_marked(args.dev_set.read_text(encoding="utf-8"))
    from annotator.preannotation.recognisers import figures_training

    # Each column: (its name, its articles). dev2 tuning parts in one column, the unseen in another.
    dev_sets = [("dev (tuning, FIGURE only)", dev)]
    dev2 = [m for m in figures_training.TUNING_SETS if m.name.startswith("dev2")]
    dev_sets.append(
        (" + ".join(m.label() for m in dev2) + " (tuning)", [a for m in dev2 for a in m.articles()])
    )
    unseen = figures_training.UNSEEN
    if args.unseen and unseen:
        dev_sets.append(
            (" + ".join(m.label() for m in unseen) + " (unseen)", [a for m in unseen for a in m.articles()])
        )
    heldout = [] if args.no_heldout else parse_marked(args.heldout_set.read_text(encoding="utf-8"))
    texts = long_texts(articles, args.articles, args.chars)
    mean_chars = sum(map(len, texts)) / len(texts)

    rows: list[Row] = []
    errors: list[str] = []
    side_by_side: list[tuple[str, ...]] = []
    for registered in chosen:
        per_article = cross_validated(registered.name, articles)
        recogniser = trained(registered.name, articles) or registered  # timed trained on all
        accuracy = evaluate(
            recogniser,
            articles,
            show_errors=args.show_errors,
            per_article=per_article,
            min_score=args.min_score,
        )
        # Built from the whole tuning set (as timed): neither set below trains a recogniser here.
        on_devs = []
        for dev_name, dev_articles in dev_sets:
            unseen_set = dev_name.endswith(
                "(unseen)"
            )  # its misses are not listed: it would stop being unseen
            on_devs.append(
                evaluate(
                    recogniser,
                    dev_articles,
                    show_errors=args.show_errors and not unseen_set,
                    min_score=args.min_score,
                )
            )
            errors += [
                f"{recogniser.name}: {dev_name.split()[0]} {line}"
                for line in on_devs[-1].misses
                if line.split()[1] in DEV_LABELS
            ]
        measured = Accuracy()  # no counts: "-" in its column
        if heldout:
            measured = evaluate(recogniser, heldout, show_errors=False, min_score=args.min_score)
        side_by_side += side_by_side_rows(recogniser.name, accuracy, on_devs, measured)
        if heldout:
            errors += [
                f"{recogniser.name}: held-out invalid proposal {line}" for line in measured.invalid[:10]
            ]
        per_s = throughput(recogniser, texts)
        rows += report_rows(recogniser, accuracy, per_s, {k for k, v in gold.items() if v}, args.chars)
        errors += [f"{recogniser.name}: invalid proposal {line}" for line in accuracy.invalid[:10]]
        if len(accuracy.invalid) > 10:
            errors.append(f"{recogniser.name}: ... and {len(accuracy.invalid) - 10} more invalid proposals")
        errors += [f"{recogniser.name}: {line}" for line in accuracy.misses]

    header = [
        f"bench/preannotation: {set_name(args.eval_set)}, "
        f"{len(articles)} articles, " + ", ".join(f"{n} {label}" for label, n in gold.items()),
        f"throughput: {len(texts):,} texts of {mean_chars:,.0f} code points on average, one process; "
        f"{os.cpu_count()} CPUs, Python {platform.python_version()}",
        "recognisers: " + ", ".join(f"{r.name} {r.version}" for r in chosen),
        f"string_match, learned: {FOLDS}-fold cross-validation by article (built from the marked spans "
        "of the other folds, as a project builds them from its annotations; timed built from all)",
    ]
    for line in errors:
        print(line)
    print_table(header, rows)
    if side_by_side:
        print_side_by_side(
            [
                f"tuning set: {set_name(args.eval_set)}, {len(articles)} articles, "
                + ", ".join(f"{n} {label}" for label, n in gold.items()),
                *[
                    f"development set {dev_name}: {len(arts)} articles, {gold_counts(arts)['FIGURE']} FIGURE"
                    for dev_name, arts in dev_sets
                ],
                (
                    f"held-out set (measure only, never tuned on): {set_name(args.heldout_set)}, "
                    f"{len(heldout)} articles, "
                    + ", ".join(f"{n} {label}" for label, n in gold_counts(heldout).items())
                    if heldout
                    else "held-out set: not scored (--no-heldout)"
                ),
                "string_match, learned: tuning column by cross-validation as above; dev and held-out "
                "columns built from the whole tuning set",
            ],
            [dev_name for dev_name, _ in dev_sets],
            side_by_side,
        )
    if any(r.name == "figures" for r in chosen):
        print_reliability(heldout)
    return 0 if all(ok is not False for *_, ok in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
