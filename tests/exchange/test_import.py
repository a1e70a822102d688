"""The import service (``import_file``): valid files, all-or-nothing versus on_error=skip, and a clear error per bad line."""

import hashlib
import io
import zipfile
from typing import Any

import pytest

from annotator.annotations.models import Layer, Origin, Relation, Span
from annotator.articles.models import Article
from annotator.exchange.importing import MAX_ERRORS_REPORTED, checking
from tests.conftest import TRICKY_TEXT, World
from tests.exchange.import_helpers import (
    NEWS,
    OTHER,
    annotated,
    article,
    at,
    counts,
    errors,
    gold,
    jsonl,
    nothing_written,
    run,
    span,
)

# --- the happy path -------------------------------------------------------------------------------


def test_a_valid_file_writes_articles_spans_and_relations(world: World) -> None:
    before = counts()
    report = run(world, jsonl(annotated("n1"), article("n2", OTHER)))
    assert report.errors == [] and report.written
    assert (report.records, report.valid, report.articles_created) == (2, 2, 2)
    assert (report.spans_created, report.relations_created) == (2, 1)
    after = counts()
    assert after["articles"] - before["articles"] == 2
    assert after["spans"] - before["spans"] == 2
    assert after["relations"] - before["relations"] == 1
    n1 = Article.objects.get(project=world.project, external_id="n1")
    assert n1.text == NEWS and n1.text_sha256 == hashlib.sha256(NEWS.encode()).hexdigest()
    spans = {s.label.name: s for s in Span.objects.filter(article=n1)}
    assert {s.layer for s in spans.values()} == {Layer.GOLD}
    [relation] = Relation.objects.filter(article=n1)
    assert (relation.source_id, relation.target_id) == (spans["FIGURE"].pk, spans["CLAIM"].pk)
    assert relation.label.name == "SUPPORTS" and relation.layer == Layer.GOLD


def test_a_file_of_several_lookups_writes_every_chunk_with_its_own_ids(world: World) -> None:
    # More records than one lookup holds (and a short last chunk): each chunk's articles,
    # spans and relations go out with reserved ids, some held back while the next records
    # are looked up; every one must arrive, joined to its own article.
    count = 2 * checking.LOOKUP + checking.CHUNK // 2 + 7
    lines = [annotated(f"imp-{n:05d}", f"{NEWS} ({n})") for n in range(count)]
    report = run(world, jsonl(*lines))
    assert (report.articles_created, report.spans_created, report.relations_created) == (
        count,
        2 * count,
        count,
    )
    project_articles = Article.objects.filter(project=world.project, external_id__startswith="imp-")
    assert project_articles.count() == count
    relations = Relation.objects.filter(article__in=project_articles).select_related("source", "target")
    assert relations.count() == count
    for relation in relations:
        assert relation.source.article_id == relation.target.article_id == relation.article_id
        assert (relation.source.text, relation.target.text) == ("4.75%", "Rents rose 4.75% last year")
    texts = dict(project_articles.values_list("external_id", "text"))
    assert texts["imp-00000"].endswith("(0)") and texts[f"imp-{count - 1:05d}"].endswith(f"({count - 1})")


def test_imported_spans_have_origin_imported_and_exact_text_on_tricky_text(world: World) -> None:
    fragments = [
        ("\U0001f469\u200d\U0001f469\u200d\U0001f467 said inflation was 4.75%", "CLAIM"),
        ("4.75%.\r\nBut critics", "REBUTTAL"),  # across a CRLF
        ("cafe\u0301 tax", "CLAIM"),  # a combining mark
        ("£1,400\tper  household", "FIGURE"),  # a tab and a double space
        ("\U0001f644", "FIGURE"),  # one astral code point
    ]
    line = article("tricky", TRICKY_TEXT, gold(*(span(TRICKY_TEXT, f, lab) for f, lab in fragments)))
    report = run(world, jsonl(line))
    assert report.errors == [] and report.spans_created == len(fragments)
    stored = Article.objects.get(project=world.project, external_id="tricky")
    assert stored.text == TRICKY_TEXT  # CRLF and emoji kept exactly
    spans = list(Span.objects.filter(article=stored).order_by("start"))
    assert sorted((s.text, s.label.name) for s in spans) == sorted(fragments)
    for s in spans:
        assert s.text == stored.text[s.start : s.end]
        assert (s.start, s.end) == at(TRICKY_TEXT, s.text)
        assert s.origin == Origin.IMPORTED and s.layer == Layer.GOLD and s.annotator_id is None
        assert s.created_by == world.users["admin"]


def test_bom_crlf_and_blank_lines_are_accepted(world: World) -> None:
    data = (
        b"\xef\xbb\xbf"
        + jsonl(annotated("n1")).replace(b"\n", b"\r\n")
        + b"\r\n   \r\n"
        + jsonl(article("n2", OTHER))
    )
    report = run(world, data)
    assert report.errors == [] and report.records == 2 and report.articles_created == 2
    assert Article.objects.get(external_id="n2").text == OTHER


