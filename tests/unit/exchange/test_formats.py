"""The file formats at their edges: offsets, doccano, Label Studio, brat and CoNLL. No database."""

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.exchange.formats import brat, conll, doccano, labelstudio
from annotator.exchange.formats.offsets import Utf16Offsets
from annotator.exchange.formats.records import (
    ANNOTATOR,
    GOLD,
    SUGGESTIONS,
    ArticleRecord,
    LayerRecord,
    RecordError,
    RelationRecord,
    SpanRecord,
)

FAMILY = "\U0001f469\u200d\U0001f469\u200d\U0001f467"  # 👩‍👩‍👧: 5 code points, 8 UTF-16 units
# Emoji (astral, ZWJ family), a combining mark, CRLF, a tab and a double space.
TEXT = (
    f"The minister {FAMILY} said inflation was 4.75%.\r\n"
    "But critics \U0001f644 said the cafe\u0301 tax cost £1,400\tper  household.\r\n"
    "55 NHS trusts disagreed."
)


def at(text: str, fragment: str, nth: int = 0) -> tuple[int, int]:
    """The code-point range of the nth occurrence of ``fragment``."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(fragment, start + 1)
    return start, start + len(fragment)


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def quads(record: ArticleRecord, layer: LayerRecord) -> list[tuple[int, int, str, str]]:
    return sorted((s.start, s.end, s.label, record.text[s.start : s.end]) for s in layer.spans)


def tricky_record() -> ArticleRecord:
    """TEXT with overlapping spans, one across a CRLF and one on an emoji, plus a relation."""
    spans = [
        SpanRecord(*at(TEXT, "The minister"), "SOURCE", key=1),
        SpanRecord(*at(TEXT, f"{FAMILY} said inflation was 4.75%"), "CLAIM", key=2),
        SpanRecord(*at(TEXT, "4.75%"), "FIGURE", key=3),
        SpanRecord(*at(TEXT, "4.75%.\r\nBut critics"), "CLAIM", key=4),
        SpanRecord(*at(TEXT, "\U0001f644"), "TONE", key=5),
        SpanRecord(*at(TEXT, "£1,400"), "FIGURE", key=6),
        SpanRecord(*at(TEXT, "cafe\u0301"), "ITEM", key=7),
    ]
    return ArticleRecord(
        text=TEXT,
        external_id="bulletin-0412",
        title="Inflation row",
        meta={"desk": "economy"},
        article_id=41,
        layers=[LayerRecord(layer=GOLD, spans=spans, relations=[RelationRecord(1, 2, "SAYS")])],
    )


# --- offsets ----------------------------------------------------------------------------


def test_utf16_offsets_without_astral_characters_are_the_identity():
    text = "The cafe\u0301 cost £1,400.\r\nNobody paid."
    conv = Utf16Offsets(text)
    assert conv.utf16_length == len(text) == utf16_len(text)
    for i in range(len(text) + 1):
        assert conv.to_utf16(i) == i
        assert conv.to_codepoint(i) == i


def test_utf16_offsets_count_an_astral_emoji_twice():
    conv = Utf16Offsets("a\U0001f600b")
    assert [conv.to_utf16(i) for i in range(4)] == [0, 1, 3, 4]
    assert [conv.to_codepoint(u) for u in (0, 1, 3, 4)] == [0, 1, 2, 3]
    with pytest.raises(ValueError, match="surrogate pair"):
        conv.to_codepoint(2)


def test_utf16_offsets_of_a_zwj_sequence():
    text = f"{FAMILY} said 4.75%"
    conv = Utf16Offsets(text)
    # Three astral people and two one-unit joiners.
    assert len(FAMILY) == 5
    assert conv.to_utf16(len(FAMILY)) == 8
    assert conv.to_codepoint(8) == 5
    assert conv.to_codepoint(3) == 2  # after the first person and the joiner
    for inside in (1, 4, 7):
        with pytest.raises(ValueError, match="inside a surrogate pair"):
            conv.to_codepoint(inside)


def test_utf16_offsets_accept_the_end_and_refuse_beyond():
    text = "Rates \U0001f4c8\r\n"
    conv = Utf16Offsets(text)
    assert conv.to_utf16(len(text)) == utf16_len(text) == len(text) + 1
    assert conv.to_codepoint(utf16_len(text)) == len(text)
    with pytest.raises(ValueError, match="outside the text"):
        conv.to_codepoint(utf16_len(text) + 1)
    with pytest.raises(ValueError, match="outside the text"):
        conv.to_utf16(len(text) + 1)
    with pytest.raises(ValueError, match="outside the text"):
        conv.to_codepoint(-1)


def test_utf16_offsets_on_the_tricky_text():
    conv = Utf16Offsets(TEXT)
    start, end = at(TEXT, "£1,400")
    encoded = TEXT.encode("utf-16-le")
    u16_start, u16_end = conv.to_utf16(start), conv.to_utf16(end)
    assert (u16_start, u16_end) == (start + 4, end + 4)  # three family members and one eye-roll
    assert encoded[2 * u16_start : 2 * u16_end].decode("utf-16-le") == "£1,400"


@given(
    st.lists(st.sampled_from(["a", " ", "\r\n", "\u0301", "\u200d", "é", "£", "\U0001f600", FAMILY])).map(
        "".join
    )
)
def test_utf16_offsets_agree_with_python_encoding(text):
    conv = Utf16Offsets(text)
    for i in range(len(text) + 1):
        u16 = utf16_len(text[:i])
        assert conv.to_utf16(i) == u16
        assert conv.to_codepoint(u16) == i


# --- doccano ----------------------------------------------------------------------------


def test_doccano_sequence_form():
    text = "Ministers promised 300 new trains by 2027."
    record = doccano.from_json(
        {
            "id": 912,
            "text": text,
            "label": [[0, 9, "SOURCE"], [19, 41, "CLAIM"]],
            "Comments": [],
            "meta": {"batch": "march"},
        }
    )
    assert record.external_id == "912"
    assert record.meta == {"Comments": [], "batch": "march"}
    (layer,) = record.layers
    assert layer.layer == GOLD
    assert [(s.key, s.start, s.end, s.label) for s in layer.spans] == [
        (0, 0, 9, "SOURCE"),
        (1, 19, 41, "CLAIM"),
    ]
    assert text[19:41] == "300 new trains by 2027"


def test_doccano_relation_form_converts_utf16_offsets():
    text = f"{FAMILY} said 4.75% was too high"
    # In doccano's (JavaScript) counting the family is 8 units, so "4.75" sits at 14..18.
    record = doccano.from_json(
        {
            "text": text,
            "entities": [
                {"id": 31, "label": "SOURCE", "start_offset": 0, "end_offset": 8},
                {"id": 32, "label": "FIGURE", "start_offset": 14, "end_offset": 18},
            ],
            "relations": [{"id": 5, "from_id": 31, "to_id": 32, "type": "STATES"}],
        }
    )
    assert record.external_id == ""
    (layer,) = record.layers
    source, figure = layer.spans
    assert text[source.start : source.end] == FAMILY
    assert (figure.start, figure.end) == (11, 15)
    assert text[figure.start : figure.end] == "4.75"
    (rel,) = layer.relations
    assert (rel.source, rel.target, rel.label, rel.key) == (31, 32, "STATES", 5)


def test_doccano_leaves_range_checks_to_the_importer():
    record = doccano.from_json({"text": "Prices fell.", "label": [[6, 2, "CLAIM"]]})
    assert (record.layers[0].spans[0].start, record.layers[0].spans[0].end) == (6, 2)


@pytest.mark.parametrize(
    ("obj", "field", "message"),
    [
        ([1, 2], "", "JSON object"),
        ({"label": []}, "text", "must be a string"),
        ({"text": "abc", "label": [[0, 1, "A"], [1, 2, "B"], [0, 1]]}, "label[2]", "[start, end, label]"),
        ({"text": "abc", "label": [[0, "1", "A"]]}, "label[0][1]", "must be an integer"),
        ({"text": "abc", "label": [[0, 1, 7]]}, "label[0][2]", "must be a string"),
        ({"text": "abc", "label": [[0, 9, "A"]]}, "label[0][1]", "outside the text"),
        (
            {"text": "abc", "entities": [{"id": 1, "label": "A", "start_offset": 0.5, "end_offset": 2}]},
            "entities[0].start_offset",
            "must be an integer, not a number",
        ),
        (
            {
                "text": "a\U0001f600b",
                "entities": [{"id": 1, "label": "A", "start_offset": 0, "end_offset": 2}],
            },
            "entities[0].end_offset",
            "surrogate pair",
        ),
        (
            {
                "text": "abc",
                "entities": [
                    {"id": 1, "label": "A", "start_offset": 0, "end_offset": 1},
                    {"id": 1, "label": "B", "start_offset": 1, "end_offset": 2},
                ],
            },
            "entities[1].id",
            "repeats",
        ),
        (
            {
                "text": "abc",
                "entities": [{"id": 1, "label": "A", "start_offset": 0, "end_offset": 1}],
                "relations": [
                    {"id": 1, "from_id": 1, "to_id": 1, "type": "R"},
                    {"id": 2, "from_id": 9, "to_id": 1, "type": "R"},
                ],
            },
            "relations[1].from_id",
            "no entity with id 9",
        ),
        ({"text": "abc", "label": [], "meta": "x"}, "meta", "must be an object"),
        ({"text": "abc", "id": {"n": 1}}, "id", "string or an integer"),
    ],
)
def test_doccano_errors_name_the_field(obj, field, message):
    with pytest.raises(RecordError) as info:
        doccano.from_json(obj)
    assert info.value.field == field
    assert message in info.value.message


def test_doccano_round_trip_keeps_every_span():
    record = tricky_record()
    gold = record.layers[0]
    line = doccano.dumps(record, gold)
    assert line.endswith("\n")
    assert line.count("\n") == 1  # the CRLFs are escaped inside the JSON string
    assert FAMILY in line  # ensure_ascii=False
    obj = json.loads(line)

    # The file counts UTF-16 units: "£1,400" comes after four astral characters.
    figure = next(e for e in obj["entities"] if e["id"] == 6)
    assert (figure["start_offset"], figure["end_offset"]) == tuple(p + 4 for p in at(TEXT, "£1,400"))
    assert obj["id"] == "bulletin-0412"
    assert obj["meta"]["desk"] == "economy"
    assert obj["meta"]["article_id"] == 41
    assert obj["relations"] == [{"id": 1, "from_id": 1, "to_id": 2, "type": "SAYS"}]

    back = doccano.from_json(obj)
    assert back.text == TEXT
    assert back.external_id == "bulletin-0412"
    assert back.meta == {"desk": "economy"}  # the export's own facts do not pile up in meta
    assert back.text_sha256 == obj["meta"]["text_sha256"]
    assert quads(back, back.layers[0]) == quads(record, gold)
    assert [(r.source, r.target, r.label) for r in back.layers[0].relations] == [(1, 2, "SAYS")]


def test_doccano_export_gives_unkeyed_spans_free_ids():
    record = ArticleRecord(text="Unemployment fell to 4%.")
    layer = LayerRecord(
        layer=GOLD,
        spans=[SpanRecord(0, 12, "TOPIC"), SpanRecord(21, 23, "FIGURE", key=0)],
    )
    ids = [e["id"] for e in doccano.to_json(record, layer)["entities"]]
    assert ids == [1, 0]


# --- Label Studio -----------------------------------------------------------------------


LS_TEXT = f"Council leader {FAMILY} said rents rose 4.75% to £1,400.\r\nTenants disagreed."


def ls_region(rid, fragment, *labels, score=None):
    start, end = at(LS_TEXT, fragment)
    item = {
        "id": rid,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "text": fragment, "labels": list(labels)},
    }
    if score is not None:
        item["score"] = score
    return item


def test_labelstudio_task_in():
    task = {
        "id": 77,
        "data": {"text": LS_TEXT, "title": "Rent rise", "external_id": "wire-88", "section": "housing"},
        "annotations": [
            {
                "completed_by": "alice",
                "result": [
                    ls_region("a1", "Council leader", "SOURCE"),
                    ls_region("a2", "rents rose 4.75%", "CLAIM", "FIGURE"),
                    {
                        "from_id": "a1",
                        "to_id": "a2",
                        "type": "relation",
                        "direction": "right",
                        "labels": ["SAYS"],
                    },
                    {"from_id": "a2", "to_id": "a1", "type": "relation", "direction": "left", "labels": []},
                    {
                        "from_name": "sentiment",
                        "to_name": "text",
                        "type": "choices",
                        "value": {"choices": ["Negative"]},
                    },
                    {
                        "from_name": "notes",
                        "to_name": "text",
                        "type": "textarea",
                        "value": {"text": ["check"]},
                    },
                ],
            },
            {"completed_by": 3, "result": [ls_region("g1", "£1,400", "FIGURE")]},
            {"completed_by": "bob", "ground_truth": True, "result": [ls_region("g1", "Tenants", "SOURCE")]},
            {"completed_by": "carol", "was_cancelled": True, "result": []},
        ],
        "predictions": [
            {
                "model_version": "claimspotter@2.1",
                "score": 0.5,
                "result": [
                    ls_region("p1", "rents rose 4.75%", "CLAIM", score=0.9),
                    ls_region("p2", "4.75%", "FIGURE"),
                ],
            },
            {"model_version": "regex", "result": [ls_region("p1", "£1,400", "FIGURE", score=0.99)]},
        ],
    }
    record = labelstudio.from_json(task)
    assert record.external_id == "wire-88"
    assert record.title == "Rent rise"
    assert record.meta == {"section": "housing"}
    assert [(lr.layer, lr.annotator) for lr in record.layers] == [
        (ANNOTATOR, "alice"),
        (GOLD, None),
        (GOLD, None),
        (SUGGESTIONS, None),
    ]

    alice = record.layers[0]
    assert [(s.key, s.label, s.text) for s in alice.spans] == [
        ("a1", "SOURCE", "Council leader"),
        ("a2", "CLAIM", "rents rose 4.75%"),
        ("a2.2", "FIGURE", "rents rose 4.75%"),
    ]
    for span in alice.spans:
        assert LS_TEXT[span.start : span.end] == span.text  # code points, emoji before them
    # The left-pointing relation is turned round; the unlabelled one keeps an empty label.
    assert [(r.source, r.target, r.label) for r in alice.relations] == [
        ("a1", "a2", "SAYS"),
        ("a1", "a2", ""),
    ]
    assert alice.document_labels == ["Negative"]
    assert quads(record, record.layers[1]) == [(*at(LS_TEXT, "£1,400"), "FIGURE", "£1,400")]

    suggestions = record.layers[3]
    assert [
        (s.key, s.label, s.recogniser, s.recogniser_version, s.score, s.status) for s in suggestions.spans
    ] == [
        ("p1", "CLAIM", "claimspotter", "2.1", 0.9, "pending"),
        ("p2", "FIGURE", "claimspotter", "2.1", 0.5, "pending"),  # the prediction's score
        ("p1-2", "FIGURE", "regex", "", 0.99, "pending"),  # ids repeat across predictions
    ]


@pytest.mark.parametrize(
    ("data", "task_id", "expected"),
    [
        ({"id": 5, "external_id": "x"}, 9, "5"),
        ({"external_id": "x"}, 9, "x"),
        ({}, 9, "9"),
        ({}, None, ""),
    ],
)
def test_labelstudio_external_id_precedence(data, task_id, expected):
    task = {"data": {"text": "Fares rose.", **data}, "annotations": []}
    if task_id is not None:
        task["id"] = task_id
    assert labelstudio.from_json(task).external_id == expected


@pytest.mark.parametrize(
    ("task", "field", "message"),
    [
        ({"annotations": []}, "data", "must be an object"),
        ({"data": {"text": 5}}, "data.text", "must be a string"),
        (
            {
                "data": {"text": LS_TEXT},
                "annotations": [
                    {
                        "completed_by": "alice",
                        "result": [
                            ls_region("a1", "Council leader", "SOURCE"),
                            {"from_id": "a1", "to_id": "zz", "type": "relation", "labels": ["SAYS"]},
                        ],
                    }
                ],
            },
            "annotations[0].result[1].to_id",
            "no labels result with id zz",
        ),
        (
            {
                "data": {"text": LS_TEXT},
                "predictions": [
                    {
                        "model_version": "m@1",
                        "result": [
                            {"id": "p", "type": "labels", "value": {"start": "0", "end": 3, "labels": ["A"]}}
                        ],
                    }
                ],
            },
            "predictions[0].result[0].value.start",
            "must be an integer",
        ),
        (
            {
                "data": {"text": LS_TEXT},
                "annotations": [
                    {
                        "completed_by": "alice",
                        "result": [{"id": "x", "type": "labels", "value": {"start": 0, "end": 3}}],
                    }
                ],
            },
            "annotations[0].result[0].value.labels",
            "at least one label",
        ),
        (
            {
                "data": {"text": LS_TEXT},
                "predictions": [{"model_version": "m", "score": "high", "result": []}],
            },
            "predictions[0].score",
            "must be a number",
        ),
    ],
)
def test_labelstudio_errors_name_the_field(task, field, message):
    with pytest.raises(RecordError) as info:
        labelstudio.from_json(task)
    assert info.value.field == field
    assert message in info.value.message


def test_labelstudio_round_trip():
    figure, claim, pound, tenants = (
        at(LS_TEXT, "4.75%"),
        at(LS_TEXT, "rents rose 4.75%"),
        at(LS_TEXT, "£1,400"),
        at(LS_TEXT, "Tenants"),
    )
    record = ArticleRecord(
        text=LS_TEXT,
        external_id="wire-88",
        title="Rent rise",
        article_id=12,
        layers=[
            LayerRecord(
                layer=GOLD,
                spans=[SpanRecord(*claim, "CLAIM", key=10), SpanRecord(*figure, "FIGURE", key=11)],
                relations=[RelationRecord(10, 11, "CITES")],
                document_labels=["housing"],
            ),
            LayerRecord(layer=ANNOTATOR, annotator="alice", spans=[SpanRecord(*tenants, "SOURCE", key="s1")]),
            LayerRecord(
                layer=SUGGESTIONS,
                spans=[
                    SpanRecord(
                        *claim,
                        "CLAIM",
                        key=20,
                        recogniser="claimspotter",
                        recogniser_version="2.1",
                        score=0.8,
                    ),
                    SpanRecord(*pound, "FIGURE", key=21, recogniser="regex", score=1.0),
                    SpanRecord(
                        *figure,
                        "FIGURE",
                        key=22,
                        recogniser="claimspotter",
                        recogniser_version="2.1",
                        score=0.6,
                    ),
                ],
                relations=[RelationRecord(20, 22, "CITES", score=0.7)],
            ),
        ],
    )
    task = json.loads(json.dumps(labelstudio.to_json(record)))
    assert task["data"]["external_id"] == "wire-88"
    assert task["data"]["article_id"] == 12
    gold, alice = task["annotations"]
    # Label Studio refuses a completed_by that is not one of its user ids or member emails.
    assert "completed_by" not in gold and "completed_by" not in alice
    assert (gold["ground_truth"], alice["ground_truth"]) == (True, False)
    assert gold["result"][0] == {
        "id": "10",
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": claim[0], "end": claim[1], "text": "rents rose 4.75%", "labels": ["CLAIM"]},
        "meta": {"layer": "gold"},
    }
    assert {
        "from_id": "10",
        "to_id": "11",
        "type": "relation",
        "direction": "right",
        "labels": ["CITES"],
        "meta": {"layer": "gold"},
    } in gold["result"]
    assert gold["result"][-1] == {
        "from_name": "document",
        "to_name": "text",
        "type": "choices",
        "value": {"choices": ["housing"]},
        "meta": {"layer": "gold"},
    }
    assert [item["meta"] for item in alice["result"]] == [{"layer": "annotator", "annotator": "alice"}]
    spotter, regex = task["predictions"]
    assert spotter["model_version"] == "claimspotter@2.1"
    assert spotter["score"] == pytest.approx((0.8 + 0.6 + 0.7) / 3)
    assert [item["score"] for item in spotter["result"]] == [0.8, 0.6, 0.7]
    assert (regex["model_version"], regex["score"]) == ("regex", 1.0)

    back = labelstudio.from_json(task)
    assert (back.external_id, back.title, back.text) == ("wire-88", "Rent rise", LS_TEXT)
    assert back.meta == {}
    assert [(lr.layer, lr.annotator) for lr in back.layers] == [
        (GOLD, None),
        (ANNOTATOR, "alice"),
        (SUGGESTIONS, None),
    ]
    for before, after in zip(record.layers, back.layers, strict=True):
        assert quads(back, after) == quads(record, before)
        for span in after.spans:
            assert span.text == LS_TEXT[span.start : span.end]
    assert [(r.source, r.target, r.label) for r in back.layers[0].relations] == [("10", "11", "CITES")]
    assert back.layers[0].document_labels == ["housing"]
    assert sorted((s.label, s.recogniser, s.recogniser_version, s.score) for s in back.layers[2].spans) == [
        ("CLAIM", "claimspotter", "2.1", 0.8),
        ("FIGURE", "claimspotter", "2.1", 0.6),
        ("FIGURE", "regex", "", 1.0),
    ]
    (rel,) = back.layers[2].relations
    assert (rel.source, rel.target, rel.label, rel.score) == ("20", "22", "CITES", 0.7)


def test_labelstudio_prediction_score_omitted_without_item_scores():
    record = ArticleRecord(
        text="Fares rose.",
        layers=[
            LayerRecord(layer=SUGGESTIONS, spans=[SpanRecord(0, 10, "CLAIM", key=1, recogniser="rules")])
        ],
    )
    (prediction,) = labelstudio.to_json(record)["predictions"]
    assert "score" not in prediction
    assert "score" not in prediction["result"][0]


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
