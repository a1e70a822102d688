"""Pre-annotation on a real worker (the configured broker: filesystem by default, Redis in CI;
the test database: SQLite file or PostgreSQL): enqueue -> progress -> suggestions; a worker
killed mid-job; a job enqueued in a transaction that rolls back."""

import os
import signal
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Count

from annotator.annotations.models import Layer, Span, SuggestionStatus
from annotator.articles.services import ArticleInput, articles_add
from annotator.jobs.models import Job, JobStatus
from annotator.preannotation.evaluation import parse_marked
from annotator.preannotation.jobs import BATCH_ARTICLES
from annotator.preannotation.services import preannotate_start
from tests.conftest import client_for, result_of
from tests.jobs.conftest import Team, Worker, wait_finished, wait_for
from tests.jobs.test_worker import STALE_WAIT, child_pid

pytestmark = pytest.mark.worker

EVAL_SET = os.path.join(os.path.dirname(__file__), "..", "data", "preannotation", "eval.txt")
RULE_BASED = ["figures", "quotes", "rebuttals"]


def add_news(team: Team, n: int) -> None:
    """``n`` articles of the evaluation set's news texts (each made unique)."""
    with open(EVAL_SET, encoding="utf-8") as handle:
        texts = [article.text for article in parse_marked(handle.read())]
    items = [ArticleInput(text=f"{texts[i % len(texts)]}\n({i})", external_id=f"n{i}") for i in range(n)]
    for start in range(0, n, 500):
        articles_add(actor=team.admin, project_id=team.project.pk, items=items[start : start + 500])


def duplicates() -> int:
    """Span suggestions that are there twice (the same range and label in one article)."""
    twice = (
        Span.objects.filter(layer=Layer.SUGGESTION)
        .values("article", "start", "end", "label")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    )
    return twice.count()


def start(team: Team, **params: Any) -> Job:
    return preannotate_start(actor=team.admin, project_id=team.project.pk, params=params)


def test_enqueue_progress_suggestions(worker: Worker, team: Team) -> None:
    add_news(team, 300)
    client = client_for(team.admin)
    response = client.post(
        f"/api/v1/projects/{team.project.pk}/preannotate/", {"recognisers": RULE_BASED}, format="json"
    )
    assert response.status_code == 202, response.json()
    job = wait_finished(Job.objects.get(pk=response.json()["id"]), timeout=60)
    assert job.status == JobStatus.SUCCEEDED, (job.error, job.result)
    body = client.get(f"/api/v1/jobs/{job.pk}/").json()
    assert body["progress"]["done"] == body["progress"]["total"] == 300
    made = Span.objects.filter(layer=Layer.SUGGESTION, suggestion_status=SuggestionStatus.PENDING)
    assert result_of(job)["created"] == made.count() > 300
    assert set(made.values_list("recogniser", flat=True)) == set(RULE_BASED)
    assert result_of(job)["relations_created"] > 0 and duplicates() == 0


def test_a_worker_killed_mid_job_leaves_it_failed_and_a_rerun_adds_no_duplicates(
    worker: Worker, team: Team
) -> None:
    add_news(team, 3000)
    job = start(team, recognisers=RULE_BASED)
    wait_for(
        lambda: Job.objects.filter(pk=job.pk, progress_done__gte=BATCH_ARTICLES).exists(),
        60,
        "the first batch to be written",
    )
    job.refresh_from_db()
    os.kill(child_pid(job), signal.SIGKILL)
    job = wait_finished(job, timeout=STALE_WAIT)
    assert job.status == JobStatus.FAILED and job.error.startswith("worker lost"), job.error
    assert job.progress_total == 3000 and job.progress_done < 3000
    written = Span.objects.filter(layer=Layer.SUGGESTION).values("article").distinct().count()
    # Batches are transactions: what the killed one had begun is gone, the others stay whole.
    assert 0 < written < 3000 and written % BATCH_ARTICLES == 0
    assert duplicates() == 0

    rerun = wait_finished(start(team, recognisers=RULE_BASED), timeout=120)
    assert rerun.status == JobStatus.SUCCEEDED, (rerun.error, rerun.result)
    assert duplicates() == 0
    assert result_of(rerun)["kept"] > 0 and result_of(rerun)["removed"] == 0
    total = Span.objects.filter(layer=Layer.SUGGESTION).count()
    assert result_of(rerun)["kept"] + result_of(rerun)["created"] == total


def test_a_job_enqueued_in_a_transaction_that_rolls_back_never_runs(worker: Worker, team: Team) -> None:
    add_news(team, 5)
    with pytest.raises(RuntimeError), transaction.atomic():
        start(team, recognisers=["figures"])
        raise RuntimeError("the caller's transaction fails after queueing the job")
    # A job queued after it runs: had the first one been published, the worker (one process,
    # in order) would have run it before this one.
    later = wait_finished(start(team, recognisers=["quotes"]), timeout=60)
    assert later.status == JobStatus.SUCCEEDED
    assert list(Job.objects.values_list("pk", flat=True)) == [later.pk]
    assert set(Span.objects.filter(layer=Layer.SUGGESTION).values_list("recogniser", flat=True)) == {"quotes"}
