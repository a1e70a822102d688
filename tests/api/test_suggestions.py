"""Reviewing suggestions over the API: list, accept (own layer or gold), reject, bulk."""

import pytest

from annotator.annotations.models import AnnotationEvent, Relation, Span
from tests.conftest import TRICKY_TEXT
from tests.factories import relation_suggestion_create, suggestion_create

V1 = "/api/v1"


def suggest(world, part, label="FIGURE", score=0.9, recogniser="figures", article=None, **extra):
    article = article or world.article
    start = article.text.index(part)
    return suggestion_create(
        article=article,
        label=article.project.labels.get(name=label),
        start=start,
        end=start + len(part),
        recogniser=recogniser,
        recogniser_version="1.2",
        score=score,
        **extra,
    )


def suggest_link(world, source, target, label="SUPPORTS", score=0.8):
    return relation_suggestion_create(
        label=source.article.project.labels.get(name=label),
        source=source,
        target=target,
        recogniser="rebuttals",
        recogniser_version="2",
        score=score,
    )


def accept(client, suggestion, body=None):
    return client.post(f"{V1}/suggestions/{suggestion.pk}/accept/", body, format="json")


def reject(client, suggestion):
    return client.post(f"{V1}/suggestions/{suggestion.pk}/reject/", format="json")


def listing(world, client, query=""):
    return client.get(f"{V1}/articles/{world.article.pk}/suggestions/{query}")


@pytest.fixture
def figure(world):
    return suggest(world, "4.75%", attributes={"kind": "percentage"})


@pytest.fixture
def linked(world):
    """A FIGURE supports a CLAIM, all three suggested."""
    claim = suggest(world, "said inflation was", label="CLAIM", score=0.7, recogniser="quotes")
    figure = suggest(world, "4.75%")
    return claim, figure, suggest_link(world, figure, claim)


# --- listing ------------------------------------------------------------------------------


def test_list_defaults_to_pending_and_filters(world, api, linked):
    claim, figure, link = linked
    no_score = suggest(world, "£1,400", score=None)
    rejected = suggest(world, "55 NHS trusts")
    assert reject(api("annotator"), rejected).status_code == 200
    client = api("annotator")

    body = listing(world, client).json()
    assert {s["id"] for s in body["spans"]} == {claim.pk, figure.pk, no_score.pk}
    assert [r["id"] for r in body["relations"]] == [link.pk]
    assert body["relations"][0]["from"] == figure.pk and body["relations"][0]["to"] == claim.pk
    assert all(s["suggestion_status"] == "pending" for s in body["spans"])

    body = listing(world, client, "?min_score=0.75").json()
    assert {s["id"] for s in body["spans"]} == {figure.pk}
    assert [r["id"] for r in body["relations"]] == [link.pk]
    body = listing(world, client, "?min_score=0").json()  # no score counts as 0
    assert no_score.pk in {s["id"] for s in body["spans"]}
    body = listing(world, client, "?recogniser=quotes").json()
    assert ({s["id"] for s in body["spans"]}, body["relations"]) == ({claim.pk}, [])
    body = listing(world, client, "?status=rejected").json()
    assert [s["id"] for s in body["spans"]] == [rejected.pk]
    body = listing(world, client, "?status=").json()
    assert len(body["spans"]) == 4

    for bad in ("?min_score=abc", "?min_score=nan", "?status=done"):
        r = listing(world, client, bad)
        assert r.status_code == 400, bad
        assert r.json()["code"] == "invalid"
    assert listing(world, api("researcher")).status_code == 200


# --- accepting one ------------------------------------------------------------------------


def test_accept_creates_a_span_in_own_layer_with_provenance(world, api, figure):
    client = api("annotator")
    r = accept(client, figure)
    assert r.status_code == 201, r.json()
    body = r.json()
    assert r["ETag"] == '"1"'
    assert (body["layer"], body["annotator"], body["text"], body["label"]) == (
        "annotator",
        "annotator",
        "4.75%",
        "FIGURE",
    )
    provenance = {"origin": "accepted", "recogniser": "figures", "version": "1.2", "score": 0.9}
    assert body["provenance"] == {**provenance, "suggestion": figure.pk}
    assert body["attributes"] == {"kind": "percentage"}
    assert body["suggestion_status"] == ""
    detail = client.get(f"{V1}/spans/{body['id']}/").json()
    assert detail["provenance"] == {**provenance, "suggestion": figure.pk}

    figure.refresh_from_db()
    assert (figure.suggestion_status, figure.version) == ("accepted", 2)
    accepted = listing(world, client, "?status=accepted").json()["spans"]
    assert [(s["id"], s["suggestion_status"]) for s in accepted] == [(figure.pk, "accepted")]
    actions = set(
        AnnotationEvent.objects.filter(object_id__in=[figure.pk, body["id"]]).values_list(
            "action", "object_id"
        )
    )
    assert actions >= {("suggestion.accept", figure.pk), ("span.create", body["id"])}


