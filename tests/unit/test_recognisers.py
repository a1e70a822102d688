"""The rule-based recognisers: what they propose, and what they must leave alone."""

import pytest

from annotator.preannotation.recognisers import Proposal, recogniser_get, recognisers
from annotator.preannotation.recognisers.string_match import StringMatch


def figures(text: str) -> list[str]:
    recogniser = recogniser_get("figures")
    assert recogniser is not None
    proposals = recogniser.propose(text)
    for p in proposals:
        assert isinstance(p, Proposal) and p.label == "FIGURE" and 0 < p.score <= 1
        assert 0 <= p.start < p.end <= len(text)
    return [text[p.start : p.end] for p in proposals]


def test_the_registry_lists_recognisers_by_name_with_version_and_description() -> None:
    listed = recognisers()
    assert [r.name for r in listed] == sorted(r.name for r in listed)
    figures_recogniser = recogniser_get("figures")
    assert figures_recogniser in listed and recogniser_get("no such") is None
    assert figures_recogniser is not None
    assert figures_recogniser.version and figures_recogniser.description
    assert figures_recogniser.labels == ("FIGURE",)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Rates rose to 4.75% in a year.", ["4.75%"]),
        ("About 10 per cent of homes.", ["10 per cent"]),
        ("Prices fell by two percentage points.", ["two percentage points"]),
        ("Bills rose by £1,400.", ["£1,400"]),
        ("A £14billion plan.", ["£14billion"]),
        ("Worth $3.2bn to the firm.", ["$3.2bn"]),
        ("A €5m fund.", ["€5m"]),
        ("It cost 3 million euros.", ["3 million euros"]),
        ("A bus fare of 50p.", ["50p"]),
        ("55 NHS trusts missed the target.", ["55 NHS trusts"]),
        ("In 53 areas of the 264 studied.", ["53 areas of the 264"]),
        ("The bill passed with a majority of 67.", ["a majority of 67"]),
        ("Seven million people were affected.", ["Seven million people"]),
        ("tens of thousands of nurses went on strike.", ["tens of thousands of nurses"]),
        ("Thousands of families waited.", ["Thousands of families"]),
        ("Costs will double, and a third of councils agree.", ["double", "a third"]),
        ("Two-thirds of staff were twice as likely to leave.", ["Two-thirds", "twice"]),
        ("Officers built 2000 homes and 1,000 flats.", ["2000 homes", "1,000 flats"]),
        ("The limit is 70mph and a bag weighs 2.5kg.", ["70mph", "2.5kg"]),
    ],
)
def test_figures_finds_quantities(text: str, expected: list[str]) -> None:
    assert figures(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The meeting is on 28 December.",
        "It opened on February 6, 2024.",
        "Spending in 2023/24 and in 2019 grew.",
        "The shop opens at 9.30am and closes at 10pm.",
        "In an emergency call 999 or ring 0800 123 4567.",
        "A spokesman for Number 10 and No10 aides spoke to Radio 4.",
        "There were category 1 incidents on the M25 during Covid-19.",
        "A 42-year-old man, aged 42, finished 3rd in a 3-1 defeat.",
        "One of the ministers said one thing.",
    ],
)
def test_figures_leaves_dates_times_phone_numbers_names_and_ages_alone(text: str) -> None:
    assert figures(text) == []


def test_figures_is_in_code_points_after_emoji_and_crlf() -> None:
    text = "Rents 📈 rose\r\n4.75% 👩‍👩‍👧 and £1,400."
    assert figures(text) == ["4.75%", "£1,400"]


def quotes(text: str) -> list[tuple[str, str | None]]:
    recogniser = recogniser_get("quotes")
    assert recogniser is not None
    found = []
    for p in recogniser.propose(text):
        assert p.label == "CLAIM" and 0 < p.score <= 1
        found.append((text[p.start : p.end], p.attributes.get("speaker")))
    return found


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '"Inflation will fall by spring," the chancellor said.',
            [("Inflation will fall by spring", "the chancellor")],
        ),
        ('"We will not back down," said Dr Amir Khan.', [("We will not back down", "Dr Amir Khan")]),
        (
            'Jane Smith, the council leader, said: "We cannot afford this."',
            [("We cannot afford this", "Jane Smith")],
        ),
        ('The minister told MPs: "Prices have peaked."', [("Prices have peaked", "The minister")]),
        (
            "“We did nothing wrong,” a spokesman for the council said.",
            [("We did nothing wrong", "a spokesman for the council")],
        ),
        # Unattributed but long enough to be an assertion: proposed, with no speaker.
        (
            '"This is the worst crisis our town has seen in a generation."',
            [("This is the worst crisis our town has seen in a generation", None)],
        ),
    ],
)
def test_quotes_finds_quoted_claims_and_their_speakers(
    text: str, expected: list[tuple[str, str | None]]
) -> None:
    assert quotes(text) == expected


