"""The report's token-level kappa tags only the tokens some span touches (the rest are O for
everyone): checked, over random texts and layers, against scikit-learn's kappa of the full
CoNLL tag columns the export writes."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from annotator.agreement.compute import ArticleInfo, Gathered, LayerData, agreement_report
from annotator.exchange.formats.conll import bio_tags, token_count, tokens, tokens_touching
from annotator.exchange.formats.records import SpanRecord

WORDS = ["Prices", "rose", "4.75%", "£1,400", "👩‍👩‍👧", "said", "the", "minister", ".", "\r\n", "not", "true"]
LABELS = ["CLAIM", "FIGURE"]


@st.composite
def articles(draw: st.DrawFn) -> tuple[str, list[list[tuple[int, int, str]]]]:
    text = " ".join(draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=30)))
    span = st.tuples(st.integers(0, len(text) - 1), st.integers(1, 12), st.sampled_from(LABELS)).map(
        lambda t: (t[0], min(len(text), t[0] + t[1]), t[2])
    )
    return text, [draw(st.lists(span, max_size=5, unique=True)) for _ in range(2)]


@settings(max_examples=200, deadline=None)
@given(st.lists(articles(), min_size=1, max_size=4))
def test_token_kappa_equals_sklearn_on_the_full_tag_columns(docs: list) -> None:
    layers: dict[int, dict[int, LayerData]] = {}
    infos: dict[int, ArticleInfo] = {}
    full: tuple[list[str], list[str]] = ([], [])
    for article_id, (text, coded) in enumerate(docs, start=1):
        infos[article_id] = ArticleInfo(str(article_id), "", len(text))
        layers[article_id] = {
            coder: LayerData(spans={i: span for i, span in enumerate(spans)})
            for coder, spans in enumerate(coded)
        }
        toks = tokens(text)
        for coder, spans in enumerate(coded):
            full[coder].extend(bio_tags(toks, [SpanRecord(start=s, end=e, label=lb) for s, e, lb in spans]))
    texts = [(article_id, text) for article_id, (text, _) in enumerate(docs, start=1)]
    data = Gathered(
        match="exact",
        usernames={0: "a", 1: "b"},
        articles=infos,
        layers=layers,
        span_labels=LABELS,
        relation_labels=[],
        document_labels=[],
        texts=lambda: texts,
    )
    pair = agreement_report(data)["pairs"][0]
    if not full[0] or len(set(full[0]) | set(full[1])) == 1:
        assert pair["token_kappa"] is None and pair["reasons"]["token_kappa"]
        return
    expected = cohen_kappa_score(full[0], full[1])
    if math.isnan(expected):
        assert pair["token_kappa"] is None
    else:
        assert pair["token_kappa"] == pytest.approx(expected, abs=1e-9)


@settings(max_examples=300, deadline=None)
@given(articles())
def test_tokens_touching_reads_only_around_the_ranges_and_finds_the_same_tokens(doc: tuple) -> None:
    text, coded = doc
    ranges = [(s, e) for spans in coded for s, e, _ in spans]
    expected = [t for t in tokens(text) if any(s < t[2] and t[1] < e for s, e in ranges)]
    assert tokens_touching(text, ranges) == expected
    assert token_count(text) == len(tokens(text))


def test_the_report_carries_the_unitizing_alpha_overall_and_per_label() -> None:
    # One article of 10 code points. a: CLAIM on [0, 4); b: the same CLAIM and FIGURE on [6, 8).
    # Hand-worked in tests/unit/test_agreement_unitized.py (test_per_label_and_overall_by_hand):
    # CLAIM agrees, D_o = 0, D_e = 496 / 3560; FIGURE: D_o = 8 / 200, D_e = 120 / 3780.
    data = Gathered(
        match="exact",
        usernames={0: "a", 1: "b"},
        articles={1: ArticleInfo("1", "", 10)},
        layers={
            1: {
                0: LayerData(spans={1: (0, 4, "CLAIM")}),
                1: LayerData(spans={2: (0, 4, "CLAIM"), 3: (6, 8, "FIGURE")}),
            }
        },
        span_labels=LABELS,
        relation_labels=[],
        document_labels=[],
        texts=None,
    )
    spans = agreement_report(data)["spans"]
    assert spans["alpha_unitized"] == pytest.approx(1 - (8 / 200) / (496 / 3560 + 120 / 3780))
    assert spans["per_label"]["CLAIM"]["alpha_unitized"] == pytest.approx(1.0)
    assert spans["per_label"]["FIGURE"]["alpha_unitized"] == pytest.approx(1 - (8 / 200) / (120 / 3780))
    assert spans["per_label"]["FIGURE"]["alpha_unitized"] == pytest.approx(-0.26)
