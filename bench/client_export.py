"""A 100,000-line export iterated through annotator_client, in flat memory.

    .venv/bin/python -m bench.client_export [--articles 100000] [--chars 1000] [--keep]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator .venv/bin/python -m bench.client_export

It never touches development data: a database of its own (bench/support/database.py's ``bench_database``,
tag ``client``: ``var/bench/client.sqlite3`` or ``<name>_client_bench``), populated in-process
with bench/synth.py (not measured): one project of ``--articles`` articles, ten spans and two
relations each. gunicorn serves it (bench/support/server.py's ``gunicorn``) and this process, as a
researcher would, iterates ``Client.export(project)`` record by record, then ``Client.sync``
into a SQLite mirror. It reports time, records/s, the Python heap's peak (tracemalloc) and
this process's RSS, sampled through the run: a client that held the export would grow with it.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

from bench import synth
from bench.support.database import bench_database, bench_env
from bench.support.paths import BENCH_DIR, ROOT
from bench.support.server import gunicorn

SAMPLES = 5  # memory samples through each run


def rss_mb() -> tuple[float, float]:
    """This process's resident set now and at its peak (VmRSS, VmHWM), in MB."""
    values = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0]) / 1024
    return values.get("VmRSS", 0.0), values.get("VmHWM", 0.0)


class Meter:
    """Counts records as they pass, with tracemalloc on; prints memory at SAMPLES points."""

    trace = True  # --no-trace: RSS only (tracemalloc slows allocation-heavy code several-fold)

    def __init__(self, label: str, expected: int):
        self.label, self.expected = label, expected
        self.every = max(1, expected // SAMPLES)
        self.count = self.spans = 0
        print(f"{label}: records  heap now / peak MB  RSS MB", flush=True)
        if self.trace:
            tracemalloc.start()
        self.started = time.perf_counter()

    def see(self, record: dict) -> None:
        self.count += 1
        for entry in record.get("annotations", []):
            self.spans += len(entry.get("spans", []))
        if self.count % self.every == 0:
            now, peak = tracemalloc.get_traced_memory()
            print(f"  {self.count:>9,}  {now / 1e6:8.1f} / {peak / 1e6:6.1f}  {rss_mb()[0]:8.1f}", flush=True)

    def report(self) -> None:
        seconds = time.perf_counter() - self.started
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        rss, hwm = rss_mb()
        print(
            f"{self.label}: {self.count:,} records ({self.spans:,} spans) in {seconds:.1f} s = "
            f"{self.count / seconds:,.0f}/s; tracemalloc peak "
            f"{f'{peak / 1e6:.1f} MB' if self.trace else 'off'}; RSS {rss:.0f} MB "
            f"(peak {hwm:.0f} MB)",
            flush=True,
        )
        if self.count != self.expected:
            raise SystemExit(f"expected {self.expected:,} records, got {self.count:,}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.client_export", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--chars", type=int, default=1000, help="characters per article text")
    parser.add_argument("--threads", type=int, default=2, help="threads of the one gunicorn worker")
    parser.add_argument("--no-sync", action="store_true", help="only the export, not the mirror sync")
    parser.add_argument("--no-trace", action="store_true", help="RSS only: throughput without tracemalloc")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args(argv)
    Meter.trace = not args.no_trace

    db = bench_database(os.environ.get("DATABASE_URL", ""), "client")
    env = bench_env(db)
    env.update(ANNOTATOR_VAR_DIR=str(BENCH_DIR / "client"), PYTHONPATH=str(ROOT))
    print(f"benchmark database: {db.vendor}, {db.describe()} (created fresh)", flush=True)
    db.create()
    mirror = BENCH_DIR / "client-mirror.sqlite"
    mirror.unlink(missing_ok=True)
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        os.environ.update(env)
        import django

        django.setup()
        from django.contrib.auth import get_user_model
        from django.db import connections

        from annotator.accounts.services import token_create
        from annotator.projects.models import Role
        from annotator.projects.services import member_add, project_create

        started = time.perf_counter()
        users = get_user_model().objects
        admin, researcher = users.create_user("bench-admin"), users.create_user("bench-researcher")
        annotator = users.create_user("bench-annotator")
        project = project_create(creator=admin, name="Client export", preset="argument")
        member_add(actor=admin, project_id=project.pk, username=annotator.username, role=Role.ANNOTATOR)
        member_add(actor=admin, project_id=project.pk, username=researcher.username, role=Role.RESEARCHER)
        counts = synth.populate_db(project, annotator, args.articles, created_by=admin, chars=args.chars)
        _, token = token_create(user=researcher, name="bench")
        print(
            f"populated {counts.articles:,} articles, {counts.spans:,} spans in "
            f"{time.perf_counter() - started:.0f} s (not measured)",
            flush=True,
        )
        connections.close_all()

        from annotator_client import Client

        with (
            gunicorn(env, workers=1, threads=args.threads, token=token) as port,
            Client(f"http://127.0.0.1:{port}", token, progress=False, timeout=600) as client,
        ):
            meter = Meter("export", counts.articles)
            for record in client.export(project.pk):
                meter.see(record)
            meter.report()
            if not args.no_sync:
                meter = Meter("sync (SQLite mirror)", counts.articles)
                client.sync(project.pk, mirror, on_record=meter.see)
                meter.report()
        return 0
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        mirror.unlink(missing_ok=True)
        if args.keep:
            print(f"kept the benchmark database: {db.describe()}")
        else:
            db.drop()


if __name__ == "__main__":
    sys.exit(main())
