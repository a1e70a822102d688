import re
from pathlib import Path

import pytest

from annotator.preannotation.evaluation import Counts, GoldSpan, parse_marked, score

EVAL_SET = Path(__file__).resolve().parent.parent / "data" / "preannotation" / "eval.txt"


def test_parse_marked_offsets_nesting_and_header():
    source = (
        "# guidelines\n"
        "#   more guidelines\n"
        "\n"
        "=== a-01 ===\n"
        "\n"
        '  👩‍👩‍👧 "[[CLAIM: Bills fell [[FIGURE: 4.75%]]]]," she said.\n'
        "[[REBUTTAL: No]].\n"
        "\n"
        "=== b-02 ===\n"
        "Plain.\n"
    )
    first, second = parse_marked(source)
    assert first.id == "a-01"
    assert first.text == '👩‍👩‍👧 "Bills fell 4.75%," she said.\nNo.'
    assert first.spans == sorted(first.spans)
    marked = [(first.text[s.start : s.end], s.label) for s in first.spans]
    assert marked == [("Bills fell 4.75%", "CLAIM"), ("4.75%", "FIGURE"), ("No", "REBUTTAL")]
    assert first.spans[0] == GoldSpan(7, 23, "CLAIM")  # the family emoji is 5 code points
    assert (second.id, second.text, second.spans) == ("b-02", "Plain.", [])


def test_parse_marked_reads_crlf_as_lf():
    (article,) = parse_marked("=== a ===\r\nOne [[FIGURE: 5%]]\r\ntwo\r\n")
    assert article.text == "One 5%\ntwo"
    assert article.text[article.spans[0].start : article.spans[0].end] == "5%"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("a [[FIGURE: 5%", "never closed"),
        ("a ]] 5%", "closes no mark"),
        ("a [[QUOTE: x]]", "unknown label 'QUOTE'"),
        ("a [[FIGURE 5%]]", "expected '[[LABEL: '"),
        ("a [[FIGURE: ]] b", "empty or not trimmed"),
        ("a [[FIGURE: 5% ]] b", "empty or not trimmed"),
    ],
)
def test_parse_marked_names_article_and_position(body, message):
    with pytest.raises(ValueError, match=re.escape(message)) as info:
        parse_marked(f"# header\n=== ok ===\nfine\n=== bad-07 ===\nfirst line\n{body}\n")
    assert "'bad-07'" in str(info.value)
    assert "line 6:3" in str(info.value)  # where the offending mark starts


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("=== a ===\nx\n=== a ===\ny\n", "duplicate article id 'a'"),
        ("stray text\n=== a ===\nx\n", "before the first"),
        ("=== a ===\n\n=== b ===\nx\n", "empty"),
    ],
)
def test_parse_marked_refuses_bad_files(source, message):
    with pytest.raises(ValueError, match=message):
        parse_marked(source)


GOLD = [GoldSpan(0, 5, "FIGURE"), GoldSpan(10, 20, "FIGURE"), GoldSpan(0, 30, "CLAIM")]


def test_score_exact():
    predicted = [(0, 5, "FIGURE"), (10, 19, "FIGURE"), (0, 30, "CLAIM")]
    assert score(GOLD, predicted, "FIGURE", "exact") == Counts(tp=1, fp=1, fn=1)
    assert score(GOLD, predicted, "CLAIM", "exact") == Counts(tp=1, fp=0, fn=0)


def test_score_overlap_ignores_other_labels_and_touching_ranges():
    predicted = [(3, 12, "FIGURE"), (20, 25, "FIGURE"), (0, 5, "CLAIM")]
    # (3, 12) overlaps both gold figures but takes only the first; (20, 25) only touches (10, 20).
    assert score(GOLD, predicted, "FIGURE", "overlap") == Counts(tp=1, fp=1, fn=1)
    assert score(GOLD, predicted, "CLAIM", "overlap") == Counts(tp=1, fp=0, fn=0)


def test_score_never_matches_twice():
    duplicated = [(0, 5, "FIGURE"), (0, 5, "FIGURE"), (1, 3, "FIGURE")]
    assert score(GOLD, duplicated, "FIGURE", "exact") == Counts(tp=1, fp=2, fn=1)
    assert score(GOLD, duplicated, "FIGURE", "overlap") == Counts(tp=1, fp=2, fn=1)
    two_gold = [GoldSpan(0, 5, "FIGURE"), GoldSpan(0, 5, "FIGURE")]
    assert score(two_gold, [(0, 5, "FIGURE")], "FIGURE", "exact") == Counts(tp=1, fp=0, fn=1)


def test_score_greedy_by_position():
    gold = [GoldSpan(0, 10, "FIGURE"), GoldSpan(12, 20, "FIGURE")]
    predicted = [(15, 18, "FIGURE"), (5, 14, "FIGURE")]  # taken in order of start: (5, 14) first
    assert score(gold, predicted, "FIGURE", "overlap") == Counts(tp=2, fp=0, fn=0)


def test_score_empty_cases_and_conventions():
    nothing = score([], [], "FIGURE", "overlap")
    assert nothing == Counts(0, 0, 0)
    assert (nothing.precision, nothing.recall, nothing.f1) == (1.0, 1.0, 1.0)
    missed = score(GOLD, [], "FIGURE", "exact")
    assert (missed.precision, missed.recall, missed.f1) == (1.0, 0.0, 0.0)
    spurious = score([], [(0, 1, "FIGURE")], "FIGURE", "exact")
    assert (spurious.precision, spurious.recall, spurious.f1) == (0.0, 1.0, 0.0)
    with pytest.raises(ValueError, match="match must be"):
        score(GOLD, [], "FIGURE", "partial")


def test_counts_add_and_rates():
    total = Counts(3, 1, 0) + Counts(1, 0, 4)
    assert total == Counts(4, 1, 4)
    assert total.precision == pytest.approx(0.8)
    assert total.recall == pytest.approx(0.5)
    assert total.f1 == pytest.approx(2 * 0.8 * 0.5 / 1.3)


def test_the_evaluation_set():
    source = EVAL_SET.read_text(encoding="utf-8")
    articles = parse_marked(source)
    assert len(articles) >= 40
    assert len({a.id for a in articles}) == len(articles)
    assert sum(s.label == "FIGURE" for a in articles for s in a.spans) >= 150
    for label in ("CLAIM", "REBUTTAL"):
        assert sum(s.label == label for a in articles for s in a.spans) >= 40
    for article in articles:
        assert 80 <= len(article.text.split()) <= 250, article.id
        assert "[[" not in article.text and "]]" not in article.text, article.id
        for span in article.spans:
            assert 0 <= span.start < span.end <= len(article.text), (article.id, span)
    # Each span's text is what was marked: the source holds it right after "[[LABEL: ", once
    # the marks nested inside it are taken out.
    marked = {
        (article.id, span.label, article.text[span.start : span.end])
        for article in articles
        for span in article.spans
    }
    for article_id, label, text in marked:
        block = source.split(f"=== {article_id} ===\n", 1)[1].split("\n=== ", 1)[0]
        plain = block.replace("]]", "")
        for other in ("FIGURE", "CLAIM", "REBUTTAL"):
            plain = plain.replace(f"[[{other}: ", "\0" if other == label else "")
        assert f"\0{text}" in plain, (article_id, label, text)
