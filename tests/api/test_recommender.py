"""The recommender endpoints: the latest model for members, training for admins (a job), and
retraining queued by a submission through the article state endpoint. No worker: on_commit is
not run here (the job runs in tests/domain/test_recommender.py)."""

from typing import Any

import pytest

from annotator.jobs.models import Job, JobStatus
from annotator.preannotation.models import RecommenderModel
from annotator.preannotation.services import TRAIN
from tests.conftest import World

METRICS = {"CLAIM": {"precision": 0.9, "recall": 0.8, "f1": 0.8471, "folds": 5}}
KEYS = {
    "version",
    "created_at",
    "examples",
    "metrics",
    "labels",
    "left_out",
    "trained_on_submissions",
    "submissions",
    "submissions_since",
    "retrain_every",
    "training_job",
    "history",
}


def url(world: World, *, other: bool = False) -> str:
    return f"/api/v1/projects/{(world.other_project if other else world.project).pk}/recommender/"


def model(world: World, version: int, trained_on: int) -> RecommenderModel:
    return RecommenderModel.objects.create(
        project=world.project,
        version=version,
        trained_on_submissions=trained_on,
        examples={"CLAIM": 12, "REBUTTAL": 3, "NONE": 40},
        metrics=METRICS,
        labels=["CLAIM"],
        left_out={"REBUTTAL": "needs 10 marked sentences, has 3"},
        blob=b"not read by these endpoints",
    )


@pytest.mark.parametrize("role", ["admin", "reviewer", "annotator", "researcher"])
def test_members_see_that_nothing_is_trained_yet(world: World, role: str) -> None:
    response = world.client(role).get(url(world))
    assert response.status_code == 200
    assert response.json() == {
        "version": None,
        "created_at": None,
        "examples": {},
        "metrics": {},
        "labels": [],
        "left_out": {},
        "trained_on_submissions": None,
        "submissions": 0,
        "submissions_since": 0,
        "retrain_every": 20,
        "training_job": None,
        "history": [],
    }


def test_the_latest_model_with_its_history(world: World, settings: Any) -> None:
    settings.RECOMMENDER_RETRAIN_EVERY = 5
    model(world, 1, trained_on=0)
    model(world, 2, trained_on=1)
    world.client("annotator").put(
        f"/api/v1/articles/{world.article.pk}/state/", {"status": "submitted"}, format="json"
    )
    world.client("reviewer").put(
        f"/api/v1/articles/{world.article.pk}/state/", {"status": "submitted"}, format="json"
    )
    body = world.client("researcher").get(url(world)).json()
    assert set(body) == KEYS
    assert (body["version"], body["labels"], body["metrics"]) == (2, ["CLAIM"], METRICS)
    assert body["left_out"] == {"REBUTTAL": "needs 10 marked sentences, has 3"}
    assert (body["trained_on_submissions"], body["submissions"], body["submissions_since"]) == (1, 2, 1)
    assert body["retrain_every"] == 5 and body["created_at"]
    assert [h["version"] for h in body["history"]] == [2, 1]
    assert set(body["history"][0]) == {
        "version",
        "created_at",
        "trained_on_submissions",
        "examples",
        "metrics",
    }


def test_other_projects_members_are_told_it_does_not_exist(world: World) -> None:
    model(world, 1, trained_on=0)
    assert world.client("outsider").get(url(world)).status_code == 404
    assert world.client("outsider").post(f"{url(world)}train/").status_code == 404
    assert world.client("admin").get(url(world, other=True)).status_code == 404
    assert world.client("admin").post(f"{url(world, other=True)}train/").status_code == 404
    assert not Job.objects.exists()


def test_an_admin_starts_training_one_at_a_time(world: World, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = world.client("admin").post(f"{url(world)}train/")
    assert response.status_code == 202, response.json()
    job = response.json()
    assert (job["kind"], job["status"], job["project"]) == (TRAIN, "queued", world.project.pk)
    assert job["created_by"] == "admin" and job["progress"] == {"done": 0, "total": None}
    assert len(callbacks) == 1  # published once committed
    assert world.client("reviewer").get(url(world)).json()["training_job"] == job["id"]
    again = world.client("admin").post(f"{url(world)}train/")
    assert again.status_code == 409 and again.json()["code"] == "conflict"
    assert f"job {job['id']}" in again.json()["detail"]


@pytest.mark.parametrize("role", ["reviewer", "annotator", "researcher"])
def test_other_roles_may_not_train(world: World, role: str) -> None:
    response = world.client(role).post(f"{url(world)}train/")
    assert response.status_code == 403 and response.json()["code"] == "forbidden"
    assert not Job.objects.exists()


def test_the_job_kind_cannot_be_started_through_the_jobs_endpoint(world: World) -> None:
    response = world.client("admin").post(
        f"/api/v1/projects/{world.project.pk}/jobs/", {"kind": TRAIN}, format="json"
    )
    assert response.status_code == 400 and not Job.objects.exists()


def test_a_submission_through_the_api_queues_a_due_retraining(world: World, settings: Any) -> None:
    settings.RECOMMENDER_RETRAIN_EVERY = 2
    model(world, 1, trained_on=0)
    state = f"/api/v1/articles/{world.article.pk}/state/"
    assert world.client("annotator").put(state, {"status": "submitted"}, format="json").status_code == 200
    assert not Job.objects.exists()
    assert world.client("reviewer").put(state, {"status": "submitted"}, format="json").status_code == 200
    job = Job.objects.get()
    assert (job.kind, job.status, job.created_by) == (TRAIN, JobStatus.QUEUED, world.users["admin"])
    assert job.params == {"trigger": "submissions", "submissions": 2}
