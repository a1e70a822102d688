"""Benchmark project adjudication and the review queue.

    .venv/bin/python -m bench.workflow_adjudicate [--articles 10000] [--annotators 3] [--spans 10]

It creates a fresh benchmark database (var/bench/adjudicate.sqlite3, or ``<name>_adjudicate_bench``
beside a PostgreSQL ``DATABASE_URL``), fills one project with ``--articles`` articles, each
submitted by ``--annotators`` annotators with ``--spans`` spans each (most shared, some moved or
relabelled, so there are disagreements), then runs the "adjudicate" job's handler in this process
(as a worker would, without the broker) and reads review-queue pages as the API does. Target
(issue 14): 10,000 x 3 x 10 adjudicated in under 30 s on PostgreSQL; the exit status is 1 when
it misses it there.
"""

from __future__ import annotations

import argparse
import sys
import time
from typing import Any

from bench.support.database import analyze, fresh_database
from bench.support.report import Row, code_version, print_table

TARGET_S = 30.0
LABELS = ("CLAIM", "FIGURE", "REBUTTAL")


def populate(articles: int, annotators: int, spans: int) -> tuple[int, int]:
    """The project, its reviewer; returns (project id, reviewer id)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from annotator.annotations.models import SPAN_FIELDS, STATE_FIELDS, ArticleState, Layer, Span
    from annotator.articles.models import Article
    from annotator.articles.services import ArticleInput, articles_add
    from annotator.common.bulk import insert_rows
    from annotator.projects.models import Label
    from annotator.projects.services import member_add, project_create

    users = get_user_model()
    admin = users.objects.create_user("bench-admin")
    project = project_create(creator=admin, name="Adjudication", preset="argument")
    people = [users.objects.create_user(f"bench-ann{i}") for i in range(annotators)]
    for person in people:
        member_add(actor=admin, project_id=project.pk, username=person.username, role="annotator")
    reviewer = users.objects.create_user("bench-reviewer")
    member_add(actor=admin, project_id=project.pk, username=reviewer.username, role="reviewer")
    labels = dict(Label.objects.filter(project=project, kind="span").values_list("name", "pk"))
    text = ("The minister said inflation was 4.75% but critics said it cost £1,400 per household. " * 8)[:640]
    for begin in range(0, articles, 1000):
        items = [
            ArticleInput(text=text, external_id=f"a{i}") for i in range(begin, min(articles, begin + 1000))
        ]
        articles_add(actor=admin, project_id=project.pk, items=items)
    ids = list(Article.objects.filter(project=project).order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    with transaction.atomic():
        span_rows: list[tuple[Any, ...]] = []
        state_rows: list[tuple[Any, ...]] = []
        for n, article_id in enumerate(ids):
            for a, person in enumerate(people):
                state_rows.append((article_id, person.pk, "submitted", 1, now, now))
                for p in range(spans):
                    start, end = p * 60, p * 60 + 25
                    if (n + p + a) % 7 == 0:
                        end += 5  # this annotator marked a longer span: a disagreement
                    label = labels[LABELS[p % 3]] if (n + p * a) % 11 else labels[LABELS[(p + 1) % 3]]
                    span_rows.append(
                        (article_id, label, Layer.ANNOTATOR, person.pk, person.pk, "manual", "", "", None, "",
                         {}, 1, now, now, start, end, text[start:end])
                    )  # fmt: skip
            if len(span_rows) > 50_000:
                insert_rows(Span, SPAN_FIELDS, span_rows)
                span_rows = []
        insert_rows(Span, SPAN_FIELDS, span_rows)
        insert_rows(ArticleState, STATE_FIELDS, state_rows)
    return project.pk, reviewer.pk


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.workflow_adjudicate", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--spans", type=int, default=10)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args(argv)
    with fresh_database("adjudicate", keep=args.keep) as (db, _):
        from django.contrib.auth import get_user_model

        from annotator.annotations.models import Layer, Span
        from annotator.jobs.models import Job
        from annotator.jobs.runner import run_job
        from annotator.workflow.jobs import project_adjudicate_start
        from annotator.workflow.review import queue_details, review_queue

        started = time.perf_counter()
        project_id, reviewer_id = populate(args.articles, args.annotators, args.spans)
        print(f"populated in {time.perf_counter() - started:.1f} s", flush=True)
        analyze(db)
        reviewer = get_user_model().objects.get(pk=reviewer_id)

        def page(ordering: str) -> float:
            """One review-queue page of 100 as the API builds it: the sorted queue, then the page's details."""
            began = time.perf_counter()
            items = review_queue(actor=reviewer, project_id=project_id, ordering=ordering)
            shown = queue_details(items[:100])
            assert len(shown) == min(100, args.articles) and len(items) == args.articles
            return time.perf_counter() - began

        before = {o: page(o) for o in ("id", "-disagreements", "agreement")}

        def start() -> Any:
            return project_adjudicate_start(
                actor=reviewer, project_id=project_id, params={"min_agreement": 2}, publish=False
            )

        job = start()
        began = time.perf_counter()
        run_job(job.pk, redelivered=False)
        took = time.perf_counter() - began
        job = Job.objects.get(pk=job.pk)
        gold = Span.objects.filter(layer=Layer.GOLD).count()
        job2 = start()
        began = time.perf_counter()
        run_job(job2.pk, redelivered=False)
        again = time.perf_counter() - began
        after = page("-disagreements")
        big = args.articles >= 10_000 and db.vendor == "postgresql"
        rows: list[Row] = [
            ("project adjudication (job handler)", f"{took:.2f} s", f"< {TARGET_S:.0f} s", took < TARGET_S if big else None),
            ("  job status / gold spans added", f"{job.status} / {gold:,}", "", None),
            ("second run (adds nothing)", f"{again:.2f} s", "", None),
            *[(f"review-queue page, ordering={o}", f"{s * 1000:.0f} ms", "", None) for o, s in before.items()],
            ("review-queue page, -disagreements, after", f"{after * 1000:.0f} ms", "", None),
        ]  # fmt: skip
        print_table(
            [
                f"adjudication: {args.articles:,} articles x {args.annotators} annotators x {args.spans} spans",
                f"database {db.vendor}; code {code_version('annotator/workflow')}",
            ],
            rows,
        )
        return 1 if big and (took >= TARGET_S or job.status != "succeeded") else 0


if __name__ == "__main__":
    sys.exit(main())
