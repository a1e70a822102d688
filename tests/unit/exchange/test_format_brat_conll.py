"""The brat and CoNLL formats at their edges: round trips, CRLF, malformed lines, BIO tags. No database."""

import pytest

from annotator.exchange.formats import brat, conll
from annotator.exchange.formats.records import (
    ANNOTATOR,
    GOLD,
    ArticleRecord,
    LayerRecord,
    RecordError,
    RelationRecord,
    SpanRecord,
)
from tests.unit.exchange.format_helpers import FAMILY, at, quads

# --- brat -------------------------------------------------------------------------------


BRAT_TEXT = (
    "The council \U0001f3db\ufe0f said rents rose 4.75%\r\n"
    "to £1,400 a month.\r\n"
    "Tenants' groups said the figure was wrong."
)


def test_brat_round_trip_with_notes_relations_and_crlf():
    across = at(BRAT_TEXT, "4.75%\r\nto £1,400")
    record = ArticleRecord(
        text=BRAT_TEXT,
        external_id="2024/03/rents",
        layers=[
            LayerRecord(
                layer=GOLD,
                spans=[
                    SpanRecord(*at(BRAT_TEXT, "The council"), "SOURCE", key="a"),
                    SpanRecord(*across, "FIGURE", key="b", attributes={"note": "spans a line break"}),
                    SpanRecord(*at(BRAT_TEXT, "Tenants' groups"), "SOURCE", key="c"),
                    SpanRecord(
                        *at(BRAT_TEXT, "the figure was wrong"),
                        "CLAIM",
                        key="d",
                        attributes={"note": "two\nlines"},
                    ),
                ],
                relations=[RelationRecord("a", "b", "STATES"), RelationRecord("d", "b", "DISPUTES")],
            )
        ],
    )
    txt, ann = brat.to_files(record, record.layers[0])
    assert txt == BRAT_TEXT
    assert ann.splitlines() == [
        "T1\tSOURCE 0 11\tThe council",
        f"T2\tFIGURE {across[0]} {across[1]}\t4.75%  to £1,400",  # CRLF as two spaces, line intact
        f"T3\tSOURCE {at(BRAT_TEXT, 'Tenants')[0]} {at(BRAT_TEXT, 'groups')[1]}\tTenants' groups",
        f"T4\tCLAIM {at(BRAT_TEXT, 'the figure')[0]} {len(BRAT_TEXT) - 1}\tthe figure was wrong",
        "R1\tSTATES Arg1:T1 Arg2:T2",
        "R2\tDISPUTES Arg1:T4 Arg2:T2",
        "#1\tAnnotatorNotes T2\tspans a line break",
        "#2\tAnnotatorNotes T4\ttwo",
        "#3\tAnnotatorNotes T4\tlines",
    ]
    assert ann.endswith("\n")

    back = brat.from_pair("2024/03/rents", txt, ann)
    assert back.external_id == "2024/03/rents"
    assert back.text == BRAT_TEXT
    (layer,) = back.layers
    assert layer.layer == GOLD
    assert quads(back, layer) == quads(record, record.layers[0])
    figure = layer.spans[1]
    assert figure.text == "4.75%\r\nto £1,400"  # the real text, not the flattened column
    assert figure.attributes == {"note": "spans a line break"}
    assert layer.spans[3].attributes == {"note": "two\nlines"}
    assert layer.spans[0].attributes == {}
    assert [(r.source, r.target, r.label) for r in layer.relations] == [
        ("T1", "T2", "STATES"),
        ("T4", "T2", "DISPUTES"),
    ]


def test_brat_reads_crlf_ann_and_skips_other_annotations():
    text = "Ministers cut fuel duty by 5p."
    ann = (
        "\ufeffT1\tSOURCE 0 9\tMinisters\r\n"
        "\r\n"
        "E1\tCut:T2 Agent:T1\r\n"
        "T2\tFIGURE 27 29\t5p\r\n"
        "A1\tConfidence T2 High\r\n"
        "N1\tReference T1 Wikipedia:534366\tMinisters\r\n"
        "*\tEquiv T1 T2\r\n"
        "R1\tCUTS Arg2:T2 Arg1:T1\r\n"
        "#1\tAnnotatorNotes R1\ton a relation: nowhere to keep it\r\n"
        "T3\tCLAIM 0 30\n"  # no text column: nothing to compare
    )
    record = brat.from_pair("fuel", text, ann)
    (layer,) = record.layers
    assert [(s.key, s.start, s.end, s.label, s.text) for s in layer.spans] == [
        ("T1", 0, 9, "SOURCE", "Ministers"),
        ("T2", 27, 29, "FIGURE", "5p"),
        ("T3", 0, 30, "CLAIM", None),
    ]
    assert [(r.source, r.target, r.label) for r in layer.relations] == [("T1", "T2", "CUTS")]


