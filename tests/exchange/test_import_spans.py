"""The import service: spans, labels and relations checked against the text and the project's schema."""

import pytest

from annotator.annotations.models import DocumentLabel, Layer, Relation
from annotator.articles.models import Article
from annotator.projects.models import Label, LabelKind
from tests.conftest import TRICKY_TEXT, World
from tests.exchange.import_helpers import (
    NEWS,
    OTHER,
    article,
    at,
    counts,
    errors,
    gold,
    jsonl,
    layer,
    nothing_written,
    rel,
    run,
    span,
)

# --- spans and relations checked against the text and the schema ----------------------------------


@pytest.mark.parametrize(
    ("start", "end", "field"),
    [(-1, 4, "start"), (0, len(NEWS) + 1, "end"), (5, 5, "end"), (7, 3, "end")],
)
def test_a_span_outside_the_text_is_an_error(world: World, start: int, end: int, field: str) -> None:
    before = counts()
    line = article("n1", NEWS, gold({"start": start, "end": end, "label": "CLAIM"}))
    report = run(world, jsonl(line))
    assert errors(report) == [
        (
            1,
            f"annotations[0].spans[0].{field}",
            f"[{start}, {end}) is not inside the text (0 <= start < end <= {len(NEWS)})",
        )
    ]
    nothing_written(report, before)


def test_a_span_whose_text_disagrees_is_an_error(world: World) -> None:
    start, end = at(NEWS, "4.75%")
    line = article(
        "n1",
        NEWS,
        gold(span(NEWS, "Rents", "CLAIM"), {"start": start, "end": end, "label": "FIGURE", "text": "4.57%"}),
    )
    before = counts()
    report = run(world, jsonl(line))
    assert errors(report) == [
        (1, "annotations[0].spans[1].text", "'4.57%' differs from the article's '4.75%'")
    ]
    nothing_written(report, before)
    line["annotations"][0]["spans"][1]["text"] = "4.75%"
    assert run(world, jsonl(line)).spans_created == 2


def test_span_offsets_count_code_points_not_utf16_units(world: World) -> None:
    # Four astral code points (three in the family emoji, one eye-roll) precede "£1,400":
    # offsets counted in UTF-16 units land four code points too far, and the stated text says so.
    start, end = at(TRICKY_TEXT, "£1,400")
    utf16_start = len(TRICKY_TEXT[:start].encode("utf-16-le")) // 2
    assert utf16_start == start + 4
    utf16_end = utf16_start + (end - start)
    line = article(
        "t",
        TRICKY_TEXT,
        gold({"start": utf16_start, "end": utf16_end, "label": "FIGURE", "text": "£1,400"}),
    )
    before = counts()
    report = run(world, jsonl(line))
    assert errors(report) == [
        (
            1,
            "annotations[0].spans[0].text",
            f"'£1,400' differs from the article's {TRICKY_TEXT[utf16_start:utf16_end]!r}",
        )
    ]
    nothing_written(report, before)


def test_an_unknown_label_is_an_error_with_a_hint(world: World) -> None:
    before = counts()
    line = article("n1", NEWS, gold(span(NEWS, "Rents rose", "claim"), span(NEWS, "4.75%", "PERCENT", key=2)))
    report = run(world, jsonl(line))
    assert errors(report) == [
        (
            1,
            "annotations[0].spans[0].label",
            "unknown span label 'claim'; did you mean 'CLAIM'? known: CLAIM, FIGURE, REBUTTAL "
            "(label names are case-sensitive; import with create_labels=true to add it)",
        )
    ]
    nothing_written(report, before)


def test_an_unknown_relation_label_is_an_error(world: World) -> None:
    line = article(
        "n1",
        NEWS,
        gold(
            span(NEWS, "Rents rose", "CLAIM", 1),
            span(NEWS, "4.75%", "FIGURE", 2),
            relations=[rel(2, 1, "BACKS")],
        ),
    )
    before = counts()
    report = run(world, jsonl(line))
    [(number, field, message)] = errors(report)
    assert (number, field) == (1, "annotations[0].relations[0].label")
    assert message.startswith("unknown relation label 'BACKS'; known: REBUTS, SAME_CLAIM, SUPPORTS")
    nothing_written(report, before)


