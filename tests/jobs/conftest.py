"""Fixtures for the jobs framework: short heartbeat settings, people and a project (``team``), and a
real Celery worker process (one per test module) on a queue of its own."""

import contextlib
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.conf import settings as django_settings
from django.db import connection
from kombu import Exchange, Queue

import tests.jobs.kinds  # noqa: F401 - registers the test job kinds in this process
from annotator import celery_app
from annotator.jobs.models import FINISHED, Job
from tests.conftest import Cast, build_cast, make_user

HEARTBEAT_SECONDS = 0.5
STALE_AFTER_SECONDS = 3.0
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _short_job_timings(settings: Any) -> None:
    # The same values the worker gets through its environment.
    settings.JOB_HEARTBEAT_SECONDS = HEARTBEAT_SECONDS
    settings.JOB_STALE_AFTER_SECONDS = STALE_AFTER_SECONDS


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{report.when}", report)


# The jobs tests' people: tests/conftest.py's Cast (no articles: these tests count them).
Team = Cast


@pytest.fixture
def team(db: None) -> Team:
    return build_cast(make=lambda role: make_user(f"jobs-{role}"))


def wait_for(predicate: Callable[[], Any], timeout: float, what: str, interval: float = 0.05) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


def wait_finished(job: Job, timeout: float = 30) -> Job:
    wait_for(
        lambda: Job.objects.filter(pk=job.pk, status__in=FINISHED).exists(),
        timeout,
        f"job {job.pk} to finish",
    )
    job.refresh_from_db()
    return job


# --- a real worker ------------------------------------------------------------------------


def database_url_for_worker() -> str:
    """The test database (not the development one) as a DATABASE_URL."""
    db = connection.settings_dict
    if db["ENGINE"] == "django.db.backends.sqlite3":
        return f"sqlite:///{Path(db['NAME']).resolve()}"
    if db["ENGINE"] == "django.db.backends.postgresql":
        auth = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            auth += ":" + quote(db["PASSWORD"], safe="")
        host = db["HOST"] or "localhost"
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{auth}@{host}{port}/{quote(db['NAME'], safe='')}"
    raise NotImplementedError(f"no worker DATABASE_URL for {db['ENGINE']}")


@dataclass
class Worker:
    queue: str
    process: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def alive(self) -> bool:
        return self.process.poll() is None


def _stop(worker: "Worker") -> None:
    process = worker.process
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # warm shutdown: unacked messages go back
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=15)
    # Whatever is left of its group (prefork children) goes too.
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=10)
    _forget_queue(worker.queue)


def _forget_queue(name: str) -> None:
    """Nobody reads this queue again: leave neither messages nor bindings in the broker."""
    with celery_app.connection_for_write() as conn:
        channel = conn.default_channel
        queue = Queue(name, Exchange(name, "direct"), routing_key=name)(channel)
        queue.declare()  # so this channel knows the bindings that delete() removes
        queue.purge()
        queue.delete()
        control = getattr(channel, "control_folder", None)  # kombu's filesystem transport
        if control is not None:
            (Path(control) / f"{name}.exchange").unlink(missing_ok=True)


@pytest.fixture(scope="module")
def celery_worker_process(
    django_db_setup: None, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Worker]:
    """A `celery worker` (prefork, one child) on a queue no other worker reads; a test module's
    ``WORKER_ENV`` dict adds to (or overrides) its environment."""
    queue = f"test-jobs-{uuid.uuid4().hex[:12]}"
    log_path = tmp_path_factory.mktemp("worker") / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "annotator.settings",
        "PYTHONPATH": str(ROOT),
        "DATABASE_URL": database_url_for_worker(),
        "CELERY_BROKER_URL": django_settings.CELERY_BROKER_URL,
        # Retries (re-checks) go to the task's own queue: make that this one.
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "JOB_KIND_MODULES": "tests.jobs.kinds",
        "JOB_HEARTBEAT_SECONDS": str(HEARTBEAT_SECONDS),
        "JOB_STALE_AFTER_SECONDS": str(STALE_AFTER_SECONDS),
        "CELERY_TASK_ALWAYS_EAGER": "false",
        **getattr(request.module, "WORKER_ENV", {}),
    }
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
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT, start_new_session=True
        )
    worker = Worker(queue=queue, process=process, log_path=log_path)
    try:
        wait_for(
            lambda: " ready." in worker.log() or not worker.alive(),
            timeout=60,
            what="the Celery worker to be ready",
            interval=0.1,
        )
        if not worker.alive():
            raise RuntimeError(f"the Celery worker exited at start:\n{worker.log()}")
        yield worker
    finally:
        _stop(worker)


@pytest.fixture
def worker(
    celery_worker_process: Worker, transactional_db: None, request: pytest.FixtureRequest
) -> Iterator[Worker]:
    """The module's worker, with this process publishing to its queue. The test's rows are
    committed (transactional_db) so the worker can see them."""
    if not celery_worker_process.alive():
        pytest.fail(f"the Celery worker has died:\n{celery_worker_process.log()}")
    conf = celery_app.conf
    previous = conf.task_default_queue
    conf.task_default_queue = celery_worker_process.queue
    log_start = len(celery_worker_process.log())
    try:
        yield celery_worker_process
    finally:
        conf.task_default_queue = previous
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            print(f"--- Celery worker log (this test) ---\n{celery_worker_process.log()[log_start:]}")