def test_accepting_twice_gives_the_same_span(world, api, figure):
    client = api("annotator")
    first = accept(client, figure)
    assert first.status_code == 201
    again = accept(client, figure)
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert Span.objects.filter(layer="annotator").count() == 1
    figure.refresh_from_db()
    assert figure.version == 2


def test_reviewer_accepts_into_gold_annotator_may_not(world, api, figure):
    r = accept(api("annotator"), figure, {"layer": "gold"})
    assert r.status_code == 403
    figure.refresh_from_db()
    assert figure.suggestion_status == "pending"
    r = accept(api("reviewer"), figure, {"layer": "gold"})
    assert r.status_code == 201, r.json()
    assert (r.json()["layer"], r.json()["annotator"]) == ("gold", None)
    assert r.json()["provenance"]["suggestion"] == figure.pk
    assert accept(api("reviewer"), figure, {"layer": "bogus"}).status_code == 400
    assert accept(api("reviewer"), figure, {"layer": "suggestion"}).status_code == 403


def test_the_status_is_shared_by_the_project(world, api, figure):
    """Once accepted by one annotator it is not pending for anyone else (the model keeps one
    status per suggestion)."""
    assert accept(api("annotator"), figure).status_code == 201
    r = accept(api("reviewer"), figure, {"layer": "gold"})
    assert r.status_code == 409 and "another layer" in r.json()["detail"]
    assert listing(world, api("reviewer")).json()["spans"] == []


def test_editing_an_accepted_span_marks_it_edited(world, api, figure):
    client = api("annotator")
    span = accept(client, figure).json()
    r = client.patch(
        f"{V1}/spans/{span['id']}/", {"end": span["end"] - 1}, format="json", HTTP_IF_MATCH='"1"'
    )
    assert r.status_code == 200, r.json()
    assert r.json()["provenance"] == {
        "origin": "edited",
        "recogniser": "figures",
        "version": "1.2",
        "score": 0.9,
        "suggestion": figure.pk,
    }
    # Still the span accepted from it: accepting again returns it, edited.
    again = accept(client, figure)
    assert again.status_code == 200 and again.json()["id"] == span["id"]


def test_an_equal_span_already_in_the_layer_is_not_twinned(world, api, figure):
    client = api("annotator")
    manual = client.post(
        f"{V1}/articles/{world.article.pk}/spans/",
        {"start": figure.start, "end": figure.end, "label": "FIGURE"},
        format="json",
    ).json()
    r = accept(client, figure)
    assert r.status_code == 200 and r.json()["id"] == manual["id"]
    assert r.json()["provenance"] == {"origin": "manual"}
    figure.refresh_from_db()
    assert figure.suggestion_status == "accepted"
    assert Span.objects.filter(layer="annotator").count() == 1


def test_overlap_is_refused_where_the_project_forbids_it(world, api, figure):
    world.project.allow_overlapping_spans = False
    world.project.save()
    client = api("annotator")
    start = TRICKY_TEXT.index("was 4.75%")
    assert (
        client.post(
            f"{V1}/articles/{world.article.pk}/spans/",
            {"start": start, "end": start + 6, "label": "CLAIM"},
            format="json",
        ).status_code
        == 201
    )
    r = accept(client, figure)
    assert r.status_code == 409 and "overlap" in r.json()["detail"]
    figure.refresh_from_db()
    assert figure.suggestion_status == "pending"
    # The gold layer has no such span: a reviewer may accept it there.
    assert accept(api("reviewer"), figure, {"layer": "gold"}).status_code == 201


# --- rejecting ----------------------------------------------------------------------------


def test_reject_then_accept_is_a_conflict(world, api, figure):
    client = api("annotator")
    r = reject(client, figure)
    assert r.status_code == 200, r.json()
    assert (r.json()["id"], r.json()["suggestion_status"], r["ETag"]) == (figure.pk, "rejected", '"2"')
    again = reject(client, figure)
    assert again.status_code == 200 and again["ETag"] == '"2"'  # nothing changed
    r = accept(client, figure)
    assert r.status_code == 409 and "rejected" in r.json()["detail"]
    assert not Span.objects.filter(layer="annotator").exists()


def test_an_accepted_suggestion_cannot_be_rejected(world, api, figure):
    client = api("annotator")
    assert accept(client, figure).status_code == 201
    r = reject(client, figure)
    assert r.status_code == 409 and "accepted" in r.json()["detail"]


