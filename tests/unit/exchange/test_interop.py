"""What the real peers need of our files (issue 13): grapheme and code-point offsets and the plain
``label`` form for doccano, a Label Studio file it accepts that still names our layers, CoNLL
read back. No database."""

import io
import json
from typing import Any

import pytest

from annotator.exchange.formats import conll, doccano, files, labelstudio, registry
from annotator.exchange.formats.offsets import CODEPOINT, GRAPHEME, UTF16, GraphemeOffsets, converter
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

FAMILY = "\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466"  # 7 code points, 11 UTF-16 units
FLAG = "\U0001f1ec\U0001f1e7"  # two regional indicators: one cluster
ACCENT = "cafe\u0301"  # e + combining acute: 5 code points, 4 clusters
# Every unit differs: astral emoji, a ZWJ sequence, a flag, a combining mark, CRLF.
TEXT = f"Ministers {FAMILY} said {ACCENT} rents rose 4.75%.\r\nShelter {FLAG} said £1,400 was wrong."


def at(text: str, fragment: str) -> tuple[int, int]:
    assert text.count(fragment) == 1, fragment
    start = text.index(fragment)
    return start, start + len(fragment)


def graphemes(text: str) -> int:
    return GraphemeOffsets(text).units


# --- grapheme offsets --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "clusters"),
    [
        ("\r\n", 1),
        (FAMILY, 1),
        (FLAG, 1),
        (ACCENT, 4),
        ("\U0001f44d\U0001f3fd", 1),  # thumbs up with a skin tone
        ("a\r\nb", 3),
        ("", 0),
    ],
)
def test_a_grapheme_is_what_a_reader_counts_as_one_character(text: str, clusters: int) -> None:
    assert graphemes(text) == clusters


def test_grapheme_offsets_round_trip_on_cluster_boundaries() -> None:
    conv = converter(TEXT, GRAPHEME)
    start, end = at(TEXT, "rents rose 4.75%.\r\nShelter")
    # Before "rents": the family counts 1 (not 7), the accented e 1 (not 2).
    assert conv.to_units(start) == start - 6 - 1
    # Inside the span: the CRLF counts 1.
    assert conv.to_units(end, end=True) - conv.to_units(start) == (end - start) - 1
    for cp in (0, start, end, len(TEXT)):
        assert conv.to_codepoint(conv.to_units(cp)) == cp


def test_a_boundary_inside_a_cluster_widens_the_span_to_whole_clusters() -> None:
    conv = GraphemeOffsets(ACCENT + " and more")
    # The combining accent alone (4 to 5) cannot be said in clusters: it becomes the "é" (3 to 4).
    assert (conv.to_units(4), conv.to_units(5, end=True)) == (3, 4)
    assert (conv.to_codepoint(3), conv.to_codepoint(4)) == (3, 5)
    crlf = GraphemeOffsets("a\r\nb")
    assert (crlf.to_units(2), crlf.to_units(2, end=True)) == (1, 2)  # between \r and \n


def test_offset_converters_refuse_what_is_outside_the_text() -> None:
    for unit in (UTF16, CODEPOINT, GRAPHEME):
        conv = converter("abc", unit)
        with pytest.raises(ValueError, match="outside the text"):
            conv.to_codepoint(4)
        with pytest.raises(ValueError, match="outside the text"):
            conv.to_units(-1)
    with pytest.raises(ValueError, match="unknown offset unit"):
        converter("abc", "bytes")


# --- doccano ------------------------------------------------------------------------------