def test_a_txt_upload_is_one_article_named_after_the_file(world: World) -> None:
    report = run(world, b"Headline\r\n\r\nBody 4.75%.", filename="story-7.txt")
    assert report.errors == [] and report.articles_created == 1
    assert (
        Article.objects.get(project=world.project, external_id="story-7").text
        == "Headline\r\n\r\nBody 4.75%."
    )


def test_a_matching_text_sha256_is_accepted_and_a_wrong_one_is_an_error(world: World) -> None:
    good_sha = hashlib.sha256(NEWS.encode()).hexdigest()
    wrong_sha = hashlib.sha256(OTHER.encode()).hexdigest()
    before = counts()
    report = run(world, jsonl(article("n1", NEWS, text_sha256=wrong_sha)))
    assert errors(report) == [(1, "text_sha256", f"does not match the text (its sha256 is {good_sha})")]
    nothing_written(report, before)
    assert run(world, jsonl(article("n1", NEWS, text_sha256=good_sha))).articles_created == 1


# --- all or nothing, skip ----------------------------------------------------------------------


def test_by_default_one_bad_line_means_nothing_is_written(world: World, stamps: list[int]) -> None:
    before = counts()
    data = jsonl(
        annotated("n1"),
        article("n2", OTHER, gold(span(OTHER, "55 NHS trusts", "FIGURES"))),
        article("n3", OTHER + " More."),
    )
    report = run(world, data)
    assert (report.records, report.valid, report.error_count) == (3, 2, 1)
    assert [(line, field) for line, field, _ in errors(report)] == [(2, "annotations[0].spans[0].label")]
    nothing_written(report, before)
    assert stamps == []
    assert not Article.objects.filter(external_id__in=["n1", "n3"]).exists()


def test_on_error_skip_writes_the_valid_lines_and_reports_the_rest(world: World) -> None:
    before = counts()
    data = jsonl(
        annotated("n1"),
        b'{"id": "broken", "text": \n',
        article("n2", OTHER, gold(span(OTHER, "55 NHS trusts", "FIGURES"))),
        article("n3", OTHER + " More."),
    )
    report = run(world, data, on_error="skip")
    assert report.written
    assert (report.records, report.valid, report.error_count, report.articles_created) == (4, 2, 2, 2)
    assert [(line, field) for line, field, _ in errors(report)] == [
        (2, ""),
        (3, "annotations[0].spans[0].label"),
    ]
    after = counts()
    assert after["articles"] - before["articles"] == 2
    assert after["spans"] - before["spans"] == 2 and after["relations"] - before["relations"] == 1
    assert set(Article.objects.filter(project=world.project).values_list("external_id", flat=True)) == {
        "a1",
        "n1",
        "n3",
    }


def test_skip_with_no_valid_line_writes_nothing(world: World) -> None:
    before = counts()
    report = run(world, b'{"text": 1}\n{"text": 2}\n', on_error="skip")
    assert (report.records, report.valid, report.error_count) == (2, 0, 2)
    nothing_written(report, before)


def test_only_the_first_1000_errors_are_listed_but_all_are_counted(world: World) -> None:
    before = counts()
    data = jsonl(article("ok", NEWS)) + b'{"id": "bad", "text": 5}\n' * 1005
    report = run(world, data)
    assert (report.records, report.error_count, report.valid) == (1006, 1005, 1)
    assert len(report.errors) == MAX_ERRORS_REPORTED == 1000
    assert report.errors[0] == {"line": 2, "field": "text", "message": "must be a string, not an integer"}
    assert report.errors[-1]["line"] == 1001
    nothing_written(report, before)


