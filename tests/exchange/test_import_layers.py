"""The import service: layers and suggestions, who may import, overlap rules and change tracking."""

import pytest

from annotator.annotations.models import ArticleState, Layer, Origin, Relation, Span
from annotator.articles.models import Article, ArticleChange
from annotator.common.errors import Forbidden, InvalidInput, NotFound
from annotator.projects.models import Project
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
    layer,
    newest_stamp,
    nothing_written,
    run,
    span,
)

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
