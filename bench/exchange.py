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
import cProfile
import datetime as dt
import gc
import http.client
import io
import json
import os
import platform
import pstats
import secrets
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import synth
from bench.support.database import bench_database, bench_env
from bench.support.paths import BENCH_DIR, ROOT
from bench.support.report import Row, code_version, print_table
from bench.support.server import gunicorn

VAR_DIR = BENCH_DIR / "exchange"  # ANNOTATOR_VAR_DIR of the server and worker: broker, uploads

SMALL_ARTICLES = 1000
EXPORT_ARTICLES_PER_S = 8000.0
FIRST_BYTE_S = 0.5
MEMORY_GROWTH_MB = 100.0
BIG_EXPORT_S = 15.0  # 100,000 articles / 1,000,000 spans on PostgreSQL
BIG_EXPORT_ARTICLES = 100_000
IMPORT_ARTICLES_PER_S = 3000.0
CODE_MEASURED = ("annotator", "api")  # the folders whose changes the table's code version notes
READ_SIZE = 1 << 20


# --- the benchmark database: bench/api.py's, under other names ----------------------------


# --- setup (in-process, not measured) -------------------------------------------------------


@dataclass
class Fixture:
    small_project: int
    mid_project: int | None  # --mid-articles, between the small and the big one (None: none)
    mid_articles: int
    big_project: int
    import_project: int
    big_articles: int
    spans: int  # both projects
    big_spans: int
    big_relations: int
    researcher_token: str  # exports
    admin_token: str  # imports, jobs, the article list
    annotator: str  # the username the import file's annotator layer names
    seconds: float


def populate(*, articles: int, mid_articles: int) -> Fixture:
    from django.contrib.auth import get_user_model

    from annotator.accounts.services import token_create
    from annotator.projects.models import Role
    from annotator.projects.services import member_add, project_create

    started = time.perf_counter()
    users = get_user_model().objects
    admin = users.create_user("bench-admin")  # no password: the bench uses tokens
    annotator = users.create_user("bench-annotator")
    researcher = users.create_user("bench-researcher")
    projects = []
    for name in ("Exchange small", "Exchange mid", "Exchange big", "Exchange import"):
        project = project_create(creator=admin, name=name, description="bench/exchange.py", preset="argument")
        member_add(actor=admin, project_id=project.pk, username=annotator.username, role=Role.ANNOTATOR)
        member_add(actor=admin, project_id=project.pk, username=researcher.username, role=Role.RESEARCHER)
        projects.append(project)
    small, mid, big, target = projects
    small_counts = synth.populate_db(
        small, annotator, SMALL_ARTICLES, created_by=admin, prefix="small", seed=1
    )
    print(f"  {SMALL_ARTICLES:,} articles in {time.perf_counter() - started:.1f} s", flush=True)
    mid_spans = 0
    if mid_articles:
        mid_counts = synth.populate_db(mid, annotator, mid_articles, created_by=admin, prefix="mid", seed=3)
        mid_spans = mid_counts.spans
        print(f"  + {mid_articles:,} articles in {time.perf_counter() - started:.1f} s", flush=True)
    counts = synth.populate_db(big, annotator, articles, created_by=admin, prefix="big", seed=2)
    _, researcher_key = token_create(user=researcher, name="bench")
    _, admin_key = token_create(user=admin, name="bench")
    return Fixture(
        small_project=small.pk,
        mid_project=mid.pk if mid_articles else None,
        mid_articles=mid_articles,
        big_project=big.pk,
        import_project=target.pk,
        big_articles=counts.articles,
        spans=small_counts.spans + mid_spans + counts.spans,
        big_spans=counts.spans,
        big_relations=counts.relations,
        researcher_token=researcher_key,
        admin_token=admin_key,
        annotator=annotator.username,
        seconds=time.perf_counter() - started,
    )


# --- processes ------------------------------------------------------------------------------


