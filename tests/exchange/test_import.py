"""The import service (``import_file``): validate every line, then write all or (on_error=skip) the
valid ones; idempotent; per-line errors; layers; change tracking. Each test checks the report
and what the database holds."""

import hashlib
import io
import json
import zipfile
from collections.abc import Sequence
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db.models import Max

from annotator.annotations.models import ArticleState, DocumentLabel, Layer, Origin, Relation, Span
from annotator.articles import changes
from annotator.articles.models import Article, ArticleChange
from annotator.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from annotator.exchange.importing import (
    MAX_ERRORS_REPORTED,
    ImportOptions,
    Report,
    checking,
    import_file,
    writing,
)
from annotator.projects.models import Label, LabelKind, Project
from annotator.projects.services import label_create
from tests.conftest import TRICKY_TEXT, World

NEWS = "Rents rose 4.75% last year, the minister said. Critics said rents fell by £1,400."
OTHER = "Seven million people waited for treatment, said 55 NHS trusts."


# --- building lines ----------------------------------------------------------------------------


def at(text: str, fragment: str, nth: int = 0) -> tuple[int, int]:
    """The code-point range of the nth occurrence of ``fragment`` (never counted by hand)."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(fragment, start + 1)
    return start, start + len(fragment)


def span(text: str, fragment: str, label: str, key: str | int | None = None, **extra: Any) -> dict[str, Any]:
    start, end = at(text, fragment)
    obj: dict[str, Any] = {"start": start, "end": end, "label": label, **extra}
    if key is not None:
        obj["id"] = key
    return obj


def rel(source: str | int, target: str | int, label: str) -> dict[str, Any]:
    return {"from": source, "to": target, "label": label}


def layer(
    name: str,
    spans: Sequence[dict[str, Any]] = (),
    relations: Sequence[dict[str, Any]] = (),
    document_labels: Sequence[str | dict[str, str]] = (),
    **extra: Any,
) -> dict[str, Any]:
    return {
        "layer": name,
        "spans": list(spans),
        "relations": list(relations),
        "document_labels": list(document_labels),
        **extra,
    }


def gold(*spans: dict[str, Any], relations: Sequence[dict[str, Any]] = (), **extra: Any) -> dict[str, Any]:
    return layer("gold", spans, relations, **extra)


def article(
    external_id: str | int | None, text: str, *layers: dict[str, Any], **extra: Any
) -> dict[str, Any]:
    obj: dict[str, Any] = {"text": text, **extra}
    if external_id is not None:
        obj["id"] = external_id
    if layers:
        obj["annotations"] = list(layers)
    return obj


def jsonl(*objs: dict[str, Any] | bytes) -> bytes:
    return b"".join(
        o if isinstance(o, bytes) else json.dumps(o, ensure_ascii=False).encode("utf-8") + b"\n" for o in objs
    )


def annotated(external_id: str = "n1", text: str = NEWS) -> dict[str, Any]:
    """A new article with a figure supporting a claim in the gold layer."""
    return article(
        external_id,
        text,
        gold(
            span(text, "Rents rose 4.75% last year", "CLAIM", key="c"),
            span(text, "4.75%", "FIGURE", key="f"),
            relations=[rel("f", "c", "SUPPORTS")],
        ),
    )


def run(
    world: World, data: bytes, *, actor: str | User = "admin", filename: str = "import.jsonl", **options: Any
) -> Report:
    user = world.users[actor] if isinstance(actor, str) else actor
    return import_file(
        actor=user,
        project_id=world.project.pk,
        open_file=lambda: io.BytesIO(data),
        filename=filename,
        options=ImportOptions(**options),
    )


MODELS: dict[str, Any] = {
    "articles": Article,
    "spans": Span,
    "relations": Relation,
    "document_labels": DocumentLabel,
    "states": ArticleState,
    "labels": Label,
    "changes": ArticleChange,
}


def counts() -> dict[str, int]:
    return {name: model.objects.count() for name, model in MODELS.items()}


def errors(report: Report) -> list[tuple[int, str, str]]:
    return [(e["line"], e["field"], e["message"]) for e in report.errors]


@pytest.fixture
def stamps(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The change stamps taken from now on (projects' ids): an import that records no change
    takes none, whichever clock the database stamps with."""
    taken: list[int] = []
    real = changes.change_stamp

    def spy(project_id: int) -> int:
        taken.append(project_id)
        return real(project_id)

    monkeypatch.setattr(changes, "change_stamp", spy)
    return taken


