"""Job kinds for the framework's tests. Loaded in the test process by tests/jobs/conftest.py
and in test workers through JOB_KIND_MODULES=tests.jobs.kinds."""

import os
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from annotator.articles.services import ArticleInput, articles_add
from annotator.jobs import runner
from annotator.jobs.models import Job, JobStatus
from annotator.jobs.registry import job_kind
from annotator.jobs.runner import JobContext


@job_kind("test_ok")
def ok(job: Job, ctx: JobContext) -> dict[str, Any]:
    """Count to n with a progress call per step."""
    n, pause = int(job.params.get("n", 10)), float(job.params.get("sleep", 0))
    ctx.progress(0, n, "counting")
    for i in range(n):
        time.sleep(pause)
        ctx.progress(i + 1, n)
    return {"counted": n}


@job_kind("test_fail")
def fail(job: Job, ctx: JobContext) -> None:
    """Report a little progress, then raise with the message from params."""
    ctx.progress(1, 3)
    raise RuntimeError(job.params.get("message", "boom"))


@job_kind("test_slow")
def slow(job: Job, ctx: JobContext) -> dict[str, Any]:
    """Run for about ``seconds``, with a progress call every ``step`` seconds."""
    step = float(job.params.get("step", 0.1))
    steps = max(1, round(float(job.params.get("seconds", 10)) / step))
    for i in range(steps):
        time.sleep(step)
        ctx.progress(i + 1, steps)
    return {"steps": steps}


@job_kind("test_count_runs")
def count_runs(job: Job, ctx: JobContext) -> dict[str, Any]:
    """Append a line to the ``marker`` file each time it runs, so a second run shows."""
    marker = Path(job.params["marker"])
    with marker.open("a") as f:
        f.write(f"{os.getpid()}\n")
    time.sleep(float(job.params.get("sleep", 0)))
    ctx.progress(1, 1)
    return {"runs": len(marker.read_text().splitlines())}


@job_kind("test_silent")
def silent(job: Job, ctx: JobContext) -> dict[str, Any]:
    """Sleep without progress calls; report the heartbeat before and after."""
    before = Job.objects.values_list("heartbeat_at", flat=True).get(pk=job.pk)
    time.sleep(float(job.params.get("seconds", 1)))
    after = Job.objects.values_list("heartbeat_at", flat=True).get(pk=job.pk)
    return {"before": before.isoformat() if before else None, "after": after.isoformat() if after else None}


@job_kind("test_cancel_midway")
def cancel_midway(job: Job, ctx: JobContext) -> dict[str, Any]:
    """Ask for its own cancel (as the API would) at step 3, swallow ordinary errors per
    step the way real handlers do, and go on calling progress."""
    steps = 20
    for i in range(steps):
        if i == 3:
            Job.objects.filter(pk=job.pk).update(cancel_requested=True)
        try:
            time.sleep(0.1)
            ctx.progress(i + 1, steps)
        except Exception:  # noqa: S112 - the point: this must not swallow a cancel
            continue
    return {"steps": steps}


@job_kind("test_overtaken")
def overtaken(job: Job, ctx: JobContext) -> dict[str, Any]:
    """Get failed by someone else (as the stale sweep would) mid-run, then return normally."""
    ctx.progress(1, 2)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error="failed by the sweep")
    return {"late": True}


@job_kind("test_silenced")
def silenced(job: Job, ctx: JobContext) -> dict[str, Any]:
    """Stay silent past the stale limit and be failed as lost by the sweep's own check (as
    when a long SQLite transaction keeps the heartbeat out), then finish normally."""
    ctx.progress(1, 2)
    long_ago = timezone.now() - timedelta(days=1)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=long_ago)
    assert runner.fail_if_stale(job.pk)
    if job.params.get("report_again"):
        ctx.progress(2, 2)
    return {"finished": True}


@job_kind("test_chatty")
def chatty(job: Job, ctx: JobContext) -> dict[str, Any]:
    """Many progress calls in a tight loop: writes must be throttled."""
    n = int(job.params.get("n", 1000))
    for i in range(n):
        ctx.progress(i + 1, n)
    return {"n": n}


@job_kind("test_bad_result")
def bad_result(job: Job, ctx: JobContext) -> Any:
    """Return something that is not JSON."""
    return {"when": object()}


@job_kind("test_in_transaction")
def in_transaction(job: Job, ctx: JobContext) -> dict[str, Any]:
    """Write an article and report progress inside one transaction (as an import does)."""
    steps, step = int(job.params.get("steps", 10)), float(job.params.get("step", 0.1))
    assert job.created_by is not None
    with transaction.atomic():
        articles_add(
            actor=job.created_by,
            project_id=job.project_id,
            items=[ArticleInput(text="Written inside the job's transaction.", external_id=f"job-{job.pk}")],
        )
        for i in range(steps):
            time.sleep(step)
            ctx.progress_in_transaction(i + 1, steps, f"step {i + 1}")
    return {"steps": steps}