def _children(pid: int) -> list[int]:
    """Process ids whose parent is ``pid`` (what ``pgrep -P`` prints)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces and parentheses, so split after it.
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _cmdline(pid: int) -> str:
    try:
        return (Path("/proc") / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def gunicorn_worker_pid() -> int:
    """The one worker process of the gunicorn master this script started."""
    masters = [pid for pid in _children(os.getpid()) if "gunicorn" in _cmdline(pid)]
    if len(masters) != 1:
        raise SystemExit(f"expected one gunicorn master among this process's children, found {masters}")
    workers = _children(masters[0])
    if len(workers) != 1:
        raise SystemExit(f"expected one gunicorn worker, found {workers}")
    return workers[0]


def memory_mb(pid: int) -> dict[str, float]:
    """VmHWM (peak resident set) and VmRSS of a process, in MB."""
    values = {}
    for line in (Path("/proc") / str(pid) / "status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmHWM", "VmRSS"):
            values[key] = int(rest.split()[0]) / 1024  # kB
    return values


@dataclass
class CeleryWorker:
    queue: str
    process: subprocess.Popen[bytes]
    log: Path

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@contextlib.contextmanager
def celery_worker(env: dict[str, str], queue: str) -> Iterator[CeleryWorker]:
    """``celery worker`` (prefork, one child) reading only ``queue``, as tests/jobs do."""
    log = VAR_DIR / "celery.log"
    command = [
        str(Path(sys.executable).parent / "celery"),
        "-A",
        "annotator",
        "worker",
        "--pool=prefork",
        "--concurrency=1",
        "-Q",
        queue,
        "-n",
        f"{queue}@%h",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-l",
        "info",
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    worker = CeleryWorker(queue=queue, process=process, log=log)
    try:
        deadline = time.monotonic() + 60
        while " ready." not in worker.text():
            if process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the Celery worker did not start:\n{worker.text()[-3000:]}")
            time.sleep(0.1)
        yield worker
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # warm shutdown
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=15)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)  # whatever is left of its group
        process.wait(timeout=10)
        forget_queue(queue)


def forget_queue(name: str) -> None:
    """Nobody reads this queue again: leave neither messages nor bindings in the broker."""
    from kombu import Exchange, Queue

    from annotator import celery_app

    with celery_app.connection_for_write() as conn:
        channel = conn.default_channel
        queue = Queue(name, Exchange(name, "direct"), routing_key=name)(channel)
        queue.declare()
        queue.purge()
        queue.delete()
        control = getattr(channel, "control_folder", None)  # kombu's filesystem transport
        if control is not None:
            (Path(control) / f"{name}.exchange").unlink(missing_ok=True)


# --- measurements ---------------------------------------------------------------------------


def _connection(port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=300)


def call(port: int, token: str, method: str, path: str, expect: int = 200, **kwargs: Any) -> Any:
    conn = _connection(port)
    try:
        headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            **kwargs.pop("headers", {}),
        }
        conn.request(method, path, headers=headers, **kwargs)
        response = conn.getresponse()
        payload = response.read()
    finally:
        conn.close()
    if response.status != expect:
        raise SystemExit(f"{method} {path} -> {response.status} (expected {expect}): {payload[:1000]!r}")
    return json.loads(payload)


@dataclass
class ExportResult:
    articles: int
    lines: int
    bytes: int
    headers_s: float
    first_byte_s: float
    total_s: float
    cursor: str
    first_line: dict[str, Any]

    @property
    def per_s(self) -> float:
        return self.lines / self.total_s


def export(port: int, token: str, project_id: int, articles: int) -> ExportResult:
    """Stream one project's native JSONL export, counting lines as the chunks arrive."""
    conn = _connection(port)
    try:
        started = time.perf_counter()
        conn.request(
            "GET", f"/api/v1/projects/{project_id}/export.jsonl", headers={"Authorization": f"Bearer {token}"}
        )
        response = conn.getresponse()
        headers_s = time.perf_counter() - started
        if response.status != 200:
            raise SystemExit(
                f"export of project {project_id} -> {response.status}: {response.read()[:500]!r}"
            )
        first_byte_s = 0.0
        lines = size = 0
        head = b""
        while chunk := response.read1(READ_SIZE):
            if not size:
                first_byte_s = time.perf_counter() - started
            size += len(chunk)
            lines += chunk.count(b"\n")
            if b"\n" not in head:
                head += chunk
        total_s = time.perf_counter() - started
    finally:
        conn.close()
    if lines != articles:
        raise SystemExit(f"the export of project {project_id} has {lines} lines, expected {articles}")
    return ExportResult(
        articles=articles,
        lines=lines,
        bytes=size,
        headers_s=headers_s,
        first_byte_s=first_byte_s,
        total_s=total_s,
        cursor=response.getheader("X-Export-Cursor") or "",
        first_line=json.loads(head.split(b"\n", 1)[0]),
    )


