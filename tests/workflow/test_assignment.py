"""Project assignment settings, up-front assignment, listing, unassigning and reassigning."""

from collections import Counter

import pytest

from annotator.articles.models import Article, Assignment
from annotator.jobs.models import Job
from annotator.jobs.runner import run_job
from annotator.workflow import assignment
from tests.conftest import World
from tests.workflow.conftest import article_ids

V1 = "/api/v1"


def overlap(world: World, k: int = 2, pool: list[str] | None = None) -> None:
    body = {"assignment": "overlap", "annotators_per_article": k, "annotator_pool": pool}
    response = world.client("admin").patch(f"{V1}/projects/{world.project.pk}/", body, format="json")
    assert response.status_code == 200, response.json()


def test_settings_are_fields_of_the_project(team: World) -> None:
    overlap(team, k=3, pool=["ann3", "annotator"])
    data = team.client("researcher").get(f"{V1}/projects/{team.project.pk}/").json()
    assert (data["assignment"], data["annotators_per_article"], data["annotator_pool"]) == (
        "overlap",
        3,
        ["ann3", "annotator"],
    )
    team.project.refresh_from_db()
    assert team.project.annotator_pool == sorted([team.users["ann3"].pk, team.annotator.pk])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"assignment": "random"}, "assignment"),
        ({"annotators_per_article": 0}, "annotators_per_article"),
        ({"annotators_per_article": 11}, "annotators_per_article"),
        ({"annotator_pool": ["reviewer"]}, "annotator_pool"),
        ({"annotator_pool": ["nobody"]}, "annotator_pool"),
    ],
)
def test_bad_settings_are_400_naming_the_field(team: World, body: dict[str, object], field: str) -> None:
    response = team.client("admin").patch(f"{V1}/projects/{team.project.pk}/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_up_front_assignment_gives_k_distinct_annotators_and_balances_loads(team: World) -> None:
    overlap(team, k=2)
    response = team.client("admin").post(f"{V1}/projects/{team.project.pk}/assignments/", {}, format="json")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["articles"] == 6 and data["created"] == 12
    per_article = Counter(Assignment.objects.values_list("article_id", flat=True))
    assert set(per_article.values()) == {2}
    loads = data["loads"]
    assert sorted(loads) == ["ann2", "ann3", "annotator"]
    assert max(loads.values()) - min(loads.values()) <= 1 and sum(loads.values()) == 12
    # Again: nothing is unassigned any more.
    again = (
        team.client("admin").post(f"{V1}/projects/{team.project.pk}/assignments/", {}, format="json").json()
    )
    assert again["created"] == 0


def test_all_tops_articles_up_to_k_and_counts_existing_assignees(team: World) -> None:
    first = article_ids(team)[0]
    client = team.client("admin")
    made = client.post(
        f"{V1}/projects/{team.project.pk}/assignments/",
        {"articles": [first], "annotators": ["ann3"], "annotators_per_article": 1},
        format="json",
    ).json()
    assert made["created"] == 1
    data = client.post(
        f"{V1}/projects/{team.project.pk}/assignments/",
        {"articles": "all", "annotators_per_article": 3},
        format="json",
    ).json()
    assert data["created"] == 6 * 3 - 1
    assert set(Counter(Assignment.objects.values_list("article_id", flat=True)).values()) == {3}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"annotators_per_article": 4}, "annotators_per_article"),  # three annotators only
        ({"annotators": ["reviewer"]}, "annotators"),
        ({"articles": [999999]}, "articles"),
        ({"articles": "some"}, "articles"),
        ({"strategy": "random"}, "strategy"),
    ],
)
def test_bad_assignment_requests_are_400(team: World, body: dict[str, object], field: str) -> None:
    response = team.client("admin").post(f"{V1}/projects/{team.project.pk}/assignments/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not Assignment.objects.exists()


def test_many_articles_run_as_a_job_with_the_same_result(
    team: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(assignment, "INLINE_MAX_ARTICLES", 3)
    response = team.client("admin").post(f"{V1}/projects/{team.project.pk}/assignments/", {}, format="json")
    assert response.status_code == 202, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    assert job.kind == "assign"
    run_job(job.pk, redelivered=False)
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    assert job.result is not None and job.result["created"] == 12
    assert (job.progress_done, job.progress_total) == (6, 6)


def test_list_filters_and_an_annotator_sees_only_their_own(team: World) -> None:
    overlap(team, k=2)
    team.client("admin").post(f"{V1}/projects/{team.project.pk}/assignments/", {}, format="json")
    url = f"{V1}/projects/{team.project.pk}/assignments/"
    everything = team.client("reviewer").get(url).json()
    assert everything["count"] == 12
    row = everything["results"][0]
    assert set(row) == {
        "id",
        "article",
        "article_external_id",
        "article_title",
        "annotator",
        "assigned_by",
        "created_at",
        "status",
    }
    assert row["assigned_by"] == "admin" and row["status"] == "not_started"
    mine = team.client("annotator").get(url).json()
    assert mine["count"] == 4 and {r["annotator"] for r in mine["results"]} == {"annotator"}
    # Asking for someone else's gives nothing, not their list.
    assert team.client("annotator").get(url, {"annotator": "ann2"}).json()["count"] == 0
    first = article_ids(team)[0]
    assert team.client("admin").get(url, {"article": first}).json()["count"] == 2


def test_unassign_hides_the_article_but_keeps_the_work(team: World) -> None:
    overlap(team, k=1)
    first = article_ids(team)[0]
    client = team.client("admin")
    client.post(
        f"{V1}/projects/{team.project.pk}/assignments/",
        {"articles": [first], "annotators": ["annotator"]},
        format="json",
    )
    mine = team.client("annotator")
    span = mine.post(f"{V1}/articles/{first}/spans/", {"start": 0, "end": 5, "label": "CLAIM"}, format="json")
    assert span.status_code == 201
    pk = Assignment.objects.get(article_id=first).pk
    assert team.client("annotator").delete(f"{V1}/assignments/{pk}/").status_code == 403
    assert client.delete(f"{V1}/assignments/{pk}/").status_code == 204
    assert mine.get(f"{V1}/articles/{first}/").status_code == 404
    assert mine.get(f"{V1}/spans/{span.json()['id']}/").status_code == 404
    assert team.client("reviewer").get(f"{V1}/spans/{span.json()['id']}/").status_code == 200
    assert Article.objects.get(pk=first).assignments.count() == 0
    assert client.delete(f"{V1}/assignments/{pk}/").status_code == 404


def test_reassign_moves_the_article_and_refuses_a_duplicate(team: World) -> None:
    overlap(team, k=2)
    first = article_ids(team)[0]
    client = team.client("admin")
    client.post(
        f"{V1}/projects/{team.project.pk}/assignments/",
        {"articles": [first], "annotators": ["annotator", "ann2"]},
        format="json",
    )
    pk = Assignment.objects.get(article_id=first, annotator=team.annotator).pk
    assert client.patch(f"{V1}/assignments/{pk}/", {"annotator": "ann2"}, format="json").status_code == 409
    assert (
        client.patch(f"{V1}/assignments/{pk}/", {"annotator": "reviewer"}, format="json").status_code == 400
    )
    moved = client.patch(f"{V1}/assignments/{pk}/", {"annotator": "ann3"}, format="json")
    assert moved.status_code == 200 and moved.json()["annotator"] == "ann3"
    assert team.client("annotator").get(f"{V1}/articles/{first}/").status_code == 404
    assert team.client("ann3").get(f"{V1}/articles/{first}/").status_code == 200


def test_workload_counts_each_annotators_articles_by_state(team: World) -> None:
    overlap(team, k=2)
    team.client("admin").post(f"{V1}/projects/{team.project.pk}/assignments/", {}, format="json")
    article = Assignment.objects.filter(annotator=team.annotator).order_by("article_id").first()
    assert article is not None
    put = team.client("annotator").put(
        f"{V1}/articles/{article.article_id}/state/", {"status": "submitted"}, format="json"
    )
    assert put.status_code == 200
    data = team.client("researcher").get(f"{V1}/projects/{team.project.pk}/workload/").json()
    assert (data["articles"], data["short"]) == (6, 0)
    me = next(a for a in data["annotators"] if a["annotator"] == "annotator")
    assert me == {
        "annotator": "annotator",
        "assigned": 4,
        "not_started": 3,
        "in_progress": 0,
        "submitted": 1,
        "skipped": 0,
    }
    assert team.client("annotator").get(f"{V1}/projects/{team.project.pk}/workload/").status_code == 403
