"""Adjudication into gold: m of n layers, overlapping and nested spans, relations, document
labels, what gold has already, provenance, disagreements; copies; review status; the queue."""

from typing import Any

import pytest

from annotator.annotations.models import AnnotationEvent, DocumentLabel, Layer, Origin, Relation, Span
from annotator.jobs.models import Job
from annotator.jobs.runner import run_job
from annotator.projects.services import label_create
from tests.conftest import World

V1 = "/api/v1"
TEXT = "The minister said prices rose 4.75% last year. Unions said that is not true at all."


@pytest.fixture
def article(team: World) -> int:
    response = team.client("admin").post(
        f"{V1}/projects/{team.project.pk}/articles/", {"text": TEXT, "external_id": "adj"}, format="json"
    )
    return int(response.json()["id"])


def at(needle: str) -> tuple[int, int]:
    start = TEXT.index(needle)
    return start, start + len(needle)


def span(world: World, who: str, article: int, needle: str, label: str, layer: str = "annotator") -> int:
    start, end = at(needle)
    body = {"start": start, "end": end, "label": label, "layer": layer}
    response = world.client(who).post(f"{V1}/articles/{article}/spans/", body, format="json")
    assert response.status_code == 201, response.json()
    return int(response.json()["id"])


def link(world: World, who: str, article: int, source: int, target: int, label: str) -> int:
    body = {"from": source, "to": target, "label": label}
    response = world.client(who).post(f"{V1}/articles/{article}/relations/", body, format="json")
    assert response.status_code == 201, response.json()
    return int(response.json()["id"])


def submit(world: World, who: str, article: int) -> None:
    response = world.client(who).put(
        f"{V1}/articles/{article}/state/", {"status": "submitted"}, format="json"
    )
    assert response.status_code == 200, response.json()


def adjudicate(world: World, article: int, **body: Any) -> dict[str, Any]:
    response = world.client("reviewer").post(f"{V1}/articles/{article}/adjudicate/", body, format="json")
    assert response.status_code == 200, response.json()
    return dict(response.json())


@pytest.fixture
def three_layers(team: World, article: int) -> dict[str, dict[str, int]]:
    """annotator, ann2, ann3: all mark the claim; two the figure (one with other bounds);
    nested and overlapping rebuttals; REBUTS from two layers; a document label from all."""
    label_create(actor=team.admin, project_id=team.project.pk, kind="document", name="SATIRE")
    ids: dict[str, dict[str, int]] = {}
    for who in ("annotator", "ann2", "ann3"):
        mine = ids[who] = {}
        mine["claim"] = span(team, who, article, "prices rose 4.75% last year", "CLAIM")
        mine["figure"] = span(team, who, article, "4.75%" if who != "ann3" else "4.75", "FIGURE")
        team.client(who).post(f"{V1}/articles/{article}/document-labels/", {"label": "SATIRE"}, format="json")
    ids["annotator"]["rebuttal"] = span(team, "annotator", article, "that is not true", "REBUTTAL")
    ids["ann2"]["rebuttal"] = span(team, "ann2", article, "that is not true", "REBUTTAL")
    ids["ann3"]["rebuttal"] = span(team, "ann3", article, "not true at all", "REBUTTAL")  # overlaps theirs
    for who in ("annotator", "ann2"):
        ids[who]["rebuts"] = link(team, who, article, ids[who]["rebuttal"], ids[who]["claim"], "REBUTS")
    for who in ("annotator", "ann2", "ann3"):
        submit(team, who, article)
    return ids


def gold_spans(article: int) -> dict[tuple[int, int, str], Span]:
    return {
        (s.start, s.end, s.label.name): s for s in Span.objects.filter(article_id=article, layer=Layer.GOLD)
    }