def newest_stamp(world: World) -> int:
    return ArticleChange.objects.filter(project=world.project).aggregate(newest=Max("seq"))["newest"]


def nothing_written(report: Report, before: dict[str, int]) -> None:
    assert not report.written
    assert counts() == before
    assert (report.articles_created, report.spans_created, report.relations_created) == (0, 0, 0)


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


# --- idempotence and conflicts ------------------------------------------------------------------


def test_the_same_external_id_with_other_text_is_a_conflict(world: World) -> None:
    before = counts()
    report = run(world, jsonl(article("a1", "A different text."), article("n1", NEWS)))
    assert report.conflicts == 1
    assert errors(report) == [(1, "text", "conflict: article 'a1' exists with different text")]
    nothing_written(report, before)
    assert Article.objects.get(project=world.project, external_id="a1").text == TRICKY_TEXT

    report = run(world, jsonl(article("a1", "A different text."), article("n1", NEWS)), on_error="skip")
    assert (report.conflicts, report.articles_created) == (1, 1)
    assert Article.objects.get(project=world.project, external_id="a1").text == TRICKY_TEXT


def test_an_article_added_by_another_writer_meanwhile_is_a_conflict_and_nothing_is_written(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Someone stores "n2" after the import looked it up and before its rows go in: the
    # article's unique id refuses the import's row (on PostgreSQL while its inserts are still
    # queued, so the error comes at the next read or at the end), and the import says so.
    from annotator.articles.services import ArticleInput, articles_add

    reserve = writing.Writer.reserve

    def meanwhile(writer: writing.Writer, articles: int, spans: int) -> None:
        if not Article.objects.filter(project=world.project, external_id="n2").exists():
            articles_add(
                actor=world.users["admin"],
                project_id=world.project.pk,
                items=[ArticleInput(text=OTHER, external_id="n2")],
            )
        reserve(writer, articles, spans)

    monkeypatch.setattr(writing.Writer, "reserve", meanwhile)
    before = counts()
    with pytest.raises(
        Conflict, match="The project changed while the file was imported; nothing was written"
    ):
        run(world, jsonl(annotated("n1"), article("n2", OTHER)))
    assert counts() == before


def test_the_same_external_id_in_another_project_is_no_conflict(world: World) -> None:
    report = run(world, jsonl(article("o1", NEWS)))  # "o1" lives in the other project
    assert report.errors == [] and report.articles_created == 1


def test_an_external_id_twice_in_the_file_is_an_error(world: World) -> None:
    before = counts()
    report = run(
        world,
        jsonl(
            article("n1", NEWS),
            article("n2", OTHER),
            article("n1", NEWS),
            article(1, OTHER),
            article("1", OTHER),
        ),
    )
    assert errors(report) == [(3, "id", "repeats the id of line 1"), (5, "id", "repeats the id of line 4")]
    nothing_written(report, before)


def test_an_existing_article_with_the_same_text_is_not_written_again(world: World, stamps: list[int]) -> None:
    before = counts()
    report = run(world, jsonl(article("a1", TRICKY_TEXT)))
    assert report.errors == [] and report.written
    assert (report.articles_created, report.articles_unchanged) == (0, 1)
    assert counts() == before and stamps == []


def test_importing_the_same_file_twice_changes_nothing_the_second_time(
    world: World, stamps: list[int]
) -> None:
    label_create(actor=world.users["admin"], project_id=world.project.pk, kind="document", name="HOUSING")
    data = jsonl(
        annotated("n1"),
        article(
            "n2",
            OTHER,
            layer(
                "annotator",
                [span(OTHER, "55 NHS trusts", "FIGURE")],
                document_labels=["HOUSING"],
                annotator="annotator",
                state="submitted",
            ),
        ),
        article("n3", NEWS + " Three."),
    )
    first = run(world, data)
    assert first.errors == [] and first.articles_created == 3
    assert (
        first.spans_created,
        first.relations_created,
        first.document_labels_created,
        first.states_set,
    ) == (3, 1, 1, 1)
    before = counts()
    stamps.clear()
    second = run(world, data)
    assert second.errors == [] and second.written
    assert (second.articles_created, second.articles_unchanged) == (0, 3)
    assert (
        second.spans_created,
        second.relations_created,
        second.document_labels_created,
        second.states_set,
    ) == (0, 0, 0, 0)
    assert second.annotations_unchanged == 3 + 1 + 1
    assert counts() == before
    assert stamps == []  # no change recorded: incremental pulls see nothing new


def test_a_stored_article_gets_only_the_annotations_it_lacks(world: World) -> None:
    claim = span(TRICKY_TEXT, "said inflation was 4.75%", "CLAIM", "c")
    figure = span(TRICKY_TEXT, "4.75%", "FIGURE", "f")
    rebuttal = span(TRICKY_TEXT, "critics 🙄 said", "REBUTTAL", "r")
    run(world, jsonl(article("a1", TRICKY_TEXT, gold(claim, figure, relations=[rel("f", "c", "SUPPORTS")]))))
    before = counts()
    line = article(
        "a1",
        TRICKY_TEXT,
        gold(claim, figure, rebuttal, relations=[rel("f", "c", "SUPPORTS"), rel("r", "c", "REBUTS")]),
    )
    report = run(world, jsonl(line))
    assert report.errors == [] and report.articles_unchanged == 1
    assert (report.spans_created, report.relations_created, report.annotations_unchanged) == (1, 1, 3)
    after = counts()
    assert (after["spans"] - before["spans"], after["relations"] - before["relations"]) == (1, 1)
    assert after["articles"] == before["articles"]
    stored = Span.objects.get(article=world.article, label__name="REBUTTAL")
    assert stored.text == "critics 🙄 said" == world.article.text[stored.start : stored.end]
    [rebuts] = Relation.objects.filter(article=world.article, label__name="REBUTS")
    assert rebuts.source_id == stored.pk
    assert rebuts.target_id == Span.objects.get(article=world.article, label__name="CLAIM").pk


def test_the_same_span_twice_in_one_layer_is_written_once(world: World) -> None:
    line = article("n1", NEWS, gold(span(NEWS, "4.75%", "FIGURE", 1), span(NEWS, "4.75%", "FIGURE", 2)))
    report = run(world, jsonl(line))
    assert (report.spans_created, report.annotations_unchanged) == (1, 1)
    assert Span.objects.filter(article__external_id="n1").count() == 1


def test_a_relation_between_two_copies_of_one_span_is_a_line_error(world: World) -> None:
    line = article(
        "n1",
        NEWS,
        gold(
            span(NEWS, "4.75%", "FIGURE", 1), span(NEWS, "4.75%", "FIGURE", 2), relations=[rel(1, 2, "SAME")]
        ),
    )
    before = counts()
    report = run(world, jsonl(line), create_labels=True)
    assert [(n, field) for n, field, _ in errors(report)] == [(1, "annotations[0].relations[0].to")]
    nothing_written(report, before)


def test_a_line_without_an_id_imports_twice(world: World) -> None:
    data = jsonl(article(None, NEWS))
    assert run(world, data).articles_created == 1
    before = counts()
    second = run(world, data)
    assert (second.articles_created, second.articles_unchanged) == (0, 1)
    assert counts() == before


def test_an_id_with_spaces_matches_the_stored_article(world: World) -> None:
    before = counts()
    report = run(world, jsonl(article(" a1 ", "A different text.")))
    assert report.conflicts == 1 and errors(report)[0][1] == "text"
    assert counts() == before


# --- layers ------------------------------------------------------------------------------------


def test_an_annotator_layer_goes_to_that_member_with_their_state(world: World) -> None:
    annotator = world.users["annotator"]
    line = article(
        "a1",
        TRICKY_TEXT,
        layer("annotator", [span(TRICKY_TEXT, "4.75%", "FIGURE")], annotator="annotator", state="submitted"),
        layer("annotator", [span(TRICKY_TEXT, "55 NHS trusts", "FIGURE")], annotator="reviewer"),
    )
    report = run(world, jsonl(line))
    assert report.errors == [] and (report.spans_created, report.states_set) == (2, 1)
    mine = Span.objects.get(article=world.article, layer=Layer.ANNOTATOR, annotator=annotator)
    assert mine.text == "4.75%" and mine.origin == Origin.IMPORTED
    assert Span.objects.get(article=world.article, annotator=world.users["reviewer"]).text == "55 NHS trusts"
    assert ArticleState.objects.get(article=world.article, annotator=annotator).status == "submitted"
    assert not ArticleState.objects.filter(annotator=world.users["reviewer"]).exists()


@pytest.mark.parametrize("username", ["nobody", "researcher", "outsider"])
def test_an_annotator_layer_of_someone_who_does_not_annotate_here_is_an_error(
    world: World, username: str
) -> None:
    before = counts()
    line = article("n1", NEWS, layer("annotator", [span(NEWS, "4.75%", "FIGURE")], annotator=username))
    report = run(world, jsonl(line))
    [(number, field, message)] = errors(report)
    assert (number, field) == (1, "annotations[0].annotator")
    assert message.startswith(f"{username!r} is not a member of this project who annotates")
    nothing_written(report, before)


def test_an_unknown_state_is_an_error(world: World) -> None:
    line = article("n1", NEWS, layer("annotator", annotator="annotator", state="finished"))
    assert errors(run(world, jsonl(line))) == [
        (1, "annotations[0].state", "must be one of not_started, in_progress, submitted, skipped")
    ]


def test_layer_gold_puts_every_annotation_in_the_gold_layer(world: World) -> None:
    line = article(
        "n1",
        NEWS,
        layer("annotator", [span(NEWS, "4.75%", "FIGURE")], annotator="nobody", state="submitted"),
        layer("suggestions", [span(NEWS, "Rents rose", "CLAIM")]),
    )
    report = run(world, jsonl(line), layer="gold")
    assert report.errors == [] and (report.spans_created, report.states_set) == (2, 0)
    spans = Span.objects.filter(article__external_id="n1")
    assert {(s.layer, s.annotator_id, s.origin, s.suggestion_status) for s in spans} == {
        (Layer.GOLD, None, Origin.IMPORTED, "")
    }
    assert not ArticleState.objects.filter(article__external_id="n1").exists()


def test_suggestions_keep_recogniser_version_score_and_status(world: World) -> None:
    provenance = {"recogniser": "figures", "recogniser_version": "2.1", "score": 0.875, "status": "rejected"}
    line = article(
        "n1",
        NEWS,
        layer(
            "suggestions",
            [span(NEWS, "4.75%", "FIGURE", provenance=provenance), span(NEWS, "£1,400", "FIGURE")],
        ),
    )
    for options in ({}, {"layer": "suggestions"}):
        Article.objects.filter(external_id="n1").delete()
        report = run(world, jsonl(line), **options)
        assert report.errors == [] and report.spans_created == 2, options
        kept = Span.objects.get(article__external_id="n1", text="4.75%")
        assert (kept.layer, kept.annotator_id, kept.origin) == (Layer.SUGGESTION, None, Origin.SUGGESTED)
        assert (kept.recogniser, kept.recogniser_version, kept.score, kept.suggestion_status) == (
            "figures",
            "2.1",
            0.875,
            "rejected",
        )
        default = Span.objects.get(article__external_id="n1", text="£1,400")
        assert (default.recogniser, default.score, default.suggestion_status) == ("import", None, "pending")


def test_a_bad_suggestion_status_is_an_error(world: World) -> None:
    line = article(
        "n1", NEWS, layer("suggestions", [span(NEWS, "4.75%", "FIGURE", provenance={"status": "maybe"})])
    )
    assert errors(run(world, jsonl(line))) == [
        (1, "annotations[0].spans[0].provenance.status", "must be one of pending, accepted, rejected")
    ]


def test_layer_suggestions_turns_a_gold_layer_into_pending_suggestions(world: World) -> None:
    report = run(world, jsonl(annotated("n1")), layer="suggestions")
    assert report.errors == [] and (report.spans_created, report.relations_created) == (2, 1)
    spans = Span.objects.filter(article__external_id="n1")
    assert {(s.layer, s.origin, s.suggestion_status) for s in spans} == {
        (Layer.SUGGESTION, Origin.SUGGESTED, "pending")
    }
    [relation] = Relation.objects.filter(article__external_id="n1")
    assert (relation.layer, relation.suggestion_status) == (Layer.SUGGESTION, "pending")


def test_layer_suggestions_names_a_recogniser_for_every_suggestion(world: World) -> None:
    run(world, jsonl(annotated("n1")), layer="suggestions")
    assert set(Span.objects.filter(article__external_id="n1").values_list("recogniser", flat=True)) == {
        "import"
    }


def test_layer_none_imports_the_articles_alone(world: World) -> None:
    before = counts()
    line = article(
        "n1", NEWS, gold(span(NEWS, "Rents", "NOT_A_LABEL")), layer("annotator", annotator="nobody")
    )
    report = run(world, jsonl(line), layer="none")
    assert report.errors == [] and report.articles_created == 1
    after = counts()
    assert after["articles"] - before["articles"] == 1
    assert (after["spans"], after["relations"], after["labels"]) == (
        before["spans"],
        before["relations"],
        before["labels"],
    )


def test_layer_annotator_username_puts_everything_in_that_members_layer(world: World) -> None:
    reviewer = world.users["reviewer"]
    line = article(
        "n1",
        NEWS,
        gold(span(NEWS, "4.75%", "FIGURE")),
        layer("annotator", [span(NEWS, "£1,400", "FIGURE")], annotator="nobody", state="in_progress"),
    )
    report = run(world, jsonl(line), layer="annotator:reviewer")
    assert report.errors == [] and (report.spans_created, report.states_set) == (2, 1)
    spans = Span.objects.filter(article__external_id="n1")
    assert {(s.layer, s.annotator_id) for s in spans} == {(Layer.ANNOTATOR, reviewer.pk)}
    assert ArticleState.objects.get(article__external_id="n1", annotator=reviewer).status == "in_progress"


@pytest.mark.parametrize("target", ["annotator:nobody", "annotator:researcher", "annotator:outsider"])
def test_layer_annotator_of_a_non_annotating_user_is_refused(world: World, target: str) -> None:
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        run(world, jsonl(annotated("n1")), layer=target)
    assert caught.value.fields == {"layer": ["annotator:<username> of an annotating member"]}
    assert counts() == before


@pytest.mark.parametrize(
    ("options", "field"),
    [({"layer": "everyone"}, "layer"), ({"format": "csv"}, "format"), ({"on_error": "ignore"}, "on_error")],
)
def test_unusable_options_are_refused(world: World, options: dict[str, str], field: str) -> None:
    before = counts()
    with pytest.raises(InvalidInput) as caught:
        run(world, jsonl(annotated("n1")), **options)
    assert field in caught.value.fields
    assert counts() == before


# --- who may import ------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["reviewer", "annotator", "researcher"])
def test_members_who_are_not_admins_are_forbidden(world: World, role: str) -> None:
    before = counts()
    with pytest.raises(Forbidden):
        run(world, jsonl(annotated("n1")), actor=role)
    assert counts() == before


def test_an_outsider_is_told_the_project_does_not_exist(world: World) -> None:
    before = counts()
    with pytest.raises(NotFound):
        run(world, jsonl(annotated("n1")), actor="outsider")
    assert counts() == before


# --- projects that refuse overlapping spans -------------------------------------------------------


@pytest.fixture
def no_overlap(world: World) -> World:
    Project.objects.filter(pk=world.project.pk).update(allow_overlapping_spans=False)
    return world


def test_overlapping_spans_in_the_file_are_refused_when_the_project_forbids_them(no_overlap: World) -> None:
    before = counts()
    line = annotated("n1")  # "4.75%" lies inside the claim
    report = run(no_overlap, jsonl(line))
    start, end = at(NEWS, "Rents rose 4.75% last year")
    fig_start, fig_end = at(NEWS, "4.75%")
    assert errors(report) == [
        (
            1,
            "annotations[0].spans",
            f"this project does not allow overlapping spans: [{start}, {end}) overlaps [{fig_start}, {fig_end})",
        )
    ]
    nothing_written(report, before)


def test_touching_spans_and_overlaps_in_different_layers_are_fine(no_overlap: World) -> None:
    line = article(
        "n1",
        NEWS,
        gold(span(NEWS, "Rents rose", "CLAIM"), span(NEWS, " 4.75%", "FIGURE")),  # [a, b) then [b, c)
        layer("annotator", [span(NEWS, "rose 4.75%", "CLAIM")], annotator="annotator"),
    )
    report = run(no_overlap, jsonl(line))
    assert report.errors == [] and report.spans_created == 3


def test_overlap_with_a_stored_span_is_refused_but_the_same_span_is_not(no_overlap: World) -> None:
    claim = span(TRICKY_TEXT, "said inflation was 4.75%", "CLAIM")
    assert run(no_overlap, jsonl(article("a1", TRICKY_TEXT, gold(claim)))).spans_created == 1
    before = counts()
    report = run(no_overlap, jsonl(article("a1", TRICKY_TEXT, gold(span(TRICKY_TEXT, "4.75%", "FIGURE")))))
    start, end = at(TRICKY_TEXT, "4.75%")
    stored_start, stored_end = at(TRICKY_TEXT, "said inflation was 4.75%")
    assert errors(report) == [
        (
            1,
            "annotations",
            f"this project does not allow overlapping spans: [{start}, {end}) overlaps "
            f"the stored span [{stored_start}, {stored_end})",
        )
    ]
    nothing_written(report, before)
    again = run(no_overlap, jsonl(article("a1", TRICKY_TEXT, gold(claim))))
    assert again.errors == [] and again.annotations_unchanged == 1 and counts() == before
    # The stored gold span does not stop an annotator's layer from overlapping it.
    mine = layer("annotator", [span(TRICKY_TEXT, "4.75%", "FIGURE")], annotator="annotator")
    assert run(no_overlap, jsonl(article("a1", TRICKY_TEXT, mine))).spans_created == 1


def test_layers_merged_by_an_override_may_not_overlap_either(no_overlap: World) -> None:
    line = article(
        "n1",
        NEWS,
        layer("annotator", [span(NEWS, "Rents rose 4.75%", "CLAIM")], annotator="annotator"),
        layer("annotator", [span(NEWS, "4.75%", "FIGURE")], annotator="reviewer"),
    )
    before = counts()
    report = run(no_overlap, jsonl(line), layer="gold")
    assert report.error_count == 1
    nothing_written(report, before)


# --- change tracking for incremental exports ------------------------------------------------------


def parts(external_id: str) -> dict[str, int]:
    return dict(ArticleChange.objects.filter(article__external_id=external_id).values_list("part", "seq"))


# Transactional: on PostgreSQL a change is stamped with its transaction's id, and the world's
# articles must be stamped by a transaction before the import's.
@pytest.mark.django_db(transaction=True)
def test_an_import_marks_created_articles_and_annotated_layers_as_changed(world: World) -> None:
    a1_article_seq = parts("a1")["article"]
    line_new = annotated("n1")
    line_new["annotations"].append(
        layer("annotator", [span(NEWS, "rents fell", "REBUTTAL")], annotator="annotator")
    )
    line_new["annotations"].append(layer("suggestions", [span(NEWS, "£1,400", "FIGURE")]))
    line_plain = article("n2", OTHER)
    line_existing = article("a1", TRICKY_TEXT, gold(span(TRICKY_TEXT, "4.75%", "FIGURE")))
    report = run(world, jsonl(line_new, line_plain, line_existing))
    assert report.errors == [] and report.written
    seq = newest_stamp(world)
    # A new article needs its "article" stamp alone: that puts it into every pull, whatever
    # layers the pull selects (the export tests pull by layer); its layers get stamps when
    # they change later.
    assert parts("n1") == {"article": seq}
    assert parts("n2") == {"article": seq}
    # The stored article's text did not change; only the layer that got a span is marked.
    assert parts("a1") == {"article": a1_article_seq, "gold": seq}
    assert a1_article_seq < seq
    assert set(ArticleChange.objects.filter(seq=seq).values_list("project_id", flat=True)) == {
        world.project.pk
    }


def test_an_import_that_adds_nothing_to_a_layer_does_not_mark_it(world: World, stamps: list[int]) -> None:
    line = article("a1", TRICKY_TEXT, gold(span(TRICKY_TEXT, "4.75%", "FIGURE")))
    run(world, jsonl(line))
    marked = parts("a1")
    stamps.clear()
    report = run(world, jsonl(line))
    assert report.annotations_unchanged == 1
    assert parts("a1") == marked and stamps == []
