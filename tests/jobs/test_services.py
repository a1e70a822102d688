"""Services: who may start and cancel jobs, what is enqueued, and a broker that is down."""

from collections.abc import Iterator
from typing import Any

import kombu.exceptions
import pytest
from django.utils import timezone

from annotator import celery_app
from annotator.common.errors import Conflict, Forbidden, InvalidInput, NotFound
from annotator.jobs.models import Job, JobStatus
from annotator.jobs.services import BROKER_DOWN, job_cancel, job_create
from annotator.projects.models import Membership
from tests.jobs.conftest import Team


def test_admin_creates_a_queued_job_published_after_commit(
    team: Team, django_capture_on_commit_callbacks
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        job = job_create(actor=team.admin, project_id=team.project.pk, kind="integrity_check", params={})
    assert (job.status, job.kind, job.created_by, job.params) == ("queued", "integrity_check", team.admin, {})
    assert len(callbacks) == 1  # nothing is published before the row is committed


@pytest.mark.parametrize("who", ["reviewer", "annotator"])
def test_only_admins_create_jobs(team: Team, who: str) -> None:
    with pytest.raises(Forbidden):
        job_create(actor=getattr(team, who), project_id=team.project.pk, kind="integrity_check")
    assert not Job.objects.exists()


def test_non_member_is_told_the_project_does_not_exist(team: Team) -> None:
    with pytest.raises(NotFound):
        job_create(actor=team.outsider, project_id=team.project.pk, kind="integrity_check")


def test_kind_must_be_registered_and_for_the_api_startable(team: Team) -> None:
    with pytest.raises(InvalidInput) as unknown:
        job_create(actor=team.admin, project_id=team.project.pk, kind="nope")
    assert "integrity_check" in unknown.value.message and "kind" in unknown.value.fields
    with pytest.raises(InvalidInput):  # registered, but not startable over the API
        job_create(actor=team.admin, project_id=team.project.pk, kind="test_ok", from_api=True)
    assert job_create(actor=team.admin, project_id=team.project.pk, kind="test_ok").kind == "test_ok"


def test_params_are_checked(team: Team) -> None:
    for params in (["a"], {"x": "nul\x00"}):
        with pytest.raises(InvalidInput):
            job_create(actor=team.admin, project_id=team.project.pk, kind="test_ok", params=params)  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="takes no params"):
        job_create(actor=team.admin, project_id=team.project.pk, kind="integrity_check", params={"x": 1})
    assert not Job.objects.exists()


def test_cancel_a_queued_job_at_once(team: Team) -> None:
    job = Job.objects.create(project=team.project, kind="test_ok", created_by=team.admin)
    job = job_cancel(actor=team.admin, job_id=job.pk)
    assert job.status == JobStatus.CANCELLED and job.cancel_requested and job.finished_at is not None


def test_cancel_a_running_job_asks_it_to_stop(team: Team) -> None:
    job = Job.objects.create(
        project=team.project, kind="test_ok", status=JobStatus.RUNNING, heartbeat_at=timezone.now()
    )
    job = job_cancel(actor=team.admin, job_id=job.pk)
    assert job.status == JobStatus.RUNNING and job.cancel_requested  # the runner stops it
    assert job_cancel(actor=team.admin, job_id=job.pk).cancel_requested  # asking twice is fine


@pytest.mark.parametrize("status", [JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED])
def test_cancel_a_finished_job_conflicts(team: Team, status: str) -> None:
    job = Job.objects.create(project=team.project, kind="test_ok", status=status)
    with pytest.raises(Conflict):
        job_cancel(actor=team.admin, job_id=job.pk)
    job.refresh_from_db()
    assert job.status == status and not job.cancel_requested


def test_who_may_cancel(team: Team) -> None:
    job = Job.objects.create(project=team.project, kind="test_ok", created_by=team.admin)
    with pytest.raises(NotFound):
        job_cancel(actor=team.outsider, job_id=job.pk)
    with pytest.raises(Forbidden):
        job_cancel(actor=team.reviewer, job_id=job.pk)
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED
    # Its creator may, even after losing the admin role.
    Membership.objects.filter(project=team.project, user=team.admin).update(role="annotator")
    assert job_cancel(actor=team.admin, job_id=job.pk).status == JobStatus.CANCELLED


CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Point this process's Celery app at a closed port for the test, then restore it."""
    app: Any = celery_app  # its connection pools are private attributes
    conf = app.conf
    # Celery reads CELERY_BROKER_URL from the environment before any setting.
    monkeypatch.setenv("CELERY_BROKER_URL", CLOSED_PORT_BROKER)
    keys = ("CELERY_BROKER_TRANSPORT_OPTIONS", "broker_transport_options")
    transports = ("CELERY_BROKER_TRANSPORT", "broker_transport")  # the URL's scheme decides
    saved = {key: conf.get(key) for key in (*keys, *transports)}
    conf.update({key: {} for key in keys} | {key: None for key in transports})
    pools = (app._pool, app.amqp._producer_pool)
    app._pool = app.amqp._producer_pool = None  # built again from the new URL
    try:
        with app.connection_for_write() as conn:
            assert (conn.transport_cls, conn.hostname, conn.port) == ("redis", "127.0.0.1", 1)
        yield
    finally:
        if app._pool is not None:
            app._pool.force_close_all()
        conf.update(saved)
        app._pool, app.amqp._producer_pool = pools


@pytest.mark.usefixtures("transactional_db", "broker_down")
def test_broker_down_fails_the_job_instead_of_running_it(team: Team, tmp_path, caplog) -> None:
    marker = tmp_path / "runs"
    with caplog.at_level("ERROR", logger="annotator.jobs.services"):
        job = job_create(
            actor=team.admin,
            project_id=team.project.pk,
            kind="test_count_runs",
            params={"marker": str(marker)},
        )
    # It failed because the broker refused the connection, not for some other reason.
    (record,) = [r for r in caplog.records if "publishing its message failed" in r.getMessage()]
    assert record.exc_info and isinstance(record.exc_info[1], kombu.exceptions.OperationalError)
    # The commit has happened and its publish failed: the caller sees the truth.
    assert (job.status, job.error) == (JobStatus.FAILED, BROKER_DOWN)
    stored = Job.objects.get(pk=job.pk)
    assert (stored.status, stored.error) == (JobStatus.FAILED, BROKER_DOWN)
    assert stored.finished_at is not None
    assert not marker.exists()  # never run inline
