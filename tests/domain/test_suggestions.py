"""The suggestion services: provenance, history, change marks, and all-or-nothing per item."""

import pytest

from annotator.annotations.models import AnnotationEvent, Origin, Relation, Span
from annotator.annotations.review import relation_suggestion_accept, suggestion_accept, suggestions_bulk
from annotator.annotations.services import relation_update, span_create, span_update
from annotator.articles.models import ArticleChange
from annotator.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from annotator.projects.models import LabelKind
from annotator.projects.services import label_create
from tests.factories import relation_suggestion_create, suggestion_create


def suggest(world, part, label="FIGURE", score=0.5):
    start = world.article.text.index(part)
    return suggestion_create(
        article=world.article,
        label=world.project.labels.get(name=label),
        start=start,
        end=start + len(part),
        recogniser="test",
        recogniser_version="1",
        score=score,
    )


def link(world, source, target, label="SUPPORTS", score=0.9):
    return relation_suggestion_create(
        label=world.project.labels.get(name=label),
        source=source,
        target=target,
        recogniser="test",
        recogniser_version="1",
        score=score,
    )


def test_accept_records_history_and_one_change_for_both_layers(world):
    user = world.users["annotator"]
    figure = suggest(world, "4.75%")
    span, created = suggestion_accept(actor=user, suggestion_id=figure.pk)
    assert created and (span.origin, span.source_suggestion_id, span.annotator_id) == (
        Origin.ACCEPTED,
        figure.pk,
        user.pk,
    )
    event = AnnotationEvent.objects.get(action="suggestion.accept", object_id=figure.pk)
    assert event.before is not None and event.after is not None
    assert event.before["suggestion_status"] == "pending" and event.after["suggestion_status"] == "accepted"
    assert event.actor == user
    changes = {c.part: c.seq for c in ArticleChange.objects.filter(article=world.article)}
    assert changes["suggestion"] == changes[f"annotator:{user.pk}"]
    # Accepting again changes and records nothing.
    events = AnnotationEvent.objects.count()
    assert suggestion_accept(actor=user, suggestion_id=figure.pk) == (span, False)
    assert AnnotationEvent.objects.count() == events


def test_errors_for_who_and_what(world):
    figure = suggest(world, "4.75%")
    with pytest.raises(NotFound):
        suggestion_accept(actor=world.users["outsider"], suggestion_id=figure.pk)
    with pytest.raises(Forbidden):
        suggestion_accept(actor=world.users["researcher"], suggestion_id=figure.pk)
    with pytest.raises(Forbidden):
        suggestion_accept(actor=world.users["annotator"], suggestion_id=figure.pk, layer="gold")
    with pytest.raises(InvalidInput):
        suggestions_bulk(actor=world.users["annotator"], article_id=world.article.pk, action="approve")
    with pytest.raises(InvalidInput):
        suggestions_bulk(
            actor=world.users["annotator"],
            article_id=world.article.pk,
            action="accept",
            min_score=float("nan"),
        )
    with pytest.raises(NotFound):
        relation_suggestion_accept(actor=world.users["annotator"], suggestion_id=figure.pk)


def test_relation_suggestions_must_join_suggestions_within_the_schema(world):
    claim, figure = suggest(world, "said inflation was", "CLAIM"), suggest(world, "4.75%")
    with pytest.raises(InvalidInput, match="REBUTTAL"):
        link(world, figure, claim, label="REBUTS")
    with pytest.raises(InvalidInput, match="relation label"):
        link(world, figure, claim, label="FIGURE")
    manual = span_create(
        actor=world.users["annotator"], article_id=world.article.pk, start=0, end=3, label="CLAIM"
    )
    with pytest.raises(InvalidInput, match="two span suggestions"):
        link(world, figure, manual)


def test_a_relation_that_cannot_bring_both_spans_leaves_nothing_behind(world):
    world.project.allow_overlapping_spans = False
    world.project.save()
    user = world.users["annotator"]
    claim, figure = suggest(world, "said inflation was", "CLAIM"), suggest(world, "4.75%")
    relation = link(world, figure, claim)
    start = world.article.text.index("inflation")
    span_create(actor=user, article_id=world.article.pk, start=start, end=start + 9, label="CLAIM")
    with pytest.raises(Conflict, match="cannot bring its spans"):
        relation_suggestion_accept(actor=user, suggestion_id=relation.pk)
    figure.refresh_from_db()
    assert figure.suggestion_status == "pending"  # the first span came back out too
    # In bulk (only the relation scores high enough) it is skipped, and nothing half-made stays.
    events = AnnotationEvent.objects.count()
    result = suggestions_bulk(actor=user, article_id=world.article.pk, action="accept", min_score=0.8)
    assert (result["accepted"], result["created"], result["skipped"]) == (0, 0, 1)
    assert result["skipped_items"][0]["kind"] == "relation"
    assert Span.objects.filter(layer="annotator").count() == 1
    assert AnnotationEvent.objects.count() == events
    figure.refresh_from_db()
    assert figure.suggestion_status == "pending"


def test_a_relabelled_span_breaks_the_relation_schema(world):
    user = world.users["annotator"]
    claim, figure = suggest(world, "said inflation was", "CLAIM"), suggest(world, "4.75%")
    relation = link(world, figure, claim)
    accepted_claim, _ = suggestion_accept(actor=user, suggestion_id=claim.pk)
    span_update(actor=user, span_id=accepted_claim.pk, expected_version=1, label="REBUTTAL")
    with pytest.raises(InvalidInput, match="CLAIM"):
        relation_suggestion_accept(actor=user, suggestion_id=relation.pk)
    result = suggestions_bulk(actor=user, article_id=world.article.pk, action="accept")
    assert [(i["kind"], i["code"]) for i in result["skipped_items"]] == [("relation", "invalid")]
    assert result["spans"] == 1  # the figure; the relation's own attempt left nothing


def test_relabelling_an_accepted_relation_marks_it_edited(world):
    user = world.users["annotator"]
    claim, figure = suggest(world, "said inflation was", "CLAIM"), suggest(world, "4.75%")
    accepted, created = relation_suggestion_accept(actor=user, suggestion_id=link(world, figure, claim).pk)
    assert created and accepted.origin == Origin.ACCEPTED
    label_create(
        actor=world.users["admin"], project_id=world.project.pk, kind=LabelKind.RELATION, name="LINKS"
    )
    relation_update(actor=user, relation_id=accepted.pk, expected_version=1, label="LINKS")
    assert Relation.objects.get(pk=accepted.pk).origin == Origin.EDITED