@pytest.mark.parametrize(
    "text",
    ['The so-called "reforms" were dropped.', 'He called it "a disgrace".', 'She said: "No."'],
)
def test_quotes_leaves_scare_quotes_and_titles_alone(text: str) -> None:
    assert quotes(text) == []


def test_quoted_spans_are_in_code_points_after_emoji() -> None:
    text = 'Rents 📈: "Rents 👩‍👩‍👧 will fall," the minister said.'
    assert quotes(text) == [("Rents 👩‍👩‍👧 will fall", "the minister")]


def rebuttals(text: str) -> list[tuple[str, str]]:
    """(the rebuttal, the claim its REBUTS link points at)."""
    recogniser = recogniser_get("rebuttals")
    assert recogniser is not None
    found = []
    for p in recogniser.propose(text):
        assert p.label == "REBUTTAL" and 0 < p.score <= 1
        (link,) = p.links
        assert link.label == "REBUTS"
        found.append((text[p.start : p.end], text[link.start : link.end]))
    return found


def test_a_rebuttal_is_linked_to_the_nearest_earlier_claim() -> None:
    text = (
        '"Rents will fall next year," the minister said. "Wages are rising," the chancellor added. '
        "But tenants' groups rejected claims that wages were rising, citing new figures."
    )
    assert rebuttals(text) == [
        ("tenants' groups rejected claims that wages were rising, citing new figures", "Wages are rising")
    ]


def test_a_denial_without_a_connective_is_a_rebuttal_too() -> None:
    text = '"The cuts are not to blame," the council said. The union disputed that, pointing to 40 closures.'
    assert rebuttals(text) == [
        ("The union disputed that, pointing to 40 closures", "The cuts are not to blame")
    ]


@pytest.mark.parametrize(
    "text",
    [
        "But the weather turned, and the match was called off.",  # nothing said before it
        '"We will build the bridge," the mayor said. Work starts in May.',  # no answer
    ],
)
def test_no_rebuttal_without_an_earlier_claim_and_an_answer(text: str) -> None:
    assert rebuttals(text) == []


# --- string match -----------------------------------------------------------------------


def test_string_match_proposes_recurrences_ignoring_case_and_whitespace() -> None:
    matcher = StringMatch.from_examples(
        [("55 NHS trusts", "FIGURE"), ("the Treasury", "CLAIM"), ("the treasury", "CLAIM")]
    )
    text = "Officials at The  Treasury said 55 nhs\ntrusts, not 550 NHS trusts, were short."
    found = [(text[p.start : p.end], p.label, p.score) for p in matcher.propose(text)]
    assert found == [("The  Treasury", "CLAIM", 1.0), ("55 nhs\ntrusts", "FIGURE", 1.0)]


def test_string_match_takes_the_label_used_most_and_scores_its_share() -> None:
    matcher = StringMatch.from_examples(
        [("a third", "FIGURE"), ("a third", "FIGURE"), ("A Third", "CLAIM"), ("tie", "B"), ("tie", "A")]
    )
    proposals = matcher.propose("About a third agreed; a tie.")
    assert [(p.label, round(p.score, 2)) for p in proposals] == [("FIGURE", 0.67), ("A", 0.5)]


def test_string_match_prefers_the_longest_string_and_never_matches_inside_words() -> None:
    matcher = StringMatch.from_examples([("per cent", "FIGURE"), ("10 per cent", "FIGURE"), ("cent", "X")])
    text = "Up 10 per cent, a percentage of a cent 👍 per cent."
    spans = [text[p.start : p.end] for p in matcher.propose(text)]
    assert spans == ["10 per cent", "cent", "per cent"]


def test_string_match_ignores_lone_marks_and_letters_and_without_entries_proposes_nothing() -> None:
    matcher = StringMatch.from_examples([(",", "X"), ("a", "X"), ("  ", "X")])
    assert matcher.entries == {} and matcher.propose("a, b, c") == []
    registered = recogniser_get("string_match")
    assert registered is not None and registered.propose("anything at all") == []
