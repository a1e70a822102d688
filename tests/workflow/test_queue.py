"""The queue: counts, next (in progress, then assigned, then claimed; 204), never past k,
and in_progress on the first write."""

import threading
from collections import Counter

import pytest
from django.db import connection

from annotator.annotations.models import ArticleState
from annotator.articles.models import Article, Assignment
from annotator.projects.access import membership_get
from annotator.workflow.models import AssignmentQueue
from annotator.workflow.queue import queue_next
from tests.conftest import World, build_world
from tests.workflow.conftest import article_ids
from tests.workflow.test_assignment import overlap

V1 = "/api/v1"


def next_of(world: World, who: str, exclude: str = "") -> tuple[int, dict[str, object] | None]:
    url = f"{V1}/projects/{world.project.pk}/queue/next/"
    response = world.client(who).get(url, {"exclude": exclude} if exclude else {})
    return response.status_code, (response.json() if response.status_code == 200 else None)


def test_open_project_hands_out_in_progress_then_not_started_in_order(team: World) -> None:
    ids = article_ids(team)
    status, data = next_of(team, "annotator")
    assert status == 200 and data is not None
    assert (data["id"], data["status"]) == (ids[0], "not_started")
    assert set(data) == {"id", "external_id", "title", "status"}
    client = team.client("annotator")
    client.put(f"{V1}/articles/{ids[0]}/state/", {"status": "skipped"}, format="json")
    client.post(f"{V1}/articles/{ids[3]}/spans/", {"start": 0, "end": 5, "label": "CLAIM"}, format="json")
    started = next_of(team, "annotator")[1]
    assert started is not None and (started["id"], started["status"]) == (ids[3], "in_progress")
    assert next_of(team, "annotator", exclude=str(ids[3]))[1]["id"] == ids[1]  # type: ignore[index]
    counts = client.get(f"{V1}/projects/{team.project.pk}/queue/").json()
    assert counts == {
        "to_do": 4,
        "in_progress": 1,
        "submitted": 0,
        "skipped": 1,
        "assignment": "open",
        "annotators_per_article": 2,
    }


def test_the_first_write_puts_the_article_in_progress_and_keeps_the_version(team: World) -> None:
    client = team.client("annotator")
    article = team.article.pk
    state = client.get(f"{V1}/articles/{article}/state/").json()
    assert state == {"status": "not_started", "version": 0}
    client.post(f"{V1}/articles/{article}/spans/", {"start": 0, "end": 5, "label": "CLAIM"}, format="json")
    assert client.get(f"{V1}/articles/{article}/state/").json() == {"status": "in_progress", "version": 0}
    # The page read version 0 before its first change; submitting with it still works.
    submitted = client.put(
        f"{V1}/articles/{article}/state/", {"status": "submitted"}, format="json", HTTP_IF_MATCH='"0"'
    )
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["status"] == "submitted"
    # A reviewer's gold write puts nobody's article in progress.
    team.client("reviewer").post(
        f"{V1}/articles/{article}/spans/",
        {"start": 0, "end": 5, "label": "CLAIM", "layer": "gold"},
        format="json",
    )
    assert not ArticleState.objects.filter(article_id=article, annotator=team.reviewer).exists()


def test_overlap_claims_articles_up_to_k_and_then_204(team: World) -> None:
    overlap(team, k=2)
    ids = article_ids(team)
    seen: Counter[int] = Counter()
    for who in ("annotator", "ann2", "ann3"):
        while True:
            status, data = next_of(team, who)
            if status == 204:
                break
            assert data is not None
            seen[data["id"]] += 1  # type: ignore[index]
            put = team.client(who).put(
                f"{V1}/articles/{data['id']}/state/", {"status": "submitted"}, format="json"
            )
            assert put.status_code == 200
    assert seen == Counter({i: 2 for i in ids})
    assert team.client("ann3").get(f"{V1}/projects/{team.project.pk}/queue/").json()["to_do"] == 0


