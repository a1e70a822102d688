"""Comments: who reads which thread (blind annotation stays blind), replies, resolving,
editing and deleting with versions, a thread outliving its span."""

from typing import Any

import pytest

from annotator.workflow.models import Comment
from tests.conftest import World
from tests.factories import suggestion_create

V1 = "/api/v1"


def post(world: World, who: str, article: int, **body: Any) -> dict[str, Any]:
    response = world.client(who).post(
        f"{V1}/articles/{article}/comments/", {"body": "a note", **body}, format="json"
    )
    assert response.status_code == 201, response.json()
    return dict(response.json())


def bodies(world: World, who: str, article: int) -> set[str]:
    response = world.client(who).get(f"{V1}/articles/{article}/comments/")
    assert response.status_code == 200
    return {c["body"] for c in response.json()}


def own_span(world: World, who: str, article: int) -> int:
    body = {"start": 0, "end": 5, "label": "CLAIM"}
    return int(world.client(who).post(f"{V1}/articles/{article}/spans/", body, format="json").json()["id"])


@pytest.fixture
def threads(team: World) -> dict[str, dict[str, Any]]:
    a = team.article.pk
    made = {
        "ann_article": post(team, "annotator", a, body="annotator on the article"),
        "ann_span": post(team, "annotator", a, body="annotator on own span", span=own_span(team, "annotator", a)),
        "ann2_span": post(team, "ann2", a, body="ann2 on own span", span=own_span(team, "ann2", a)),
        "review_article": post(team, "reviewer", a, body="reviewer on the article"),
        "gold": post(team, "reviewer", a, body="reviewer on gold", span=int(
            team.client("reviewer").post(f"{V1}/articles/{a}/spans/", {"start": 0, "end": 5, "label": "CLAIM", "layer": "gold"}, format="json").json()["id"]
        )),
    }  # fmt: skip
    made["reviewer_on_ann2"] = post(
        team, "reviewer", a, body="reviewer on ann2's span", span=made["ann2_span"]["span"]
    )
    return made


def test_annotators_read_their_own_threads_and_the_projects_only(
    team: World, threads: dict[str, dict[str, Any]]
) -> None:
    a = team.article.pk
    assert bodies(team, "annotator", a) == {
        "annotator on the article",
        "annotator on own span",
        "reviewer on the article",
    }
    assert bodies(team, "ann2", a) == {
        "ann2 on own span",
        "reviewer on the article",
        "reviewer on ann2's span",
    }
    everything = {c["body"] for c in threads.values()}
    for who in ("reviewer", "admin", "researcher"):
        assert bodies(team, who, a) == everything
    hidden = threads["ann2_span"]["id"]
    assert team.client("annotator").get(f"{V1}/comments/{hidden}/").status_code == 404
    assert team.client("outsider").get(f"{V1}/articles/{a}/comments/").status_code == 404
    scoped = threads["ann_article"]
    assert (scoped["layer"], scoped["layer_annotator"], scoped["author"]) == (
        "annotator",
        "annotator",
        "annotator",
    )
    assert threads["review_article"]["layer"] == "" and threads["gold"]["layer"] == "gold"


def test_replies_join_the_thread_and_an_annotators_reply_stays_theirs(
    team: World, threads: dict[str, dict[str, Any]]
) -> None:
    a = team.article.pk
    root = threads["review_article"]["id"]
    reply = post(team, "annotator", a, body="my answer", parent=root)
    nested = post(team, "reviewer", a, body="the reviewer answers", parent=reply["id"])
    assert nested["parent"] == root  # a reply to a reply joins the thread
    assert "my answer" not in bodies(team, "ann2", a)  # shared thread, private reply
    assert "the reviewer answers" in bodies(team, "ann2", a)
    assert (
        team.client("ann2")
        .post(
            f"{V1}/articles/{a}/comments/", {"body": "x", "parent": threads["ann_span"]["id"]}, format="json"
        )
        .status_code
        == 404
    )
    assert (
        team.client("researcher")
        .post(f"{V1}/articles/{a}/comments/", {"body": "x"}, format="json")
        .status_code
        == 403
    )


