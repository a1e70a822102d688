"""The figures development set (issue 18): read by the parser the bench and the training use,
well formed, FIGURE only, big enough to tune on, and sharing no text with eval.txt."""

import re
from pathlib import Path

import pytest

from annotator.preannotation.evaluation import EvalArticle, parse_marked
from annotator.preannotation.recognisers import figures_training

DATA = Path(__file__).resolve().parent.parent / "data" / "preannotation"
SHINGLE = 10  # words: a run this long in both sets would mean text was copied across


@pytest.fixture(scope="module")
def dev() -> list[EvalArticle]:
    return parse_marked((DATA / "dev.txt").read_text(encoding="utf-8"))


def test_big_enough_and_figure_only(dev: list[EvalArticle]) -> None:
    assert len(dev) >= 60
    assert {s.label for a in dev for s in a.spans} == {"FIGURE"}
    assert sum(len(a.spans) for a in dev) >= 200
    assert len({a.id for a in dev}) == len(dev)


def test_spans_are_trimmed_one_line_figures(dev: list[EvalArticle]) -> None:
    for article in dev:
        for span in article.spans:
            covered = article.text[span.start : span.end]
            assert covered == covered.strip() and "\n" not in covered, (article.id, covered)
            assert re.search(r"\d|[a-z]", covered, re.IGNORECASE), (article.id, covered)


def _shingles(articles: list[EvalArticle]) -> set[tuple[str, ...]]:
    found = set()
    for article in articles:
        words = re.findall(r"\w+", article.text.lower())
        found |= {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    return found


def test_shares_no_text_with_eval_set(dev: list[EvalArticle]) -> None:
    tuning = parse_marked((DATA / "eval.txt").read_text(encoding="utf-8"))
    assert not {a.id for a in dev} & {a.id for a in tuning}
    assert not _shingles(dev) & _shingles(tuning)


def test_the_filter_is_trained_on_the_tuning_sets(dev: list[EvalArticle]) -> None:
    assert [m.label() for m in figures_training.TUNING_SETS][:2] == ["eval.txt", "dev.txt"]
    tuning = parse_marked((DATA / "eval.txt").read_text(encoding="utf-8"))
    ids = [a.id for a in figures_training.tuning_articles()]
    assert ids[: len(tuning) + len(dev)] == [a.id for a in [*tuning, *dev]]