# --- relation suggestions -----------------------------------------------------------------


def test_accepting_a_relation_suggestion_brings_its_spans(world, api, linked):
    claim, figure, link = linked
    client = api("annotator")
    r = client.post(f"{V1}/relation-suggestions/{link.pk}/accept/", format="json")
    assert r.status_code == 201, r.json()
    body = r.json()
    assert (body["layer"], body["annotator"], body["label"]) == ("annotator", "annotator", "SUPPORTS")
    assert body["provenance"] == {
        "origin": "accepted",
        "recogniser": "rebuttals",
        "version": "2",
        "score": 0.8,
    }
    source, target = Span.objects.get(pk=body["from"]), Span.objects.get(pk=body["to"])
    assert (source.layer, source.source_suggestion_id, source.origin) == ("annotator", figure.pk, "accepted")
    assert (target.layer, target.source_suggestion_id, target.text) == (
        "annotator",
        claim.pk,
        "said inflation was",
    )
    statuses = {s["id"]: s["suggestion_status"] for s in listing(world, client, "?status=").json()["spans"]}
    assert statuses == {claim.pk: "accepted", figure.pk: "accepted"}
    link.refresh_from_db()
    assert link.suggestion_status == "accepted"
    again = client.post(f"{V1}/relation-suggestions/{link.pk}/accept/", format="json")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    assert Relation.objects.filter(layer="annotator").count() == 1


def test_relation_suggestion_reuses_a_span_accepted_before(world, api, linked):
    _claim, figure, link = linked
    client = api("reviewer")
    gold_figure = accept(client, figure, {"layer": "gold"}).json()
    r = client.post(f"{V1}/relation-suggestions/{link.pk}/accept/", {"layer": "gold"}, format="json")
    assert r.status_code == 201, r.json()
    assert r.json()["from"] == gold_figure["id"] and r.json()["layer"] == "gold"
    assert Span.objects.filter(layer="gold").count() == 2


def test_rejecting_a_span_suggestion_rejects_its_relation_suggestions(world, api, linked):
    claim, _figure, link = linked
    client = api("annotator")
    assert reject(client, claim).status_code == 200
    link.refresh_from_db()
    assert link.suggestion_status == "rejected"
    r = client.post(f"{V1}/relation-suggestions/{link.pk}/accept/", format="json")
    assert r.status_code == 409 and "rejected" in r.json()["detail"]
    assert not Span.objects.filter(layer="annotator").exists()


def test_reject_a_relation_suggestion_keeps_its_spans_pending(world, api, linked):
    claim, figure, link = linked
    r = api("annotator").post(f"{V1}/relation-suggestions/{link.pk}/reject/", format="json")
    assert r.status_code == 200 and r.json()["suggestion_status"] == "rejected"
    assert {s["id"] for s in listing(world, api("annotator")).json()["spans"]} == {claim.pk, figure.pk}


# --- bulk ---------------------------------------------------------------------------------


def bulk(world, client, verb, body=None):
    return client.post(f"{V1}/articles/{world.article.pk}/suggestions/{verb}/", body, format="json")


def test_bulk_accept_with_a_minimum_score(world, api, linked):
    _claim, _figure, _link = linked  # scores: claim 0.7, figure 0.9, link 0.8
    low = suggest(world, "55 NHS trusts", score=0.2)
    unscored = suggest(world, "£1,400", score=None)
    client = api("annotator")
    r = bulk(world, client, "accept", {"min_score": 0.8})
    assert r.status_code == 200, r.json()
    # The link scores 0.8 and brings its claim (0.7) with it, as a single accept would.
    assert r.json() == {
        "action": "accept",
        "accepted": 3,
        "spans": 2,
        "relations": 1,
        "created": 3,
        "skipped": 0,
        "skipped_items": [],
    }
    assert {s["id"] for s in listing(world, client).json()["spans"]} == {low.pk, unscored.pk}
    r = bulk(world, client, "accept")  # no minimum: everything, unscored included
    assert (r.json()["accepted"], r.json()["spans"]) == (2, 2)
    assert listing(world, client).json() == {"spans": [], "relations": []}
    assert Span.objects.filter(layer="annotator", origin="accepted").count() == 4