def check_line(line: dict[str, Any]) -> None:
    """The first exported article carries what synth put there: spans per layer, relations, and
    span texts at their code-point offsets."""
    spans = {layer["layer"]: len(layer["spans"]) for layer in line["annotations"]}
    relations = sum(len(layer["relations"]) for layer in line["annotations"])
    expected = {"gold": 4, "annotator": 4, "suggestions": 2}
    if spans != expected or relations != synth.RELATIONS_PER_ARTICLE or line.get("offsets") != "codepoint":
        raise SystemExit(f"unexpected export line: spans {spans}, {relations} relations")
    text = line["text"]
    for layer in line["annotations"]:
        for span in layer["spans"]:
            if text[span["start"] : span["end"]] != span["text"]:
                raise SystemExit(f"exported span {span} does not match the text at its code-point offsets")


@dataclass
class ImportResult:
    articles: int
    spans: int
    relations: int
    file_mb: float
    post_s: float  # until the 202
    running_s: float  # POST start -> first seen running
    succeeded_s: float  # POST start -> first seen succeeded
    listable_s: float  # POST start -> the article list counts them all
    job: dict[str, Any]

    @property
    def per_s(self) -> float:
        return self.articles / self.listable_s

    @property
    def queued_for(self) -> float:
        created, started = _iso(self.job["created_at"]), _iso(self.job["started_at"])
        return (started - created).total_seconds() if created and started else float("nan")

    @property
    def ran_for(self) -> float:
        started, finished = _iso(self.job["started_at"]), _iso(self.job["finished_at"])
        return (finished - started).total_seconds() if started and finished else float("nan")


def _iso(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def import_file(
    port: int, token: str, project_id: int, path: Path, expected: synth.SynthCounts
) -> ImportResult:
    """POST the file, poll the job until it succeeded, then until the article list counts it."""
    boundary = secrets.token_hex(16)
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="format"\r\n\r\nnative\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: application/x-ndjson\r\n\r\n"
    ).encode()
    body = head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    started = time.perf_counter()
    job = call(
        port, token, "POST", f"/api/v1/projects/{project_id}/imports/", 202, body=body, headers=headers
    )
    post_s = time.perf_counter() - started
    seen: dict[str, float] = {}
    while True:
        job = call(port, token, "GET", f"/api/v1/jobs/{job['id']}/")
        now = time.perf_counter() - started
        if job["status"] in ("running", "succeeded"):
            seen.setdefault("running", now)
        if job["status"] == "succeeded":
            seen["succeeded"] = now
            break
        if job["status"] in ("failed", "cancelled"):
            errors = (job.get("result") or {}).get("errors", [])[:5]
            raise SystemExit(f"the import job {job['status']}: {job['error']} {errors}")
        if now > 3600:
            raise SystemExit(f"the import job is still {job['status']} after an hour: {job['message']}")
        time.sleep(0.05)
    while True:
        listed = call(port, token, "GET", f"/api/v1/projects/{project_id}/articles/?page_size=1")
        if listed["count"] == expected.articles:
            break
        if time.perf_counter() - started > seen["succeeded"] + 60:
            raise SystemExit(f"the article list counts {listed['count']}, expected {expected.articles}")
        time.sleep(0.05)
    listable_s = time.perf_counter() - started
    result = job["result"]
    if (result["articles_created"], result["spans_created"], result["relations_created"]) != (
        expected.articles,
        expected.spans,
        expected.relations,
    ):
        raise SystemExit(f"the import created other than {expected}: {result}")
    return ImportResult(
        articles=expected.articles,
        spans=result["spans_created"],
        relations=result["relations_created"],
        file_mb=len(body) / 1e6,
        post_s=post_s,
        running_s=seen["running"],
        succeeded_s=seen["succeeded"],
        listable_s=listable_s,
        job=job,
    )


# --- profiles (in-process) ------------------------------------------------------------------


def _write_profile(profiler: cProfile.Profile, name: str, title: str) -> tuple[Path, list[str]]:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("tottime")
    stats.print_stats(35)
    by_own = out.getvalue()
    out = io.StringIO()
    stats.stream = out  # type: ignore[attr-defined]
    stats.sort_stats("cumulative").print_stats(45)
    path = VAR_DIR / name
    path.write_text(f"{title}\n\n--- by own time ---\n{by_own}\n--- by cumulative time ---\n{out.getvalue()}")
    top = []
    raw: dict[Any, Any] = stats.stats  # type: ignore[attr-defined]
    total = sum(entry[2] for entry in raw.values())
    for (filename, line, func), entry in sorted(raw.items(), key=lambda kv: -kv[1][2])[:10]:
        top.append(
            f"    {entry[2]:7.2f} s {entry[2] / total:5.1%}  {entry[1]:>9,} calls  {func} ({filename}:{line})"
        )
    return path, top


