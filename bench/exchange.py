"""Benchmark streaming export and end-to-end import over HTTP (gunicorn + a Celery worker).

    .venv/bin/python -m bench.exchange [--articles 100000] [--import-articles 10000] [--keep]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator CELERY_BROKER_URL=redis://127.0.0.1:6379/5 \\
        .venv/bin/python -m bench.exchange

It never touches development data: on SQLite it uses ``var/bench/exchange.sqlite3``; when
``DATABASE_URL`` names a PostgreSQL database ``<name>`` it creates (and afterwards drops)
``<name>_exchange_bench`` on the same server. Its other files (broker folders, uploads,
logs, profiles) are under ``var/bench/exchange/``. Setup bulk-inserts synthetic projects
in-process (bench/synth.py; not measured): one of 1,000 articles and one of ``--articles``,
ten spans and two relations each. Then it serves ``annotator.wsgi`` with gunicorn (one worker
process, so its memory is the web process's) beside a Celery worker on a queue of its own,
and measures:

1. ``GET /api/v1/projects/{id}/export.jsonl`` of both projects: first byte, total seconds,
   articles/s, and the web worker's peak RSS (VmHWM) after each;
2. ``POST /api/v1/projects/{id}/imports/`` of a native JSONL file of ``--import-articles``
   articles with their spans, until the job has succeeded and the article list counts them.

``--profile`` adds cProfile reports of the same export and import run in-process.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import platform
import shutil
import subprocess
import sys
import time
import uuid

from bench import synth
from bench.exchange_fixture import SMALL_ARTICLES, populate
from bench.exchange_measure import ExportResult, ImportResult, check_line, export, import_file
from bench.exchange_processes import VAR_DIR, celery_worker, gunicorn_worker_pid, memory_mb
from bench.exchange_profile import export_queries, profile_export, profile_import
from bench.support.database import bench_database, bench_env
from bench.support.paths import ROOT
from bench.support.report import Row, code_version, print_table
from bench.support.server import gunicorn

EXPORT_ARTICLES_PER_S = 8000.0
FIRST_BYTE_S = 0.5
MEMORY_GROWTH_MB = 100.0
BIG_EXPORT_S = 15.0  # 100,000 articles / 1,000,000 spans on PostgreSQL
BIG_EXPORT_ARTICLES = 100_000
IMPORT_ARTICLES_PER_S = 3000.0
CODE_MEASURED = ("annotator", "api")  # the folders whose changes the table's code version notes


# --- report ---------------------------------------------------------------------------------


def report_rows(
    *,
    vendor: str,
    exports: dict[str, ExportResult],
    queries_per_1000: float,
    memory: dict[str, dict[str, float]],
    imported: ImportResult,
) -> list[Row]:
    small, big = exports["small"], exports["big"]
    growth = memory["big"]["VmHWM"] - memory["small"]["VmHWM"]
    big_target = vendor == "postgresql" and big.articles >= BIG_EXPORT_ARTICLES
    rows: list[Row] = []
    for name, result in exports.items():
        label = f"export {result.articles:,} articles"
        rows += [
            (
                f"{label}: first byte",
                f"{result.first_byte_s:.3f} s",
                f"< {FIRST_BYTE_S:g} s",
                result.first_byte_s < FIRST_BYTE_S,
            ),
            (
                f"{label}: total ({result.bytes / 1e6:,.0f} MB)",
                f"{result.total_s:.2f} s",
                f"< {BIG_EXPORT_S:g} s" if name == "big" and big_target else "",
                result.total_s < BIG_EXPORT_S if name == "big" and big_target else None,
            ),
            (
                f"{label}: throughput",
                f"{result.per_s:,.0f} articles/s",
                f">= {EXPORT_ARTICLES_PER_S:,.0f}/s" if name == "big" else "",
                result.per_s >= EXPORT_ARTICLES_PER_S if name == "big" else None,
            ),
        ]
    rows += [
        (
            f"web worker peak RSS: warm / after {' / after '.join(f'{r.articles:,}' for r in exports.values())}",
            " / ".join(f"{memory[k]['VmHWM']:.0f}" for k in ("warm", *exports)) + " MB",
            "",
            None,
        ),
        ("SQL queries per 1,000 articles exported", f"{queries_per_1000:.0f}", "", None),
        (
            f"web worker peak RSS growth {small.articles:,} -> {big.articles:,}",
            f"{growth:+.1f} MB",
            f"< {MEMORY_GROWTH_MB:g} MB",
            growth < MEMORY_GROWTH_MB,
        ),
        (
            f"import {imported.articles:,} articles ({imported.file_mb:.0f} MB): POST -> 202",
            f"{imported.post_s:.2f} s",
            "",
            None,
        ),
        (
            "  job seen running / succeeded",
            f"{imported.running_s:.2f} / {imported.succeeded_s:.2f} s",
            "",
            None,
        ),
        (
            "  job waited queued / ran (its own timestamps)",
            f"{imported.queued_for:.2f} / {imported.ran_for:.2f} s",
            "",
            None,
        ),
        (
            f"import end to end (+{imported.spans:,} spans, {imported.relations:,} relations) until listable",
            f"{imported.listable_s:.2f} s",
            "",
            None,
        ),
        (
            "import throughput",
            f"{imported.per_s:,.0f} articles/s",
            f">= {IMPORT_ARTICLES_PER_S:,.0f}/s",
            imported.per_s >= IMPORT_ARTICLES_PER_S,
        ),
    ]
    return rows


# --- main -----------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.exchange", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000, help="articles in the big project")
    parser.add_argument(
        "--mid-articles", type=int, default=10_000, help="articles in a third project (0: none)"
    )
    parser.add_argument("--import-articles", type=int, default=10_000, help="articles in the import file")
    parser.add_argument("--threads", type=int, default=4, help="threads of the one gunicorn worker")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument(
        "--profile", action="store_true", help="also cProfile the export and the import in-process"
    )
    args = parser.parse_args(argv)
    if args.articles < 1 or args.import_articles < 1:
        raise SystemExit("--articles and --import-articles must be positive")

    db = bench_database(os.environ.get("DATABASE_URL", ""), "exchange")
    version = code_version(*CODE_MEASURED)
    queue = f"bench-exchange-{uuid.uuid4().hex[:10]}"
    env = bench_env(db)
    env.update(
        ANNOTATOR_VAR_DIR=str(VAR_DIR),
        CELERY_TASK_DEFAULT_QUEUE=queue,  # the web process publishes where the worker reads
        CELERY_TASK_ALWAYS_EAGER="false",
        PYTHONPATH=str(ROOT),
    )
    shutil.rmtree(VAR_DIR, ignore_errors=True)
    (VAR_DIR / "static").mkdir(parents=True, exist_ok=True)  # whitenoise warns without it
    broker = env.get("CELERY_BROKER_URL", "") or f"filesystem ({(VAR_DIR / 'broker').relative_to(ROOT)})"
    print(f"benchmark database: {db.vendor}, {db.describe()} (created fresh); broker {broker}", flush=True)
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

        print(
            f"populating {SMALL_ARTICLES:,} + {args.mid_articles:,} + {args.articles:,} articles ...",
            flush=True,
        )
        fx = populate(articles=args.articles, mid_articles=args.mid_articles)
        print(
            f"created {SMALL_ARTICLES + fx.mid_articles + fx.big_articles:,} articles, {fx.spans:,} spans in {fx.seconds:.1f} s",
            flush=True,
        )
        if db.vendor == "postgresql":
            started = time.perf_counter()
            with connection.cursor() as cursor:
                # What autovacuum does within a minute of a bulk load (PostgreSQL 13+ vacuums
                # after inserts too): done now, so it does not run during the measurements.
                cursor.execute("VACUUM ANALYZE")
                # And the load's dirty pages written out now, not by a checkpoint that would
                # fall during the measurements (needs a superuser or pg_checkpoint).
                cursor.execute("CHECKPOINT")
            print(f"VACUUM ANALYZE and CHECKPOINT in {time.perf_counter() - started:.1f} s", flush=True)
        import_path = VAR_DIR / f"import-{args.import_articles}.jsonl"
        started = time.perf_counter()
        expected = synth.write_jsonl(import_path, args.import_articles, annotator=fx.annotator)
        print(
            f"wrote {import_path.relative_to(ROOT)}: {expected.articles:,} articles, {expected.spans:,} spans, "
            f"{expected.bytes / 1e6:.0f} MB in {time.perf_counter() - started:.1f} s",
            flush=True,
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT sqlite_version()" if db.vendor == "sqlite" else "SHOW server_version")
            db_version = cursor.fetchone()[0]
        connections.close_all()

        memory: dict[str, dict[str, float]] = {}
        with (
            celery_worker(env, queue),
            gunicorn(env, workers=1, threads=args.threads, token=fx.researcher_token) as port,
        ):
            pid = gunicorn_worker_pid()
            # Warm-up: the first export of a worker opens the snapshot connection, imports lazily.
            export(port, fx.researcher_token, fx.small_project, SMALL_ARTICLES)
            memory["warm"] = memory_mb(pid)
            exports: dict[str, ExportResult] = {}
            sizes = [("small", fx.small_project, SMALL_ARTICLES), ("big", fx.big_project, fx.big_articles)]
            if fx.mid_project is not None:
                sizes.insert(1, ("mid", fx.mid_project, fx.mid_articles))
            for name, project_id, count in sizes:
                exports[name] = result = export(port, fx.researcher_token, project_id, count)
                memory[name] = memory_mb(pid)
                print(f"exported {result.lines:,} articles in {result.total_s:.2f} s", flush=True)
                check_line(result.first_line)
            imported = import_file(port, fx.admin_token, fx.import_project, import_path, expected)
            print(f"imported {imported.articles:,} articles in {imported.listable_s:.2f} s", flush=True)
            if gunicorn_worker_pid() != pid:
                raise SystemExit("the gunicorn worker was replaced during the run (timeout or crash?)")

        notes = []
        if args.profile:
            notes += profile_export(fx, db.vendor)
            notes += profile_import(fx, db.vendor, import_path)

        vendor = "SQLite" if db.vendor == "sqlite" else "PostgreSQL"
        header = [
            f"bench/exchange: {vendor} {db_version} ({db.describe()}); projects of {SMALL_ARTICLES:,} and "
            f"{fx.big_articles:,} articles, {synth.SPANS_PER_ARTICLE} spans + "
            f"{synth.RELATIONS_PER_ARTICLE} relations each, ~3,000 chars",
            f"gunicorn as manage.py serve runs it, but 1 worker x {args.threads} threads, DEBUG=0; "
            f"celery worker prefork x1 on queue {queue}; broker {broker.split('://')[0]}; "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}",
        ]
        now = code_version(*CODE_MEASURED)
        header.append(
            f"code: {version}" if now == version else f"code: {version} at the start, {now} at the end"
        )
        rows = report_rows(
            vendor=db.vendor,
            exports=exports,
            queries_per_1000=export_queries(fx) * 1000 / SMALL_ARTICLES,
            memory=memory,
            imported=imported,
        )
        print_table(header, rows)
        for note in notes:
            print("profile:", note)
        return 0 if all(ok is not False for *_, ok in rows) else 1
    finally:
        with contextlib.suppress(Exception):  # Django may not be set up yet
            from django.db import connections

            connections.close_all()
        if args.keep:
            print(f"kept the benchmark database: {db.describe()}")
        else:
            db.drop()
            shutil.rmtree(VAR_DIR / "media", ignore_errors=True)
            shutil.rmtree(VAR_DIR / "broker", ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
