"""Benchmark up-front assignment and the queue's next article under "overlap".

    .venv/bin/python -m bench.workflow_queue [--articles 100000] [--annotators 20] [--k 3] [--rounds 50] [--http 2]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator .venv/bin/python -m bench.workflow_queue

It creates a fresh benchmark database (var/bench/queue.sqlite3, or ``<name>_queue_bench`` beside
a PostgreSQL ``DATABASE_URL``), and one project under "overlap" (k annotators per article) with
``--articles`` short articles and ``--annotators`` annotators. Then:

1. the queue: one annotator alone, then ``--annotators`` processes, one per annotator (as a
   web server's workers; each its own database connection), ask
   ``GET /api/v1/projects/{id}/queue/next/`` through Django's test client (the whole view,
   authentication and middleware included, in-process; no HTTP server) at the same time,
   ``--rounds`` times each, submitting each article they get (through the state service, not
   timed) before asking again: every request claims an article. Reports p50/p95/max and the
   most assignees any article got (must be <= k). On a machine with fewer cores than
   annotators the concurrent figures are mostly waiting for a core;
   With ``--http WORKERS`` the same two runs go once more over HTTP, against gunicorn with
   that many WSGI workers and one client process (bench/queue_http.py), which also counts the
   server's CPU time per request and how busy it kept the cores, and a third run asks in
   bursts: every annotator at the same moment, the server idle before each burst;
2. up-front assignment: every article to k of the annotators, balanced, timed around the
   service the "assign" job runs (``assignment.assignments_create``, one transaction), after
   the claims of step 1 were removed;
3. late in the project: one annotator has finished all but ``--rounds`` of the articles
   assigned to them up front (submitted states written in bulk, as the state service would
   leave them), and asks for their next one ``--rounds`` times, alone: the cost of a request
   must not grow with what the annotator has finished.

Targets (issue 14, PostgreSQL): assignment of 100,000 articles x 3 of 20 annotators < 10 s;
no article past k. The exit status is 1 when one is missed.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections import Counter
from typing import Any

from bench.support.database import analyze, fresh_database
from bench.support.report import Row, code_version, print_table

ASSIGN_TARGET_S = 10.0
CODE_MEASURED = ("annotator", "api")


def populate(articles: int, annotators: int, k: int) -> tuple[int, int, list[int]]:
    """The project, its admin and its annotators (ids)."""
    from django.contrib.auth import get_user_model

    from annotator.articles.services import ArticleInput, articles_add
    from annotator.projects.services import member_add, project_create, project_update

    users = get_user_model().objects
    admin = users.create_user("bench-admin")
    project = project_create(creator=admin, name="Queue", preset="argument")
    project_update(actor=admin, project_id=project.pk, assignment="overlap", annotators_per_article=k)
    people = []
    for i in range(annotators):
        user = users.create_user(f"bench-annotator-{i:02d}")
        member_add(actor=admin, project_id=project.pk, username=user.username, role="annotator")
        people.append(user.pk)
    for start in range(0, articles, 1000):
        items = [
            ArticleInput(
                text=f"Article {i}: the minister said inflation was {i % 97}.{i % 10}%.", external_id=f"q{i}"
            )
            for i in range(start, min(articles, start + 1000))
        ]
        articles_add(actor=admin, project_id=project.pk, items=items)
    return project.pk, admin.pk, people


def _annotate(pk: int, key: str, project_id: int, rounds: int, barrier: Any, results: Any) -> None:
    """One annotator: ``rounds`` times, ask for the next article and submit it. In a process of
    its own (forked: the parent closed its connections), as a web server's workers are."""
    from django.contrib.auth import get_user_model
    from rest_framework.test import APIClient

    from annotator.annotations.services import state_set

    user = get_user_model().objects.get(pk=pk)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    client.get(f"/api/v1/projects/{project_id}/queue/")  # warm: imports, URL resolver, connection
    latencies: list[float] = []
    empty = 0
    error = ""
    if barrier is not None:
        barrier.wait()
    for _ in range(rounds):
        began = time.perf_counter()
        response = client.get(f"/api/v1/projects/{project_id}/queue/next/")
        latencies.append((time.perf_counter() - began) * 1000)
        if response.status_code == 204:
            empty += 1
            continue
        if response.status_code != 200:
            error = f"{response.status_code}: {response.content[:200]!r}"
            break
        state_set(actor=user, article_id=response.json()["id"], status="submitted", expected_version=None)
    results.put((latencies, empty, error))


