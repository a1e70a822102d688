"""Where one ``GET /api/v1/articles/{id}/`` spends its time on a big article.

    .venv/bin/python -m bench.article_detail [--chars 100000] [--spans 2000] [--relations 500]
        [--suggestions 0] [--requests 30] [--reuse] [--keep]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator .venv/bin/python -m bench.article_detail

It fills a database of its own (tag "detail": ``var/bench/detail.sqlite3``, or
``<name>_detail_bench`` beside a PostgreSQL ``DATABASE_URL``) as bench/ui.py does: one article of
about ``--chars`` code points with ``--spans`` spans in an annotator's layer and ``--relations``
relations between them, and ``--suggestions`` pending span suggestions spread over the text.
``--keep`` keeps that database, ``--reuse`` measures a kept one without filling it again. Then,
in-process through Django's test client with the annotator's Bearer token (the whole view:
authentication, queries, the body and its rendering, the ETag), it asks for the article
``--requests`` times and prints p50/p95 of the wall time and of this process's CPU time, the
time in SQL, the size of the body, and a cProfile summary of further requests.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import statistics
import sys
import time

from bench.support.database import bench_database, bench_env, fresh_database
from bench.support.report import code_version

TAG = "detail"


def _setup_existing() -> None:
    db = bench_database(os.environ.get("DATABASE_URL", ""), TAG)
    os.environ.update(bench_env(db))
    import django

    django.setup()
    print(f"benchmark database: {db.vendor}, {db.describe()} (reused)", flush=True)


def fill(*, chars: int, spans: int, relations: int, suggestions: int) -> None:
    from bench.ui_fixture import populate

    fx = populate(chars=chars, spans=spans, label="CLAIM", relations=relations)
    if suggestions:
        _suggest(fx.article_id, suggestions)
    print(
        f"filled in {fx.seconds:.1f} s: {fx.spans} spans, {fx.relations} relations, {suggestions} suggestions"
    )


def _suggest(article_id: int, count: int) -> None:
    """``count`` pending suggestions over words of the text, as a pre-annotation job leaves them
    (bulk-written: setup, not what is measured)."""
    from annotator.annotations.models import Layer, Origin, Span, SuggestionStatus
    from annotator.articles.models import Article
    from annotator.projects.models import Label

    article = Article.objects.get(pk=article_id)
    labels = list(Label.objects.filter(project_id=article.project_id, kind="span"))
    rng = random.Random(20261204)
    text = article.text
    starts = [n + 1 for n, ch in enumerate(text) if ch == " " and n + 1 < len(text)]
    rows = []
    for n in range(count):
        start = starts[rng.randrange(len(starts))]
        end = text.find(" ", start)
        end = len(text) if end < 0 else end
        if end <= start:
            continue
        rows.append(
            Span(
                article=article,
                label=labels[n % len(labels)],
                layer=Layer.SUGGESTION,
                origin=Origin.SUGGESTED,
                recogniser="quotes",
                recogniser_version="1",
                score=rng.random(),
                suggestion_status=SuggestionStatus.PENDING,
                start=start,
                end=end,
                text=text[start:end],
            )
        )
    Span.objects.bulk_create(rows, batch_size=500)


def measure(requests: int, top: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from annotator.accounts.services import token_create
    from annotator.articles.models import Article

    user = get_user_model().objects.get(username="bench-ui-annotator")
    article = Article.objects.get(external_id="bench-ui-1")
    key = token_create(user=user, name="detail-bench")[1]
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    url = f"/api/v1/articles/{article.pk}/"

    def one() -> tuple[float, float, float, int]:
        with CaptureQueriesContext(connection) as queries:
            cpu = time.process_time()
            began = time.perf_counter()
            response = client.get(url)
            body = response.content  # rendered lazily: count the rendering in
            spent = time.perf_counter() - began
            cpu = time.process_time() - cpu
        if response.status_code != 200:
            raise SystemExit(f"GET {url} answered {response.status_code}: {body[:200]!r}")
        in_sql = sum(float(q["time"]) for q in queries.captured_queries)
        return spent, cpu, in_sql, len(body)

    for _ in range(3):  # warm: imports, URL resolver, connection, the token's last-use touch
        one()
    runs = [one() for _ in range(requests)]
    data = client.get(url).json()

    def cut(values: list[float]) -> str:
        ms = sorted(v * 1000 for v in values)
        p95 = statistics.quantiles(ms, n=100, method="inclusive")[94] if len(ms) > 1 else ms[0]
        return f"p50 {statistics.median(ms):.1f} ms, p95 {p95:.1f} ms"

    with open("/proc/loadavg") if os.path.exists("/proc/loadavg") else io.StringIO("?") as fh:
        load = fh.read().split(" ")[:3]
    print(f"\ncode: {code_version('api', 'annotator')}; load average {' '.join(load)}")
    print(
        f"article {article.pk}: {len(article.text):,} code points, {len(data['spans'])} spans "
        f"(suggestions among them), {len(data['relations'])} relations; body {runs[0][3]:,} bytes"
    )
    print(f"{requests} GETs in-process: wall {cut([r[0] for r in runs])}; CPU {cut([r[1] for r in runs])}")
    print(f"  of which SQL: {cut([r[2] for r in runs])}")

    profiler = cProfile.Profile()
    profiled = max(3, requests // 3)
    profiler.enable()
    for _ in range(profiled):
        client.get(url).content  # noqa: B018 (rendered lazily)
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs()
    out.write(f"--- {profiled} GETs under cProfile, by cumulative time ---\n")
    stats.sort_stats("cumulative").print_stats(top)
    out.write("--- by own time ---\n")
    stats.sort_stats("tottime").print_stats(top)
    print(out.getvalue())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.article_detail", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--chars", type=int, default=100_000)
    parser.add_argument("--spans", type=int, default=2000)
    parser.add_argument("--relations", type=int, default=500)
    parser.add_argument("--suggestions", type=int, default=0)
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--top", type=int, default=25, help="lines of each profile listing")
    parser.add_argument("--keep", action="store_true", help="keep the database for --reuse")
    parser.add_argument("--reuse", action="store_true", help="measure the database kept last time")
    args = parser.parse_args(argv)
    if args.reuse:
        _setup_existing()
        measure(args.requests, args.top)
        return 0
    with fresh_database(TAG, keep=args.keep):
        fill(chars=args.chars, spans=args.spans, relations=args.relations, suggestions=args.suggestions)
        measure(args.requests, args.top)
    return 0


if __name__ == "__main__":
    sys.exit(main())
