"""The doccano format at its edges: both line forms, UTF-16 offsets, field errors, round trips. No database."""

import json

import pytest

from annotator.exchange.formats import doccano
from annotator.exchange.formats.records import GOLD, ArticleRecord, LayerRecord, RecordError, SpanRecord
from tests.unit.exchange.format_helpers import FAMILY, TEXT, at, quads, tricky_record

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
