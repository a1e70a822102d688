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
import cProfile
import http.client
import io
import json
import os
import platform
import pstats
import random
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "var" / "bench"
SQLITE_PATH = BENCH_DIR / "bench.sqlite3"

SPAN_CREATE_P95_MS = 10.0
PAGE_ALL_SECONDS = 3.0
PAGE_SIZE = 100
LABELS = ("CLAIM", "REBUTTAL", "FIGURE")
SPAN_STEP = 12  # the n-th benchmark span is [n * SPAN_STEP, n * SPAN_STEP + 8): no duplicates


# --- the benchmark database -------------------------------------------------------------------


@dataclass
class BenchDatabase:
    vendor: str
    url: str
    maintenance_url: str = ""  # PostgreSQL: where CREATE/DROP DATABASE run
    name: str = ""
    sqlite_path: Path = SQLITE_PATH

    def create(self) -> None:
        if self.vendor == "sqlite":
            BENCH_DIR.mkdir(parents=True, exist_ok=True)
            self.drop()
            return
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        self._admin(f'CREATE DATABASE "{self.name}"')

    def drop(self) -> None:
        if self.vendor == "sqlite":
            for suffix in ("", "-wal", "-shm", "-journal"):
                Path(f"{self.sqlite_path}{suffix}").unlink(missing_ok=True)
            return
        self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')

    def describe(self) -> str:
        return str(self.sqlite_path.relative_to(ROOT)) if self.vendor == "sqlite" else f"database {self.name}"

    def _admin(self, sql: str) -> None:
        import psycopg

        # Only ever create or drop a database this script named.
        if not self.name.endswith("_bench"):
            raise SystemExit(f"refusing to create or drop {self.name!r}: not a benchmark database")
        with psycopg.connect(self.maintenance_url, autocommit=True) as conn:
            conn.execute(sql)


def bench_database(database_url: str, tag: str = "") -> BenchDatabase:
    """SQLite var/bench/<tag or "bench">.sqlite3 by default; ``<name>[_<tag>]_bench`` beside a
    PostgreSQL DATABASE_URL. A tag per script lets the benchmarks run at the same time."""
    parts = urlsplit(database_url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        path = BENCH_DIR / f"{tag}.sqlite3" if tag else SQLITE_PATH
        return BenchDatabase(vendor="sqlite", url=f"sqlite:///{path}", sqlite_path=path)
    name = (parts.path.lstrip("/") or "annotator").removesuffix("_bench")
    if tag:
        name = name.removesuffix(f"_{tag}") + f"_{tag}"
    bench_name = f"{name}_bench"
    return BenchDatabase(
        vendor="postgresql",
        url=urlunsplit(parts._replace(path=f"/{bench_name}")),
        maintenance_url=urlunsplit(parts._replace(scheme="postgresql", path="/postgres")),
        name=bench_name,
    )


def code_version(*paths: str) -> str:
    """The commit checked out, and whether the code measured (``paths``) differs from it."""
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", *paths], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{head} (+ uncommitted changes in {', '.join(paths)})" if dirty else head


def bench_env(db: BenchDatabase) -> dict[str, str]:
    """Production-like settings (DEBUG off) on the benchmark database, without TLS redirects."""
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="annotator.settings",
        DATABASE_URL=db.url,
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        # testserver: DRF's APIClient, used in-process to count queries.
        ALLOWED_HOSTS="127.0.0.1,testserver",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        # Keep the secret key file, broker folders and static root of the bench apart too.
        ANNOTATOR_VAR_DIR=str(BENCH_DIR),
        LOG_LEVEL="WARNING",
    )
    return env


# --- data -------------------------------------------------------------------------------------

PROSE = (
    "the government said on Tuesday that its plan would cut waiting times but critics argued "
    "figures published by the office for national statistics show inflation at 4.75% while "
    "ministers insisted wages had risen faster than prices across 55 NHS trusts and seven "
    "million people were affected according to a report from the institute which also found "
    "households paid £1,400 more a year than in 2019 although the opposition disputed the claim "
    "calling it misleading and pointing to evidence from councils unions and independent analysts "
    "who warned that the policy could fail unless funding increased significantly next year"
)
WORDS = PROSE.split()


@contextmanager
def fresh_database(tag: str, *, keep: bool = False) -> Iterator[tuple[BenchDatabase, dict[str, str]]]:
    """A fresh, migrated benchmark database (``bench_database(DATABASE_URL, tag)``) with this
    process's Django set up on it, and the environment a child process needs to use it;
    dropped afterwards unless ``keep``."""
    db = bench_database(os.environ.get("DATABASE_URL", ""), tag)
    env = bench_env(db)
    print(f"benchmark database: {db.vendor}, {db.describe()} (created fresh)", flush=True)
    db.create()
    try:
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
        )
        os.environ.update(env)
        import django

        django.setup()
        yield db, env
    finally:
        if not keep:
            if "django" in sys.modules:
                from django.db import connections

                connections.close_all()
            db.drop()


