"""The learned filter of the figures recogniser: how likely a candidate is to be a FIGURE.

The rules (figures.py) read every number and figure word as a candidate, with what they took
it for (money, a percentage, a count...) and, when they leave it out, why (a date, a name, a
set phrase...). A logistic regression over those and a few features of the candidate and its
context, trained on all of them, turns a candidate the rules take into a probability: the
proposal's score, so that a job's ``min_score`` of 0.5 means about even odds (what the rules
leave out is never proposed). The weights are trained by ``figures_training`` (scikit-learn) on
the tuning set's gold and shipped in ``figures_model.json``; scoring here is a sum and a
sigmoid. Pure: the standard library only, no Django.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

MODEL_FILE = Path(__file__).with_name("figures_model.json")
THRESHOLD = 0.5  # propose what the model finds at least even odds for

_MAGNITUDE = re.compile(r"(?i:hundred|thousand|million|billion|trillion)|\d(?:bn|m|k|tn)\b")
_BARE = re.compile(r"\d[\d,.]*|[A-Za-z]+(?:-[a-z]+)?")


def features(text: str, start: int, end: int, kind: str, left_out: str) -> tuple[str, ...]:
    """The candidate ``text[start:end]`` as the model sees it: named binary features."""
    read = text[start:end]
    # The words around it are left out: cross-validated on the tuning sets, the previous and the
    # next token's shape made the log-loss worse, not better (bench/README.md, issue 18).
    found = [f"kind={kind}", f"left_out={left_out or 'no'}"]
    found.append("in_words" if read[0].isalpha() else "in_digits")
    magnitude = _MAGNITUDE.search(read)
    if magnitude:
        found.append("magnitude")
    if read[-1].isalpha() and " " in read and (magnitude is None or magnitude.end() < len(read)):
        found.append("with_noun")
    number = read.split(" ", 1)[0].lstrip("£$€¥US")
    if "." in number.rstrip(".") and number[:1].isdigit():
        found.append("decimal")
    if "," in number:
        found.append("thousands")
    if number.isdigit():
        if len(number) == 4 and 1800 <= int(number) <= 2099:
            found.append("year_like")
        elif len(number) < 3 and int(number) < 13:
            found.append("small_int")
    if kind in ("count", "number") and _BARE.fullmatch(read):
        found.append("bare")  # counting nothing: the riskiest reading
    line_start = text.rfind("\n", 0, start) + 1
    opened = text.count('"', line_start, start) % 2 or text.count("\u201c", line_start, start) > text.count(
        "\u201d", line_start, start
    )
    if opened:
        found.append("in_quotes")
    line_end = text.find("\n", end, end + 50)
    if text.rfind("\n", max(0, start - 50), start) >= 0 and (line_end >= 0 or end + 50 >= len(text)):
        line_start = text.rfind("\n", 0, start) + 1
        if (line_end if line_end >= 0 else len(text)) - line_start < 50:
            found.append("short_line")  # a caption, a dateline, page furniture
    return tuple(found)


def _load() -> tuple[float, dict[str, float]]:
    model = json.loads(MODEL_FILE.read_text(encoding="utf-8"))
    return float(model["intercept"]), {name: float(w) for name, w in model["weights"].items()}


_INTERCEPT, _WEIGHTS = _load()


def probability(
    found: tuple[str, ...], intercept: float = _INTERCEPT, weights: dict[str, float] = _WEIGHTS
) -> float:
    """The probability that a candidate with these features is a FIGURE, under the shipped
    model (or the ``intercept`` and ``weights`` of another, as cross-validation fits them)."""
    logit = intercept + sum(weights.get(name, 0.0) for name in found)
    return 1.0 / (1.0 + math.exp(-logit))
