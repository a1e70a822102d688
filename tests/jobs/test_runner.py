"""The runner called directly in this process: claim, outcomes, progress, cancel, heartbeat.

transactional_db: the heartbeat thread has its own connection and must see committed rows.
"""

import threading
import time
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.db import connection, connections
from django.utils import timezone

from annotator.annotations.models import Span
from annotator.articles.models import Article
from annotator.jobs import registry, runner
from annotator.jobs.models import Job, JobStatus
from annotator.jobs.runner import jobs_fail_stale, run_job
from annotator.jobs.tasks import fail_stale_jobs, run_job_task
from tests.jobs.conftest import STALE_AFTER_SECONDS, Team

pytestmark = pytest.mark.usefixtures("transactional_db")


def make_job(team: Team, kind: str, **fields: Any) -> Job:
    return Job.objects.create(project=team.project, kind=kind, created_by=team.admin, **fields)


def test_first_delivery_claims_and_runs(team: Team) -> None:
    job = make_job(team, "test_ok", params={"n": 3})
    outcome = run_job(job.pk, redelivered=False)
    assert (outcome.action, outcome.status, outcome.recheck_in) == ("ran", "succeeded", None)
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.result == {"counted": 3}
    assert (job.progress_done, job.progress_total) == (3, 3)
    assert job.worker == runner.worker_id() and job.attempts == 1
    assert job.started_at and job.finished_at and job.started_at <= job.finished_at


def test_second_delivery_does_not_run_again(team: Team, tmp_path) -> None:
    marker = tmp_path / "runs"
    job = make_job(team, "test_count_runs", params={"marker": str(marker)})
    assert run_job(job.pk, redelivered=False).action == "ran"
    outcome = run_job(job.pk, redelivered=True)
    assert (outcome.action, outcome.status) == ("skipped", "succeeded")
    assert len(marker.read_text().splitlines()) == 1
    job.refresh_from_db()
    assert job.attempts == 2 and job.result == {"runs": 1}


@pytest.mark.parametrize("status", [JobStatus.CANCELLED, JobStatus.FAILED, JobStatus.SUCCEEDED])
def test_finished_job_is_left_alone(team: Team, tmp_path, status: str) -> None:
    marker = tmp_path / "runs"
    job = make_job(team, "test_count_runs", params={"marker": str(marker)}, status=status, error="as it was")
    assert run_job(job.pk, redelivered=False) == runner.Outcome("skipped", status)
    job.refresh_from_db()
    assert job.status == status and job.error == "as it was" and not marker.exists()


def test_missing_job_is_skipped(team: Team) -> None:
    assert run_job(10**9, redelivered=True) == runner.Outcome("skipped", None)


def test_running_job_with_fresh_heartbeat_is_rechecked_later(team: Team, tmp_path) -> None:
    marker = tmp_path / "runs"
    beat = timezone.now() - timedelta(seconds=1)
    job = make_job(
        team,
        "test_count_runs",
        params={"marker": str(marker)},
        status=JobStatus.RUNNING,
        started_at=beat,
        heartbeat_at=beat,
        worker="elsewhere:7",
    )
    outcome = run_job(job.pk, redelivered=True)
    assert outcome.action == "recheck" and outcome.status == JobStatus.RUNNING
    # About when the heartbeat goes stale (2 s from now), plus a margin.
    assert outcome.recheck_in is not None
    assert 1.5 < outcome.recheck_in <= STALE_AFTER_SECONDS + 0.5
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.worker == "elsewhere:7" and not marker.exists()


def test_running_job_with_stale_heartbeat_is_failed(team: Team) -> None:
    beat = timezone.now() - timedelta(seconds=STALE_AFTER_SECONDS + 1)
    job = make_job(team, "test_ok", status=JobStatus.RUNNING, started_at=beat, heartbeat_at=beat)
    assert run_job(job.pk, redelivered=True) == runner.Outcome("failed_stale", JobStatus.FAILED)
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.finished_at is not None
    assert job.error == f"worker lost: no heartbeat since {beat.isoformat(timespec='seconds')}"


def test_unknown_kind_fails_clearly(team: Team) -> None:
    job = make_job(team, "no_such_kind")
    assert run_job(job.pk, redelivered=False).status == JobStatus.FAILED
    job.refresh_from_db()
    assert job.error.startswith("unknown job kind 'no_such_kind'")


def test_exception_fails_the_job_with_its_message_and_logs_the_traceback(team: Team, caplog) -> None:
    job = make_job(team, "test_fail", params={"message": "feed unreachable"})
    with caplog.at_level("ERROR", logger="annotator.jobs.runner"):
        assert run_job(job.pk, redelivered=False).status == JobStatus.FAILED
    job.refresh_from_db()
    assert job.error == "feed unreachable" and job.result is None
    assert (job.progress_done, job.progress_total) == (1, 3)
    assert any(r.exc_info and "feed unreachable" in str(r.exc_info[1]) for r in caplog.records)


