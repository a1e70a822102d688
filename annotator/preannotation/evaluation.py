"""Scoring recognisers against a hand-marked evaluation set (pure: no Django).

The set is a text file (tests/data/preannotation/eval.txt)::

    # header comments: the annotation guidelines
    === energy-bills-01 ===
    Households will pay [[FIGURE: £1,400]] more a year, the regulator said.
    [[CLAIM: Prices have peaked, and [[FIGURE: 55 MPs]] agree]], the minister said.

``=== <id> ===`` starts an article; ``[[LABEL: text]]`` marks a span and may hold other marks.
An article's text is its lines joined with "\\n" (a CRLF file reads as LF), the marks taken
out and the whole trimmed. Offsets are code points, half-open, as everywhere in the service.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

LABELS = ("FIGURE", "CLAIM", "REBUTTAL")
MATCHES = ("exact", "overlap")

_ARTICLE = re.compile(r"=== (\S+) ===")
_OPEN = re.compile(r"\[\[([A-Za-z_]*):? ?")


@dataclass(frozen=True, order=True)
class GoldSpan:
    start: int
    end: int
    label: str


@dataclass(frozen=True)
class EvalArticle:
    id: str
    text: str
    spans: list[GoldSpan]


@dataclass(frozen=True)
class Counts:
    """Matches of one label: true positives, false positives, false negatives.

    Empty cases count as perfect rather than undefined, so that summing over articles and
    labels stays simple: precision is 1.0 when nothing was predicted, recall 1.0 when nothing
    was expected; F1 is 0.0 when both precision and recall are 0.
    """

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float:
        predicted = self.tp + self.fp
        return self.tp / predicted if predicted else 1.0

    @property
    def recall(self) -> float:
        expected = self.tp + self.fn
        return self.tp / expected if expected else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def parse_marked(source: str) -> list[EvalArticle]:
    """The articles of an evaluation file, their marks turned into code-point spans.

    Comment lines (``#``) and blank lines before the first article are a header and ignored;
    after it every line belongs to an article. Raises ValueError, naming the article and the
    file's line:column, on unbalanced ``[[``/``]]``, an unknown or missing label, a span that is
    empty or starts or ends with whitespace (marks are trimmed by the guidelines, so such a
    span is a typo), an empty article, a duplicate id, or text before the first article.
    """
    articles: list[EvalArticle] = []
    seen: set[str] = set()
    current: str | None = None
    body: list[str] = []
    body_line = 0  # the file's line number (1-based) of the body's first line

    def finish() -> None:
        if current is not None:
            articles.append(_parse_article(current, "\n".join(body), body_line))

    for number, raw in enumerate(source.split("\n"), start=1):
        line = raw.removesuffix("\r")
        heading = _ARTICLE.fullmatch(line.strip())
        if heading:
            finish()
            current = heading.group(1)
            if current in seen:
                raise ValueError(f"duplicate article id {current!r} at line {number}")
            seen.add(current)
            body, body_line = [], number + 1
        elif current is not None:
            body.append(line)
        elif line.strip() and not line.lstrip().startswith("#"):
            raise ValueError(f"line {number}: text before the first '=== id ===' line")
    finish()
    return articles


def _parse_article(article_id: str, body: str, first_line: int) -> EvalArticle:
    def where(index: int) -> str:
        line = first_line + body.count("\n", 0, index)
        column = index - (body.rfind("\n", 0, index) + 1) + 1
        return f"article {article_id!r}, line {line}:{column}"

    out: list[str] = []
    length = 0  # len("".join(out)), kept as we go
    open_marks: list[tuple[str, int, int]] = []  # label, text offset, body index of "[["
    spans: list[GoldSpan] = []
    i = 0
    while i < len(body):
        if body.startswith("[[", i):
            opening = _OPEN.match(body, i)
            assert opening is not None  # the pattern matches any "[["
            label = opening.group(1)
            if not opening.group(0).endswith(": "):
                raise ValueError(f"{where(i)}: expected '[[LABEL: ', got {body[i : i + 20]!r}")
            if label not in LABELS:
                raise ValueError(f"{where(i)}: unknown label {label!r} (known: {', '.join(LABELS)})")
            open_marks.append((label, length, i))
            i = opening.end()
        elif body.startswith("]]", i):
            if not open_marks:
                raise ValueError(f"{where(i)}: ']]' closes no mark")
            label, start, opened_at = open_marks.pop()
            marked = "".join(out)[start:]
            if not marked or marked != marked.strip():
                raise ValueError(f"{where(opened_at)}: {label} mark is empty or not trimmed: {marked!r}")
            spans.append(GoldSpan(start, length, label))
            i += 2
        else:
            out.append(body[i])
            length += 1
            i += 1
    if open_marks:
        label, _, opened_at = open_marks[-1]
        raise ValueError(f"{where(opened_at)}: {label} mark is never closed")
    joined = "".join(out)
    text = joined.strip()
    if not text:
        raise ValueError(f"article {article_id!r} (line {first_line}) is empty")
    # Marks hold non-space text, so trimming only shifts them; it never cuts one.
    lead = len(joined) - len(joined.lstrip())
    spans = sorted(GoldSpan(s.start - lead, s.end - lead, s.label) for s in spans)
    return EvalArticle(id=article_id, text=text, spans=spans)


def score(
    gold: Iterable[GoldSpan], predicted: Iterable[tuple[int, int, str]], label: str, match: str
) -> Counts:
    """Counts of one label in one article; spans of other labels are ignored.

    ``exact``: a prediction matches a gold span with the same start and end. ``overlap``: it
    matches a gold span whose range shares at least one code point with it. Either way each
    gold span and each prediction is matched at most once, so a duplicated prediction is a
    false positive and one long prediction over two gold spans finds one of them. Overlap
    matching is greedy by position: predictions in order of (start, end), each taking the
    first still-unmatched overlapping gold span in the same order. That is not always the
    largest matching (a prediction may take the gold span a later one needed), which is rare
    with spans the size of figures and quotes, and it keeps the score easy to reproduce.
    """
    if match not in MATCHES:
        raise ValueError(f"match must be one of {MATCHES}, not {match!r}")
    wanted = sorted((g.start, g.end) for g in gold if g.label == label)
    found = sorted((start, end) for start, end, lab in predicted if lab == label)
    if match == "exact":
        tp = sum((Counter(wanted) & Counter(found)).values())
    else:
        taken = [False] * len(wanted)
        tp = 0
        for start, end in found:
            for n, (g_start, g_end) in enumerate(wanted):
                if not taken[n] and start < g_end and g_start < end:
                    taken[n] = True
                    tp += 1
                    break
    return Counts(tp=tp, fp=len(found) - tp, fn=len(wanted) - tp)
