"""Fields a caller may not set on spans, relations, document labels and states change nothing.

Unknown or read-only fields in a body are ignored (the server decides owner, layer, project,
ids, versions, text and provenance) or the request is refused; either way the database shows
what the server decided, never what the caller sent.
"""

import pytest

from annotator.annotations.models import ArticleState, DocumentLabel, Relation, Span
from tests.api.helpers_mass_assignment import (
    IF_MATCH_1,
    V1,
    assert_server_decided,
    forged_fields,
    refused_and_unchanged,
    spans_url,
)
from tests.api.helpers_permissions import Scene, at, diff, snapshot

# --- spans ------------------------------------------------------------------------------------


@pytest.mark.parametrize("caller", ["annotator", "reviewer", "admin"])
def test_span_create_ignores_owner_article_ids_text_and_provenance(scene: Scene, caller: str) -> None:
    s = scene
    start, end = at(s.article.text, "£1,400")
    body = {"start": start, "end": end, "label": "FIGURE", **forged_fields(s)}
    other_spans = Span.objects.filter(article=s.other_article).count()
    response = s.client(caller).post(spans_url(s), body, format="json")
    assert response.status_code == 201, response.json()
    span = Span.objects.get(pk=response.json()["id"])
    assert_server_decided(span, s, owner=caller)
    assert (span.version, span.created_by_id) == (1, s.users[caller].pk)
    assert Span.objects.filter(article=s.other_article).count() == other_spans
    assert response.json()["annotator"] == caller and response.json()["text"] == "£1,400"


@pytest.mark.parametrize(
    ("caller", "layer", "status"),
    [
        ("annotator", "gold", 403),
        ("researcher", "gold", 403),
        ("researcher", "annotator", 403),
        ("annotator", "suggestion", 403),
        ("admin", "suggestion", 403),
        ("annotator", "bogus", 400),
        ("reviewer", "", 400),
    ],
)
def test_span_create_in_a_layer_the_caller_may_not_write(
    scene: Scene, caller: str, layer: str, status: int
) -> None:
    s = scene
    client = s.client(caller)
    before = snapshot()
    body = {"start": 0, "end": 3, "label": "CLAIM", "layer": layer}
    refused_and_unchanged(client.post(spans_url(s), body, format="json"), status, before)


def test_reviewer_naming_another_annotator_still_writes_own_layer(scene: Scene) -> None:
    s = scene
    body = {
        "start": 0,
        "end": 3,
        "label": "CLAIM",
        "layer": "annotator",
        "annotator": s.users["annotator"].pk,
    }
    response = s.client("reviewer").post(spans_url(s), body, format="json")
    assert response.status_code == 201
    assert Span.objects.get(pk=response.json()["id"]).annotator_id == s.users["reviewer"].pk


@pytest.mark.parametrize(
    ("caller", "key"),
    [("annotator", "ann_claim"), ("reviewer", "gold_claim"), ("reviewer", "reviewer_own"), ("admin", "ann2")],
)
def test_span_patch_ignores_layer_owner_article_ids_text_and_provenance(
    scene: Scene, caller: str, key: str
) -> None:
    s = scene
    original = s.spans[key]
    body = {**forged_fields(s), "layer": "gold" if original.layer != "gold" else "annotator"}
    body["end"] = original.end - 1
    response = s.client(caller).patch(f"{V1}/spans/{original.pk}/", body, format="json", **IF_MATCH_1)
    assert response.status_code == 200, response.json()
    span = Span.objects.get(pk=original.pk)
    assert (span.layer, span.annotator_id) == (original.layer, original.annotator_id)
    assert (span.article_id, span.created_by_id) == (original.article_id, original.created_by_id)
    assert span.version == 2
    assert (span.start, span.end) == (original.start, original.end - 1)
    assert span.text == s.article.text[span.start : span.end]
    assert (span.origin, span.suggestion_status, span.recogniser, span.attributes) == ("manual", "", "", {})


def test_span_patch_cannot_accept_a_suggestion_by_setting_its_status(scene: Scene) -> None:
    s = scene
    client = s.client("annotator")
    before = snapshot()
    body = {"suggestion_status": "accepted", "layer": "annotator", "annotator": s.users["annotator"].pk}
    response = client.patch(f"{V1}/spans/{s.spans['suggestion'].pk}/", body, format="json", **IF_MATCH_1)
    refused_and_unchanged(response, 403, before)


