"""Spans, relations, document labels and state over the API: the happy paths and the rules."""

from annotator.annotations.models import AnnotationEvent, Span
from tests.conftest import TRICKY_TEXT


def span_url(world, suffix=""):
    return f"/api/v1/articles/{world.article.pk}/spans/{suffix}"


def test_create_span_returns_text_and_etag(world, api):
    start = TRICKY_TEXT.index("4.75%")
    r = api("annotator").post(
        span_url(world), {"start": start, "end": start + 5, "label": "FIGURE"}, format="json"
    )
    assert r.status_code == 201, r.json()
    body = r.json()
    assert body["text"] == "4.75%"
    assert body["layer"] == "annotator" and body["annotator"] == "annotator"
    assert body["provenance"] == {"origin": "manual"}
    assert r["ETag"] == '"1"'
    assert AnnotationEvent.objects.filter(action="span.create", object_id=body["id"]).count() == 1


def test_offsets_after_emoji_are_code_points(world, api):
    start = TRICKY_TEXT.index("£1,400")
    r = api("annotator").post(
        span_url(world), {"start": start, "end": start + 6, "label": "FIGURE"}, format="json"
    )
    assert r.status_code == 201
    span = Span.objects.get(pk=r.json()["id"])
    assert span.text == TRICKY_TEXT[span.start : span.end] == "£1,400"


def test_label_by_id_and_unknown_label(world, api):
    claim = world.project.labels.get(name="CLAIM")
    client = api("annotator")
    assert (
        client.post(span_url(world), {"start": 0, "end": 3, "label": claim.pk}, format="json").status_code
        == 201
    )
    r = client.post(span_url(world), {"start": 0, "end": 3, "label": "NOPE"}, format="json")
    assert r.status_code == 400 and "NOPE" in r.json()["detail"]
    r = client.post(span_url(world), {"start": 0, "end": 3, "label": "REBUTS"}, format="json")
    assert r.status_code == 400 and "relation label" in r.json()["detail"]


def test_duplicate_span_is_conflict(world, api):
    client = api("annotator")
    body = {"start": 0, "end": 3, "label": "CLAIM"}
    assert client.post(span_url(world), body, format="json").status_code == 201
    assert client.post(span_url(world), body, format="json").status_code == 409


def test_overlap_policy(world, api):
    world.project.allow_overlapping_spans = False
    world.project.save()
    client = api("annotator")
    assert (
        client.post(span_url(world), {"start": 0, "end": 10, "label": "CLAIM"}, format="json").status_code
        == 201
    )
    r = client.post(span_url(world), {"start": 5, "end": 12, "label": "FIGURE"}, format="json")
    assert r.status_code == 409 and "overlap" in r.json()["detail"]
    # Other layers are independent.
    assert (
        api("reviewer")
        .post(span_url(world), {"start": 5, "end": 12, "label": "FIGURE"}, format="json")
        .status_code
        == 201
    )


