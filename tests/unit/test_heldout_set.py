"""The held-out evaluation set (issue 18): read by the parser the bench uses, well formed, big
enough to measure on, and sharing no text with the tuning sets (eval.txt, dev*.txt: every other
file beside it) it must stay apart from."""

import re
from pathlib import Path

import pytest

from annotator.preannotation.evaluation import LABELS, EvalArticle, parse_marked

DATA = Path(__file__).resolve().parent.parent / "data" / "preannotation"
HELDOUT = DATA / "heldout.txt"
TUNING = sorted(path for path in DATA.glob("*.txt") if path != HELDOUT)
MIN_ARTICLES = 60  # issue 18
MIN_FIGURES = 300
SHINGLE = 10  # words: a run this long in both sets would mean text was copied across


def _articles(path: Path) -> list[EvalArticle]:
    return parse_marked(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def heldout() -> list[EvalArticle]:
    return _articles(HELDOUT)


@pytest.fixture(scope="module")
def tuning() -> list[EvalArticle]:
    return [article for path in TUNING for article in _articles(path)]


def test_big_enough_to_measure_on(heldout: list[EvalArticle]) -> None:
    assert len(heldout) >= MIN_ARTICLES
    counts = {label: sum(s.label == label for a in heldout for s in a.spans) for label in LABELS}
    assert counts["FIGURE"] >= MIN_FIGURES
    # Every label is measured, and most articles carry figures to find.
    assert all(counts[label] > 0 for label in LABELS), counts
    assert sum(any(s.label == "FIGURE" for s in a.spans) for a in heldout) >= MIN_ARTICLES
    assert len({a.id for a in heldout}) == len(heldout), "article ids repeat"


def test_spans_lie_in_the_text_and_are_trimmed(heldout: list[EvalArticle]) -> None:
    for article in heldout:
        assert article.text == article.text.strip()
        assert "[[" not in article.text and "]]" not in article.text, article.id
        for span in article.spans:
            assert span.label in LABELS, (article.id, span)
            assert 0 <= span.start < span.end <= len(article.text), (article.id, span)
            covered = article.text[span.start : span.end]
            assert covered == covered.strip(), (article.id, covered)
            if span.label == "FIGURE":
                assert "\n" not in covered, (article.id, covered)
                assert re.search(r"\d|[a-z]", covered, re.IGNORECASE), (article.id, covered)
            elif span.label == "CLAIM":
                # Guidelines: the words inside the marks, without the sentence's closing punctuation.
                assert covered[-1] not in '.,!"\u201c\u201d', (article.id, covered)
            else:
                assert not covered.endswith("."), (article.id, covered)  # "without the final full stop"


def test_spans_nest_or_stay_apart(heldout: list[EvalArticle]) -> None:
    """Marks may nest (a FIGURE in a CLAIM in a REBUTTAL) but never cross."""
    for article in heldout:
        spans = sorted(article.spans, key=lambda s: (s.start, -s.end))
        for n, outer in enumerate(spans):
            for inner in spans[n + 1 :]:
                if inner.start >= outer.end:
                    break
                assert inner.end <= outer.end, (article.id, outer, inner)
                assert inner.label != outer.label, (article.id, outer, inner)


def _shingles(articles: list[EvalArticle]) -> set[tuple[str, ...]]:
    shingles = set()
    for article in articles:
        words = re.findall(r"\w+", article.text.lower())
        shingles |= {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    return shingles


def test_shares_no_text_with_the_tuning_sets(heldout: list[EvalArticle], tuning: list[EvalArticle]) -> None:
    assert {"eval.txt", "dev.txt"} <= {path.name for path in TUNING}
    assert not {a.id for a in heldout} & {a.id for a in tuning}
    lines = {line.strip() for a in tuning for line in a.text.splitlines() if len(line.strip()) > 20}
    assert not [line for a in heldout for line in a.text.splitlines() if line.strip() in lines]
    assert not _shingles(heldout) & _shingles(tuning)


def test_shingle_check_would_catch_a_copied_sentence(tuning: list[EvalArticle]) -> None:
    """The overlap check above is not vacuous: one tuning sentence pasted in is caught."""
    sentence = max(tuning[0].text.splitlines(), key=len)
    pasted = parse_marked(f"=== pasted ===\nAn invented opening. {sentence}\n")
    assert _shingles(pasted) & _shingles(tuning)
