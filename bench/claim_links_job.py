"""Benchmark the claim_links job end to end on a database: read, match, write suggestions.

    .venv/bin/python -m bench.claim_links_job [--articles 100000] [--claims 200000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator .venv/bin/python -m bench.claim_links_job

It makes a fresh benchmark database (var/bench/claimlinks.sqlite3, or ``<name>_claimlinks_bench``
beside a PostgreSQL ``DATABASE_URL``), fills one "argument" project with ``--articles`` articles
holding ``--claims`` CLAIM and ``--claims // 4`` REBUTTAL suggestions (with speakers) made by
``bench.claim_links.synthetic``, and runs the job in this one process with the function a worker
runs (``jobs.runner.run_job``): one worker, timed from claim to finish. Then it runs it again
(nothing new: every suggestion is kept). Target (issue 16): under 120 s for 100,000 articles and
200,000 claims; the exit status is 1 when the first run misses it at that size.
"""

from __future__ import annotations

import argparse
import platform
import sys
import time
from typing import Any

from bench.claim_links import synthetic
from bench.support.database import fresh_database

TARGET_S = 120.0


def populate(articles: int, claims: int) -> tuple[int, int]:
    """The project (its id) and its admin (id), filled with articles and CLAIM/REBUTTAL suggestions."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from annotator.annotations.models import SPAN_FIELDS, Layer, Origin, Span, SuggestionStatus
    from annotator.articles.models import Article
    from annotator.articles.services import ArticleInput, articles_add
    from annotator.common.bulk import insert_rows
    from annotator.projects.models import Label
    from annotator.projects.services import project_create

    admin = get_user_model().objects.create_user("bench-admin")
    project = project_create(creator=admin, name="Claim links", preset="argument")
    claim_items, rebuttal_items = synthetic(articles, claims)
    held: dict[int, list[tuple[str, Any]]] = {}
    for label, items in (("CLAIM", claim_items), ("REBUTTAL", rebuttal_items)):
        for item in items:
            held.setdefault(item.article, []).append((label, item))
    texts: list[str] = []
    offsets: list[list[tuple[str, Any, int, int]]] = []
    for n in range(articles):
        text, spans = f"Article {n}.", []
        for label, item in held.get(n, []):
            text += " "
            spans.append((label, item, len(text), len(text) + len(item.text)))
            text += item.text + "."
        texts.append(text)
        offsets.append(spans)
    for first in range(0, articles, 1000):
        articles_add(
            actor=admin,
            project_id=project.pk,
            items=[
                ArticleInput(text=texts[i], external_id=f"c{i}")
                for i in range(first, min(first + 1000, articles))
            ],
        )
    ids = list(Article.objects.filter(project=project).order_by("pk").values_list("pk", flat=True))
    labels = dict(Label.objects.filter(project=project).values_list("name", "pk"))
    now = timezone.now()
    rows = [
        (ids[n], labels[label], Layer.SUGGESTION, None, None, Origin.SUGGESTED, "quotes", "1", 0.9,
         SuggestionStatus.PENDING, {"speaker": item.speaker}, 1, now, now, start, end, item.text)
        for n in range(articles)
        for label, item, start, end in offsets[n]
    ]  # fmt: skip
    for first in range(0, len(rows), 20_000):
        insert_rows(Span, SPAN_FIELDS, rows[first : first + 20_000])
    return project.pk, admin.pk


def run(project_id: int, admin_id: int) -> tuple[float, dict[str, Any]]:
    from annotator.jobs.models import Job
    from annotator.jobs.runner import run_job

    job = Job.objects.create(project_id=project_id, kind="claim_links", params={}, created_by_id=admin_id)
    started = time.perf_counter()
    run_job(job.pk, redelivered=False)
    took = time.perf_counter() - started
    job.refresh_from_db()
    if job.status != "succeeded":
        raise SystemExit(f"job {job.pk} {job.status}: {job.error}")
    return took, dict(job.result or {})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.claim_links_job", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--claims", type=int, default=200_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args(argv)
    with fresh_database("claimlinks", keep=args.keep) as (db, _):
        started = time.perf_counter()
        project_id, admin_id = populate(args.articles, args.claims)
        print(
            f"filled {args.articles:,} articles, {args.claims:,} claims in {time.perf_counter() - started:.1f} s"
        )
        first, result = run(project_id, admin_id)
        keys = ("claims", "rebuttals", "proposed", "created", "twins_created")
        print(f"first run: {first:.1f} s on {db.vendor}: " + ", ".join(f"{k} {result[k]}" for k in keys))
        again, result = run(project_id, admin_id)
        print(
            f"second run: {again:.1f} s: "
            + ", ".join(f"{k} {result[k]}" for k in ("created", "kept", "removed"))
        )
    full = args.articles >= 100_000 and args.claims >= 200_000
    verdict = "met" if first < TARGET_S else "MISSED"
    print(f"target < {TARGET_S:.0f} s ({platform.python_implementation()} {platform.python_version()}): "
          f"{verdict if full else 'not measured at this size'}")  # fmt: skip
    return 1 if full and first >= TARGET_S else 0


if __name__ == "__main__":
    sys.exit(main())
