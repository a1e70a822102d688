"""POST /api/v1/projects/{id}/preannotate/: who may start pre-annotation, and what it refuses
before any job is queued (the job itself: tests/domain/test_preannotate.py and tests/jobs/)."""

from typing import Any

import pytest

from annotator.jobs.models import Job
from annotator.projects.models import Label
from tests.conftest import World


def start(world: World, body: Any, role: str = "admin") -> Any:
    return world.client(role).post(f"/api/v1/projects/{world.project.pk}/preannotate/", body, format="json")


def test_an_admin_starts_a_job_with_the_checked_params(world: World) -> None:
    response = start(world, {"recognisers": ["quotes", "figures", "quotes"], "articles": [world.article.pk]})
    assert response.status_code == 202, response.json()
    body = response.json()
    assert body["kind"] == "preannotate" and body["status"] == "queued"
    job = Job.objects.get(pk=body["id"])
    assert job.params == {
        "recognisers": ["quotes", "figures"],
        "articles": [world.article.pk],
        "min_score": 0.0,
    }
    listed = world.client("admin").get(f"/api/v1/projects/{world.project.pk}/preannotate/").json()
    assert [j["id"] for j in listed["results"]] == [body["id"]]


def test_defaults_are_all_articles_and_no_minimum_score(world: World) -> None:
    response = start(world, {"recognisers": ["figures"]})
    assert response.status_code == 202
    assert Job.objects.get().params == {"recognisers": ["figures"], "articles": "all", "min_score": 0.0}


@pytest.mark.parametrize(
    ("role", "status"), [("reviewer", 403), ("annotator", 403), ("researcher", 403), ("outsider", 404)]
)
def test_only_admins_start_pre_annotation(world: World, role: str, status: int) -> None:
    assert start(world, {"recognisers": ["figures"]}, role).status_code == status
    assert start(world, {}, role).status_code == status  # refused before the body is looked at
    assert not Job.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({}, "recognisers", "non-empty list"),
        ({"recognisers": []}, "recognisers", "non-empty"),
        ({"recognisers": ["nope"]}, "recognisers", "Unknown recogniser"),
        ({"recognisers": ["figures"], "articles": "some"}, "articles", "'all', 'unannotated'"),
        ({"recognisers": ["figures"], "articles": [0]}, "articles", "list of article ids"),
        ({"recognisers": ["figures"], "articles": []}, "articles", "non-empty list"),
        ({"recognisers": ["figures"], "min_score": 2}, "min_score", "0 to 1"),
        ({"recognisers": ["figures"], "min_score": "high"}, "min_score", "number"),
        ({"recognisers": "figures"}, "recognisers", "non-empty list"),
        ({"recognisers": ["figures"], "stride": 2}, "stride", "Unknown parameter"),
    ],
)
def test_bad_requests_are_refused_with_the_field(world: World, body: Any, field: str, words: str) -> None:
    response = start(world, body)
    assert response.status_code == 400, response.json()
    assert words in str(response.json()), response.json()
    assert field in str(response.json())
    assert not Job.objects.exists()


def test_article_ids_of_another_project_are_refused(world: World) -> None:
    response = start(
        world, {"recognisers": ["figures"], "articles": [world.article.pk, world.other_article.pk]}
    )
    assert response.status_code == 400
    assert f"not in this project: {world.other_article.pk}" in response.json()["detail"]


def test_a_recogniser_whose_label_the_project_lacks_is_refused(world: World) -> None:
    Label.objects.filter(project=world.project, name="FIGURE").delete()
    response = start(world, {"recognisers": ["figures"]})
    assert response.status_code == 400
    assert "proposes FIGURE, which this project has no span label for" in response.json()["detail"]