def gold_record() -> ArticleRecord:
    spans = [
        SpanRecord(*at(TEXT, f"Ministers {FAMILY}"), "SOURCE", key="s"),
        SpanRecord(*at(TEXT, f"{ACCENT} rents rose 4.75%"), "CLAIM", key="c"),
        SpanRecord(*at(TEXT, "4.75%"), "FIGURE", key="f"),
        SpanRecord(*at(TEXT, f".\r\nShelter {FLAG}"), "REBUTTAL", key="r"),
        SpanRecord(*at(TEXT, "£1,400"), "FIGURE", key="m"),
    ]
    return ArticleRecord(
        text=TEXT,
        external_id="rents-1",
        layers=[
            LayerRecord(
                layer=GOLD,
                spans=spans,
                relations=[RelationRecord("f", "c", "SUPPORTS"), RelationRecord("r", "c", "REBUTS")],
                document_labels=["ECONOMY"],
            )
        ],
    )


def unit_slice(text: str, unit: str, start: int, end: int) -> str:
    conv = converter(text, unit)
    return text[conv.to_codepoint(start) : conv.to_codepoint(end)]


@pytest.mark.parametrize("unit", [UTF16, CODEPOINT, GRAPHEME])
def test_doccano_label_form_in_every_unit_lands_on_the_same_text(unit: str) -> None:
    record = gold_record()
    (layer,) = record.layers
    obj = json.loads(doccano.dumps(record, layer, doccano.LABEL, unit))
    assert set(obj) == {"id", "text", "label", "meta"}  # what a sequence-labelling project reads
    assert [label for _, _, label in obj["label"]] == [s.label for s in layer.spans]
    for (start, end, _), span in zip(obj["label"], layer.spans, strict=True):
        assert unit_slice(TEXT, unit, start, end) == TEXT[span.start : span.end]
    back = doccano.from_json(obj, unit)
    assert [(s.start, s.end, s.label) for s in back.layers[0].spans] == [
        (s.start, s.end, s.label) for s in layer.spans
    ]


def test_doccano_grapheme_offsets_count_the_clusters() -> None:
    record = gold_record()
    obj = doccano.to_json(record, record.layers[0], doccano.RELATIONS, GRAPHEME)
    start = at(TEXT, "£1,400")[0]
    # Before "£": the family (7 code points), the accented e (2), CRLF (2) and the flag (2)
    # are one cluster each.
    assert max(e["start_offset"] for e in obj["entities"]) == start - 6 - 1 - 1 - 1
    assert obj["relations"] and obj["label"] == ["ECONOMY"]  # the relation form keeps both
    back = doccano.from_json(obj, GRAPHEME)
    assert [(s.start, s.end) for s in back.layers[0].spans] == [
        (s.start, s.end) for s in record.layers[0].spans
    ]


def test_doccano_relation_form_writes_the_label_column_on_every_line() -> None:
    # doccano reads JSONL as a table: a line without the column gets NaN, which its relation
    # import then fails to store ("CHECK constraint failed: JSON_VALID(meta)").
    record = ArticleRecord(text="No labels here.", layers=[LayerRecord(layer=GOLD)])
    obj = doccano.to_json(record, record.layers[0])
    assert (obj["label"], obj["entities"], obj["relations"]) == ([], [], [])


def test_doccano_codepoint_offsets_import_as_they_are() -> None:
    start, end = at(TEXT, "£1,400")
    record = doccano.from_json({"text": TEXT, "label": [[start, end, "FIGURE"]]}, CODEPOINT)
    (span,) = record.layers[0].spans
    assert TEXT[span.start : span.end] == "£1,400"
    # The same numbers read as UTF-16 (the default) land elsewhere: the family is 4 units longer.
    default = doccano.from_json({"text": TEXT, "label": [[start, end, "FIGURE"]]})
    assert TEXT[default.layers[0].spans[0].start : default.layers[0].spans[0].end] != "£1,400"


def test_doccano_grapheme_offset_beyond_the_text_names_the_field() -> None:
    with pytest.raises(RecordError) as info:
        doccano.from_json({"text": "\r\n", "label": [[0, 2, "X"]]}, GRAPHEME)
    assert info.value.field == "label[0][1]"
    assert "grapheme clusters" in info.value.message