def test_result_that_is_not_json_fails_the_job(team: Team) -> None:
    job = make_job(team, "test_bad_result")
    assert run_job(job.pk, redelivered=False).status == JobStatus.FAILED
    job.refresh_from_db()
    assert "not JSON serializable" in job.error and job.result is None


def test_cancel_is_seen_at_a_progress_call_even_inside_except_exception(team: Team) -> None:
    job = make_job(team, "test_cancel_midway")
    assert run_job(job.pk, redelivered=False).status == JobStatus.CANCELLED
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and job.result is None and job.finished_at
    # Asked at step 4 of 20; stopped within the progress write interval (0.5 s, 0.1 s a step).
    assert 4 <= job.progress_done <= 10


def test_a_late_outcome_never_overwrites_a_finished_job(team: Team) -> None:
    job = make_job(team, "test_overtaken")
    assert run_job(job.pk, redelivered=False).status == JobStatus.FAILED
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and job.error == "failed by the sweep" and job.result is None


@pytest.mark.parametrize("report_again", [False, True])
def test_a_job_failed_as_lost_while_its_worker_runs_it_runs_on(
    team: Team, report_again: bool, caplog
) -> None:
    # As on SQLite when the handler's long write transaction kept the heartbeat out and the
    # sweep's verdict landed once it committed: the handler's next write (a progress call,
    # or its outcome) puts the job back to running instead of stopping it as no longer running.
    job = make_job(team, "test_silenced", params={"report_again": report_again})
    assert run_job(job.pk, redelivered=False).status == JobStatus.SUCCEEDED
    job.refresh_from_db()
    assert (job.status, job.error, job.result) == (JobStatus.SUCCEEDED, "", {"finished": True})
    assert job.progress_done == (2 if report_again else 1) and job.finished_at
    assert "was failed as lost while it ran here" in caplog.text


def test_a_job_failed_as_lost_stays_failed_for_any_other_worker(team: Team) -> None:
    job = make_job(team, "test_silenced")
    Job.objects.filter(pk=job.pk).update(
        status=JobStatus.FAILED, worker="elsewhere:7", error="worker lost: x"
    )
    assert not runner._reclaim(job.pk)
    job.refresh_from_db()
    assert (job.status, job.error) == (JobStatus.FAILED, "worker lost: x")


def test_progress_writes_are_throttled(team: Team, django_assert_max_num_queries) -> None:
    job = make_job(team, "test_chatty", params={"n": 5000})
    with django_assert_max_num_queries(12):  # claim, read, a few progress writes, finish
        run_job(job.pk, redelivered=False)
    job.refresh_from_db()
    assert (job.status, job.progress_done, job.progress_total) == (JobStatus.SUCCEEDED, 5000, 5000)


def test_heartbeat_thread_beats_while_the_handler_is_silent(team: Team, settings) -> None:
    settings.JOB_HEARTBEAT_SECONDS = 0.1
    job = make_job(team, "test_silent", params={"seconds": 0.6})
    assert run_job(job.pk, redelivered=False).status == JobStatus.SUCCEEDED
    job.refresh_from_db()
    assert job.result is not None
    before, after = (datetime.fromisoformat(job.result[k]) for k in ("before", "after"))
    assert after - before >= timedelta(seconds=0.3)


def test_fail_stale_fails_only_silent_running_jobs(team: Team) -> None:
    long_ago = timezone.now() - timedelta(seconds=STALE_AFTER_SECONDS + 5)
    just_now = timezone.now()
    stale = make_job(team, "test_ok", status=JobStatus.RUNNING, started_at=long_ago, heartbeat_at=long_ago)
    never_beat = make_job(team, "test_ok", status=JobStatus.RUNNING, started_at=long_ago)
    fresh = make_job(team, "test_ok", status=JobStatus.RUNNING, started_at=long_ago, heartbeat_at=just_now)
    queued = make_job(team, "test_ok")
    done = make_job(team, "test_ok", status=JobStatus.SUCCEEDED, heartbeat_at=long_ago)
    assert jobs_fail_stale() == 2
    statuses = dict(Job.objects.values_list("pk", "status"))
    assert statuses == {
        stale.pk: "failed",
        never_beat.pk: "failed",
        fresh.pk: "running",
        queued.pk: "queued",
        done.pk: "succeeded",
    }
    assert Job.objects.get(pk=stale.pk).error.startswith("worker lost: no heartbeat since")
    assert jobs_fail_stale() == 0
    # The periodic task is a thin wrapper around it.
    Job.objects.filter(pk=fresh.pk).update(heartbeat_at=long_ago)
    assert fail_stale_jobs.apply().get() == 1