def analyze(db: BenchDatabase) -> None:
    """Fresh planner statistics and visibility map after a bulk fill (PostgreSQL), as
    autovacuum would give a minute later: without the map the planner prices an index-only
    scan as reading the table too, and may choose a worse index."""
    if db.vendor == "postgresql":
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")  # not in a transaction: Django autocommits here


def make_text(rng: random.Random, chars: int) -> str:
    """News-like prose of about ``chars`` code points, ending at a full stop."""
    sentences: list[str] = []
    size = 0
    while size < chars:
        words = rng.choices(WORDS, k=rng.randint(12, 28))
        sentence = " ".join(words).capitalize() + "."
        sentences.append(sentence)
        size += len(sentence) + 1
    return " ".join(sentences)


@dataclass
class Fixture:
    project_id: int
    token: str  # the annotator's Bearer token
    span_article: int  # receives the measured span creations
    detail_article: int  # carries ``detail_spans`` spans
    warm_article: int  # receives warm-up span creations
    scratch_article: int  # receives in-process span creations (query counts, profile)
    empty_article: int  # no spans: detail query count baseline
    articles: int
    seconds: float


def populate(*, articles: int, spans: int, detail_spans: int, text_chars: int) -> Fixture:
    """A project with the "argument" preset, an admin, an annotator and ``articles`` articles."""
    from django.contrib.auth import get_user_model

    from annotator.accounts.services import token_create
    from annotator.annotations.services import span_create
    from annotator.articles.models import Article
    from annotator.articles.services import ArticleInput, articles_add
    from annotator.projects.models import Role
    from annotator.projects.services import member_add, project_create

    if articles < 5:
        raise SystemExit("--articles must be at least 5")
    started = time.perf_counter()
    users = get_user_model().objects
    admin = users.create_user("bench-admin")  # no password: the bench uses tokens
    annotator = users.create_user("bench-annotator")
    project = project_create(creator=admin, name="Bench", description="bench/api.py", preset="argument")
    member_add(actor=admin, project_id=project.pk, username=annotator.username, role=Role.ANNOTATOR)
    _, key = token_create(user=annotator, name="bench")

    rng = random.Random(20260101)
    span_chars = max(text_chars, (spans + 20) * SPAN_STEP, (detail_spans + 1) * SPAN_STEP)
    batch = 1000  # articles_add takes at most this many per call
    for first in range(0, articles, batch):
        items = [
            ArticleInput(
                text=make_text(rng, span_chars if n < 5 else text_chars),
                external_id=f"bench-{n:06d}",
                title=f"Bench article {n}",
                source_url=f"https://news.example.org/{n}",
                meta={"section": rng.choice(["politics", "economy", "health"]), "n": n},
            )
            for n in range(first, min(first + batch, articles))
        ]
        articles_add(actor=admin, project_id=project.pk, items=items)
    ids = list(Article.objects.filter(project=project).order_by("id").values_list("id", flat=True)[:5])
    fixture = Fixture(
        project_id=project.pk,
        token=key,
        span_article=ids[0],
        detail_article=ids[1],
        warm_article=ids[2],
        scratch_article=ids[3],
        empty_article=ids[4],
        articles=articles,
        seconds=0.0,
    )
    for n in range(detail_spans):
        span_create(
            actor=annotator,
            article_id=fixture.detail_article,
            start=n * SPAN_STEP,
            end=n * SPAN_STEP + 8,
            label=LABELS[n % 3],
        )
    fixture.seconds = time.perf_counter() - started
    return fixture


