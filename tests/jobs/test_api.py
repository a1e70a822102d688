"""The jobs endpoints: roles, non-members, shapes. No worker: on_commit is not run here."""

import pytest
from django.utils import timezone

from annotator.jobs.models import Job, JobStatus
from tests.conftest import client_for
from tests.jobs.conftest import Team

JOB_KEYS = {
    "id",
    "project",
    "kind",
    "status",
    "progress",
    "message",
    "result",
    "error",
    "cancel_requested",
    "created_by",
    "created_at",
    "started_at",
    "finished_at",
    "heartbeat_at",
}


def jobs_url(team: Team) -> str:
    return f"/api/v1/projects/{team.project.pk}/jobs/"


def test_admin_starts_an_integrity_check(team: Team, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        response = client_for(team.admin).post(jobs_url(team), {"kind": "integrity_check"}, format="json")
    assert response.status_code == 202, response.json()
    body = response.json()
    assert set(body) == JOB_KEYS
    assert (body["kind"], body["status"], body["project"]) == ("integrity_check", "queued", team.project.pk)
    assert body["progress"] == {"done": 0, "total": None}
    assert body["created_by"] == team.admin.username
    assert len(callbacks) == 1
    assert Job.objects.filter(pk=body["id"], project=team.project).exists()


@pytest.mark.parametrize("who", ["reviewer", "annotator"])
def test_members_who_are_not_admins_may_not_start_jobs(team: Team, who: str) -> None:
    client = client_for(getattr(team, who))
    assert client.post(jobs_url(team), {"kind": "integrity_check"}, format="json").status_code == 403
    assert client.post(jobs_url(team), {"kind": "nope", "params": 1}, format="json").status_code == 403
    assert not Job.objects.exists()


def test_non_member_gets_404_for_everything(team: Team) -> None:
    job = Job.objects.create(project=team.project, kind="integrity_check", created_by=team.admin)
    outsider = client_for(team.outsider)
    assert outsider.get(jobs_url(team)).status_code == 404
    assert outsider.post(jobs_url(team), {"kind": "integrity_check"}, format="json").status_code == 404
    assert outsider.get(f"/api/v1/jobs/{job.pk}/").status_code == 404
    assert outsider.post(f"/api/v1/jobs/{job.pk}/cancel/").status_code == 404
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    assert Job.objects.count() == 1


def test_bad_kind_or_params_is_400(team: Team) -> None:
    admin = client_for(team.admin)
    for body in (
        {"kind": "nope"},
        {"kind": "test_ok"},  # exists, but not startable over the API
        {},
        {"kind": "integrity_check", "params": [1]},
        {"kind": "integrity_check", "params": {"unexpected": True}},
    ):
        response = admin.post(jobs_url(team), body, format="json")
        assert response.status_code == 400, (body, response.json())
    response = admin.post(jobs_url(team), {"kind": "nope"}, format="json")
    assert "kind" in response.json()["errors"]
    assert not Job.objects.exists()


def test_every_member_lists_jobs_newest_first_paginated(team: Team) -> None:
    jobs = [Job.objects.create(project=team.project, kind="integrity_check") for _ in range(3)]
    for user in (team.admin, team.reviewer, team.annotator):
        body = client_for(user).get(jobs_url(team), {"page_size": 2}).json()
        assert body["count"] == 3
        assert [j["id"] for j in body["results"]] == [jobs[2].pk, jobs[1].pk]
        assert body["next"]


def test_list_shows_only_this_projects_jobs(team: Team) -> None:
    other = team.outsider.memberships.get().project
    Job.objects.create(project=other, kind="integrity_check")
    assert client_for(team.admin).get(jobs_url(team)).json()["count"] == 0


def test_detail_shows_progress_and_outcome(team: Team) -> None:
    now = timezone.now()
    job = Job.objects.create(
        project=team.project,
        kind="integrity_check",
        status=JobStatus.SUCCEEDED,
        progress_done=7,
        progress_total=7,
        message="done",
        result={"articles": 7},
        created_by=team.admin,
        started_at=now,
        finished_at=now,
        heartbeat_at=now,
    )
    body = client_for(team.annotator).get(f"/api/v1/jobs/{job.pk}/").json()
    assert set(body) == JOB_KEYS
    assert body["progress"] == {"done": 7, "total": 7}
    assert (body["status"], body["result"], body["created_by"]) == (
        "succeeded",
        {"articles": 7},
        "jobs-admin",
    )
    assert client_for(team.admin).get("/api/v1/jobs/999999/").status_code == 404


def test_cancel_over_the_api(team: Team) -> None:
    job = Job.objects.create(project=team.project, kind="integrity_check", created_by=team.admin)
    assert client_for(team.reviewer).post(f"/api/v1/jobs/{job.pk}/cancel/").status_code == 403
    response = client_for(team.admin).post(f"/api/v1/jobs/{job.pk}/cancel/")
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["cancel_requested"]) == ("cancelled", True)
    again = client_for(team.admin).post(f"/api/v1/jobs/{job.pk}/cancel/")
    assert again.status_code == 409 and again.json()["code"] == "conflict"


def test_schema_documents_the_job_endpoints(team: Team) -> None:
    schema = client_for(team.admin).get("/api/schema/", {"format": "json"}).json()
    paths = schema["paths"]
    post = paths["/api/v1/projects/{project_id}/jobs/"]["post"]
    assert "202" in post["responses"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("JobCreateRequest")
    job = schema["components"]["schemas"]["Job"]
    assert set(job["properties"]) == JOB_KEYS
    assert "/api/v1/jobs/{job_id}/cancel/" in paths
