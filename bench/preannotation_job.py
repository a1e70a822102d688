"""Benchmark a pre-annotation job end to end: a real Celery worker writing suggestions.

    .venv/bin/python -m bench.preannotation_job [--articles 10000] [--recognisers figures,quotes,rebuttals]

It creates a fresh benchmark database (var/bench/preannotate.sqlite3, or ``<name>_preannotate_bench``
beside a PostgreSQL ``DATABASE_URL``), fills one project with ``--articles`` articles of about
3,000 code points made of the hand-marked evaluation set's news texts (tests/data/preannotation),
starts a ``celery worker`` (prefork, one child) on a queue of its own and the configured broker
(``CELERY_BROKER_URL``; the filesystem transport by default), and queues the job with the
service the API calls. It then polls the job as the UI would and reports the time from
queueing to finished, the time the worker ran it, the progress updates it saw, what the job
wrote, and a second run over the same articles (which replaces nothing: every suggestion is
kept). Target (issue 4): 10,000 articles in under 60 s on PostgreSQL; the exit status is 1
when a job fails or, on PostgreSQL with at least 10,000 articles, the first run misses it.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from typing import Any

from bench.exchange import CODE_MEASURED
from bench.exchange_processes import VAR_DIR, celery_worker
from bench.preannotation import EVAL_SET, long_texts
from bench.support.database import bench_database, bench_env
from bench.support.paths import ROOT
from bench.support.report import Row, code_version, print_table

TARGET_S = 60.0
TARGET_ARTICLES = 10_000
ARTICLE_CHARS = 3000


@dataclass
class Run:
    queued_to_finished: float
    ran_for: float
    progress_seen: int  # distinct (done) values seen while polling every 0.2 s
    result: dict[str, Any]


def populate(articles: int) -> tuple[int, int]:
    """A project of ``articles`` news texts and its admin; returns (project id, admin id)."""
    from django.contrib.auth import get_user_model

    from annotator.articles.services import ArticleInput, articles_add
    from annotator.preannotation.evaluation import parse_marked
    from annotator.projects.services import project_create

    admin = get_user_model().objects.create_user("bench-admin")
    project = project_create(creator=admin, name="Pre-annotation", preset="argument")
    texts = long_texts(parse_marked(EVAL_SET.read_text(encoding="utf-8")), articles, ARTICLE_CHARS)
    for start in range(0, articles, 1000):
        items = [
            ArticleInput(text=texts[i], external_id=f"p{i}")
            for i in range(start, min(articles, start + 1000))
        ]
        articles_add(actor=admin, project_id=project.pk, items=items)
    return project.pk, admin.pk


def run_job(project_id: int, admin_id: int, recognisers: list[str]) -> Run:
    from django.contrib.auth import get_user_model

    from annotator.jobs.models import FINISHED, Job
    from annotator.preannotation.services import preannotate_start

    admin = get_user_model().objects.get(pk=admin_id)
    queued = time.perf_counter()
    job = preannotate_start(actor=admin, project_id=project_id, params={"recognisers": recognisers})
    seen: set[int] = set()
    while True:
        job = Job.objects.get(pk=job.pk)
        seen.add(job.progress_done)
        if job.status in FINISHED:
            break
        time.sleep(0.2)
    finished = time.perf_counter()
    if job.status != "succeeded":
        raise SystemExit(f"the job {job.status}: {job.error}")
    assert job.started_at and job.finished_at
    return Run(
        queued_to_finished=finished - queued,
        ran_for=(job.finished_at - job.started_at).total_seconds(),
        progress_seen=len(seen),
        result=job.result or {},
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.preannotation_job", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--articles", type=int, default=TARGET_ARTICLES)
    parser.add_argument("--recognisers", default="figures,quotes,rebuttals")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args(argv)
    recognisers = [name for name in args.recognisers.split(",") if name]

    db = bench_database(os.environ.get("DATABASE_URL", ""), "preannotate")
    queue = f"bench-preannotate-{uuid.uuid4().hex[:10]}"
    env = bench_env(db)
    env.update(
        ANNOTATOR_VAR_DIR=str(VAR_DIR),
        CELERY_TASK_DEFAULT_QUEUE=queue,
        CELERY_TASK_ALWAYS_EAGER="false",
        PYTHONPATH=str(ROOT),
    )
    shutil.rmtree(VAR_DIR, ignore_errors=True)
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    broker = env.get("CELERY_BROKER_URL", "") or "filesystem"
    print(f"benchmark database: {db.vendor}, {db.describe()} (created fresh); broker {broker}", flush=True)
    db.create()
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connection, connections

        started = time.perf_counter()
        project_id, admin_id = populate(args.articles)
        print(f"created {args.articles:,} articles in {time.perf_counter() - started:.1f} s", flush=True)
        if db.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        connections.close_all()
        with celery_worker(env, queue):
            first = run_job(project_id, admin_id, recognisers)
            again = run_job(project_id, admin_id, recognisers)
    finally:
        if not args.keep:
            if "django" in sys.modules:
                from django.db import connections

                connections.close_all()
            db.drop()

    created = first.result.get("created", 0)
    rows: list[Row] = [
        (
            f"first run of {', '.join(recognisers)}: queued -> succeeded",
            f"{first.queued_to_finished:.1f} s ({args.articles / first.queued_to_finished:,.0f} articles/s)",
            f"< {TARGET_S:.0f} s for {TARGET_ARTICLES:,}" if db.vendor == "postgresql" else "",
            _verdict(db.vendor, args.articles, first.queued_to_finished),
        ),
        ("  of which the worker ran it", f"{first.ran_for:.1f} s", "", None),
        ("  progress updates seen (polled every 0.2 s)", f"{first.progress_seen}", "", None),
        (
            "  written",
            f"{created:,} span and {first.result.get('relations_created', 0):,} relation suggestions "
            f"({created / first.ran_for:,.0f} spans/s)",
            "",
            None,
        ),
        (
            "second run over the same articles",
            f"{again.queued_to_finished:.1f} s: kept {again.result.get('kept', 0):,}, "
            f"created {again.result.get('created', 0):,}, removed {again.result.get('removed', 0):,}",
            "",
            None,
        ),
    ]
    print_table(
        [
            f"code {code_version(*CODE_MEASURED)}; {db.vendor}; {platform.python_implementation()} {platform.python_version()}"
        ],
        rows,
    )
    return 1 if _verdict(db.vendor, args.articles, first.queued_to_finished) is False else 0


def _verdict(vendor: str, articles: int, seconds: float) -> bool | None:
    """Met or missed: only where the target is set (PostgreSQL, at least 10,000 articles)."""
    if vendor != "postgresql" or articles < TARGET_ARTICLES:
        return None
    return seconds < TARGET_S


if __name__ == "__main__":
    sys.exit(main())