def test_create_labels_adds_unknown_span_relation_and_document_labels(world: World) -> None:
    line = article(
        "n1",
        NEWS,
        gold(
            span(NEWS, "the minister said", "SOURCE", "s"),
            span(NEWS, "Rents rose 4.75% last year", "CLAIM", "c"),
            relations=[rel("s", "c", "SAYS")],
            document_labels=["HOUSING", {"label": "ECONOMY"}],
        ),
    )
    before = counts()
    report = run(world, jsonl(line), create_labels=True)
    assert report.errors == [] and report.written
    assert report.labels_created == ["span:SOURCE", "relation:SAYS", "document:HOUSING", "document:ECONOMY"]
    assert counts()["labels"] - before["labels"] == 4
    assert {(lab.kind, lab.name) for lab in Label.objects.filter(project=world.project)} >= {
        (LabelKind.SPAN, "SOURCE"),
        (LabelKind.RELATION, "SAYS"),
        (LabelKind.DOCUMENT, "HOUSING"),
        (LabelKind.DOCUMENT, "ECONOMY"),
    }
    assert not Label.objects.filter(project=world.other_project, name="SOURCE").exists()
    assert (report.spans_created, report.relations_created, report.document_labels_created) == (2, 1, 2)
    n1 = Article.objects.get(external_id="n1")
    assert sorted(d.label.name for d in DocumentLabel.objects.filter(article=n1, layer=Layer.GOLD)) == [
        "ECONOMY",
        "HOUSING",
    ]
    # A second run finds them: nothing more is created.
    again = run(world, jsonl(line), create_labels=True)
    assert again.labels_created == [] and counts()["labels"] - before["labels"] == 4
    assert again.annotations_unchanged == 5


def test_create_labels_creates_nothing_when_the_import_aborts(world: World) -> None:
    before = counts()
    data = jsonl(article("n1", NEWS, gold(span(NEWS, "Rents", "NEWLABEL"))), {"id": "bad"})
    report = run(world, data, create_labels=True)
    assert report.error_count == 1 and report.labels_created == []
    nothing_written(report, before)


def test_skip_does_not_create_labels_of_lines_it_skips(world: World) -> None:
    bad = article(
        "bad", NEWS, gold(span(NEWS, "Rents", "ORPHAN"), {"start": 0, "end": 999, "label": "CLAIM"})
    )
    report = run(world, jsonl(bad, article("ok", OTHER)), create_labels=True, on_error="skip")
    assert report.articles_created == 1 and report.error_count == 1
    assert report.labels_created == []
    assert not Label.objects.filter(project=world.project, name="ORPHAN").exists()


def test_a_label_name_no_database_can_store_is_a_line_error(world: World) -> None:
    data = jsonl(article("n1", NEWS, gold(span(NEWS, "Rents", "BAD\u0000LABEL"))), article("ok", OTHER))
    report = run(world, data, create_labels=True, on_error="skip")
    assert [(line, field) for line, field, _ in errors(report)] == [(1, "annotations[0].spans[0].label")]
    assert report.articles_created == 1


def test_a_label_name_with_spaces_imports_twice(world: World) -> None:
    data = jsonl(article("n1", NEWS, gold(span(NEWS, "Rents", " PADDED "))))
    first = run(world, data, create_labels=True)
    assert first.written and Label.objects.filter(project=world.project, name="PADDED").exists()
    second = run(world, data, create_labels=True)
    assert second.written and second.annotations_unchanged == 1


