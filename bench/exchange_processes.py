"""The processes bench/exchange.py runs beside itself: gunicorn's worker (its memory) and a
Celery worker on a queue of its own."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from bench.support.paths import BENCH_DIR, ROOT

VAR_DIR = BENCH_DIR / "exchange"  # ANNOTATOR_VAR_DIR of the server and worker: broker, uploads


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