def test_the_registry_checks_the_options_each_format_takes() -> None:
    doccano_spec, native = registry.get("doccano"), registry.get("native")
    assert (
        doccano_spec.options_problem(registry.Options(offsets=GRAPHEME, form="label"), exporting=True) is None
    )
    assert doccano_spec.options_problem(registry.Options(offsets="bytes"), exporting=False) == (
        "offsets",
        "one of utf16, codepoint, grapheme",
    )
    assert doccano_spec.options_problem(registry.Options(form="table"), exporting=True) == (
        "form",
        "one of relations, label",
    )
    assert native.options_problem(registry.Options(offsets=GRAPHEME), exporting=False) == (
        "offsets",
        "native takes no offsets option",
    )
    assert registry.get("labelstudio").options_problem(registry.Options(form="label"), exporting=True) == (
        "form",
        "labelstudio takes no form option",
    )


def test_the_doccano_stream_writes_the_chosen_form_and_unit() -> None:
    span = {"id": 1, "start": 8, "end": 12, "label": "TREND", "text": "rose"}
    span.update(created_by="rev", created_at=None, updated_at=None, provenance={"origin": "manual"})
    line = {
        "schema": 1,
        "id": "a",
        "article_id": 1,
        "title": "",
        "source_url": "",
        "published_at": None,
        "meta": {},
        "text": f"{FAMILY} rose",
        "text_sha256": "0" * 64,
        "offsets": "codepoint",
        "annotations": [{"layer": "gold", "spans": [span], "relations": [], "document_labels": []}],
    }
    stream = registry.get("doccano").stream
    assert stream is not None
    out = b"".join(stream([line], list, registry.Options(offsets=GRAPHEME, form="label")))
    assert json.loads(out)["label"] == [[2, 6, "TREND"]]
    out = b"".join(stream([line], list))
    assert json.loads(out)["entities"][0]["start_offset"] == 12  # UTF-16 by default


# --- Label Studio -----------------------------------------------------------------------------


def ls_record() -> ArticleRecord:
    claim, figure = at(TEXT, "rents rose 4.75%"), at(TEXT, "4.75%")
    return ArticleRecord(
        text=TEXT,
        external_id="rents-1",
        layers=[
            LayerRecord(
                layer=GOLD,
                spans=[SpanRecord(*claim, "CLAIM", key=1), SpanRecord(*figure, "FIGURE", key=2)],
                relations=[RelationRecord(2, 1, "SUPPORTS")],
            ),
            LayerRecord(layer=ANNOTATOR, annotator="alice", spans=[SpanRecord(*figure, "FIGURE", key=3)]),
            LayerRecord(layer=ANNOTATOR, annotator="bob", state="submitted"),  # nothing to hold
            LayerRecord(
                layer=SUGGESTIONS,
                spans=[SpanRecord(*figure, "FIGURE", key=4, recogniser="figures", score=0.9)],
            ),
        ],
    )


def as_label_studio_stores_it(task: dict[str, Any], user_id: int = 1) -> dict[str, Any]:
    """What Label Studio's JSON export gives back for an imported task: its own ids, the
    importing user as completed_by, its bookkeeping fields; results as they were given."""
    stored = json.loads(json.dumps(task))
    stored["id"] = 501
    for n, annotation in enumerate(stored["annotations"], start=1):
        annotation.update(
            id=900 + n,
            completed_by=user_id,
            was_cancelled=False,
            lead_time=None,
            task=501,
            project=3,
            created_at="2026-12-02T16:00:00Z",
        )
    for n, prediction in enumerate(stored["predictions"], start=1):
        prediction.update(id=700 + n, task=501, project=3)
    return stored


def test_labelstudio_export_has_no_completed_by_and_names_the_layers_in_meta() -> None:
    task = labelstudio.to_json(ls_record())
    gold, alice = task["annotations"]  # bob's layer holds nothing Label Studio can keep
    for annotation in task["annotations"]:
        assert "completed_by" not in annotation
    assert (gold["ground_truth"], alice["ground_truth"]) == (True, False)
    assert {json.dumps(item["meta"]) for item in gold["result"]} == {'{"layer": "gold"}'}
    assert [item["meta"] for item in alice["result"]] == [{"layer": "annotator", "annotator": "alice"}]