def test_overlap_hides_unassigned_articles_from_annotators_only(team: World) -> None:
    overlap(team, k=1)
    ids = article_ids(team)
    status, data = next_of(team, "annotator")
    assert status == 200 and data is not None and data["id"] == ids[0]
    client = team.client("annotator")
    listed = client.get(f"{V1}/projects/{team.project.pk}/articles/").json()
    assert [a["id"] for a in listed["results"]] == [ids[0]]
    assert client.get(f"{V1}/articles/{ids[1]}/").status_code == 404
    assert (
        client.post(
            f"{V1}/articles/{ids[1]}/spans/", {"start": 0, "end": 5, "label": "CLAIM"}, format="json"
        ).status_code
        == 404
    )
    assert team.client("reviewer").get(f"{V1}/projects/{team.project.pk}/articles/").json()["count"] == 6
    # The next article for ann2 is another one: the first has its one annotator.
    assert next_of(team, "ann2")[1]["id"] == ids[1]  # type: ignore[index]


def test_pool_limits_who_the_queue_hands_articles_to(team: World) -> None:
    overlap(team, k=1, pool=["ann2"])
    assert next_of(team, "annotator")[0] == 204
    assert next_of(team, "ann2")[0] == 200


def test_assigned_to_filter(team: World) -> None:
    overlap(team, k=1)
    next_of(team, "ann2")
    url = f"{V1}/projects/{team.project.pk}/articles/"
    assert team.client("admin").get(url, {"assigned_to": "ann2"}).json()["count"] == 1
    assert team.client("ann2").get(url, {"assigned_to": "ann2"}).json()["count"] == 1
    assert team.client("annotator").get(url, {"assigned_to": "ann2"}).status_code == 403


def test_researchers_have_no_queue(team: World) -> None:
    assert next_of(team, "researcher")[0] == 403
    assert team.client("researcher").get(f"{V1}/projects/{team.project.pk}/queue/").status_code == 403
    assert next_of(team, "outsider")[0] == 404
    assert (
        team.client("annotator")
        .get(f"{V1}/projects/{team.project.pk}/queue/next/", {"exclude": "x"})
        .status_code
        == 400
    )


@pytest.mark.django_db(transaction=True)
def test_concurrent_callers_never_push_an_article_past_k() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so threads cannot race there")
    names = [f"racer{i}" for i in range(8)]
    world = build_world(extra_annotators=names)
    from annotator.articles.services import ArticleInput, articles_add

    articles_add(
        actor=world.admin,
        project_id=world.project.pk,
        items=[ArticleInput(text=f"Text {i}.", external_id=f"r{i}") for i in range(5)],
    )
    overlap(world, k=3)
    barrier = threading.Barrier(len(names))
    errors: list[BaseException] = []

    def work(name: str) -> None:
        try:
            barrier.wait()
            for _ in range(3):
                membership = membership_get(user=world.users[name], project_id=world.project.pk)
                found = queue_next(membership=membership)
                if found is None:
                    return
                ArticleState.objects.update_or_create(
                    article_id=found.id, annotator=world.users[name], defaults={"status": "submitted"}
                )
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(n,)) for n in names]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    per_article = Counter(
        Assignment.objects.filter(project=world.project).values_list("article_id", flat=True)
    )
    assert max(per_article.values()) <= 3
    assert sum(per_article.values()) == 6 * 3  # six articles (a1 and r0-r4), all filled


def test_overlap_in_progress_first_then_assigned_then_claimed_and_skips_stay_skipped(team: World) -> None:
    overlap(team, k=1)
    ids = article_ids(team)
    client = team.client("annotator")
    assert next_of(team, "annotator")[1]["id"] == ids[0]  # type: ignore[index]
    # Asked again without working on it: the same article (assigned, not started), in full.
    article = Article.objects.get(pk=ids[0])
    assert next_of(team, "annotator")[1] == {
        "id": ids[0],
        "external_id": article.external_id,
        "title": article.title,
        "status": "not_started",
    }
    # Excluding it (the page has it open) claims the next one; skipping the first keeps it away.
    assert next_of(team, "annotator", exclude=str(ids[0]))[1]["id"] == ids[1]  # type: ignore[index]
    client.put(f"{V1}/articles/{ids[0]}/state/", {"status": "skipped"}, format="json")
    client.post(f"{V1}/articles/{ids[1]}/spans/", {"start": 0, "end": 5, "label": "CLAIM"}, format="json")
    started = next_of(team, "annotator")[1]
    assert started is not None and (started["id"], started["status"]) == (ids[1], "in_progress")
    client.put(f"{V1}/articles/{ids[1]}/state/", {"status": "submitted"}, format="json")
    # Nothing of theirs is left: a new claim, never the skipped or submitted ones.
    assert next_of(team, "annotator")[1]["id"] == ids[2]  # type: ignore[index]
    assert Assignment.objects.filter(annotator=team.annotator).count() == 3