@pytest.mark.parametrize(
    ("ann", "field", "message"),
    [
        ("T1\tSOURCE 0 9\tMinisters\nT2\tFIGURE 27 29;30 31\t5p x\n", "ann line 2", "discontinuous"),
        ("T1\tSOURCE 0 nine\tMinisters\n", "ann line 1", "expected <label> <start> <end>"),
        ("T1\tSOURCE\tMinisters\n", "ann line 1", "T<n><TAB><label> <start> <end>"),
        ("\n\nT1\tSOURCE 0 9\tMonsters\n", "ann line 3", "'Monsters' but the .txt has 'Ministers'"),
        (
            "T1\tSOURCE 0 9\tMinisters\nR1\tCUTS Arg1:T1\n",
            "ann line 2",
            "R<n><TAB><label> Arg1:T<a> Arg2:T<b>",
        ),
        ("T1\tSOURCE 0 9\tMinisters\nR1\tCUTS Arg1:T1 Arg2:T7\n", "ann line 2", "T7 is not a text-bound"),
        ("T1\tSOURCE 0 9\tMinisters\nT1\tSOURCE 0 9\tMinisters\n", "ann line 2", "defined twice"),
        ("#1\tAnnotatorNotes T4\tcheck\n", "ann line 1", "note on T4"),
        ("Ministers cut fuel duty\n", "ann line 1", "not a brat annotation line"),
        ("T1\tSOURCE 0 9\tMinisters\nAB1\tx\n", "ann line 2", "not a brat annotation line"),
    ],
)
def test_brat_malformed_lines(ann, field, message):
    with pytest.raises(RecordError) as info:
        brat.from_pair("fuel", "Ministers cut fuel duty by 5p.", ann)
    assert info.value.field == field
    assert message in info.value.message


def test_brat_leaves_out_of_range_offsets_to_the_importer():
    record = brat.from_pair("fuel", "Short.", "T1\tCLAIM 2 40\tShort and more\n")
    span = record.layers[0].spans[0]
    assert (span.start, span.end, span.text) == (2, 40, None)


# --- CoNLL ------------------------------------------------------------------------------


CONLL_TEXT = "Rents rose 4.75% to £1,400 \U0001f4c8 in March.\r\nThe council disputed it."


def test_conll_two_layers_exact_lines():
    record = ArticleRecord(
        text=CONLL_TEXT,
        external_id="ons-2024-03",
        layers=[
            LayerRecord(
                layer=GOLD,
                spans=[
                    SpanRecord(11, 16, "FIGURE"),  # 4.75%
                    SpanRecord(20, 26, "MONEY"),  # £1,400
                    SpanRecord(27, 28, "TREND"),  # the emoji
                ],
            ),
            LayerRecord(
                layer=ANNOTATOR,
                annotator="alice",
                spans=[
                    SpanRecord(17, 38, "CLAIM"),  # to £1,400 📈 in March.: loses to the FIGURE first
                    SpanRecord(11, 26, "FIGURE"),  # 4.75% to £1,400
                    SpanRecord(20, 26, "MONEY"),  # inside FIGURE: dropped
                    SpanRecord(44, 51, "SOURCE"),  # council
                ],
            ),
        ],
    )
    gold, alice = record.layers
    assert conll.header([gold.name, alice.name]) == "# columns = token start end gold annotator:alice\n"
    assert conll.dumps(record, [gold, alice]).split("\n") == [
        "-DOCSTART- ons-2024-03",
        "",
        "Rents\t0\t5\tO\tO",
        "rose\t6\t10\tO\tO",
        "4.75\t11\t15\tB-FIGURE\tB-FIGURE",
        "%\t15\t16\tI-FIGURE\tI-FIGURE",
        "to\t17\t19\tO\tI-FIGURE",
        "£\t20\t21\tB-MONEY\tI-FIGURE",
        "1,400\t21\t26\tI-MONEY\tI-FIGURE",
        "\U0001f4c8\t27\t28\tB-TREND\tB-CLAIM",
        "in\t29\t31\tO\tI-CLAIM",
        "March\t32\t37\tO\tI-CLAIM",
        ".\t37\t38\tO\tI-CLAIM",
        "",
        "The\t40\t43\tO\tO",
        "council\t44\t51\tO\tB-SOURCE",
        "disputed\t52\t60\tO\tO",
        "it\t61\t63\tO\tO",
        ".\t63\t64\tO\tO",
        "",
        "",
    ]


def test_conll_tokens_and_sentences():
    text = f'{FAMILY} said the cafe\u0301 charged £3.50. "Too much!" cried\tone. Next\ufeff \U0001f1ec\U0001f1e7 flag.'
    assert [[t for t, _, _ in s] for s in conll.sentences(text)] == [
        [FAMILY, "said", "the", "cafe\u0301", "charged", "£", "3.50", "."],
        ['"', "Too", "much", "!", '"'],
        ["cried", "one", "."],
        ["Next", "\U0001f1ec\U0001f1e7", "flag", "."],
    ]
    for token, start, end in conll.tokens(text):
        assert text[start:end] == token


def test_conll_span_starting_inside_a_token_tags_it_b():
    record = ArticleRecord(text="Turnout was 61.2% overall.")
    layer = LayerRecord(layer=GOLD, spans=[SpanRecord(15, 17, "PART OF FIGURE"), SpanRecord(4, 4, "EMPTY")])
    lines = conll.dumps(record, [layer]).splitlines()
    assert lines == [
        "-DOCSTART-",
        "",
        "Turnout\t0\t7\tO",
        "was\t8\t11\tO",
        "61.2\t12\t16\tB-PART_OF_FIGURE",
        "%\t16\t17\tI-PART_OF_FIGURE",
        "overall\t18\t25\tO",
        ".\t25\t26\tO",
        "",
    ]