def test_labelstudio_layers_survive_label_studio_rewriting_completed_by() -> None:
    record = ls_record()
    back = labelstudio.from_json(as_label_studio_stores_it(labelstudio.to_json(record)))
    assert [(lr.layer, lr.annotator) for lr in back.layers] == [
        (GOLD, None),
        (ANNOTATOR, "alice"),
        (SUGGESTIONS, None),
    ]
    assert [(s.start, s.end, s.label) for s in back.layers[1].spans] == [(*at(TEXT, "4.75%"), "FIGURE")]
    (relation,) = back.layers[0].relations
    assert (relation.label, relation.source, relation.target) == ("SUPPORTS", "2", "1")


def test_labelstudio_plain_export_lists_predictions_by_id_and_imports() -> None:
    stored = as_label_studio_stores_it(labelstudio.to_json(ls_record()))
    stored["predictions"] = [701]  # what its JSON export holds: the prediction's id
    back = labelstudio.from_json(stored)
    assert [(lr.layer, lr.annotator) for lr in back.layers] == [(GOLD, None), (ANNOTATOR, "alice")]


def test_labelstudio_annotation_made_in_label_studio_still_goes_to_gold() -> None:
    start, end = at(TEXT, "Shelter")
    region = {
        "id": "x1",
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "text": "Shelter", "labels": ["SOURCE"]},
    }
    for completed_by in (7, {"email": "ann@example.org"}):
        task = {"data": {"text": TEXT}, "annotations": [{"completed_by": completed_by, "result": [region]}]}
        (layer,) = labelstudio.from_json(task).layers
        assert (layer.layer, [s.label for s in layer.spans]) == (GOLD, ["SOURCE"])


# --- CoNLL read back ----------------------------------------------------------------------------


CONLL_TEXT = f"Rents rose 4.75% to £1,400 {FAMILY} in March.\r\nThe council disputed it."


def conll_layers() -> list[LayerRecord]:
    return [
        LayerRecord(
            layer=GOLD,
            spans=[
                SpanRecord(*at(CONLL_TEXT, "4.75%"), "FIGURE"),
                SpanRecord(*at(CONLL_TEXT, "£1,400"), "FIGURE"),  # right after another FIGURE's O
                SpanRecord(*at(CONLL_TEXT, "March.\r\nThe council"), "CLAIM"),  # across a sentence break
            ],
        ),
        LayerRecord(layer=ANNOTATOR, annotator="alice", spans=[SpanRecord(*at(CONLL_TEXT, FAMILY), "TREND")]),
        LayerRecord(layer=SUGGESTIONS, spans=[SpanRecord(*at(CONLL_TEXT, "council"), "SOURCE")]),
    ]


def read_conll(body: str) -> list[tuple[int, ArticleRecord | RecordError]]:
    return list(conll.read_lines(body.splitlines(keepends=True)))