def test_m_of_n_copies_what_enough_layers_share_with_provenance(
    team: World, article: int, three_layers: dict[str, dict[str, int]]
) -> None:
    result = adjudicate(team, article, min_agreement=2)
    assert result["added"] == {"spans": 3, "relations": 1, "document_labels": 1}
    gold = gold_spans(article)
    assert set(gold) == {
        (*at("prices rose 4.75% last year"), "CLAIM"),
        (*at("4.75%"), "FIGURE"),
        (*at("that is not true"), "REBUTTAL"),
    }
    claim = gold[(*at("prices rose 4.75% last year"), "CLAIM")]
    assert claim.origin == Origin.ADJUDICATED
    assert claim.adjudication == {"from": ["ann2", "ann3", "annotator"], "by": "reviewer"}
    assert (gold[(*at("4.75%"), "FIGURE")].adjudication or {})["from"] == ["ann2", "annotator"]
    relation = Relation.objects.get(article_id=article, layer=Layer.GOLD)
    assert (relation.source_id, relation.target_id) == (
        gold[(*at("that is not true"), "REBUTTAL")].pk,
        claim.pk,
    )
    assert (DocumentLabel.objects.get(article_id=article, layer=Layer.GOLD).adjudication or {})["from"] == [
        "ann2",
        "ann3",
        "annotator",
    ]
    # The API shows the provenance the issue names.
    shown = team.client("researcher").get(f"{V1}/spans/{claim.pk}/").json()
    assert shown["provenance"] == {
        "origin": "adjudicated",
        "from": ["ann2", "ann3", "annotator"],
        "by": "reviewer",
    }
    assert AnnotationEvent.objects.filter(action="article.adjudicate", object_id=article).count() == 1
    # Again: gold has it all; nothing is added twice.
    assert adjudicate(team, article, min_agreement=2)["added"] == {
        "spans": 0,
        "relations": 0,
        "document_labels": 0,
    }
    assert Span.objects.filter(article_id=article, layer=Layer.GOLD).count() == 3


def test_disagreements_cluster_overlapping_versions_and_name_their_makers(
    team: World, article: int, three_layers: dict[str, dict[str, int]]
) -> None:
    result = adjudicate(team, article, min_agreement=3)
    assert result["added"] == {"spans": 1, "relations": 0, "document_labels": 1}  # the claim, the label
    spans = [d for d in result["disagreements"] if d["kind"] == "span"]
    assert len(spans) == 2  # the figure's two versions; the rebuttal's two
    figure = next(d for d in spans if d["versions"][0]["label"] == "FIGURE")
    versions = {(v["start"], v["end"]): v for v in figure["versions"]}
    assert versions[at("4.75")]["annotators"] == ["ann3"]
    assert versions[at("4.75%")]["annotators"] == ["ann2", "annotator"]
    assert versions[at("4.75%")]["ids"] == [
        three_layers["ann2"]["figure"],
        three_layers["annotator"]["figure"],
    ]
    rebuttal = next(d for d in spans if d["versions"][0]["label"] == "REBUTTAL")
    assert [v["text"] for v in rebuttal["versions"]] == ["that is not true", "not true at all"]
    relations = [d for d in result["disagreements"] if d["kind"] == "relation"]
    assert relations[0]["versions"][0]["annotators"] == ["ann2", "annotator"]
    assert relations[0]["versions"][0]["source"] == {
        "start": at("that is not true")[0],
        "end": at("that is not true")[1],
        "label": "REBUTTAL",
    }


def test_m_of_one_takes_every_version_unless_gold_forbids_overlaps(
    team: World, article: int, three_layers: dict[str, dict[str, int]]
) -> None:
    team.project.allow_overlapping_spans = False
    team.project.save()
    result = adjudicate(team, article, min_agreement=1)
    gold = gold_spans(article)
    # Nested spans (the figure inside the claim) cannot both go in; the first by position wins.
    assert (*at("prices rose 4.75% last year"), "CLAIM") in gold
    assert (*at("4.75%"), "FIGURE") not in gold and (*at("not true at all"), "REBUTTAL") not in gold
    assert result["added"]["spans"] == len(gold) == 2


def test_chosen_layers_and_bad_requests(
    team: World, article: int, three_layers: dict[str, dict[str, int]]
) -> None:
    result = adjudicate(team, article, min_agreement=2, layers=["annotator", "ann3"])
    assert result["added"]["spans"] == 1  # only the claim do those two share
    client = team.client("reviewer")
    url = f"{V1}/articles/{article}/adjudicate/"
    assert client.post(url, {"min_agreement": 0}, format="json").status_code == 400
    assert client.post(url, {"layers": ["nobody"]}, format="json").status_code == 400
    assert team.client("annotator").post(url, {}, format="json").status_code == 403
    assert team.client("researcher").post(url, {}, format="json").status_code == 403
    assert team.client("outsider").post(url, {}, format="json").status_code == 404


