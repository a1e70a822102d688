"""The cross-article matcher (claim_links): similarity, the rebuttal rules, and its invariants."""

from hypothesis import given, settings
from hypothesis import strategies as st

from annotator.preannotation.recognisers.crosslinks import (
    REBUTS,
    SAME_CLAIM,
    Item,
    claim_links,
    normalise,
    quoted_run,
    rebuttal_links,
    same_claims,
    surname,
)


def test_normalise_folds_case_quotes_and_punctuation() -> None:
    assert normalise("\u201cFerry FARES will rise,\u201d she said.") == "ferry fares will rise she said"


def test_surname_drops_honorifics_and_suffixes() -> None:
    assert surname("Dr Samuel Okoye") == "okoye"
    assert surname("Grant Holloway Jr.") == "holloway"
    assert surname("the minister") == ""
    assert surname("a spokesman for the Council") == "council"
    assert surname("") == ""


def test_quoted_run_counts_consecutive_words() -> None:
    assert quoted_run("Nobody believes that fares will rise by 12% next year", "fares will rise by 12%") == 5
    assert quoted_run("rise will fares", "fares will rise") == 1


def test_near_duplicates_of_different_articles_are_the_same_claim_once() -> None:
    claims = [
        Item(1, 10, "ferry fares will rise by 12% next spring", "Helena Varga"),
        Item(2, 11, "Ferry fares will have to rise by 12% next spring", "Helena Varga"),
        Item(3, 10, "ferry fares will rise by 12% next spring"),  # same article as 1
        Item(4, 12, "the surgical wing at Eastbrook will stay open"),
    ]
    pairs = same_claims(claims)
    keys = {(p.source, p.target) for p in pairs}
    assert keys == {(1, 2), (2, 3)}
    assert all(p.label == SAME_CLAIM and 0.5 <= p.score <= 1 and "similarity" in p.reason for p in pairs)


def test_a_different_claim_on_the_same_topic_is_not_the_same_claim() -> None:
    claims = [
        Item(1, 1, "fish numbers in the Lenn have fallen by half in ten years"),
        Item(2, 2, "otter numbers on the Lenn have doubled in ten years"),
    ]
    assert same_claims(claims) == []


def test_a_rebuttal_naming_the_speaker_rebuts_the_claim_of_another_article() -> None:
    claim = Item(1, 1, "the Eastbrook maternity unit will close in March", "Dr Samuel Okoye")
    rebuttal = Item(
        2, 2, "Okoye says the unit will close in March, but there was no consultation", "Mary Fennell"
    )
    (pair,) = rebuttal_links([rebuttal], [claim])
    assert (pair.source, pair.target, pair.label) == (2, 1, REBUTS)
    assert "okoye" in pair.reason and 0.5 <= pair.score <= 1


def test_a_rebuttal_quoting_the_claim_rebuts_it_without_naming_anyone() -> None:
    claim = Item(1, 1, "run-off from farms is the main source of nitrates in the river", "Ian Holt")
    rebuttal = Item(
        2, 2, "It is not true that run-off from farms is the main source of nitrates", "Bryn Morgan"
    )
    (pair,) = rebuttal_links([rebuttal], [claim])
    assert pair.target == 1 and "quotes" in pair.reason and pair.score >= 0.6


def test_no_rebuttal_link_without_a_name_or_a_quote_nor_within_one_article() -> None:
    claim = Item(1, 1, "the scheme will cost 14 million a year", "Grant Holloway")
    vague = Item(2, 2, "the true cost of the lunch scheme is nearer 30 million a year", "Felix Amadi")
    same_article = Item(3, 1, "Holloway says the scheme will cost 14 million a year: wrong", "Felix Amadi")
    assert rebuttal_links([vague, same_article], [claim]) == []


def test_a_speaker_naming_themselves_is_not_a_rebuttal_of_their_claim() -> None:
    claim = Item(1, 1, "the plant employs four hundred people", "Priya Nandakumar")
    own = Item(2, 2, "as Nandakumar I repeat the plant employs people", "Priya Nandakumar")
    assert rebuttal_links([own], [claim]) == []


_WORDS = st.sampled_from(
    ["fares", "ferry", "rise", "spring", "unit", "close", "march", "river", "fish", "lunch", "pupil", "cost"]
)
_ITEMS = st.lists(
    st.tuples(st.integers(0, 3), st.lists(_WORDS, min_size=3, max_size=8)), min_size=0, max_size=12
)


@settings(max_examples=60, deadline=None)
@given(claims=_ITEMS, rebuttals=_ITEMS)
def test_no_link_to_itself_or_its_own_article_and_symmetric_pairs_once(claims, rebuttals) -> None:
    claim_items = [Item(n, a, " ".join(w), "Ann Fares") for n, (a, w) in enumerate(claims)]
    rebuttal_items = [Item(100 + n, a, " ".join(w), "Bo River") for n, (a, w) in enumerate(rebuttals)]
    article = {i.id: i.article for i in claim_items + rebuttal_items}
    pairs = claim_links(claim_items, rebuttal_items)
    for p in pairs:
        assert p.source != p.target
        assert article[p.source] != article[p.target]
        assert 0 <= p.score <= 1
        if p.label == SAME_CLAIM:
            assert p.source < p.target and p.source < 100 and p.target < 100
        else:
            assert p.source >= 100 and p.target < 100
    keys = [(p.label, *sorted((p.source, p.target))) for p in pairs]
    assert len(keys) == len(set(keys))
    # Identical texts in different articles are always the same claim.
    for a in claim_items:
        for b in claim_items:
            if a.id < b.id and a.article != b.article and normalise(a.text) == normalise(b.text):
                assert (SAME_CLAIM, a.id, b.id) in keys
