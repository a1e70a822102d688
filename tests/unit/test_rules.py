import pytest

from annotator.annotations import rules
from annotator.common.errors import InvalidInput


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ((0, 5), (5, 9), False),  # half-open: touching is not overlapping
        ((0, 5), (4, 9), True),
        ((2, 3), (0, 9), True),  # inside
        ((0, 9), (2, 3), True),
        ((3, 4), (3, 4), True),
        ((6, 9), (0, 5), False),
    ],
)
def test_spans_overlap_is_symmetric_on_half_open_ranges(a, b, expected):
    assert rules.spans_overlap(*a, *b) is expected
    assert rules.spans_overlap(*b, *a) is expected


def test_first_overlapping_keeps_the_given_order_and_the_rest_of_the_tuple():
    spans = [(0, 2, 11), (3, 6, 12), (5, 8, 13)]
    assert rules.first_overlapping(spans, 4, 7) == (3, 6, 12)
    assert rules.first_overlapping(spans, 2, 3) is None
    assert rules.first_overlapping([], 0, 1) is None


def test_first_overlapping_pair_ignores_twins_and_reports_in_sorted_order():
    assert rules.first_overlapping_pair([(0, 4, "A"), (0, 4, "A"), (4, 6, "B")]) is None
    assert rules.first_overlapping_pair([(5, 9, "B"), (0, 6, "A")]) == ((0, 6, "A"), (5, 9, "B"))
    # The same range with two labels is two spans, and they overlap.
    assert rules.first_overlapping_pair([(1, 3, "B"), (1, 3, "A")]) == ((1, 3, "A"), (1, 3, "B"))
    # A long span overlapping a later, non-neighbouring one is still found.
    assert rules.first_overlapping_pair([(0, 10, "A"), (1, 2, "A"), (3, 4, "A")]) == (
        (0, 10, "A"),
        (1, 2, "A"),
    )


def test_first_overlapping_other_excepts_the_identical_span():
    stored = [(0, 4, "A"), (10, 12, "A")]
    assert rules.first_overlapping_other(stored, [(0, 4, "A"), (4, 8, "A")]) is None
    assert rules.first_overlapping_other(stored, [(0, 4, "B")]) == ((0, 4, "A"), (0, 4, "B"))
    assert rules.first_overlapping_other(stored, [(11, 20, "A")]) == ((10, 12, "A"), (11, 20, "A"))


def test_relation_labels_breach_names_the_end_and_its_allowed_labels():
    assert rules.relation_labels_breach(set(), set(), "X", "Y") is None
    assert rules.relation_labels_breach({"REBUTTAL"}, {"CLAIM"}, "REBUTTAL", "CLAIM") is None
    assert rules.relation_labels_breach({"REBUTTAL", "FIGURE"}, {"CLAIM"}, "CLAIM", "CLAIM") == (
        "from",
        ["FIGURE", "REBUTTAL"],
    )
    assert rules.relation_labels_breach({"REBUTTAL"}, {"CLAIM", "FIGURE"}, "REBUTTAL", "X") == (
        "to",
        ["CLAIM", "FIGURE"],
    )
    # Both ends wrong: the source is reported first. Ids work as well as names.
    assert rules.relation_labels_breach({1}, {2}, 3, 3) == ("from", [1])
    assert rules.label_allowed(frozenset(), 7)
    assert not rules.label_allowed(frozenset({1}), 7)


def test_keys_say_what_makes_two_annotations_the_same():
    assert rules.span_key(1, 4, 9) == rules.span_key(1, 4, 9)
    assert rules.span_key(1, 4, 9) != rules.span_key(1, 4, 8)
    assert rules.relation_key(1, 2, "rebuts") != rules.relation_key(2, 1, "rebuts")
    assert len(rules.SPAN_KEY_FIELDS) == len(rules.span_key(1, 2, 3))
    assert len(rules.RELATION_KEY_FIELDS) == len(rules.relation_key(1, 2, 3))


def test_label_names_are_stripped_short_and_storable():
    assert rules.label_name_normal("  CLAIM \n") == "CLAIM"
    assert rules.label_name_clean("  CLAIM ") == "CLAIM"
    assert rules.label_name_clean("x" * 100) == "x" * 100
    assert rules.label_name_fits("x" * 100)
    assert not rules.label_name_fits("x" * 101)
    assert not rules.label_name_fits("")
    with pytest.raises(InvalidInput) as blank:
        rules.label_name_clean("   ")
    assert (blank.value.message, blank.value.fields) == (
        "name may not be blank",
        {"name": ["may not be blank"]},
    )
    with pytest.raises(InvalidInput) as long:
        rules.label_name_clean("x" * 101, "label")
    assert long.value.fields == {"label": ["at most 100 characters"]}
    with pytest.raises(InvalidInput) as nul:
        rules.label_name_clean("a\x00b")
    assert nul.value.message == "name contains a NUL character"


def test_a_missing_state_is_not_started_at_version_0():
    assert rules.article_state(None) == ("not_started", 0)
    assert rules.article_state(("submitted", 3)) == ("submitted", 3)
