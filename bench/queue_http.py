"""bench.workflow_queue's annotators over HTTP: a real gunicorn server and one client process
holding a keep-alive connection per annotator (asyncio + httpx), so that the client's work is
not the server's and the CPU the server uses per request can be counted.

Each annotator asks ``GET /api/v1/projects/{id}/queue/next/`` (timed) and submits what it got
with ``PUT /api/v1/articles/{id}/state/`` (not timed), ``rounds`` times: back to back (a closed
loop: the submits share the cores with the next requests), or in bursts (every annotator asks
at the same moment, the submits are answered and the server is idle again before the next
burst: the latency of 20 asking at once, and nothing else). Counted beside the
latencies: the wall time of the run, and the CPU time (user + system, from /proc) of the
gunicorn workers and of the PostgreSQL backends serving them, per request; with the machine's
cores that gives how busy the CPUs were with this run, and so how much of a latency is
waiting for a core rather than work."""

from __future__ import annotations

import asyncio
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

CLK_TCK = os.sysconf("SC_CLK_TCK")
BURST_PAUSE_S = 0.05


@dataclass
class HttpRun:
    latencies: list[float]  # ms, of the queue/next requests
    empty: int  # 204s
    wall_s: float
    requests: int  # every request sent, the submits included
    server_cpu_s: float  # gunicorn workers + their PostgreSQL backends
    client_cpu_s: float
    next_cpu_s: float | None = None  # in bursts: the server's CPU time over the queue/next requests alone


def _cpu_s(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:  # gone, or not ours to read
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / CLK_TCK


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _backends() -> list[int]:
    """The PostgreSQL server processes of this database's other connections (the workers')."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return []
    try:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            return [row[0] for row in cursor.fetchall()]
    finally:
        connection.close()  # this thread's own connection (the event loop's helper thread)


class Bursts:
    """Rounds in which every annotator asks at the same moment: the driver (``drive``) lets them
    all ask, waits for every answer (counting the server's CPU time for those requests alone),
    lets them all submit, waits for that, and pauses before the next round."""

    def __init__(self, annotators: int) -> None:
        self.annotators = annotators
        self.ask = asyncio.Event()
        self.submit = asyncio.Event()
        self.answered = 0
        self.submitted = 0
        self.all_answered = asyncio.Event()
        self.all_submitted = asyncio.Event()
        self.next_cpu_s = 0.0  # the server's, over every round's queue/next requests

    def note_answered(self) -> None:
        self.answered += 1
        if self.answered == self.annotators:
            self.all_answered.set()

    def note_submitted(self) -> None:
        self.submitted += 1
        if self.submitted == self.annotators:
            self.all_submitted.set()

    async def drive(self, rounds: int, cpu_s: Any) -> None:
        for _ in range(rounds):
            self.answered = self.submitted = 0
            self.all_answered.clear()
            self.all_submitted.clear()
            before = cpu_s()
            self.ask.set()
            await self.all_answered.wait()
            self.next_cpu_s += cpu_s() - before
            self.ask.clear()  # every annotator is past it
            self.submit.set()
            await self.all_submitted.wait()
            self.submit.clear()
            await asyncio.sleep(BURST_PAUSE_S)


async def _annotate(
    port: int, project_id: int, key: str, rounds: int, start: asyncio.Event, bursts: Bursts | None
) -> tuple[list[float], int]:
    import httpx

    headers = {"Authorization": f"Bearer {key}"}
    latencies: list[float] = []
    empty = 0
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=60) as client:
        # Warm: the connection, and the worker's first request and first write (each loads
        # code once), with one claim that is not timed.
        await client.get(f"/api/v1/projects/{project_id}/queue/")
        first = await client.get(f"/api/v1/projects/{project_id}/queue/next/")
        if first.status_code == 200:
            await client.put(f"/api/v1/articles/{first.json()['id']}/state/", json={"status": "submitted"})
        await start.wait()
        for _ in range(rounds):
            if bursts is not None:
                await bursts.ask.wait()
            began = time.perf_counter()
            response = await client.get(f"/api/v1/projects/{project_id}/queue/next/")
            latencies.append((time.perf_counter() - began) * 1000)
            if bursts is not None:
                bursts.note_answered()
                await bursts.submit.wait()
            if response.status_code == 204:
                empty += 1
                if bursts is not None:
                    bursts.note_submitted()
                continue
            if response.status_code != 200:
                raise SystemExit(f"queue/next answered {response.status_code}: {response.text[:200]}")
            done = await client.put(
                f"/api/v1/articles/{response.json()['id']}/state/", json={"status": "submitted"}
            )
            if done.status_code != 200:
                raise SystemExit(f"submit answered {done.status_code}: {done.text[:200]}")
            if bursts is not None:
                bursts.note_submitted()
    return latencies, empty


async def _all(port: int, project_id: int, keys: list[str], rounds: int, pids: Any, bursts: bool) -> HttpRun:
    start = asyncio.Event()
    driver = Bursts(len(keys)) if bursts else None
    tasks = [asyncio.create_task(_annotate(port, project_id, key, rounds, start, driver)) for key in keys]
    watched = await asyncio.to_thread(pids)  # Django's ORM refuses to run in the event loop
    # Until the server is idle (every client connected, every worker done booting), so that
    # its CPU time from here on is this run's.
    server_before = _cpu_s(watched)
    for _ in range(40):
        await asyncio.sleep(0.5)
        watched = await asyncio.to_thread(pids)
        now = _cpu_s(watched)
        if now - server_before < 0.02:
            break
        server_before = now
    client_before = time.process_time()
    began = time.perf_counter()
    start.set()
    if driver is not None:
        await driver.drive(rounds, lambda: _cpu_s(watched))
    results = await asyncio.gather(*tasks)
    wall = time.perf_counter() - began
    server = _cpu_s(watched) - server_before
    latencies = [ms for mine, _ in results for ms in mine]
    empty = sum(none_left for _, none_left in results)
    requests = 2 * len(latencies) - empty
    client = time.process_time() - client_before
    next_cpu_s = driver.next_cpu_s if driver is not None else None
    return HttpRun(latencies, empty, wall, requests, server, client, next_cpu_s)


def run_http(
    env: dict[str, str], project_id: int, people: list[int], rounds: int, workers: int, bursts: bool = False
) -> HttpRun:
    """``people`` ask at once over HTTP, against gunicorn with ``workers`` (WSGI, one thread each):
    each as soon as their last submit is answered, or (``bursts``) all at the same moment, each
    round starting from an idle server."""
    from django.contrib.auth import get_user_model

    from annotator.accounts.services import token_create
    from bench.support.server import gunicorn

    users = {u.pk: u for u in get_user_model().objects.filter(pk__in=people)}
    keys = [token_create(user=users[pk], name="bench-http")[1] for pk in people]
    with gunicorn(env, workers=workers, threads=1, token=keys[0]) as port:
        import subprocess

        master = [
            int(p)
            for p in subprocess.run(
                ["pgrep", "-f", f"127.0.0.1:{port}"], capture_output=True, text=True
            ).stdout.split()
        ]

        def pids() -> list[int]:
            return sorted({*master, *(child for pid in master for child in _children(pid)), *_backends()})

        return asyncio.run(_all(port, project_id, keys, rounds, pids, bursts))