def run_queue(project_id: int, people: list[int], rounds: int) -> tuple[list[float], int]:
    """Every annotator, each in a process of their own, asks for their next article ``rounds``
    times at once; the latencies (ms) and the number of 204s."""
    import multiprocessing

    from django.contrib.auth import get_user_model
    from django.db import connections

    from annotator.accounts.services import token_create

    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=people)}
    keys = {pk: token_create(user=users[pk], name="bench")[1] for pk in people}
    connections.close_all()  # the children open their own
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(len(people)) if len(people) > 1 else None
    results = ctx.Queue()
    processes = [
        ctx.Process(target=_annotate, args=(pk, keys[pk], project_id, rounds, barrier, results))
        for pk in people
    ]
    for process in processes:
        process.start()
    latencies: list[float] = []
    empty = 0
    errors = []
    for _ in processes:
        mine, none_left, error = results.get()
        latencies.extend(mine)
        empty += none_left
        if error:
            errors.append(error)
    for process in processes:
        process.join()
    if errors:
        raise SystemExit(f"queue/next failed: {errors[:3]}")
    return latencies, empty


def max_assignees(project_id: int) -> int:
    from annotator.articles.models import Assignment

    counts = Counter(Assignment.objects.filter(project_id=project_id).values_list("article_id", flat=True))
    return max(counts.values(), default=0)


def run_assignment(project_id: int, admin_id: int, people: list[int], k: int) -> tuple[float, dict]:
    from django.contrib.auth import get_user_model

    from annotator.articles.models import Assignment
    from annotator.workflow.assignment import assignments_create

    Assignment.objects.filter(project_id=project_id).delete()
    users = get_user_model().objects
    admin = users.get(pk=admin_id)
    names = list(users.filter(pk__in=people).values_list("username", flat=True))
    params = {"annotators_per_article": k, "articles": "unassigned", "annotators": names}
    began = time.perf_counter()
    result = assignments_create(actor=admin, project_id=project_id, params=params)  # one transaction
    return time.perf_counter() - began, result.as_dict()


def run_late(db: Any, project_id: int, user_id: int, rounds: int) -> tuple[int, list[float]]:
    """Step 3: all but ``rounds`` of the annotator's assignments finished; their next ``rounds``
    requests (each then submitted). Answers how many were finished and the latencies (ms)."""
    from django.db import connections

    from annotator.annotations.models import ArticleState, Status
    from annotator.articles.models import Assignment

    mine = Assignment.objects.filter(project_id=project_id, annotator_id=user_id).order_by("article_id")
    done = list(mine.values_list("article_id", flat=True))[:-rounds]
    ArticleState.objects.filter(annotator_id=user_id).delete()  # the earlier steps' claims
    ArticleState.objects.bulk_create(
        [ArticleState(article_id=a, annotator_id=user_id, status=Status.SUBMITTED) for a in done],
        batch_size=5_000,
    )
    mine.filter(article_id__in=done).update(finished=True)
    analyze(db)  # as autovacuum would, after so many new rows
    connections.close_all()
    latencies, _ = run_queue(project_id, [user_id], rounds)
    return len(done), latencies


def run_http_phases(
    env: dict[str, str], project_id: int, people: list[int], rounds: int, workers: int
) -> list[Row]:
    """The same two runs over HTTP (after the in-process claims were removed), as table rows."""
    from annotator.annotations.models import ArticleState
    from annotator.articles.models import Assignment
    from annotator.workflow.models import AssignmentQueue
    from bench.queue_http import run_http

    rows: list[Row] = []
    cores = os.cpu_count() or 1
    for who, bursts in ((people[:1], False), (people, False), (people, True)):
        Assignment.objects.filter(project_id=project_id).delete()
        ArticleState.objects.filter(article__project_id=project_id).delete()
        AssignmentQueue.objects.filter(project_id=project_id).delete()
        run = run_http(env, project_id, who, rounds, workers, bursts)
        run.latencies.sort()
        per_request_ms = run.server_cpu_s / run.requests * 1000
        busy = run.server_cpu_s / run.wall_s / cores
        rows += [
            (
                f"HTTP, gunicorn {workers} workers: queue/next p50 / p95, {len(who)} annotator(s) "
                + ("in bursts, all at the same moment" if bursts else "at once, back to back"),
                f"{statistics.median(run.latencies):.1f} / {p95_of(run.latencies):.1f} ms",
                "",
                None,
            ),
            (
                "  requests/s (next + submit); server CPU per request (next or submit); CPUs busy",
                f"{run.requests / run.wall_s:.0f}/s; {per_request_ms:.1f} ms; {busy:.0%} of {cores}",
                "",
                None,
            ),
            ("  the client's CPU per request", f"{run.client_cpu_s / run.requests * 1000:.1f} ms", "", None),
        ]
        if run.next_cpu_s is not None:
            per_next = run.next_cpu_s / len(run.latencies) * 1000
            rows.append(
                (
                    "  server CPU per queue/next; a burst's CPU over the cores (the least its last answer waits)",
                    f"{per_next:.1f} ms; {per_next * len(who) / cores:.0f} ms",
                    "",
                    None,
                )
            )
    return rows