# --- bad input: a clear error per line, never an exception, never a half-written dataset -----------


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        (b'{"id": "x", "text": "unclosed}\n', "", "invalid JSON: "),
        (b'["not", "an", "object"]\n', "", "each line must be a JSON object, not list"),
        (b'{"id": "x"}\n', "text", "is required"),
        (b'{"id": "x", "text": null}\n', "text", "is required"),
        (b'{"id": "x", "text": "   "}\n', "text", "may not be blank"),
        (b'{"id": "x", "text": ["a"]}\n', "text", "must be a string, not an array"),
        (b'{"id": true, "text": "a"}\n', "id", "must be a string or an integer, not true or false"),
        (b'{"id": "x", "text": "a", "meta": []}\n', "meta", "must be an object, not an array"),
        (b'{"id": "x", "text": "a", "annotations": {}}\n', "annotations", "must be an array, not an object"),
        (
            b'{"id": "x", "text": "a", "annotations": [{"layer": "mine"}]}\n',
            "annotations[0].layer",
            "must be one of annotator, gold, suggestions",
        ),
        (
            b'{"id": "x", "text": "abc", "annotations": [{"layer": "gold", "spans": [{"start": "0", "end": 1, "label": "CLAIM"}]}]}\n',
            "annotations[0].spans[0].start",
            "must be an integer, not a string",
        ),
        (
            b'{"id": "x", "text": "abc", "annotations": [{"layer": "gold", "spans": [{"start": 0, "end": 1.5, "label": "CLAIM"}]}]}\n',
            "annotations[0].spans[0].end",
            "must be an integer, not a number",
        ),
        (
            b'{"id": "x", "text": "abc", "annotations": [{"layer": "gold", "spans": [{"start": 0, "end": 1}]}]}\n',
            "annotations[0].spans[0].label",
            "is required",
        ),
        (
            b'{"id": "x", "text": "a", "published_at": "yesterday"}\n',
            "published_at",
            "must be an ISO date (YYYY-MM-DD)",
        ),
        (b'{"id": "x", "text": "a", "source_url": "ftp://x"}\n', "source_url", "invalid URL"),
        (b'{"id": "x", "text": "a\\u0000b"}\n', "text", "NUL characters are not allowed"),
        (
            b'{"id": "x", "text": "a", "offsets": "utf16"}\n',
            "offsets",
            'must be "codepoint" (offsets count Unicode code points)',
        ),
        (
            b'{"id": "x", "deleted": true}\n',
            "deleted",
            "a deletion line (from an incremental pull) cannot be imported",
        ),
        (b'{"id": "x", "text": "caf\xe9"}\n', "", "not valid UTF-8: byte 0xe9"),
        # A field the format does not have is refused, not dropped with what it holds.
        (
            b'{"id": "x", "text": "abc", "spans": [{"start": 0, "end": 1, "label": "CLAIM"}]}\n',
            "spans",
            "is not a field here (spans belongs in an annotations entry; see docs/formats.md)",
        ),
        (
            b'{"id": "x", "text": "a", "titel": "A"}\n',
            "titel",
            "is not a field here; the fields are annotations,",
        ),
        (
            b'{"id": "x", "text": "abc", "annotations": [{"layer": "gold", "span": []}]}\n',
            "annotations[0].span",
            "is not a field here; the fields are annotator, document_labels, incoming_relations, layer,",
        ),
        (
            b'{"id": "x", "text": "abc", "annotations": [{"layer": "gold", "spans": [{"start": 0, "end": 1, "label": "CLAIM", "lable": "FIGURE"}]}]}\n',
            "annotations[0].spans[0].lable",
            "is not a field here",
        ),
        (
            b'{"id": "x", "text": "abc", "annotations": [{"layer": "gold", "spans": [], "relations": [{"from": 1, "to": 2, "type": "SUPPORTS"}]}]}\n',
            "annotations[0].relations[0].type",
            "is not a field here",
        ),
        (b'{"schema": 2, "id": "x", "text": "a"}\n', "schema", "must be 1, the native schema version"),
    ],
)
def test_a_bad_line_is_reported_with_its_field_and_nothing_is_written(
    world: World, line: bytes, field: str, message: str
) -> None:
    before = counts()
    report = run(world, jsonl(article("ok", NEWS)) + line + jsonl(article("ok2", OTHER)))
    assert report.error_count == 1 and report.records == 3
    [(number, got_field, got_message)] = errors(report)
    assert (number, got_field) == (2, field)
    assert got_message.startswith(message), got_message
    nothing_written(report, before)


def test_an_over_long_line_is_an_error_and_the_following_lines_are_checked(
    world: World, settings: Any
) -> None:
    settings.ANNOTATOR_MAX_IMPORT_LINE_BYTES = 300
    data = jsonl(article("long", "x" * 400), article("ok", NEWS), {"id": "bad"})
    before = counts()
    report = run(world, data)
    assert errors(report) == [
        (1, "", "the line is longer than 300 bytes"),
        (3, "text", "is required"),
    ]
    nothing_written(report, before)
    report = run(world, data, on_error="skip")
    assert report.articles_created == 1 and Article.objects.filter(external_id="ok").exists()


def test_a_zip_with_an_escaping_entry_reports_it_with_its_file_name(world: World) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("../evil.jsonl", jsonl(article("evil", NEWS)))
        archive.writestr("/abs.jsonl", jsonl(article("abs", NEWS)))
        archive.writestr("good.jsonl", jsonl(article("good", OTHER)))
    before = counts()
    report = run(world, buffer.getvalue(), filename="upload.zip")
    assert sorted(report.errors, key=lambda e: e["file"]) == [
        {
            "line": 1,
            "field": "",
            "message": "'..' is not allowed in zip entry names",
            "file": "../evil.jsonl",
        },
        {"line": 1, "field": "", "message": "absolute paths are not allowed in a zip", "file": "/abs.jsonl"},
    ]
    nothing_written(report, before)
    report = run(world, buffer.getvalue(), filename="upload.zip", on_error="skip")
    assert report.articles_created == 1
    assert not Article.objects.filter(external_id__in=["evil", "abs"]).exists()


def test_an_unknown_file_type_is_an_error(world: World) -> None:
    before = counts()
    report = run(world, b"id,text\n1,hello\n", filename="data.csv")
    assert errors(report) == [(1, "", "unknown file type; use one of .jsonl, .json, .txt, .conll, .zip")]
    nothing_written(report, before)