def test_full_below_follows_claims_and_an_unassigned_article_is_handed_out_again(team: World) -> None:
    overlap(team, k=2)
    ids = article_ids(team)
    for who in ("annotator", "ann2", "annotator", "ann2"):
        status, data = next_of(team, who)
        assert status == 200 and data is not None
        team.client(who).put(f"{V1}/articles/{data['id']}/state/", {"status": "submitted"}, format="json")
    # ids[0] and ids[1] have their two annotators: the queue row says claims start after them.
    assert AssignmentQueue.objects.get(project=team.project).full_below == ids[2]
    gone = Assignment.objects.get(article_id=ids[0], annotator=team.users["ann2"])
    assert team.client("admin").delete(f"{V1}/assignments/{gone.pk}/").status_code == 204
    assert AssignmentQueue.objects.get(project=team.project).full_below == ids[0]
    # ann3 is on nothing: the article short again comes first.
    assert next_of(team, "ann3")[1]["id"] == ids[0]  # type: ignore[index]
    # ann2 submitted ids[0] before losing it: they are never handed it again.
    assert next_of(team, "ann2")[1]["id"] == ids[2]  # type: ignore[index]


def test_open_project_next_with_exclude_of_several_and_nothing_left(team: World) -> None:
    ids = article_ids(team)
    status, data = next_of(team, "ann2", exclude=",".join(str(i) for i in ids[:3]))
    assert status == 200 and data is not None and data["id"] == ids[3]
    for article_id in ids:
        team.client("ann2").put(f"{V1}/articles/{article_id}/state/", {"status": "submitted"}, format="json")
    assert next_of(team, "ann2")[0] == 204


def test_up_front_assignments_in_order_and_an_article_reopened_or_moved_comes_back(team: World) -> None:
    """The queue reads an annotator's open assignments (Assignment.finished, which the state
    service keeps in step), not every state: what they reopen or are given comes back."""
    overlap(team, k=1)
    ids = article_ids(team)
    body = {"annotators_per_article": 1, "articles": "all", "annotators": ["annotator"]}
    created = team.client("admin").post(f"{V1}/projects/{team.project.pk}/assignments/", body, format="json")
    assert created.status_code == 201, created.json()
    client = team.client("annotator")

    def finished(article_id: int) -> bool:
        return Assignment.objects.get(article_id=article_id).finished

    assert not any(finished(a) for a in ids)
    state = f"{V1}/articles/{ids[0]}/state/"
    assert client.put(state, {"status": "submitted"}, format="json").status_code == 200
    client.put(f"{V1}/articles/{ids[1]}/state/", {"status": "skipped"}, format="json")
    assert (finished(ids[0]), finished(ids[1]), finished(ids[2])) == (True, True, False)
    assert next_of(team, "annotator")[1]["id"] == ids[2]  # type: ignore[index]
    # Set back to not started: open again, and first in article order.
    reopened = client.put(state, {"status": "not_started"}, format="json", HTTP_IF_MATCH='"1"')
    assert reopened.status_code == 200, reopened.json()
    assert not finished(ids[0])
    assert next_of(team, "annotator")[1] == {
        "id": ids[0],
        "external_id": Article.objects.get(pk=ids[0]).external_id,
        "title": Article.objects.get(pk=ids[0]).title,
        "status": "not_started",
    }
    # A skipped article given to someone else is open for them.
    moved = Assignment.objects.get(article_id=ids[1])
    response = team.client("admin").patch(
        f"{V1}/assignments/{moved.pk}/", {"annotator": "ann2"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert not finished(ids[1])
    assert next_of(team, "ann2")[1]["id"] == ids[1]  # type: ignore[index]


def test_the_finished_mark_is_a_hint_the_queue_checks(team: World) -> None:
    """An assignment whose mark says open although the annotator finished it (any writer that
    only knows that False is safe) is still never handed out again."""
    overlap(team, k=1)
    ids = article_ids(team)
    body = {"annotators_per_article": 1, "articles": "all", "annotators": ["annotator"]}
    team.client("admin").post(f"{V1}/projects/{team.project.pk}/assignments/", body, format="json")
    team.client("annotator").put(f"{V1}/articles/{ids[0]}/state/", {"status": "submitted"}, format="json")
    Assignment.objects.filter(article_id=ids[0]).update(finished=False)
    assert next_of(team, "annotator")[1]["id"] == ids[1]  # type: ignore[index]
