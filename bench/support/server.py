"""gunicorn serving the app on a free local port, as ``manage.py serve`` runs it."""

import http.client
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.support.paths import BENCH_DIR, ROOT


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