def p95_of(values: list[float]) -> float:
    return values[max(0, int(len(values) * 0.95) - 1)]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.workflow_queue", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--annotators", type=int, default=20)
    parser.add_argument("--k", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=50, help="queue/next requests per annotator")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument(
        "--http",
        type=int,
        default=0,
        metavar="WORKERS",
        help="also ask over HTTP, against gunicorn with this many workers (bench/queue_http.py)",
    )
    args = parser.parse_args(argv)

    http_rows: list[Row] = []
    with fresh_database("queue", keep=args.keep) as (db, env):
        from django.db import connections

        began = time.perf_counter()
        project_id, admin_id, people = populate(args.articles, args.annotators, args.k)
        print(f"created {args.articles:,} articles in {time.perf_counter() - began:.1f} s", flush=True)
        analyze(db)
        connections.close_all()
        solo, _ = run_queue(project_id, people[:1], args.rounds)
        latencies, empty = run_queue(project_id, people, args.rounds)
        claimed_max = max_assignees(project_id)
        if args.http:
            http_rows = run_http_phases(env, project_id, people, args.rounds, args.http)
        assign_s, result = run_assignment(project_id, admin_id, people, args.k)
        assigned_max = max_assignees(project_id)
        loads = result["loads"].values()
        finished, late = run_late(db, project_id, people[0], args.rounds)

    latencies.sort()
    solo.sort()
    late.sort()

    p95 = p95_of(latencies)
    pg = db.vendor == "postgresql"
    big = args.articles >= 100_000
    assign_ok = assign_s < ASSIGN_TARGET_S if pg and big else None
    rows: list[Row] = [
        (
            f"up-front assignment: {args.articles:,} articles x {args.k} of {args.annotators} annotators",
            f"{assign_s:.2f} s ({result['created']:,} assignments)",
            f"< {ASSIGN_TARGET_S:g} s" if pg and big else "",
            assign_ok,
        ),
        ("  loads (min..max)", f"{min(loads)}..{max(loads)}", "differ by <= 1", max(loads) - min(loads) <= 1),
        ("  most assignees of an article", f"{assigned_max}", f"<= {args.k}", assigned_max <= args.k),
        (
            f"queue/next p50/p95, one annotator alone ({len(solo)} requests, each a claim)",
            f"{statistics.median(solo):.1f} / {p95_of(solo):.1f} ms",
            "",
            None,
        ),
        (
            f"queue/next p50, {args.annotators} concurrent annotators ({len(latencies):,} requests, each a claim)",
            f"{statistics.median(latencies):.1f} ms",
            "",
            None,
        ),
        ("queue/next p95", f"{p95:.1f} ms", "", None),
        ("queue/next max", f"{latencies[-1]:.1f} ms", "", None),
        (
            f"queue/next p50/p95, one annotator with {finished:,} of their articles finished",
            f"{statistics.median(late):.1f} / {p95_of(late):.1f} ms",
            "",
            None,
        ),
        *http_rows,
        ("  answered 204 (nothing left)", f"{empty}", "", None),
        (
            "  most assignees of an article after the claims",
            f"{claimed_max}",
            f"<= {args.k}",
            claimed_max <= args.k,
        ),
    ]
    print_table(
        [
            f"code {code_version(*CODE_MEASURED)}; {db.vendor}; {platform.python_implementation()} "
            f"{platform.python_version()}; queue/next through Django's test client (whole view, in-process), one process per annotator"
        ],
        rows,
    )
    return 1 if any(ok is False for *_, ok in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