def export_queries(fx: Fixture) -> int:
    """SQL statements of one in-process export of the small project (both connections)."""
    from django.contrib.auth import get_user_model
    from django.db import connections
    from django.test.utils import CaptureQueriesContext

    from annotator.exchange.exporting import SNAPSHOT_DB, ExportFilters, ExportStream, export_plan

    researcher = get_user_model().objects.get(username="bench-researcher")
    with (
        CaptureQueriesContext(connections["default"]) as plain,
        CaptureQueriesContext(connections[SNAPSHOT_DB]) as snap,
    ):
        plan = export_plan(actor=researcher, project_id=fx.small_project, filters=ExportFilters())
        for _ in ExportStream(plan):
            pass
    return len(plain) + len(snap)


def profile_export(fx: Fixture, vendor: str) -> list[str]:
    """cProfile ExportStream over the big project, in-process (as the web worker runs it)."""
    from django.contrib.auth import get_user_model

    from annotator.exchange.exporting import ExportFilters, ExportStream, export_plan, snapshot

    researcher = get_user_model().objects.get(username="bench-researcher")
    plan = export_plan(actor=researcher, project_id=fx.big_project, filters=ExportFilters())
    # Without the profiler first: the database reads and records alone, then with the JSON.
    started = time.perf_counter()
    with snapshot(plan) as reader:
        objects = sum(1 for _ in reader.objects())
    objects_s = time.perf_counter() - started
    started = time.perf_counter()
    stream = ExportStream(plan)
    size = sum(len(piece) for piece in stream)
    stream_s = time.perf_counter() - started
    notes = [
        f"export in-process without cProfile: Reader.objects() {objects / objects_s:,.0f} articles/s; "
        f"ExportStream (objects + native JSON) {fx.big_articles / stream_s:,.0f} articles/s "
        f"({size / 1e6 / stream_s:.0f} MB/s)"
    ]
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    stream = ExportStream(plan)
    size = sum(len(piece) for piece in stream)
    profiler.disable()
    seconds = time.perf_counter() - started
    title = (
        f"export: ExportStream over {fx.big_articles:,} articles ({vendor}), {seconds:.1f} s under cProfile, "
        f"{size / 1e6:.0f} MB"
    )
    path, top = _write_profile(profiler, f"profile-{vendor}-export.txt", title)
    return [*notes, f"{title} -> {path.relative_to(ROOT)}; top own time:", *top]


def profile_import(fx: Fixture, vendor: str, path: Path) -> list[str]:
    """import_file of the same JSONL into fresh projects, in-process (as the worker runs it):
    once timed, once under cProfile."""
    from django.contrib.auth import get_user_model

    from annotator.exchange.importing import ImportOptions, Report, import_file
    from annotator.projects.models import Role
    from annotator.projects.services import member_add, project_create

    admin = get_user_model().objects.get(username="bench-admin")

    def run(name: str) -> Report:
        project = project_create(creator=admin, name=name, preset="argument")
        member_add(actor=admin, project_id=project.pk, username=fx.annotator, role=Role.ANNOTATOR)
        return import_file(
            actor=admin,
            project_id=project.pk,
            open_file=lambda: path.open("rb"),
            filename=path.name,
            options=ImportOptions(),
        )

    gc.collect()
    gc.freeze()  # as the worker does at start (annotator/celery.py)
    started = time.perf_counter()
    report = run("Exchange import (timed)")
    seconds = time.perf_counter() - started
    notes = [
        f"import in-process without cProfile: {report.articles_created / seconds:,.0f} articles/s ({seconds:.1f} s)"
    ]
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.enable()
    report = run("Exchange import (profiled)")
    profiler.disable()
    seconds = time.perf_counter() - started
    title = (
        f"import: import_file of {report.articles_created:,} articles, {report.spans_created:,} spans "
        f"({vendor}), {seconds:.1f} s under cProfile"
    )
    out, top = _write_profile(profiler, f"profile-{vendor}-import.txt", title)
    return [*notes, f"{title} -> {out.relative_to(ROOT)}; top own time:", *top]


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
