"""Benchmark pushed updates: how soon a span write reaches every open page of the project.

    .venv/bin/python -m bench.live [--clients 50] [--writes 100] [--workers 2]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python -m bench.live

A fresh benchmark database (as bench/support/database.py makes it) holds one project with one article and
``--clients`` reviewers, each with an API token. The app is served as ``manage.py serve``
serves it (gunicorn, uvicorn workers, annotator.asgi, DEBUG=0); the channel layer is Redis when
CELERY_BROKER_URL names it, else the SQLite spool of the zero-config default. Every reviewer
opens ``/ws/projects/{id}/`` (websockets, a token on the handshake); then an admin makes
``--writes`` gold spans over HTTP, one every 100 ms, and each client notes when each
``span.created`` arrives. Latency: from the moment the POST was sent (an upper bound of "from
the commit": the commit happens inside that request) to the event at a client, over every
(write, client) pair. Target (issue 19): p95 under 200 ms with 50 clients.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
from typing import Any

import httpx
import websockets

from bench.api_fixture import SPAN_STEP
from bench.support.database import fresh_database
from bench.support.report import percentiles, print_table
from bench.support.server import gunicorn
from bench.support.text import make_text

TARGET_P95_MS = 200.0


def populate(clients: int, writes: int) -> tuple[int, int, str, list[str]]:
    """The project, its article, the admin's token and the reviewers' tokens."""
    from django.contrib.auth import get_user_model

    from annotator.accounts.services import token_create
    from annotator.articles.services import ArticleInput, articles_add
    from annotator.projects.models import Role
    from annotator.projects.services import member_add, project_create

    users = get_user_model().objects
    admin = users.create_user("bench-admin")
    project = project_create(creator=admin, name="Live bench", description="bench/live.py", preset="argument")
    text = make_text(random.Random(7), (writes + 2) * SPAN_STEP)
    articles_add(
        actor=admin, project_id=project.pk, items=[ArticleInput(external_id="live", text=text, title="Live")]
    )
    article = project.articles.get().pk
    tokens = []
    for n in range(clients):
        reviewer = users.create_user(f"bench-reviewer-{n}")
        member_add(actor=admin, project_id=project.pk, username=reviewer.username, role=Role.REVIEWER)
        tokens.append(token_create(user=reviewer, name="bench")[1])
    return project.pk, article, token_create(user=admin, name="bench")[1], tokens


async def listen(
    url: str, token: str, arrived: dict[int, float], ready: asyncio.Event, stop: asyncio.Event
) -> None:
    async with websockets.connect(url, additional_headers={"Authorization": f"Bearer {token}"}) as socket:
        hello = json.loads(await socket.recv())
        assert hello["type"] == "hello", hello
        ready.set()
        while not stop.is_set():
            try:
                event = json.loads(await asyncio.wait_for(socket.recv(), 0.2))
            except TimeoutError:
                continue
            if event["type"] == "span.created":
                arrived[event["id"]] = time.perf_counter()


async def run(
    port: int, project: int, article: int, admin: str, tokens: list[str], writes: int
) -> dict[str, Any]:
    url = f"ws://127.0.0.1:{port}/ws/projects/{project}/"
    arrivals: list[dict[int, float]] = [{} for _ in tokens]
    readies = [asyncio.Event() for _ in tokens]
    stop = asyncio.Event()
    listeners = [
        asyncio.create_task(listen(url, t, arrivals[i], readies[i], stop)) for i, t in enumerate(tokens)
    ]
    await asyncio.wait_for(asyncio.gather(*(r.wait() for r in readies)), 60)
    await asyncio.sleep(0.5)
    sent: dict[int, float] = {}
    answered: list[float] = []
    headers = {"Authorization": f"Bearer {admin}"}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=30) as http:
        for n in range(writes):
            body = {"start": n * SPAN_STEP, "end": n * SPAN_STEP + 8, "label": "CLAIM", "layer": "gold"}
            began = time.perf_counter()
            response = await http.post(f"/api/v1/articles/{article}/spans/", json=body)
            answered.append(time.perf_counter() - began)
            response.raise_for_status()
            sent[response.json()["id"]] = began
            await asyncio.sleep(0.1)
    deadline = time.perf_counter() + 5
    while time.perf_counter() < deadline and any(len(a) < len(sent) for a in arrivals):
        await asyncio.sleep(0.05)
    stop.set()
    await asyncio.gather(*listeners)
    latencies = [a[span] - began for a in arrivals for span, began in sent.items() if span in a]
    missing = sum(1 for a in arrivals for span in sent if span not in a)
    return {"latencies": latencies, "missing": missing, "post": answered}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.live", description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--writes", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn (uvicorn) worker processes")
    args = parser.parse_args(argv)
    with fresh_database("live") as (db, env):
        project, article, admin, tokens = populate(args.clients, args.writes)
        layer = "redis" if os.environ.get("CELERY_BROKER_URL", "").startswith("redis") else "SQLite spool"
        with gunicorn(env, workers=args.workers, threads=1, token=admin, asgi=True) as port:
            result = asyncio.run(run(port, project, article, admin, tokens, args.writes))
    events = percentiles(result["latencies"])
    posts = percentiles(result["post"])
    ok = events["p95"] < TARGET_P95_MS and result["missing"] == 0
    rows = [
        ("span write -> event at every client, p50", f"{events['p50']:.1f} ms", "", None),
        (
            "span write -> event at every client, p95",
            f"{events['p95']:.1f} ms",
            f"< {TARGET_P95_MS:.0f} ms",
            ok,
        ),
        (
            "span write -> event at every client, p99 / max",
            f"{events['p99']:.1f} / {events['max']:.1f} ms",
            "",
            None,
        ),
        (
            "events not received (of writes x clients)",
            f"{result['missing']} of {args.writes * len(tokens)}",
            "0",
            None,
        ),
        ("the POST itself, p50 / p95", f"{posts['p50']:.1f} / {posts['p95']:.1f} ms", "", None),
    ]
    print_table(
        [
            f"live updates: {len(tokens)} WebSocket clients, {args.writes} span writes",
            f"database {db.vendor}; channel layer {layer}; gunicorn {args.workers} uvicorn workers, DEBUG=0",
        ],
        rows,
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
