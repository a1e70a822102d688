"""The second development sets (issue 18), dev2-a and dev2-b: written by two helpers who never
saw the recognisers; well formed, FIGURE only, sharing no text with the other sets, and split
as the protocol says: the first 30 articles of each tune the rules and the filter, the last 10
were kept unseen until the final check (figures_training.UNSEEN names them)."""

import re
from pathlib import Path

import pytest

from annotator.preannotation.evaluation import EvalArticle, parse_marked
from annotator.preannotation.recognisers import figures_training

DATA = Path(__file__).resolve().parent.parent / "data" / "preannotation"
SHINGLE = 10


def _read(name: str) -> list[EvalArticle]:
    return parse_marked((DATA / name).read_text(encoding="utf-8"))


def _shingles(articles: list[EvalArticle]) -> set[tuple[str, ...]]:
    found = set()
    for article in articles:
        words = re.findall(r"\w+", article.text.lower())
        found |= {tuple(words[i : i + SHINGLE]) for i in range(len(words) - SHINGLE + 1)}
    return found


@pytest.mark.parametrize("name", ["dev2-a.txt", "dev2-b.txt"])
def test_well_formed_figure_only_and_original(name: str) -> None:
    articles = _read(name)
    assert len(articles) == 40
    assert {s.label for a in articles for s in a.spans} == {"FIGURE"}
    for article in articles:
        for span in article.spans:
            covered = article.text[span.start : span.end]
            assert covered == covered.strip() and "\n" not in covered, (article.id, covered)
    others = [a for other in ("eval.txt", "dev.txt") for a in _read(other)]
    assert not {a.id for a in articles} & {a.id for a in others}
    assert not _shingles(articles) & _shingles(others)


def test_the_two_writers_wrote_apart() -> None:
    a, b = _read("dev2-a.txt"), _read("dev2-b.txt")
    assert not {x.id for x in a} & {x.id for x in b}
    # Two stock phrases ("six of one and half a dozen of the other") is all they share.
    assert len(_shingles(a) & _shingles(b)) < 10


def test_tuning_parts_and_unseen_parts_split_each_file() -> None:
    for name in ("dev2-a.txt", "dev2-b.txt"):
        tuning = [m for m in figures_training.TUNING_SETS if m.name == name]
        unseen = [m for m in figures_training.UNSEEN if m.name == name]
        assert len(tuning) == 1 and len(unseen) <= 1
        ids = [a.id for m in [*tuning, *unseen] for a in m.articles()]
        assert ids == [a.id for a in _read(name)]  # together the whole file, no article twice
