"""The Label Studio format at its edges: tasks in, external ids, field errors, round trips, scores. No database."""

import json

import pytest

from annotator.exchange.formats import labelstudio
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
from tests.unit.exchange.format_helpers import FAMILY, at, quads

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
