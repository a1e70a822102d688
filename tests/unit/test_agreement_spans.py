"""Span and relation F1 on hand-worked cases: nested and overlapping spans, emoji before the
spans and CRLF text (offsets are code points: Python str indices)."""

import pytest

from annotator.agreement.metrics_spans import F1, averages, per_label_f1, relation_f1, span_f1

TEXT = '👨‍👩‍👧 Prices rose 4.75%.\r\nThe minister denied it: "not true".'


def at(needle: str, label: str, article: str = "a1", nth: int = 0) -> tuple[str, int, int, str]:
    start = -1
    for _ in range(nth + 1):
        start = TEXT.index(needle, start + 1)
    return (article, start, start + len(needle), label)


def test_offsets_are_code_points_after_the_emoji_and_crlf() -> None:
    span = at("not true", "REBUTTAL")
    assert TEXT[span[1] : span[2]] == "not true"
    # The family emoji is 5 code points but 8 UTF-16 units: the code point offset is 51, not 54.
    assert span[1] == 51
    assert len(TEXT[: span[1]].encode("utf-16-le")) // 2 == 54


def test_exact_span_f1_counts_only_identical_spans() -> None:
    a = {at("Prices rose 4.75%", "CLAIM"), at("4.75%", "FIGURE"), at("not true", "REBUTTAL")}
    b = {at("Prices rose 4.75%", "CLAIM"), at("4.75", "FIGURE"), at('"not true"', "REBUTTAL")}
    score = span_f1(a, b)
    assert score == F1(1, 3, 3)
    assert score.f1 == pytest.approx(2 * 1 / 6)


def test_overlap_matches_each_span_at_most_once() -> None:
    # a has one long CLAIM; b splits it into two nested/overlapping ones: only one may match it.
    a = {at("Prices rose 4.75%", "CLAIM")}
    b = {at("Prices rose", "CLAIM"), at("rose 4.75%", "CLAIM")}
    assert span_f1(a, b, match="overlap") == F1(1, 1, 2)
    assert span_f1(a, b, match="overlap").f1 == pytest.approx(2 / 3)
    # Labels must agree; touching ([x, y) and [y, z)) is no overlap.
    assert span_f1({at("4.75", "FIGURE")}, {at("4.75", "CLAIM")}, match="overlap").matched == 0
    assert span_f1({at("Prices", "CLAIM")}, {at(" rose", "CLAIM")}, match="overlap").matched == 0


def test_overlap_finds_the_maximum_matching_not_a_greedy_one() -> None:
    # a1 overlaps b1 and b2, a2 only b1: greedy (a1-b1) would leave a2 alone; the best is 2.
    a = {("x", 0, 10, "L"), ("x", 0, 3, "L")}
    b = {("x", 0, 4, "L"), ("x", 8, 12, "L")}
    assert span_f1(a, b, match="overlap").matched == 2


def test_nested_spans_of_one_coder() -> None:
    a = {at("Prices rose 4.75%", "CLAIM"), at("4.75%", "FIGURE")}
    b = {at("Prices rose 4.75%.", "CLAIM"), at("4.75%", "FIGURE")}
    assert span_f1(a, b) == F1(1, 2, 2)
    assert span_f1(a, b, match="overlap") == F1(2, 2, 2)


def test_empty_layers_agree_and_articles_are_kept_apart() -> None:
    assert span_f1(set(), set()).f1 == 1.0
    assert span_f1({at("4.75%", "FIGURE")}, set()).f1 == 0.0
    assert span_f1({at("4.75%", "FIGURE", "a1")}, {at("4.75%", "FIGURE", "a2")}, match="overlap").matched == 0


def test_relation_f1_needs_both_ends_to_match() -> None:
    claim, rebuttal = at("Prices rose 4.75%", "CLAIM"), at("not true", "REBUTTAL")
    rebuttal_wider = at('"not true"', "REBUTTAL")
    a = {("a1", rebuttal, claim, "REBUTS")}
    b = {("a1", rebuttal_wider, claim, "REBUTS")}
    assert relation_f1(a, b) == F1(0, 1, 1)
    assert relation_f1(a, b, match="overlap") == F1(1, 1, 1)
    # The label of the relation must match too, and a wrong target spoils it.
    assert relation_f1(a, {("a1", rebuttal, claim, "SUPPORTS")}, match="overlap").matched == 0
    figure = at("4.75%", "FIGURE")
    assert relation_f1(a, {("a1", rebuttal, figure, "REBUTS")}, match="overlap").matched == 0


def test_per_label_and_averages() -> None:
    a = {at("Prices rose 4.75%", "CLAIM"), at("4.75%", "FIGURE"), at("not true", "REBUTTAL")}
    b = {at("Prices rose 4.75%", "CLAIM"), at("4.75%", "FIGURE")}
    labels = ["CLAIM", "FIGURE", "REBUTTAL"]
    scores = per_label_f1(a, b, labels, span_f1, "exact")
    assert {label: s.f1 for label, s in scores.items()} == {"CLAIM": 1.0, "FIGURE": 1.0, "REBUTTAL": 0.0}
    mean = averages(scores.values())
    assert mean.micro == pytest.approx(2 * 2 / 5)
    assert mean.macro == pytest.approx(2 / 3)
    assert averages([]).micro is None