def test_comments_on_what_the_caller_cannot_see_are_404(
    team: World, threads: dict[str, dict[str, Any]]
) -> None:
    a = team.article.pk
    client = team.client("annotator")
    assert (
        client.post(
            f"{V1}/articles/{a}/comments/", {"body": "x", "span": threads["ann2_span"]["span"]}, format="json"
        ).status_code
        == 404
    )
    assert client.post(f"{V1}/articles/{a}/comments/", {"body": "  "}, format="json").status_code == 400
    assert (
        client.post(f"{V1}/articles/{a}/comments/", {"body": "x" * 10_001}, format="json").status_code == 400
    )
    assert client.post(f"{V1}/articles/{a}/comments/", {"body": "x\x00"}, format="json").status_code == 400


def test_an_annotators_thread_on_a_suggestion_is_theirs(team: World) -> None:
    label = team.project.labels.get(name="CLAIM")
    suggestion = suggestion_create(
        article=team.article, label=label, start=0, end=5, recogniser="r", recogniser_version="1"
    )
    made = post(team, "annotator", team.article.pk, body="odd suggestion", span=suggestion.pk)
    assert made["layer"] == "annotator"
    assert "odd suggestion" not in bodies(team, "ann2", team.article.pk)


def test_edit_resolve_delete_with_versions_and_rights(
    team: World, threads: dict[str, dict[str, Any]]
) -> None:
    thread = threads["ann_article"]
    url = f"{V1}/comments/{thread['id']}/"
    mine = team.client("annotator")
    assert mine.patch(url, {"body": "edited"}, format="json").status_code == 428
    edited = mine.patch(url, {"body": "edited"}, format="json", HTTP_IF_MATCH='"1"')
    assert edited.status_code == 200 and edited.json()["version"] == 2
    assert mine.patch(url, {"body": "again"}, format="json", HTTP_IF_MATCH='"1"').status_code == 412
    assert (
        team.client("reviewer")
        .patch(url, {"body": "not mine"}, format="json", HTTP_IF_MATCH='"2"')
        .status_code
        == 403
    )
    resolved = team.client("reviewer").patch(url, {"resolved": True}, format="json", HTTP_IF_MATCH='"2"')
    assert resolved.status_code == 200 and resolved.json()["resolved"] is True
    reply = post(team, "reviewer", team.article.pk, parent=thread["id"])
    assert (
        team.client("reviewer")
        .patch(f"{V1}/comments/{reply['id']}/", {"resolved": True}, format="json", HTTP_IF_MATCH='"1"')
        .status_code
        == 400
    )
    other = threads["review_article"]
    assert (
        mine.patch(
            f"{V1}/comments/{other['id']}/", {"resolved": True}, format="json", HTTP_IF_MATCH='"1"'
        ).status_code
        == 403
    )
    assert team.client("reviewer").delete(url, HTTP_IF_MATCH='"3"').status_code == 403
    assert team.client("admin").delete(url, HTTP_IF_MATCH='"3"').status_code == 204
    assert not Comment.objects.filter(pk=reply["id"]).exists()  # the thread's replies went with it


def test_a_thread_outlives_its_span_and_keeps_its_readers(
    team: World, threads: dict[str, dict[str, Any]]
) -> None:
    span = threads["ann_span"]["span"]
    assert team.client("annotator").delete(f"{V1}/spans/{span}/", HTTP_IF_MATCH='"1"').status_code == 204
    kept = team.client("annotator").get(f"{V1}/comments/{threads['ann_span']['id']}/").json()
    assert kept["span"] is None and kept["layer_annotator"] == "annotator"
    assert "annotator on own span" not in bodies(team, "ann2", team.article.pk)