def test_conll_reads_back_what_it_writes_on_the_same_offsets() -> None:
    layers = conll_layers()
    record = ArticleRecord(text=CONLL_TEXT, external_id="ons-3", layers=layers)
    body = conll.header([layer.name for layer in layers]) + conll.dumps(record, layers)
    body += conll.dumps(
        ArticleRecord(text="Nothing here.", external_id="ons-4"), [LayerRecord(layer=GOLD)] * 3
    )
    (line, back), (line2, empty) = read_conll(body)
    assert (line, line2) == (2, body.splitlines().index("-DOCSTART- ons-4") + 1)
    assert isinstance(back, ArticleRecord) and isinstance(empty, ArticleRecord)
    assert back.external_id == "ons-3" and empty.text == "Nothing here."
    # Offsets are the file's; between tokens only spaces and a line break per sentence remain.
    assert len(back.text) == len(CONLL_TEXT)
    assert back.text == CONLL_TEXT.replace("\r\n", "\n ")
    assert [(lr.layer, lr.annotator) for lr in back.layers] == [
        (GOLD, None),
        (ANNOTATOR, "alice"),
        (SUGGESTIONS, None),
    ]
    # Every span keeps its tokens' range, one across a sentence break too (I- goes on after it).
    assert [(s.start, s.end, s.label) for s in back.layers[0].spans] == [
        (s.start, s.end, s.label) for s in layers[0].spans
    ]
    assert [(s.start, s.end, s.label) for s in back.layers[1].spans] == [(*at(CONLL_TEXT, FAMILY), "TREND")]
    (suggestion,) = back.layers[2].spans
    assert (suggestion.recogniser, suggestion.status) == ("import", "pending")


def test_conll_without_a_header_reads_one_tag_column_as_gold() -> None:
    ((_, record),) = read_conll("Rents\t0\t5\tB-TOPIC\nrose\t6\t10\tO\n")
    assert isinstance(record, ArticleRecord)
    assert (record.text, record.layers[0].layer, record.layers[0].spans[0].label) == (
        "Rents rose",
        GOLD,
        "TOPIC",
    )


@pytest.mark.parametrize(
    ("body", "line", "field", "message"),
    [
        (
            "# columns = token start end gold\n-DOCSTART- a\n\nRents\t0\t5\n",
            4,
            "",
            "has 3 tab-separated columns, not 4",
        ),
        ("# columns = token start end gold\nRents\t0\tfive\tO\n", 2, "end", "must be a whole number"),
        ("# columns = token start end gold\nRents\t0\t4\tO\n", 2, "token", "does not span 0 to 4"),
        ("# columns = token start end gold\nRents\t6\t11\tO\nrose\t0\t4\tO\n", 3, "start", "before the end"),
        (
            "# columns = token start end gold\nRents\t0\t5\tX-TOPIC\n",
            2,
            "gold",
            "is not O, B-<label> or I-<label>",
        ),
        ("# columns = token start end people\n", 1, "columns", "unknown layer column 'people'"),
        ("# columns = word gold\n", 1, "columns", "must start with token start end"),
        ("Rents\t0\t5\tO\tO\n", 1, "columns", "header"),
    ],
)
def test_conll_errors_name_the_line_and_column(body: str, line: int, field: str, message: str) -> None:
    found = read_conll(body)
    (where, error) = found[0]
    assert isinstance(error, RecordError), found
    assert (where, error.field) == (line, field)
    assert message in error.message


def test_conll_files_are_read_through_the_upload_reader() -> None:
    layers = conll_layers()[:1]
    body = conll.header(["gold"]) + conll.dumps(
        ArticleRecord(text=CONLL_TEXT, external_id="x", layers=layers), layers
    )
    limits = files.Limits(line_bytes=1000, file_bytes=10_000, zip_entries=10, zip_bytes=100_000)
    for name in ("export.conll", "export.txt"):
        (parsed,) = files.read_upload(io.BytesIO(body.encode()), name, "conll", limits)
        assert parsed.record is not None and parsed.record.external_id == "x", parsed
    # A .conll file with another format is refused, not read as one article.
    (parsed,) = files.read_upload(io.BytesIO(body.encode()), "export.conll", "native", limits)
    assert parsed.record is None and "format conll" in parsed.errors[0].message
    # Bytes that are not UTF-8 stop the file at that line.
    bad = body.encode().replace(b"rose", b"r\xffse")
    found = list(files.read_upload(io.BytesIO(bad), "export.conll", "conll", limits))
    assert found[-1].record is None and "not valid UTF-8" in found[-1].errors[0].message
    assert registry.IMPORT_FORMATS == ("native", "doccano", "labelstudio", "conll", "brat")