# --- the server -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(
    env: dict[str, str], *, workers: int, threads: int, token: str, asgi: bool = False
) -> Iterator[int]:
    """Serve annotator.wsgi (with ``asgi``: annotator.asgi under uvicorn workers, as ``manage.py
    serve`` does) on a free local port until the block ends."""
    port = free_port()
    log = BENCH_DIR / "gunicorn.log"
    log.unlink(missing_ok=True)
    (BENCH_DIR / "access.log").unlink(missing_ok=True)
    server_env = dict(env, ALLOWED_HOSTS="127.0.0.1", **({"ANNOTATOR_ASGI": "1"} if asgi else {}))
    # The flags of ``manage.py serve`` (annotator/common/management/commands/serve.py); with
    # more than one thread gunicorn runs its gthread worker, which keeps connections alive.
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        *(
            ["annotator.asgi:application", "--worker-class", "uvicorn_worker.UvicornWorker"]
            if asgi
            else ["annotator.wsgi:application", "--threads", str(threads)]
        ),
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--graceful-timeout",
        "10",
        "--keep-alive",
        "75",
        "--access-logfile",
        str(BENCH_DIR / "access.log"),
        "--no-control-socket",
        "--log-level",
        "warning",
        "--error-logfile",
        str(log),
    ]
    proc = subprocess.Popen(
        cmd, cwd=ROOT, env=server_env, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT
    )
    try:
        wait_until_up(proc, port, token, log)
        yield port
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def wait_until_up(proc: subprocess.Popen, port: int, token: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text()[-3000:] if log.exists() else ""
            raise SystemExit(f"gunicorn exited with {proc.returncode}:\n{tail}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/me/", headers={"Authorization": f"Bearer {token}"})
            status = conn.getresponse().status
            conn.close()
            if status == 200:
                return
            raise SystemExit(f"GET /api/v1/me/ answered {status}; see {log}")
        # (a worker still starting on a loaded machine can take longer than the 5 s to answer)
        except (ConnectionRefusedError, http.client.RemoteDisconnected, TimeoutError):
            time.sleep(0.1)
    raise SystemExit(f"gunicorn did not answer within 60 s; see {log}")


class Client:
    """One persistent HTTP/1.1 connection, as a script using the API would hold."""

    def __init__(self, port: int, token: str) -> None:
        self.port = port
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json"}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.reconnects = 0

    def call(self, method: str, path: str, body: Any = None, expect: int = 200) -> tuple[Any, float]:
        """The decoded JSON body and the seconds from sending to the last byte read."""
        data = None if body is None else json.dumps(body).encode()
        headers = dict(self.headers)
        if data is not None:
            headers["Content-Type"] = "application/json"
        for attempt in (1, 2):
            started = time.perf_counter()
            try:
                self.conn.request(method, path, body=data, headers=headers)
                response = self.conn.getresponse()
                payload = response.read()
                elapsed = time.perf_counter() - started
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # The server closed an idle keep-alive connection. Only a GET is safe to resend.
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
                self.reconnects += 1
                if method != "GET" or attempt == 2:
                    raise
        if response.status != expect:
            raise SystemExit(f"{method} {path} -> {response.status} (expected {expect}): {payload[:500]!r}")
        return json.loads(payload), elapsed

    def close(self) -> None:
        self.conn.close()


# --- measurements -----------------------------------------------------------------------------


def percentiles(seconds: list[float]) -> dict[str, float]:
    """p50/p95/p99 in milliseconds."""
    cuts = statistics.quantiles([s * 1000 for s in seconds], n=100, method="inclusive")
    return {"p50": cuts[49], "p95": cuts[94], "p99": cuts[98], "max": max(seconds) * 1000}


def span_body(n: int) -> dict[str, Any]:
    return {"start": n * SPAN_STEP, "end": n * SPAN_STEP + 8, "label": LABELS[n % 3]}


@dataclass
class HttpResults:
    span_create: dict[str, float]
    span_count: int
    page_all_seconds: float
    page_count: int
    page_rows: int
    page_latency: dict[str, float]
    first_pages_ms: float  # median of the first 10 pages
    last_pages_ms: float  # median of the last 10 pages: OFFSET paging grows with depth
    detail: dict[str, float]
    detail_spans: int
    detail_count: int
    reconnects: int


def measure_http(port: int, fx: Fixture, *, spans: int, detail_requests: int) -> HttpResults:
    client = Client(port, fx.token)
    try:
        # Warm-up: the first requests of a worker import and compile lazily.
        for n in range(20):
            client.call("POST", f"/api/v1/articles/{fx.warm_article}/spans/", span_body(n), expect=201)
        for page in (1, 2, 3):
            client.call(
                "GET", f"/api/v1/projects/{fx.project_id}/articles/?page_size={PAGE_SIZE}&page={page}"
            )
        for _ in range(10):
            client.call("GET", f"/api/v1/articles/{fx.detail_article}/")

        created = []
        for n in range(spans):
            body, elapsed = client.call(
                "POST", f"/api/v1/articles/{fx.span_article}/spans/", span_body(n), expect=201
            )
            assert body["start"] == n * SPAN_STEP, body
            created.append(elapsed)

        page_times = []
        rows = 0
        page = 1
        started = time.perf_counter()
        while True:
            body, elapsed = client.call(
                "GET", f"/api/v1/projects/{fx.project_id}/articles/?page_size={PAGE_SIZE}&page={page}"
            )
            page_times.append(elapsed)
            rows += len(body["results"])
            if not body["next"]:
                break
            page += 1
        page_all = time.perf_counter() - started
        if rows != fx.articles:
            raise SystemExit(f"paged {rows} articles, expected {fx.articles}")

        detail = []
        detail_spans = 0
        for _ in range(detail_requests):
            body, elapsed = client.call("GET", f"/api/v1/articles/{fx.detail_article}/")
            detail_spans = len(body["spans"])
            detail.append(elapsed)
        return HttpResults(
            span_create=percentiles(created),
            span_count=len(created),
            page_all_seconds=page_all,
            page_count=page,
            page_rows=rows,
            page_latency=percentiles(page_times),
            first_pages_ms=statistics.median(page_times[:10]) * 1000,
            last_pages_ms=statistics.median(page_times[-10:]) * 1000,
            detail=percentiles(detail),
            detail_spans=detail_spans,
            detail_count=len(detail),
            reconnects=client.reconnects,
        )
    finally:
        client.close()


@dataclass
class QueryCounts:
    list_small: int
    list_large: int
    detail_empty: int
    detail_full: int
    span_create: int
    sql: dict[str, list[str]] = field(default_factory=dict)


def api_client(fx: Fixture) -> Any:
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {fx.token}")
    return client


def count_queries(fx: Fixture, *, small: int, large: int) -> QueryCounts:
    """SQL statements per request, in-process, for small vs large pages and 0 vs N spans."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = api_client(fx)
    client.get("/api/v1/me/")  # the token's coarse last_used_at touch happens here, not below
    sql: dict[str, list[str]] = {}

    def count(name: str, method: str, path: str, data: Any = None, expect: int = 200) -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = getattr(client, method)(path, data, format="json" if method == "post" else None)
        if response.status_code != expect:
            raise SystemExit(f"{method.upper()} {path} -> {response.status_code}: {response.content[:300]!r}")
        sql[name] = [q["sql"] for q in ctx.captured_queries]
        return len(ctx.captured_queries)

    articles = f"/api/v1/projects/{fx.project_id}/articles/"
    return QueryCounts(
        list_small=count("list_small", "get", articles, {"page_size": small, "page": 2}),
        list_large=count("list_large", "get", articles, {"page_size": large, "page": 2}),
        detail_empty=count("detail_empty", "get", f"/api/v1/articles/{fx.empty_article}/"),
        detail_full=count("detail_full", "get", f"/api/v1/articles/{fx.detail_article}/"),
        span_create=count(
            "span_create",
            "post",
            f"/api/v1/articles/{fx.scratch_article}/spans/",
            span_body(0),
            expect=201,
        ),
        sql=sql,
    )


def profile(fx: Fixture, vendor: str, *, spans: int) -> list[str]:
    """cProfile the three scenarios in-process; full reports go to var/bench/profile-*.txt."""
    client = api_client(fx)
    articles = f"/api/v1/projects/{fx.project_id}/articles/"
    pages = -(-fx.articles // PAGE_SIZE)
    scenarios: dict[str, Callable[[int], Any]] = {
        "span_create": lambda n: client.post(
            f"/api/v1/articles/{fx.scratch_article}/spans/", span_body(n + 1), format="json"
        ),
        "page": lambda n: client.get(articles, {"page_size": PAGE_SIZE, "page": n % pages + 1}),
        "detail": lambda n: client.get(f"/api/v1/articles/{fx.detail_article}/"),
    }
    notes = []
    for name, call in scenarios.items():
        runs = min(spans, 100)
        for n in range(5):  # warm-up
            call(runs + 5 + n if name == "span_create" else n)
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        for n in range(runs):
            response = call(n)
            assert response.status_code in (200, 201), response.content[:300]
        profiler.disable()
        per_call = (time.perf_counter() - started) / runs * 1000
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out).strip_dirs().sort_stats("cumulative")
        stats.print_stats(45)
        out.write("\n--- by own time ---\n")
        stats.sort_stats("tottime").print_stats(25)
        path = BENCH_DIR / f"profile-{vendor}-{name}.txt"
        path.write_text(f"{name}: {runs} requests in-process, {per_call:.2f} ms each (under cProfile)\n\n")
        with path.open("a") as fh:
            fh.write(out.getvalue())
        notes.append(
            f"{name}: {per_call:.2f} ms/request in-process under cProfile -> {path.relative_to(ROOT)}"
        )
    return notes


# --- report -----------------------------------------------------------------------------------


Row = tuple[str, str, str, bool | None]  # metric, value, target, passed (None: no target)


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


def print_table(header: list[str], rows: list[Row]) -> None:
    print_grid(
        header,
        [("metric", "value", "target", "result")]
        + [
            (metric, value, target, "" if ok is None else ("PASS" if ok else "FAIL"))
            for metric, value, target, ok in rows
        ],
    )


def print_grid(header: list[str], cells: Sequence[tuple[str, ...]]) -> None:
    """The header lines, then ``cells`` (its first row the column names) as aligned columns."""
    widths = [max(len(row[c]) for row in cells) for c in range(len(cells[0]))]
    line = "  ".join("-" * w for w in widths)
    print()
    for text in header:
        print(text)
    print(line)
    for n, row in enumerate(cells):
        print("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip())
        if n == 0:
            print(line)
    print(line)


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
