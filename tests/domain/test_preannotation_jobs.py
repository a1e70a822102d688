"""The pre-annotation and training jobs trust the params their start service checked, and
re-check only that whoever started them is still an admin of the project."""

import pytest

from annotator.annotations.models import Layer, Span
from annotator.jobs.models import Job, JobStatus
from annotator.jobs.runner import run_job
from annotator.preannotation.models import RecommenderModel
from annotator.preannotation.services import preannotate_start, recommender_train_start
from annotator.projects.models import Membership, Role
from tests.conftest import World

pytestmark = pytest.mark.usefixtures("transactional_db")


def demote(world: World) -> None:
    Membership.objects.filter(project=world.project, user=world.users["admin"]).update(role=Role.ANNOTATOR)


def finished(job: Job) -> Job:
    run_job(job.pk, redelivered=False)
    job.refresh_from_db()
    return job


def test_preannotation_fails_when_its_starter_is_no_longer_an_admin(world: World) -> None:
    job = preannotate_start(
        actor=world.users["admin"], project_id=world.project.pk, params={"recognisers": ["figures"]}
    )
    assert job.params == {"recognisers": ["figures"], "articles": "all", "min_score": 0.0}
    demote(world)
    job = finished(job)
    assert job.status == JobStatus.FAILED
    assert "Only a project admin may run pre-annotation" in job.error
    assert not Span.objects.filter(layer=Layer.SUGGESTION).exists()


def test_training_fails_when_its_starter_is_no_longer_an_admin(world: World) -> None:
    job = recommender_train_start(actor=world.users["admin"], project_id=world.project.pk)
    demote(world)
    job = finished(job)
    assert job.status == JobStatus.FAILED
    assert "Only a project admin may train the recommender" in job.error
    assert not RecommenderModel.objects.exists()


def test_a_job_whose_starter_is_gone_fails(world: World) -> None:
    job = preannotate_start(
        actor=world.users["admin"], project_id=world.project.pk, params={"recognisers": ["figures"]}
    )
    Job.objects.filter(pk=job.pk).update(created_by=None)
    job = finished(job)
    assert job.status == JobStatus.FAILED
    assert "no longer exists" in job.error