def test_copy_a_span_and_a_relation_into_gold(
    team: World, article: int, three_layers: dict[str, dict[str, int]]
) -> None:
    client = team.client("reviewer")
    figure = three_layers["ann3"]["figure"]
    made = client.post(f"{V1}/spans/{figure}/copy/", {"layer": "gold"}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["provenance"] == {"origin": "adjudicated", "from": ["ann3"], "by": "reviewer"}
    again = client.post(f"{V1}/spans/{figure}/copy/", {"layer": "gold"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == made.json()["id"]
    rebuts = three_layers["annotator"]["rebuts"]
    copied = client.post(f"{V1}/relations/{rebuts}/copy/", {"layer": "gold"}, format="json")
    assert copied.status_code == 201, copied.json()
    assert len(gold_spans(article)) == 3  # the figure, and the relation's two spans
    assert client.post(f"{V1}/spans/{figure}/copy/", {"layer": "annotator"}, format="json").status_code == 400
    assert team.client("ann2").post(f"{V1}/spans/{figure}/copy/", {}, format="json").status_code == 404
    assert (
        team.client("annotator")
        .post(f"{V1}/spans/{three_layers['annotator']['figure']}/copy/", {}, format="json")
        .status_code
        == 403
    )


def test_review_status_needs_the_version_read(team: World, article: int) -> None:
    client = team.client("reviewer")
    url = f"{V1}/articles/{article}/review/"
    first = client.get(url)
    assert first.json() == {"status": "", "reviewed_by": None, "version": 0, "updated_at": None}
    assert first["ETag"] == '"0"'
    assert client.put(url, {"status": "adjudicated"}, format="json").status_code == 428
    done = client.put(url, {"status": "needs_discussion"}, format="json", HTTP_IF_MATCH='"0"')
    assert done.status_code == 200 and done.json()["version"] == 1
    assert client.put(url, {"status": "adjudicated"}, format="json", HTTP_IF_MATCH='"0"').status_code == 412
    assert client.put(url, {"status": "bogus"}, format="json", HTTP_IF_MATCH='"1"').status_code == 400
    final = team.client("admin").put(url, {"status": "adjudicated"}, format="json", HTTP_IF_MATCH='"1"')
    assert final.json()["status"] == "adjudicated" and final.json()["reviewed_by"] == "admin"
    assert team.client("annotator").get(url).json()["status"] == "adjudicated"
    assert (
        team.client("annotator")
        .put(url, {"status": "adjudicated"}, format="json", HTTP_IF_MATCH='"2"')
        .status_code
        == 403
    )


def test_review_queue_lists_ready_articles_sorted_by_disagreement(
    team: World, article: int, three_layers: dict[str, dict[str, int]]
) -> None:
    other = team.article.pk
    for who in ("annotator", "ann2"):
        submit(team, who, other)
    client = team.client("researcher")
    url = f"{V1}/projects/{team.project.pk}/review-queue/"
    data = client.get(url).json()
    assert [a["id"] for a in data["results"]] == [article, other]  # open, k=2: both ready
    first = data["results"][0]
    assert (
        first["submitted"] == 3 and first["disagreements"] == 4 and first["agreement"] == pytest.approx(1 / 5)
    )
    assert [p["username"] for p in first["annotators"]] == ["ann2", "ann3", "annotator"]
    assert data["results"][1]["agreement"] is None
    assert [a["id"] for a in client.get(url, {"min_submitted": 3}).json()["results"]] == [article]
    adjudicate(team, article, min_agreement=2)
    assert client.get(url).json()["results"][0]["gold_spans"] == 3
    team.client("reviewer").put(
        f"{V1}/articles/{article}/review/", {"status": "adjudicated"}, format="json", HTTP_IF_MATCH='"0"'
    )
    assert [a["id"] for a in client.get(url, {"review_status": "none"}).json()["results"]] == [other]
    assert [a["id"] for a in client.get(url, {"review_status": "adjudicated"}).json()["results"]] == [article]
    assert team.client("annotator").get(url).status_code == 403
    assert client.get(url, {"ordering": "random"}).status_code == 400


def test_project_adjudication_job(team: World, article: int, three_layers: dict[str, dict[str, int]]) -> None:
    response = team.client("reviewer").post(
        f"{V1}/projects/{team.project.pk}/adjudicate/", {"min_agreement": 2}, format="json"
    )
    assert response.status_code == 202, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    run_job(job.pk, redelivered=False)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.result == {"articles": 1, "spans": 3, "relations": 1, "document_labels": 1, "disagreements": 3}
    assert (
        team.client("annotator")
        .post(f"{V1}/projects/{team.project.pk}/adjudicate/", {}, format="json")
        .status_code
        == 403
    )