# --- relations, document labels, state ----------------------------------------------------------


def test_relation_create_ignores_layer_owner_and_article(scene: Scene) -> None:
    s = scene
    body = {
        "from": s.spans["ann_claim"].pk,
        "to": s.spans["ann_figure"].pk,
        "label": "LINKS",
        "layer": "gold",
        "annotator": s.users["annotator2"].pk,
        "article": s.other_article.pk,
        "version": 9,
        "created_by": s.users["admin"].pk,
    }
    response = s.client("annotator").post(f"{V1}/articles/{s.article.pk}/relations/", body, format="json")
    assert response.status_code == 201, response.json()
    rel = Relation.objects.get(pk=response.json()["id"])
    assert (rel.layer, rel.annotator_id, rel.article_id) == (
        "annotator",
        s.users["annotator"].pk,
        s.article.pk,
    )
    assert (rel.version, rel.created_by_id) == (1, s.users["annotator"].pk)


def test_relation_patch_cannot_move_its_ends_or_layer(scene: Scene) -> None:
    s = scene
    original = s.relations["ann"]
    body = {
        "label": "LINKS",
        "from": s.spans["gold_claim"].pk,
        "to": s.spans["gold_figure"].pk,
        "layer": "gold",
        "annotator": s.users["annotator2"].pk,
    }
    response = s.client("annotator").patch(
        f"{V1}/relations/{original.pk}/", body, format="json", **IF_MATCH_1
    )
    assert response.status_code == 200, response.json()
    rel = Relation.objects.get(pk=original.pk)
    assert (rel.source_id, rel.target_id) == (original.source_id, original.target_id)
    assert (rel.layer, rel.annotator_id, rel.label.name) == ("annotator", s.users["annotator"].pk, "LINKS")


def test_document_label_create_ignores_owner(scene: Scene) -> None:
    s = scene
    body = {"label": "OFFTOPIC", "annotator": s.users["annotator2"].pk, "article": s.other_article.pk}
    response = s.client("annotator").post(
        f"{V1}/articles/{s.article.pk}/document-labels/", body, format="json"
    )
    assert response.status_code == 201, response.json()
    obj = DocumentLabel.objects.get(pk=response.json()["id"])
    assert (obj.layer, obj.annotator_id, obj.article_id) == (
        "annotator",
        s.users["annotator"].pk,
        s.article.pk,
    )


def test_state_put_sets_only_the_callers_own_state(scene: Scene) -> None:
    s = scene
    theirs = ArticleState.objects.get(article=s.article, annotator=s.users["annotator2"])
    body = {"status": "submitted", "annotator": s.users["annotator2"].pk, "version": 7}
    response = s.client("annotator").put(f"{V1}/articles/{s.article.pk}/state/", body, format="json")
    assert response.status_code == 200, response.json()
    mine = ArticleState.objects.get(article=s.article, annotator=s.users["annotator"])
    assert (mine.status, mine.version) == ("submitted", 1)
    after = ArticleState.objects.get(pk=theirs.pk)
    assert (after.status, after.version, after.updated_at) == (
        theirs.status,
        theirs.version,
        theirs.updated_at,
    )


# --- a write of nothing but forbidden fields ------------------------------------------------------


def test_span_patch_of_only_forbidden_fields_changes_nothing(scene: Scene) -> None:
    s = scene
    client = s.client("annotator")
    before = snapshot()
    body = {"layer": "gold", "annotator": s.users["annotator2"].pk, "version": 5}
    response = client.patch(f"{V1}/spans/{s.spans['ann_claim'].pk}/", body, format="json", **IF_MATCH_1)
    assert response.status_code in (200, 400), response.content[:300]
    assert diff(before, snapshot()) == []


def test_project_patch_of_only_forbidden_fields_changes_nothing(scene: Scene) -> None:
    s = scene
    client = s.client("admin")
    before = snapshot()
    response = client.patch(
        f"{V1}/projects/{s.project.pk}/", {"id": 4242, "role": "researcher"}, format="json"
    )
    assert response.status_code in (200, 400), response.content[:300]
    assert diff(before, snapshot()) == []
