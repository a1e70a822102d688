"""Two writers racing in real threads, each with its own connection, for the test_races* modules.

Real threads, each with its own connection. The first writer runs inside a transaction it
holds open (``Held``) until the second has reached the point where it waits for the first
(a row lock on PostgreSQL; on SQLite the one write lock, taken when the transaction
begins, so the second reads only after the first has committed). Then the first commits
and the second finishes: what it answers is asserted.
"""

import threading
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction

from annotator.annotations.models import Span
from annotator.annotations.services import span_create
from annotator.common.errors import DomainError
from tests.conftest import World

# How long the second writer is given to reach its wait where it cannot be seen (SQLite).
SETTLE_SECONDS = 0.5


def outcome_of(call: Callable[[], Any]) -> str:
    """'ok', an HTTP status ('404'), or the name of the exception the call raised."""
    try:
        result = call()
    except DomainError as exc:
        return type(exc).__name__
    except Exception as exc:  # a database error is exactly what these tests look for
        return f"{type(exc).__module__}.{type(exc).__name__}: {exc}"
    status = getattr(result, "status_code", None)
    return str(status) if status is not None else "ok"


class Held:
    """``work`` run in a thread, inside a transaction left open until ``commit()``."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self.outcome = ""
        self._done = threading.Event()
        self._release = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(work,))
        self._thread.start()
        assert self._done.wait(30), "the first writer did not get its write done"
        assert self.outcome == "ok" or self.outcome.startswith("2"), self.outcome

    def _run(self, work: Callable[[], Any]) -> None:
        try:
            with transaction.atomic():
                self.outcome = outcome_of(work)
                self._done.set()
                self._release.wait(30)
        finally:
            self._done.set()
            connection.close()

    def commit(self) -> None:
        self._release.set()
        self._thread.join(30)


class Second:
    """``call`` run in a thread of its own, started at once; ``outcome()`` waits for it."""

    def __init__(self, call: Callable[[], Any]) -> None:
        self._outcome = ""
        self._thread = threading.Thread(target=self._run, args=(call,))
        self._thread.start()

    def _run(self, call: Callable[[], Any]) -> None:
        try:
            self._outcome = outcome_of(call)
        finally:
            connection.close()

    def outcome(self) -> str:
        self._thread.join(60)
        assert not self._thread.is_alive(), "the second writer never finished"
        return self._outcome


def waiting_for_a_lock() -> None:
    """Return once another connection waits for a lock (PostgreSQL) or after a moment."""
    if connection.vendor != "postgresql":
        time.sleep(SETTLE_SECONDS)
        return
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the second writer never waited for the first")


def race(first: Callable[[], Any], second: Callable[[], Any]) -> str:
    """Hold ``first``'s write uncommitted, start ``second``, let it wait, commit; its outcome."""
    held = Held(first)
    other = Second(second)
    waiting_for_a_lock()
    held.commit()
    return other.outcome()


def a_span(world: World, start: int = 0, end: int = 3, label: str = "CLAIM") -> Span:
    return span_create(actor=world.annotator, article_id=world.article.pk, start=start, end=end, label=label)
