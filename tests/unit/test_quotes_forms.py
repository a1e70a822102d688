"""Quotations as news prints them (issue 18): curly single marks, straight and curly mixed,
quotations running on over paragraphs, and reported speech without marks (a low score)."""

import pytest

from annotator.preannotation.recognisers.quotes import REPORTED_SCORE, Quotes


def quotes(text: str) -> list[tuple[str, str | None, float]]:
    return [(text[p.start : p.end], p.attributes.get("speaker"), p.score) for p in Quotes().propose(text)]


@pytest.mark.parametrize(
    ("text", "claim", "speaker"),
    [
        (
            "\u2018We won\u2019t close the depot,\u2019 the manager said.",
            "We won\u2019t close the depot",
            "the manager",
        ),
        ('\u201cThe books are balanced," Jo Reyes said.', "The books are balanced", "Jo Reyes"),
        ('"Fares must fall,\u201d said Ola Brandt.', "Fares must fall", "Ola Brandt"),
        (
            "Ken Ito told reporters: \u2018Nobody will lose their job.\u2019",
            "Nobody will lose their job",
            "Ken Ito",
        ),
    ],
)
def test_curly_single_and_mixed_marks(text: str, claim: str, speaker: str) -> None:
    assert quotes(text) == [(claim, speaker, 0.85)]


def test_a_single_mark_in_a_word_is_an_apostrophe_not_a_quotation() -> None:
    assert (
        quotes("The workers\u2019 union met at Sam\u2019s house and talked for hours about nothing much.")
        == []
    )


def test_a_quotation_running_on_over_paragraphs_is_a_claim_per_paragraph_with_one_speaker() -> None:
    text = (
        "The report was blunt.\n\n"
        "\u201cThe service has been cut to the bone and the public can see it\n\n"
        "\u201cWe need investment now, not next year,\u201d said Mira Patel, the union's regional secretary.\n"
    )
    assert quotes(text) == [
        ("The service has been cut to the bone and the public can see it", "Mira Patel", 0.85),
        ("We need investment now, not next year", "Mira Patel", 0.85),
    ]


@pytest.mark.parametrize(
    ("text", "claim", "speaker"),
    [
        (
            "The chief executive insisted that the merger would save money within a year.",
            "the merger would save money within a year",
            "The chief executive",
        ),
        (
            "Ruth Adeyemi argued that rents had outpaced wages for a decade.",
            "rents had outpaced wages for a decade",
            "Ruth Adeyemi",
        ),
    ],
)
def test_reported_speech_without_marks_is_a_low_scored_claim(text: str, claim: str, speaker: str) -> None:
    assert quotes(text) == [(claim, speaker, REPORTED_SCORE)]
    assert REPORTED_SCORE < 0.5


def test_reported_speech_that_quotes_is_proposed_once_as_the_quotation() -> None:
    text = 'Lee Moss said that "the plan will fail within months".'
    assert [(c, s) for c, s, _ in quotes(text)] == [("the plan will fail within months", "Lee Moss")]


def test_a_reported_clause_runs_to_the_end_of_its_sentence_past_decimals() -> None:
    text = "Lena Holt warned that fares would rise to £4.75 a day. Others disagreed."
    assert quotes(text) == [("fares would rise to £4.75 a day", "Lena Holt", REPORTED_SCORE)]


def test_claims_as_a_noun_is_not_reported_speech() -> None:
    assert quotes("The union rejected claims that the offer was generous and fair.") == []