def test_patch_sets_changes_and_removes_the_speaker(world, api):
    client = api("annotator")
    span = client.post(span_url(world), {"start": 0, "end": 3, "label": "CLAIM"}, format="json").json()
    url = f"/api/v1/spans/{span['id']}/"
    set_ = client.patch(url, {"speaker": " Ann Smith "}, format="json", HTTP_IF_MATCH='"1"')
    assert set_.status_code == 200 and set_.json()["attributes"] == {"speaker": "Ann Smith"}
    assert set_["ETag"] == '"2"'
    stale = client.patch(url, {"speaker": "Bob"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412
    changed = client.patch(url, {"speaker": "Bob"}, format="json", HTTP_IF_MATCH='"2"')
    assert changed.json()["attributes"] == {"speaker": "Bob"}
    removed = client.patch(url, {"speaker": ""}, format="json", HTTP_IF_MATCH='"3"')
    assert removed.status_code == 200 and removed.json()["attributes"] == {}
    assert Span.objects.get(pk=span["id"]).version == 4
    # The history shows each change of speaker, before and after.
    updates = AnnotationEvent.objects.filter(action="span.update", object_id=span["id"]).order_by("pk")
    assert [((e.before or {}).get("speaker"), (e.after or {}).get("speaker")) for e in updates] == [
        (None, "Ann Smith"),
        ("Ann Smith", "Bob"),
        ("Bob", None),
    ]


def test_patch_with_if_match_and_stale_write(world, api):
    client = api("annotator")
    span = client.post(span_url(world), {"start": 0, "end": 3, "label": "CLAIM"}, format="json").json()
    url = f"/api/v1/spans/{span['id']}/"
    assert client.patch(url, {"end": 12}, format="json").status_code == 428
    first = client.patch(url, {"end": 12}, format="json", HTTP_IF_MATCH='"1"')
    assert first.status_code == 200 and first.json()["text"] == TRICKY_TEXT[:12] and first["ETag"] == '"2"'
    stale = client.patch(url, {"label": "FIGURE"}, format="json", HTTP_IF_MATCH='"1"')
    assert stale.status_code == 412 and stale["ETag"] == '"2"'
    stored = Span.objects.get(pk=span["id"])
    assert (stored.end, stored.label.name, stored.version) == (12, "CLAIM", 2)
    assert client.delete(url, HTTP_IF_MATCH='"1"').status_code == 412
    assert client.delete(url, HTTP_IF_MATCH='W/"2"').status_code == 204
    assert not Span.objects.filter(pk=span["id"]).exists()


def test_gold_layer_for_reviewers_only(world, api):
    body = {"start": 0, "end": 3, "label": "CLAIM", "layer": "gold"}
    assert api("annotator").post(span_url(world), body, format="json").status_code == 403
    r = api("reviewer").post(span_url(world), body, format="json")
    assert r.status_code == 201 and r.json()["layer"] == "gold" and r.json()["annotator"] is None
    assert (
        api("annotator").post(span_url(world), {**body, "layer": "suggestion"}, format="json").status_code
        == 403
    )
    assert api("reviewer").post(span_url(world), {**body, "layer": "bogus"}, format="json").status_code == 400


def test_layers_visible_by_role(world, api):
    api("annotator").post(span_url(world), {"start": 0, "end": 3, "label": "CLAIM"}, format="json")
    api("reviewer").post(
        span_url(world), {"start": 0, "end": 3, "label": "CLAIM", "layer": "gold"}, format="json"
    )
    from tests.factories import suggestion_create

    suggestion_create(
        article=world.article,
        label=world.project.labels.get(name="FIGURE"),
        start=40,
        end=45,
        recogniser="figures",
        recogniser_version="1",
        score=0.9,
    )
    seen = {
        role: {(s["layer"], s["annotator"]) for s in api(role).get(span_url(world)).json()}
        for role in ("admin", "reviewer", "annotator", "researcher")
    }
    everything = {("annotator", "annotator"), ("gold", None), ("suggestion", None)}
    assert seen["admin"] == seen["reviewer"] == seen["researcher"] == everything
    assert seen["annotator"] == {("annotator", "annotator"), ("suggestion", None)}
    detail = api("annotator").get(f"/api/v1/articles/{world.article.pk}/").json()
    assert {s["layer"] for s in detail["spans"]} == {"annotator", "suggestion"}
    suggestion = next(s for s in detail["spans"] if s["layer"] == "suggestion")
    assert suggestion["provenance"] == {
        "origin": "suggested",
        "recogniser": "figures",
        "recogniser_version": "1",
        "score": 0.9,
    }
    assert suggestion["suggestion_status"] == "pending"


def test_relations_follow_schema(world, api):
    client = api("annotator")
    text = TRICKY_TEXT
    claim = client.post(span_url(world), {"start": 0, "end": 45, "label": "CLAIM"}, format="json").json()
    reb_start = text.index("But")
    rebuttal = client.post(
        span_url(world), {"start": reb_start, "end": reb_start + 20, "label": "REBUTTAL"}, format="json"
    ).json()
    fig = client.post(
        span_url(world),
        {"start": text.index("4.75%"), "end": text.index("4.75%") + 5, "label": "FIGURE"},
        format="json",
    ).json()
    url = f"/api/v1/articles/{world.article.pk}/relations/"
    ok = client.post(url, {"from": rebuttal["id"], "to": claim["id"], "label": "REBUTS"}, format="json")
    assert ok.status_code == 201, ok.json()
    assert ok.json()["from"] == rebuttal["id"] and ok.json()["to"] == claim["id"]
    bad = client.post(url, {"from": fig["id"], "to": claim["id"], "label": "REBUTS"}, format="json")
    assert bad.status_code == 400 and "REBUTTAL" in bad.json()["detail"]
    assert (
        client.post(
            url, {"from": rebuttal["id"], "to": claim["id"], "label": "REBUTS"}, format="json"
        ).status_code
        == 409
    )
    assert (
        client.post(
            url, {"from": claim["id"], "to": claim["id"], "label": "SUPPORTS"}, format="json"
        ).status_code
        == 400
    )
    # Relabelling the rebuttal would break the relation: refused, nothing changes.
    r = client.patch(
        f"/api/v1/spans/{rebuttal['id']}/", {"label": "FIGURE"}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert r.status_code == 400
    assert Span.objects.get(pk=rebuttal["id"]).label.name == "REBUTTAL"
    # Spans of another layer are not linkable.
    gold = (
        api("reviewer")
        .post(span_url(world), {"start": 0, "end": 45, "label": "CLAIM", "layer": "gold"}, format="json")
        .json()
    )
    r = client.post(url, {"from": rebuttal["id"], "to": gold["id"], "label": "REBUTS"}, format="json")
    assert r.status_code == 404  # the annotator cannot see the gold layer
    r = api("admin").post(url, {"from": rebuttal["id"], "to": gold["id"], "label": "REBUTS"}, format="json")
    assert r.status_code == 400 and "same layer" in r.json()["detail"]
    # Deleting a span deletes its relations.
    assert client.delete(f"/api/v1/spans/{claim['id']}/", HTTP_IF_MATCH='"1"').status_code == 204
    assert client.get(url).json() == []


def test_document_labels(world, api, admin_client_label=None):
    api("admin").post(
        f"/api/v1/projects/{world.project.pk}/labels/", {"kind": "document", "name": "OPINION"}, format="json"
    )
    url = f"/api/v1/articles/{world.article.pk}/document-labels/"
    client = api("annotator")
    r = client.post(url, {"label": "OPINION"}, format="json")
    assert r.status_code == 201 and r.json()["label"] == "OPINION"
    assert client.post(url, {"label": "OPINION"}, format="json").status_code == 409
    detail = f"/api/v1/document-labels/{r.json()['id']}/"
    assert client.delete(detail).status_code == 428
    assert client.delete(detail, HTTP_IF_MATCH='"1"').status_code == 204


def test_state_versions(world, api):
    client = api("annotator")
    url = f"/api/v1/articles/{world.article.pk}/state/"
    assert client.get(url).json() == {"status": "not_started", "version": 0}
    r = client.put(url, {"status": "in_progress"}, format="json")
    assert r.status_code == 200 and r.json() == {"status": "in_progress", "version": 1}
    assert client.put(url, {"status": "submitted"}, format="json").status_code == 428
    assert client.put(url, {"status": "submitted"}, format="json", HTTP_IF_MATCH='"0"').status_code == 412
    r = client.put(url, {"status": "submitted"}, format="json", HTTP_IF_MATCH='"1"')
    assert r.json() == {"status": "submitted", "version": 2}
    assert client.put(url, {"status": "done"}, format="json", HTTP_IF_MATCH='"2"').status_code == 400
    assert api("researcher").put(url, {"status": "submitted"}, format="json").status_code == 403
    listing = client.get(f"/api/v1/projects/{world.project.pk}/articles/?status=submitted").json()
    assert [a["id"] for a in listing["results"]] == [world.article.pk]
    assert (
        api("reviewer").get(f"/api/v1/projects/{world.project.pk}/articles/?status=submitted").json()["count"]
        == 0
    )


def test_article_detail_etag_and_304(world, api):
    client = api("researcher")
    url = f"/api/v1/articles/{world.article.pk}/"
    r = client.get(url)
    assert r.status_code == 200 and r.json()["text"] == TRICKY_TEXT and r.json()["offsets"] == "codepoint"
    tag = r["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 304
    api("annotator").post(span_url(world), {"start": 0, "end": 3, "label": "CLAIM"}, format="json")
    assert client.get(url, HTTP_IF_NONE_MATCH=tag).status_code == 200