def test_bulk_accept_reports_what_it_skipped(world, api):
    world.project.allow_overlapping_spans = False
    world.project.save()
    best = suggest(world, "inflation was 4.75%", label="CLAIM", score=0.9)
    worse = suggest(world, "4.75%", score=0.6)
    other = suggest(world, "£1,400", score=0.5, recogniser="money")
    r = bulk(world, api("annotator"), "accept", {"recogniser": "figures"})
    assert r.status_code == 200, r.json()
    body = r.json()
    assert (body["accepted"], body["skipped"]) == (1, 1)
    [item] = body["skipped_items"]
    assert (item["kind"], item["id"], item["code"]) == ("span", worse.pk, "conflict")
    assert "overlap" in item["detail"]
    best.refresh_from_db()
    worse.refresh_from_db()
    other.refresh_from_db()
    assert (best.suggestion_status, worse.suggestion_status, other.suggestion_status) == (
        "accepted",
        "pending",
        "pending",
    )


def test_bulk_reject(world, api, linked):
    _claim, figure, _link = linked
    keep = suggest(world, "£1,400", score=0.95)
    r = bulk(world, api("annotator"), "reject", {"min_score": 0.6, "recogniser": "quotes"})
    assert r.status_code == 200, r.json()
    assert r.json() == {
        "action": "reject",
        "rejected": 2,  # the claim, and the link that used it
        "spans": 1,
        "relations": 1,
        "created": 0,
        "skipped": 0,
        "skipped_items": [],
    }
    assert {s["id"] for s in listing(world, api("annotator")).json()["spans"]} == {figure.pk, keep.pk}
    r = bulk(world, api("reviewer"), "reject", {})
    assert (r.json()["rejected"], r.json()["spans"]) == (2, 2)


def test_bulk_validates_its_body(world, api, figure):
    client = api("annotator")
    assert bulk(world, client, "accept", {"min_score": "high"}).status_code == 400
    assert bulk(world, client, "accept", {"layer": "gold"}).status_code == 403
    assert bulk(world, client, "accept", {"layer": "nope"}).status_code == 400
    figure.refresh_from_db()
    assert figure.suggestion_status == "pending"


# --- who may ------------------------------------------------------------------------------


def test_researchers_may_read_but_not_review(world, api, linked):
    _claim, figure, link = linked
    client = api("researcher")
    assert listing(world, client).status_code == 200
    refused = [
        accept(client, figure),
        accept(client, figure, {"layer": ["not", "a", "layer"]}),  # 403 before the body's 400
        reject(client, figure),
        client.post(f"{V1}/relation-suggestions/{link.pk}/accept/", format="json"),
        client.post(f"{V1}/relation-suggestions/{link.pk}/reject/", format="json"),
        bulk(world, client, "accept"),
        bulk(world, client, "reject", {"min_score": "x"}),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    assert {s.suggestion_status for s in Span.objects.filter(layer="suggestion")} == {"pending"}


def test_members_of_other_projects_and_missing_ids_get_404(world, api, linked):
    _claim, figure, link = linked
    outsider = api("outsider")
    theirs = suggest(world, "42%", article=world.other_article)
    paths = [
        ("get", f"{V1}/articles/{world.article.pk}/suggestions/"),
        ("post", f"{V1}/articles/{world.article.pk}/suggestions/accept/"),
        ("post", f"{V1}/articles/{world.article.pk}/suggestions/reject/"),
        ("post", f"{V1}/suggestions/{figure.pk}/accept/"),
        ("post", f"{V1}/suggestions/{figure.pk}/reject/"),
        ("post", f"{V1}/relation-suggestions/{link.pk}/accept/"),
        ("post", f"{V1}/relation-suggestions/{link.pk}/reject/"),
    ]
    for method, path in paths:
        r = getattr(outsider, method)(path, {"layer": ["bad"], "min_score": "bad"}, format="json")
        assert r.status_code == 404, (path, r.content)
    annotator = api("annotator")
    manual = annotator.post(
        f"{V1}/articles/{world.article.pk}/spans/", {"start": 0, "end": 3, "label": "CLAIM"}, format="json"
    ).json()
    missing = [
        f"{V1}/suggestions/{theirs.pk}/accept/",  # another project's suggestion
        f"{V1}/suggestions/{theirs.pk}/reject/",
        f"{V1}/suggestions/999999/accept/",
        f"{V1}/suggestions/{manual['id']}/accept/",  # a span, but not a suggestion
        f"{V1}/suggestions/{manual['id']}/reject/",
        f"{V1}/relation-suggestions/999999/accept/",
        f"{V1}/relation-suggestions/999999/reject/",
        f"{V1}/articles/999999/suggestions/accept/",
    ]
    for path in missing:
        r = annotator.post(path, format="json")
        assert r.status_code == 404, (path, r.content)
        assert r.json()["code"] == "not_found"
    assert annotator.get(f"{V1}/articles/{world.other_article.pk}/suggestions/").status_code == 404
    theirs.refresh_from_db()
    assert theirs.suggestion_status == "pending"
    assert {s.suggestion_status for s in Span.objects.filter(layer="suggestion")} == {"pending"}