def test_eager_task_runs_the_job_and_never_loops_on_a_recheck(team: Team) -> None:
    job = make_job(team, "test_ok", params={"n": 2})
    run_job_task.apply(args=(job.pk,)).get()
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED
    busy = make_job(team, "test_ok", status=JobStatus.RUNNING, heartbeat_at=timezone.now())
    run_job_task.apply(args=(busy.pk,)).get()  # returns instead of retrying inline
    assert Job.objects.get(pk=busy.pk).status == JobStatus.RUNNING


def test_registry_refuses_a_second_handler_for_a_name() -> None:
    with pytest.raises(ValueError, match="already registered"):

        @registry.job_kind("test_ok")
        def impostor(job: Job, ctx: runner.JobContext) -> None:
            return None

    assert registry.kind_get("test_ok") is not None
    assert registry.kind_get("test_ok").handler.__name__ == "ok"  # type: ignore[union-attr]


def test_integrity_check_reports_problems(team: Team) -> None:
    from annotator.articles.services import ArticleInput, articles_add

    added = articles_add(
        actor=team.admin,
        project_id=team.project.pk,
        items=[
            ArticleInput(text=f"Article {i}: 4.75% of £1,400 🙄.", external_id=f"a{i}") for i in range(150)
        ],
    )
    first, second = added.articles[0], added.articles[1]
    label = team.project.labels.get(name="FIGURE")
    good = Span.objects.create(
        article=first, label=label, layer="gold", start=11, end=16, text=first.text[11:16]
    )
    Span.objects.create(article=first, label=label, layer="gold", start=0, end=7, text="Artikel")
    Span.objects.create(article=second, label=label, layer="gold", start=30, end=99, text="x")
    Article.objects.filter(pk=second.pk).update(text_sha256="0" * 64)
    job = make_job(team, "integrity_check")
    assert run_job(job.pk, redelivered=False).status == JobStatus.SUCCEEDED
    job.refresh_from_db()
    assert good.text == "4.75%"
    assert (job.progress_done, job.progress_total) == (150, 150)
    result = job.result
    assert result is not None
    assert result["articles"] == 150 and result["spans"] == 3 and result["problem_count"] == 3
    kinds = sorted((p["kind"], p["article"]) for p in result["problems"])
    assert kinds == [
        ("span_out_of_range", second.pk),
        ("span_text_mismatch", first.pk),
        ("text_sha256_mismatch", second.pk),
    ]
    assert job.message == "150 articles and 3 spans checked; 3 problem(s)"


def _run_in_thread(job_id: int) -> tuple[threading.Thread, list[Any]]:
    outcome: list[Any] = []

    def work() -> None:
        try:
            outcome.append(run_job(job_id, redelivered=False))
        finally:
            connections.close_all()

    thread = threading.Thread(target=work)
    thread.start()
    return thread, outcome


def test_progress_from_inside_a_transaction_is_written_by_the_heartbeat(team: Team, settings) -> None:
    settings.JOB_HEARTBEAT_SECONDS = 0.1
    job = make_job(team, "test_in_transaction", params={"steps": 12, "step": 0.1})
    thread, outcome = _run_in_thread(job.pk)
    seen = []
    while thread.is_alive():
        seen.append(Job.objects.values_list("status", "progress_done").get(pk=job.pk))
        time.sleep(0.05)
    thread.join()
    assert outcome[0].status == JobStatus.SUCCEEDED
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total, job.message) == (12, 12, "step 12")
    assert Article.objects.filter(project=team.project, external_id=f"job-{job.pk}").exists()
    if connection.vendor == "postgresql":  # SQLite lets one writer in at a time: shown at commit
        midway = {done for status, done in seen if status == JobStatus.RUNNING and 0 < done < 12}
        assert midway, seen


def test_a_cancel_does_not_wait_for_the_handlers_transaction(team: Team, settings) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("SQLite lets one writer in at a time: a cancel waits for the job's commit")
    settings.JOB_HEARTBEAT_SECONDS = 0.1
    job = make_job(team, "test_in_transaction", params={"steps": 100, "step": 0.05})
    thread, outcome = _run_in_thread(job.pk)
    while not Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, progress_done__gt=0).exists():
        time.sleep(0.02)
    started = time.monotonic()
    assert Job.objects.filter(pk=job.pk).update(cancel_requested=True) == 1
    assert time.monotonic() - started < 1  # the job row is not locked by the running handler
    thread.join(timeout=30)
    assert outcome[0].status == JobStatus.CANCELLED
    job.refresh_from_db()
    assert job.status == JobStatus.CANCELLED and job.progress_done < 100
    # The handler's transaction was rolled back with it.
    assert not Article.objects.filter(project=team.project, external_id=f"job-{job.pk}").exists()
