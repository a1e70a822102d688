from annotator.annotations.models import AnnotationEvent, Origin, Span
from annotator.annotations.services import (
    relation_create,
    span_create,
    span_delete,
    span_update,
    state_set,
)
from tests.factories import suggestion_create


def test_services_write_history_with_before_and_after(world):
    user = world.users["annotator"]
    claim = span_create(actor=user, article_id=world.article.pk, start=0, end=3, label="CLAIM")
    span_update(actor=user, span_id=claim.pk, expected_version=1, end=12)
    events = list(AnnotationEvent.objects.filter(object_type="span", object_id=claim.pk))
    assert [e.action for e in events] == ["span.create", "span.update"]
    created, updated = events[0], events[1]
    assert created.before is None and created.after is not None and created.after["end"] == 3
    assert updated.before is not None and updated.after is not None
    assert updated.before["end"] == 3 and updated.after["end"] == 12 and updated.after["version"] == 2
    assert events[1].actor == user and events[1].layer == "annotator" and events[1].layer_annotator == user
    figure_at = world.article.text.index("4.75%")
    figure = span_create(
        actor=user, article_id=world.article.pk, start=figure_at, end=figure_at + 5, label="FIGURE"
    )
    relation_create(
        actor=user, article_id=world.article.pk, source_id=figure.pk, target_id=claim.pk, label="SUPPORTS"
    )
    span_delete(actor=user, span_id=claim.pk, expected_version=2)
    last = list(AnnotationEvent.objects.order_by("-id")[:2])
    assert {e.action for e in last} == {"span.delete", "relation.delete"}
    assert all(e.after is None and e.before for e in last)
    state_set(actor=user, article_id=world.article.pk, status="submitted", expected_version=None)
    # The first span put the article in progress (at version 0): submitting updates that state.
    submitted = AnnotationEvent.objects.get(action="state.update", after__status="submitted")
    assert submitted.before == {"status": "in_progress", "version": 0}
    assert submitted.after == {"status": "submitted", "version": 1}


def test_suggestion_layer_and_edited_provenance(world):
    label = world.project.labels.get(name="FIGURE")
    at = world.article.text.index("£1,400")
    suggestion = suggestion_create(
        article=world.article,
        label=label,
        start=at,
        end=at + 6,
        recogniser="figures",
        recogniser_version="1.0",
        score=0.8,
    )
    assert (suggestion.layer, suggestion.suggestion_status, suggestion.origin) == (
        "suggestion",
        "pending",
        "suggested",
    )
    assert suggestion.text == "£1,400"
    # An accepted copy (made by the accept service of a later issue) turns "edited" when changed.
    user = world.users["annotator"]
    accepted = Span.objects.create(
        article=world.article,
        label=label,
        start=at,
        end=at + 6,
        text="£1,400",
        layer="annotator",
        annotator=user,
        origin=Origin.ACCEPTED,
        source_suggestion=suggestion,
        recogniser="figures",
        recogniser_version="1.0",
        score=0.8,
    )
    span_update(actor=user, span_id=accepted.pk, expected_version=1, start=at + 1)
    accepted.refresh_from_db()
    assert (
        accepted.origin == Origin.EDITED
        and accepted.source_suggestion == suggestion
        and accepted.text == "1,400"
    )
