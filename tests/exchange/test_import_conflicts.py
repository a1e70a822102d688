"""The import service: idempotent re-imports, duplicate ids and conflicts with stored articles."""

import pytest

from annotator.annotations.models import Relation, Span
from annotator.articles.models import Article
from annotator.common.errors import Conflict
from annotator.exchange.importing import writing
from annotator.projects.services import label_create
from tests.conftest import TRICKY_TEXT, World
from tests.exchange.import_helpers import (
    NEWS,
    OTHER,
    annotated,
    article,
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
