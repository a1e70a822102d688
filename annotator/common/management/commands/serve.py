"""``manage.py serve``: the web server and a Celery worker, together, until Ctrl-C.

The runner behind ``make run``. gunicorn's uvicorn workers serve ``annotator.asgi`` (HTTP and
the live updates' WebSockets; static files through whitenoise) and a Celery worker with
embedded beat runs the jobs, both as a local server
(``ANNOTATOR_LOCAL_SERVER``: ``DEBUG`` off unless ``DEBUG=1``). Both are child processes:
SIGINT, SIGTERM and SIGHUP stop both, and if either dies the other is stopped and the
command exits non-zero, so a half-running service is never left behind.
"""

import contextlib
import ctypes
import os
import signal
import socket
import subprocess  # runs gunicorn and celery from argv built here (Child)  # nosec B404
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
POLL_SECONDS = 0.2


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError:
        raise CommandError(f"{name} must be a whole number, not {value!r}.") from None


def _bind_address(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host and not host.startswith("[") else f"{host}:{port}"


def _connect_host(host: str) -> str:
    """Where to reach a server bound to ``host`` from this machine."""
    host = host.strip("[]")
    return {"0.0.0.0": "127.0.0.1", "::": "::1", "": "127.0.0.1"}.get(host, host)  # noqa: S104 (a lookup, not a bind)  # nosec B104


def _listening(host: str, port: int) -> bool:
    try:
        with socket.create_connection((_connect_host(host), port), timeout=0.5):
            return True
    except OSError:
        return False


def _parent_death_signal() -> Callable[[], None] | None:
    """On Linux, have the kernel send SIGTERM to a child if this runner is killed outright
    (SIGKILL, OOM), so that not even then are gunicorn or Celery left running."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        prctl = ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None
    parent = os.getpid()
    pr_set_pdeathsig = 1

    def setup() -> None:
        prctl(pr_set_pdeathsig, signal.SIGTERM)
        if os.getppid() != parent:  # the runner died before prctl took effect
            os.kill(os.getpid(), signal.SIGTERM)

    return setup


def child_environment() -> dict[str, str]:
    """The web server's and the worker's environment: this one, as a local server (settings:
    DEBUG off unless DEBUG=1, the secret key under var/, local host names allowed)."""
    return {"ANNOTATOR_LOCAL_SERVER": "1", **os.environ, "PYTHONUNBUFFERED": "1"}


class Child:
    """One supervised process, leader of its own process group."""

    def __init__(
        self,
        name: str,
        argv: list[str],
        preexec: Callable[[], None] | None,
        env: dict[str, str] | None = None,
    ) -> None:
        self.name = name
        # Its own session: a Ctrl-C in the terminal reaches only the runner, which stops
        # the children once and in order (a second SIGINT would make Celery cold-stop).
        self.process = subprocess.Popen(  # noqa: S603 (argv is built here, not from input)  # nosec B603
            argv,
            cwd=settings.BASE_DIR,
            env={**child_environment(), **(env or {})},
            start_new_session=True,
            stdin=subprocess.DEVNULL,  # outside the terminal's session it could not read anyway
            preexec_fn=preexec,  # safe: the runner starts no threads
        )
        self.pid = self.process.pid

    def exited(self) -> bool:
        """Whether the process has ended; it stays unreaped (a zombie) so that its process
        group id cannot be reused before ``reap`` has swept the group."""
        if self.process.returncode is not None:
            return True
        if not hasattr(os, "waitid"):
            return self.process.poll() is not None
        try:
            info = os.waitid(os.P_PID, self.pid, os.WEXITED | os.WNOHANG | os.WNOWAIT)
        except ChildProcessError:
            return self.process.poll() is not None
        return info is not None

    def signal(self, signum: int) -> None:
        if self.process.returncode is None:
            with contextlib.suppress(ProcessLookupError):
                self.process.send_signal(signum)

    def kill_group(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.pid, signal.SIGKILL)

    def reap(self) -> int:
        """Kill whatever is left of its group (e.g. pool processes of a crashed worker) and
        collect its exit status."""
        if self.process.returncode is None:
            self.kill_group()
        return self.process.wait()


class Command(BaseCommand):
    help = (
        "Serve the web app (gunicorn) and a Celery worker with embedded beat until "
        "Ctrl-C or SIGTERM, which stops both. HOST and PORT (default 127.0.0.1:8000) "
        "and WEB_CONCURRENCY (gunicorn workers) come from the environment."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST") or "127.0.0.1")
        parser.add_argument("--port", type=int, default=None, help="default: $PORT or 8000")
        parser.add_argument("--workers", type=int, default=None, help="gunicorn workers (default 2)")
        parser.add_argument("--concurrency", type=int, default=2, help="Celery worker processes")
        parser.add_argument(
            "--no-beat", action="store_true", help="run beat elsewhere (celery -A annotator beat)"
        )
        parser.add_argument(
            "--stop-timeout",
            type=float,
            default=30.0,
            help="seconds to wait for a graceful stop before killing (running jobs finish first)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        host: str = options["host"]
        port: int = options["port"] or _env_int("PORT", 8000)
        workers: int = options["workers"] or _env_int("WEB_CONCURRENCY", 2)
        if not 0 < port < 65536:
            raise CommandError(f"PORT must be between 1 and 65535, not {port}.")
        if _listening(host, port):
            raise CommandError(f"Something is already listening on {_bind_address(host, port)}; set PORT.")

        web = [
            sys.executable,
            "-m",
            "gunicorn",
            # ASGI under gunicorn's process management: HTTP and the WebSockets of live updates
            # (docs/live.md); Django runs each request's sync code in a thread of its own.
            "annotator.asgi:application",
            "--worker-class",
            "uvicorn_worker.UvicornWorker",
            "--bind",
            _bind_address(host, port),
            "--workers",
            str(workers),
            "--graceful-timeout",
            "10",
            # Idle keep-alive connections stay open across a person's pauses: closed after
            # gunicorn's default 2 s, a request sent as one closes is reset (bench/team_load.py).
            "--keep-alive",
            "75",
            "--access-logfile",
            "-",
            # Its default socket is one per user ($HOME/.gunicorn): a second server would clash.
            "--no-control-socket",
        ]
        worker = [
            sys.executable,
            "-m",
            "celery",
            "--app",
            "annotator",
            "worker",
            "--concurrency",
            str(options["concurrency"]),
            "--loglevel",
            "INFO",
            # One worker: nothing to synchronise with, and startup is quicker.
            "--without-mingle",
            "--without-gossip",
        ]
        if not options["no_beat"]:
            worker.append("--beat")  # schedule file: CELERY_BEAT_SCHEDULE_FILENAME

        requests: list[int] = []

        def on_signal(signum: int, frame: FrameType | None) -> None:
            requests.append(signum)

        previous = {sig: signal.signal(sig, on_signal) for sig in STOP_SIGNALS}
        children: list[Child] = []
        died: Child | None = None
        killed: list[str] = []
        try:
            preexec = _parent_death_signal()
            # ANNOTATOR_ASGI: its database connections as ASGI needs them (settings.py).
            children.append(Child("web (gunicorn)", web, preexec, env={"ANNOTATOR_ASGI": "1"}))
            children.append(Child("worker (celery)", worker, preexec))
            died = self._supervise(children, requests, host, port)
        finally:
            killed = self._stop(children, requests, options["stop_timeout"])
            for sig, handler in previous.items():
                signal.signal(sig, handler)

        if died is not None:
            raise CommandError(
                f"{died.name} exited with status {died.process.returncode}; stopped the rest.",
                returncode=1,
            )
        if killed:
            raise CommandError(f"Had to kill {' and '.join(killed)} before they stopped.")
        self._say("annotator stopped.")

    def _say(self, message: str, style: Callable[[str], str] | None = None) -> None:
        self.stdout.write(message, style)
        self.stdout.flush()

    def _supervise(self, children: list[Child], requests: list[int], host: str, port: int) -> Child | None:
        """Wait until a stop is requested (None) or a child ends (that child)."""
        announced = False
        while not requests:
            for child in children:
                if child.exited():
                    return child
            if not announced and _listening(host, port):
                announced = True
                base = f"http://{_bind_address(_connect_host(host), port)}"
                self._say(
                    f"\nannotator is running at {base}/\n"
                    f"  REST API {base}/api/v1/  (e.g. {base}/api/v1/projects/)\n"
                    f"  API docs {base}/api/docs/   (schema: {base}/api/schema/)\n"
                    f"  admin    {base}/admin/\n"
                    f"  with a Celery worker (pid {children[1].pid}). Press Ctrl-C to stop.\n",
                    self.style.SUCCESS,
                )
            time.sleep(POLL_SECONDS)
        self._say(f"\n{signal.Signals(requests[0]).name}: stopping web server and worker...")
        return None

    def _stop(self, children: list[Child], requests: list[int], timeout: float) -> list[str]:
        """Ask every child to stop (SIGTERM: gunicorn finishes requests, Celery finishes
        running tasks), kill what is still running after ``timeout`` or on a second
        Ctrl-C, and reap all. Returns the names of the killed ones."""
        for child in children:
            child.signal(signal.SIGTERM)
        asked = len(requests)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(requests) == asked:
            if all(child.exited() for child in children):
                break
            time.sleep(POLL_SECONDS / 2)
        if len(requests) > asked:
            self._say("Second stop signal: killing.", self.style.WARNING)
        killed = []
        for child in children:
            if not child.exited():
                killed.append(child.name)
                self._say(f"{child.name} has not stopped; killing it.", self.style.WARNING)
                child.kill_group()
            child.reap()
        return killed
