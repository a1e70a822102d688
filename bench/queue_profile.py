"""Where one ``GET /api/v1/projects/{id}/queue/next/`` spends its time (overlap, every request
a claim): the SQL it sends, each statement's time, and a cProfile summary.

    .venv/bin/python -m bench.queue_profile [--articles 100000] [--requests 200] [--reuse]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator .venv/bin/python -m bench.queue_profile

It builds the same project as bench.workflow_queue (its own database, tag "queueprof"; kept
afterwards so ``--reuse`` skips the fill next time), then, in-process through Django's test
client with a Bearer token as a browser page would, asks for the next article and submits it
(not timed) ``--requests`` times, and prints: the queries of one request with their times,
the mean wall time per request, the part of it spent waiting on the database, and the
functions that take the most time (cumulative).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import time

from bench.support.database import analyze, bench_database, bench_env, fresh_database


def _setup_existing(tag: str) -> None:
    db = bench_database(os.environ.get("DATABASE_URL", ""), tag)
    os.environ.update(bench_env(db))
    import django

    django.setup()
    print(f"benchmark database: {db.vendor}, {db.describe()} (reused)", flush=True)


def measure(requests: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from annotator.accounts.services import token_create
    from annotator.annotations.models import ArticleState
    from annotator.annotations.services import state_set
    from annotator.articles.models import Assignment
    from annotator.projects.models import Project
    from annotator.workflow.models import AssignmentQueue

    project = Project.objects.get(name="Queue")
    # From the same start every run: no claims, no states (a previous run's claims would make
    # every claim scan past them).
    Assignment.objects.filter(project_id=project.pk).delete()
    ArticleState.objects.filter(article__project_id=project.pk).delete()
    AssignmentQueue.objects.filter(project_id=project.pk).delete()
    users = get_user_model().objects.filter(username__startswith="bench-annotator-").order_by("username")
    user = users[0]
    key = token_create(user=user, name="profile")[1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    url = f"/api/v1/projects/{project.pk}/queue/next/"

    def one() -> tuple[float, float, float]:
        """One request (and its submit, not timed): its wall time, its time in SQL and this
        process's CPU time (which, unlike the wall time, other load on the machine barely moves)."""
        with CaptureQueriesContext(connection) as queries:
            cpu = time.process_time()
            began = time.perf_counter()
            response = client.get(url)
            spent = time.perf_counter() - began
            cpu = time.process_time() - cpu
        in_sql = sum(float(q["time"]) for q in queries.captured_queries)
        if response.status_code == 200:
            state_set(actor=user, article_id=response.json()["id"], status="submitted", expected_version=None)
        elif response.status_code != 204:
            raise SystemExit(f"queue/next answered {response.status_code}: {response.content[:200]!r}")
        return spent, in_sql, cpu

    one()  # warm: imports, URL resolver, connection
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        client.get(url)
        whole = time.perf_counter() - began
    print(f"\none request: {len(queries.captured_queries)} queries, {whole * 1000:.1f} ms")
    for q in queries.captured_queries:
        print(f"  {float(q['time']) * 1000:6.2f} ms  {q['sql'][:150]}")

    walls: list[float] = []
    cpus: list[float] = []
    db_time = 0.0
    for _ in range(requests):
        spent, in_sql, cpu = one()
        walls.append(spent)
        cpus.append(cpu)
        db_time += in_sql
    print(
        f"\n{requests} requests: wall mean {statistics.mean(walls) * 1000:.2f} ms, "
        f"median {statistics.median(walls) * 1000:.2f} ms; this process's CPU median "
        f"{statistics.median(cpus) * 1000:.2f} ms; waiting on SQL {db_time / requests * 1000:.2f} ms "
        "a request (Django's timer)"
    )

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        one()
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(35)
    print("\ncProfile (requests and their untimed submits), by cumulative time:")
    print(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.queue_profile", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--annotators", type=int, default=20)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--reuse", action="store_true", help="use the database a previous run kept")
    args = parser.parse_args(argv)
    if args.reuse:
        _setup_existing("queueprof")
        measure(args.requests)
        return 0
    with fresh_database("queueprof", keep=True) as (db, _):
        from bench.workflow_queue import populate

        began = time.perf_counter()
        populate(args.articles, args.annotators, args.k)
        print(f"created {args.articles:,} articles in {time.perf_counter() - began:.1f} s", flush=True)
        analyze(db)
        measure(args.requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
