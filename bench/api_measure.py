"""What bench/api.py measures: requests over one keep-alive HTTP connection to the server, and
the same requests in-process (SQL query counts, cProfile)."""

import cProfile
import http.client
import io
import json
import pstats
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bench.api_fixture import SPAN_STEP, Fixture, span_body
from bench.support.paths import BENCH_DIR, ROOT
from bench.support.report import percentiles

PAGE_SIZE = 100


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
