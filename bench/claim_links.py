"""Benchmark the claim_links recogniser: accuracy on the cross-article evaluation set, and speed.

    .venv/bin/python -m bench.claim_links [--claims 200000 --articles 100000] [--show-errors]

Accuracy: ``tests/data/crossarticle/crossarticle.jsonl`` (built from ``articles.txt`` by
``build.py``: invented articles about four invented disputes, with gold CLAIM/REBUTTAL spans,
speakers and cross-article SAME_CLAIM/REBUTS relations). The gold spans are fed to
``crosslinks.claim_links`` and its pairs scored against the gold relations per label
(SAME_CLAIM unordered, REBUTS as rebuttal -> claim): precision, recall, F1. No target.

Speed: the same function on synthetic claims (no database; ``bench.claim_links_job`` times the
whole job, database included): ``--articles`` articles holding ``--claims`` claims and
``--claims // 4`` rebuttals, sentences of 8-20 words drawn from a 30,000-word vocabulary
(Zipf-like), one claim in ten a reworded copy of another article's claim, one rebuttal in
five quoting or naming the speaker of another article's claim. Target (issue 16): < 120 s.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

from annotator.preannotation.recognisers.crosslinks import REBUTS, SAME_CLAIM, Item, Pair, claim_links

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT / "tests" / "data" / "crossarticle" / "crossarticle.jsonl"


def eval_set(path: Path = EVAL) -> tuple[list[Item], list[Item], set[tuple[str, int, int]]]:
    """(claims, rebuttals, gold relations as (label, from span id, to span id)) of the set."""
    claims: list[Item] = []
    rebuttals: list[Item] = []
    gold: set[tuple[str, int, int]] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
        record = json.loads(line)
        layer = record["annotations"][0]
        for span in layer["spans"]:
            item = Item(span["id"], number, span["text"], span.get("attributes", {}).get("speaker", ""))
            (claims if span["label"] == "CLAIM" else rebuttals).append(item)
        for rel in layer["relations"]:
            gold.add(_key(rel["label"], rel["from"], rel["to"]["span"]))
    return claims, rebuttals, gold


def _key(label: str, source: int, target: int) -> tuple[str, int, int]:
    if label == SAME_CLAIM:
        source, target = sorted((source, target))
    return label, source, target


def scores(pairs: list[Pair], gold: set[tuple[str, int, int]]) -> dict[str, dict[str, float]]:
    found = {_key(p.label, p.source, p.target) for p in pairs}
    result = {}
    for label in (SAME_CLAIM, REBUTS):
        f = {k for k in found if k[0] == label}
        g = {k for k in gold if k[0] == label}
        tp = len(f & g)
        p = tp / len(f) if f else 0.0
        r = tp / len(g) if g else 0.0
        result[label] = {
            "gold": len(g), "found": len(f), "correct": tp, "precision": p, "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0,
        }  # fmt: skip
    return result


def synthetic(articles: int, claims: int, seed: int = 16) -> tuple[list[Item], list[Item]]:
    rng = random.Random(seed)
    vocabulary = [f"w{n}" for n in range(30_000)]
    weights = [1 / (n + 1) for n in range(len(vocabulary))]
    words = rng.choices(vocabulary, weights, k=claims * 14)
    surnames = [f"name{n}" for n in range(5_000)]
    out: list[Item] = []
    at = 0
    for n in range(claims):
        article = rng.randrange(articles)
        if out and rng.random() < 0.1:  # a reworded copy of an earlier claim, elsewhere
            base = rng.choice(out).text.split()
            base[rng.randrange(len(base))] = rng.choice(vocabulary)
            text = " ".join(base)
        else:
            length = rng.randint(8, 20)
            text = " ".join(words[at : at + length])
            at += length
        out.append(Item(n, article, text, f"Ann {rng.choice(surnames)}"))
    rebuttals = []
    for n in range(claims // 4):
        claim = rng.choice(out)
        article = rng.randrange(articles)
        if rng.random() < 0.2:
            cut = claim.text.split()[:6]
            text = f"{claim.speaker.split()[-1]} is wrong that " + " ".join(cut)
        else:
            text = " ".join(rng.choices(vocabulary, weights, k=12))
        rebuttals.append(Item(claims + n, article, text, f"Bo {rng.choice(surnames)}"))
    return out, rebuttals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=200_000)
    parser.add_argument("--show-errors", action="store_true")
    args = parser.parse_args(argv)

    claims, rebuttals, gold = eval_set()
    pairs = claim_links(claims, rebuttals)
    print(f"Evaluation set: {EVAL.relative_to(ROOT)}: {len({c.article for c in claims + rebuttals})} "
          f"articles, {len(claims)} claims, {len(rebuttals)} rebuttals")  # fmt: skip
    print(f"{'label':<11} {'gold':>5} {'found':>6} {'correct':>8} {'P':>6} {'R':>6} {'F1':>6}")
    for label, m in scores(pairs, gold).items():
        print(f"{label:<11} {m['gold']:>5} {m['found']:>6} {m['correct']:>8} "
              f"{m['precision']:>6.2f} {m['recall']:>6.2f} {m['f1']:>6.2f}")  # fmt: skip
    if args.show_errors:
        text = {i.id: i.text for i in claims + rebuttals}
        found = {_key(p.label, p.source, p.target): p for p in pairs}
        for key in sorted(set(found) - gold):
            print("  false", key, found[key].reason, "|", text[key[1]], "->", text[key[2]])
        for key in sorted(gold - set(found)):
            print("  missed", key, "|", text[key[1]], "->", text[key[2]])

    print(f"\nSpeed: {args.articles} articles, {args.claims} claims, {args.claims // 4} rebuttals")
    claims, rebuttals = synthetic(args.articles, args.claims)
    started = time.perf_counter()
    pairs = claim_links(claims, rebuttals)
    took = time.perf_counter() - started
    counts = {label: sum(p.label == label for p in pairs) for label in (SAME_CLAIM, REBUTS)}
    print(f"claim_links: {took:.1f} s, {counts} (target < 120 s: {'met' if took < 120 else 'MISSED'})")
    return 0 if took < 120 else 1


if __name__ == "__main__":
    sys.exit(main())