def test_a_relation_to_a_missing_span_is_an_error(world: World) -> None:
    line = article(
        "n1",
        NEWS,
        gold(
            span(NEWS, "Rents rose", "CLAIM", "c"),
            span(NEWS, "4.75%", "FIGURE", "f"),
            relations=[rel("f", "zz", "SUPPORTS")],
        ),
    )
    before = counts()
    report = run(world, jsonl(line))
    assert errors(report) == [(1, "annotations[0].relations[0].to", "no span with id 'zz' in this layer")]
    nothing_written(report, before)


def test_a_relation_cannot_reach_into_another_layer(world: World) -> None:
    line = article(
        "n1",
        NEWS,
        gold(span(NEWS, "Rents rose", "CLAIM", "c")),
        layer(
            "annotator",
            [span(NEWS, "4.75%", "FIGURE", "f")],
            [rel("f", "c", "SUPPORTS")],
            annotator="annotator",
        ),
    )
    report = run(world, jsonl(line))
    assert errors(report) == [(1, "annotations[1].relations[0].to", "no span with id 'c' in this layer")]


def test_a_relation_from_a_span_to_itself_is_an_error(world: World) -> None:
    line = article(
        "n1", NEWS, gold(span(NEWS, "Rents rose", "CLAIM", "c"), relations=[rel("c", "c", "REBUTS")])
    )
    assert errors(run(world, jsonl(line))) == [
        (1, "annotations[0].relations[0].to", "a relation needs two different spans")
    ]


def test_two_spans_with_one_id_are_an_error(world: World) -> None:
    line = article("n1", NEWS, gold(span(NEWS, "Rents rose", "CLAIM", 7), span(NEWS, "4.75%", "FIGURE", "7")))
    assert errors(run(world, jsonl(line))) == [
        (1, "annotations[0].spans[1].id", "repeats the id of another span (7)")
    ]


@pytest.mark.parametrize(
    ("source", "target", "label", "field", "message"),
    [
        ("claim", "claim2", "SUPPORTS", "from", "SUPPORTS must start at a FIGURE span"),
        ("figure", "rebuttal", "SUPPORTS", "to", "SUPPORTS must point to a CLAIM span"),
        ("claim", "rebuttal", "REBUTS", "from", "REBUTS must start at a REBUTTAL span"),
        ("rebuttal", "figure", "REBUTS", "to", "REBUTS must point to a CLAIM span"),
    ],
)
def test_a_relation_breaking_the_schema_constraint_is_an_error(
    world: World, source: str, target: str, label: str, field: str, message: str
) -> None:
    spans = [
        span(NEWS, "Rents rose 4.75% last year", "CLAIM", "claim"),
        span(NEWS, "the minister said", "CLAIM", "claim2"),
        span(NEWS, "4.75%", "FIGURE", "figure"),
        span(NEWS, "Critics said rents fell", "REBUTTAL", "rebuttal"),
    ]
    before = counts()
    report = run(world, jsonl(article("n1", NEWS, gold(*spans, relations=[rel(source, target, label)]))))
    assert errors(report) == [(1, f"annotations[0].relations[0].{field}", message)]
    nothing_written(report, before)


def test_relations_that_keep_the_schema_are_written(world: World) -> None:
    spans = [
        span(NEWS, "Rents rose 4.75% last year", "CLAIM", "claim"),
        span(NEWS, "4.75%", "FIGURE", "figure"),
        span(NEWS, "Critics said rents fell", "REBUTTAL", "rebuttal"),
    ]
    relations = [rel("figure", "claim", "SUPPORTS"), rel("rebuttal", "claim", "REBUTS")]
    report = run(world, jsonl(article("n1", NEWS, gold(*spans, relations=relations))))
    assert report.errors == [] and report.relations_created == 2
    pairs = {
        (r.source.label.name, r.label.name, r.target.label.name)
        for r in Relation.objects.filter(article__external_id="n1")
    }
    assert pairs == {("FIGURE", "SUPPORTS", "CLAIM"), ("REBUTTAL", "REBUTS", "CLAIM")}
