"""Benchmark the REST API over HTTP against a real gunicorn server.

    .venv/bin/python -m bench.api [--articles 10000] [--spans 200]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator .venv/bin/python -m bench.api

It never touches development data: on SQLite it uses ``var/bench/bench.sqlite3``; when
``DATABASE_URL`` names a PostgreSQL database ``<name>`` it creates (and afterwards drops)
``<name>_bench`` on the same server. Setup goes through the services in-process (that is not
what is measured); then it serves ``annotator.wsgi`` with gunicorn on a free local port and
measures over one persistent HTTP connection with a Bearer token:

1. single-span creations (``POST /api/v1/articles/{id}/spans/``): p50/p95/p99;
2. paging through every article of the project, 100 per page: total seconds;
3. article detail with 50 spans (``GET /api/v1/articles/{id}/``): p50/p95.

It also counts SQL queries per request in-process (DRF's APIClient) to show they do not grow
with the page size or the number of spans. ``--profile`` adds cProfile reports of the same
requests in-process, written under ``var/bench/``.
"""

import argparse
import os
import platform
import shutil
import subprocess
import sys
import time

from bench.api_fixture import populate
from bench.api_measure import PAGE_SIZE, HttpResults, QueryCounts, count_queries, measure_http, profile
from bench.support.database import bench_database, bench_env
from bench.support.paths import BENCH_DIR, ROOT
from bench.support.report import Row, print_table
from bench.support.server import gunicorn

SPAN_CREATE_P95_MS = 10.0
PAGE_ALL_SECONDS = 3.0


# --- report -----------------------------------------------------------------------------------


def report_rows(*, http: HttpResults, queries: QueryCounts, small: int, large: int) -> list[Row]:
    sc, dt, pl = http.span_create, http.detail, http.page_latency
    return [
        (f"span create p50 ({http.span_count} POSTs)", f"{sc['p50']:.2f} ms", "", None),
        (
            "span create p95",
            f"{sc['p95']:.2f} ms",
            f"< {SPAN_CREATE_P95_MS:g} ms",
            sc["p95"] < SPAN_CREATE_P95_MS,
        ),
        ("span create p99", f"{sc['p99']:.2f} ms", "", None),
        (
            f"page all {http.page_rows:,} articles ({http.page_count} x {PAGE_SIZE})",
            f"{http.page_all_seconds:.2f} s",
            f"< {PAGE_ALL_SECONDS:g} s",
            http.page_all_seconds < PAGE_ALL_SECONDS,
        ),
        ("  one page p50 / p95", f"{pl['p50']:.2f} / {pl['p95']:.2f} ms", "", None),
        (
            "  first 10 / last 10 pages, median",
            f"{http.first_pages_ms:.2f} / {http.last_pages_ms:.2f} ms",
            "",
            None,
        ),
        (
            f"article detail, {http.detail_spans} spans p50 (x{http.detail_count})",
            f"{dt['p50']:.2f} ms",
            "",
            None,
        ),
        ("article detail p95", f"{dt['p95']:.2f} ms", "", None),
        (
            f"SQL queries: list page_size={small} / {large}",
            f"{queries.list_small} / {queries.list_large}",
            "equal",
            queries.list_small == queries.list_large,
        ),
        (
            f"SQL queries: detail 0 / {http.detail_spans} spans",
            f"{queries.detail_empty} / {queries.detail_full}",
            "equal",
            queries.detail_empty == queries.detail_full,
        ),
        ("SQL queries: span create", f"{queries.span_create}", "", None),
    ]


# --- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.api", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000, help="articles in the project")
    parser.add_argument("--spans", type=int, default=200, help="single-span creations to time")
    parser.add_argument("--detail-spans", type=int, default=50, help="spans on the detail article")
    parser.add_argument("--detail-requests", type=int, default=100, help="article detail GETs to time")
    parser.add_argument("--text-chars", type=int, default=3000, help="approximate size of each article")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument(
        "--no-analyze",
        action="store_true",
        help="PostgreSQL: skip ANALYZE after the load (plans as right after a bulk import, "
        "before autovacuum has gathered statistics)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--profile", action="store_true", help="also cProfile the requests in-process")
    parser.add_argument("--show-sql", action="store_true", help="print the SQL of the counted requests")
    args = parser.parse_args(argv)

    db = bench_database(os.environ.get("DATABASE_URL", ""))
    env = bench_env(db)
    (BENCH_DIR / "static").mkdir(parents=True, exist_ok=True)  # whitenoise warns without it
    print(f"benchmark database: {db.vendor}, {db.describe()} (created fresh)", flush=True)
    db.create()
    try:
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        print(f"migrated in {time.perf_counter() - started:.1f} s", flush=True)
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connection, connections

        fx = populate(
            articles=args.articles,
            spans=args.spans,
            detail_spans=args.detail_spans,
            text_chars=args.text_chars,
        )
        print(
            f"created {fx.articles:,} articles and {args.detail_spans} spans in {fx.seconds:.1f} s",
            flush=True,
        )
        stats = "SQLite: no ANALYZE (the app never runs it)"
        if db.vendor == "postgresql":
            stats = "no ANALYZE after the load (fresh-import plans)"
            if not args.no_analyze:
                # What autovacuum does within about a minute of a bulk load; without it the
                # planner assumes the tables are nearly empty.
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")
                stats = "ANALYZE after the load (as autovacuum would)"
        small, large = 10, PAGE_SIZE
        queries = count_queries(fx, small=small, large=large)
        notes = profile(fx, db.vendor, spans=args.spans) if args.profile else []
        with connection.cursor() as cursor:
            cursor.execute("SELECT sqlite_version()" if db.vendor == "sqlite" else "SHOW server_version")
            db_version = cursor.fetchone()[0]
        connections.close_all()

        with gunicorn(env, workers=args.workers, threads=args.threads, token=fx.token) as port:
            results = measure_http(port, fx, spans=args.spans, detail_requests=args.detail_requests)

        vendor = "SQLite" if db.vendor == "sqlite" else "PostgreSQL"
        header = [
            f"bench/api: {vendor} {db_version} ({db.describe()}), {fx.articles:,} articles of ~{args.text_chars:,} chars",
            f"gunicorn as manage.py serve runs it: {args.workers} workers x {args.threads} threads, DEBUG=0; "
            f"client: one keep-alive connection; {os.cpu_count()} CPUs, Python {platform.python_version()}",
            f"statistics: {stats}",
        ]
        rows = report_rows(http=results, queries=queries, small=small, large=large)
        print_table(header, rows)
        if results.reconnects:
            print(f"note: the client reconnected {results.reconnects} times (the server closed keep-alive)")
        for note in notes:
            print("profile:", note)
        if args.show_sql:
            for name, statements in queries.sql.items():
                print(f"\n-- {name}: {len(statements)} queries")
                for statement in statements:
                    print(f"   {statement[:300]}")
        return 0 if all(ok is not False for *_, ok in rows) else 1
    finally:
        try:
            from django.db import connections

            connections.close_all()
        except Exception:  # noqa: S110 (Django may not be set up yet)
            pass
        if args.keep:
            print(f"kept the benchmark database: {db.describe()}")
        else:
            db.drop()
        shutil.rmtree(BENCH_DIR / "broker", ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
