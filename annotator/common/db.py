"""The SQL that differs between the databases the service runs on, in one place.

Domain code never branches on the database (DESIGN.md). Where a fast path needs a backend's
own SQL or its driver's own features, it asks this module, and this module answers with the
implementation for the connection's backend, picked in one table, ``_BACKENDS``: PostgreSQL
through psycopg 3 (``_PostgreSQL``) and SQLite through sqlite3 (``_SQLite``). Each entry is a
backend's own SQL (sequences, COPY, SET CONSTRAINTS and the pipeline are PostgreSQL's and
psycopg's; ``sqlite_sequence`` is SQLite's), so the table is keyed by the vendor that owns
it; a backend missing from it is refused by name rather than served half.

- ``reserve_ids``: primary keys for rows inserted with their ids, so rows that point to each
  other (spans to their article, relations to their spans) can all be sent before any
  comes back.
- ``bulk_writes``: inside it, ``bulk.insert_rows`` sends rows without waiting for the server
  (PostgreSQL's pipeline), with foreign keys checked as each insert ends.
- ``bulk_loader``: the backend's bulk load (PostgreSQL's COPY), where it has one.
- ``iso_timestamps``: a timestamp as the database writes it as text, in ISO 8601.
- ``change_stamp``, ``change_horizon``, ``change_clock``: the clock that stamps changes for
  incremental pulls (articles.changes). On PostgreSQL the stamp is the writing transaction's
  id and the horizon comes from the snapshot's oldest open transaction, so writers of one
  project never queue behind a shared row; on SQLite, whose writers the database serialises
  anyway, a counter on the project row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from contextvars import ContextVar
from typing import Any, NamedTuple, Protocol

from django.apps import apps
from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.backends.base.base import BaseDatabaseWrapper


class Queue(NamedTuple):
    """Where ``insert_rows`` queues its statements inside ``bulk_writes()``."""

    cursor: Callable[[], Any]  # a new driver cursor on the pipelined connection
    statement: Callable[[str, int, int], str]  # (INSERT head, columns, rows) -> the statement


class Backend(Protocol):
    """What each backend implements (one class per entry of ``_BACKENDS``)."""

    def reserve_ids(self, cursor: Any, table: str, pk: str, count: int) -> list[int]: ...

    def pipeline(self) -> AbstractContextManager[Queue | None]: ...

    def bulk_loader(self, cursor: Any) -> Callable[[str, str, int, list[Any]], None] | None: ...

    def iso_timestamp(self, raw: str | None) -> str | None: ...

    # The change clock: its name goes into cursors, so a cursor of another clock is refused.
    clock: str

    def change_stamp(self, cursor: Any, project_id: int) -> int: ...

    def change_horizon(self, cursor: Any, project_id: int) -> int: ...

    def restart_stamps(self, cursor: Any, tables: list[str]) -> None: ...


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` primary keys that no other insert will take, for rows the caller inserts
    with them (the pk among its fields). Ascending; on PostgreSQL not always consecutive."""
    if count <= 0:
        return []
    meta = model._meta
    with connection.cursor() as cursor:
        return _backend(connection).reserve_ids(cursor, meta.db_table, meta.pk.column, count)


# Set inside bulk_writes() on a backend with a pipeline: insert_rows queues its statements there.
_queue: ContextVar[Queue | None] = ContextVar("bulk_queue", default=None)


@contextmanager
def bulk_writes() -> Iterator[None]:
    """Within the caller's transaction: ``insert_rows`` sends rows without waiting for them.

    On PostgreSQL this is psycopg's pipeline mode: statements queue on the connection and
    the server works through them while Python goes on; the first read (any query whose rows
    the caller fetches) waits for all that was sent before it, and an error in a queued
    insert is raised there, or at the end of the block. Foreign keys are checked as each
    statement ends, not all at commit, so that checking overlaps too. Where the backend has
    no pipeline (SQLite) every statement runs as it is sent, and its checks stay as they were.
    """
    assert connection.in_atomic_block, "bulk_writes() belongs inside the caller's transaction"
    connection.ensure_connection()
    with _backend(connection).pipeline() as queue:
        token = _queue.set(queue)
        try:
            yield
        finally:
            _queue.reset(token)


def pipeline_queue() -> Queue | None:
    """Inside ``bulk_writes()`` on a backend with a pipeline: where to queue inserts; else None."""
    return _queue.get()


def bulk_loader(cursor: Any) -> Callable[[str, str, int, list[Any]], None] | None:
    """The backend's bulk load for the cursor's connection, or None where it has none:
    ``load(table, columns, width, params)`` with quoted names and the rows' values flat
    (JSON as its text)."""
    return _backend(connection).bulk_loader(cursor)


def iso_timestamps(using: str = DEFAULT_DB_ALIAS) -> Callable[[str | None], str | None]:
    """The function that turns a UTC timestamp, as the database ``using`` writes it as text
    (a column cast to text), into ISO 8601 with its offset. Asked once, called per value."""
    return _backend(connections[using]).iso_timestamp


def change_stamp(project_id: int) -> int:
    """The stamp of a change the current transaction makes in the project: every change
    committed later than a pull's horizon has a stamp above it. Call it in the transaction
    that writes the change, after its last check (on SQLite it takes the write lock)."""
    with connection.cursor() as cursor:
        return _backend(connection).change_stamp(cursor, project_id)


def change_horizon(project_id: int, using: str = DEFAULT_DB_ALIAS) -> int:
    """The horizon of the snapshot of ``using``'s current transaction (or, outside one, of
    now): every change stamped at or below it has committed and is visible in that snapshot,
    and no change stamped at or below it can commit later. It never goes down."""
    wrapper = connections[using]
    with wrapper.cursor() as cursor:
        return _backend(wrapper).change_horizon(cursor, project_id)


def change_clock(using: str = DEFAULT_DB_ALIAS) -> str:
    """The name of the database's change clock ("" for the project counter, which cursors
    made before the transaction-id clock existed also count with)."""
    return _backend(connections[using]).clock


def change_stamps_restart(wrapper: BaseDatabaseWrapper, tables: list[str]) -> None:
    """For a migration: set the ``seq`` stamps of ``tables`` back below every stamp and
    horizon of the database's change clock where they were counted by another clock."""
    with wrapper.cursor() as cursor:
        _backend(wrapper).restart_stamps(cursor, tables)


class _PostgreSQL:
    """PostgreSQL through psycopg 3."""

    # Transaction ids (xid8: 64 bits, never wrapping, handed out in increasing order).
    clock = "x"

    def change_stamp(self, cursor: Any, project_id: int) -> int:
        # The transaction's own id: taking it locks nothing, so writers of one project do not
        # queue behind each other at commit (issue 19). Top-level even inside a savepoint.
        cursor.execute("SELECT pg_current_xact_id()::text::bigint")
        return int(cursor.fetchone()[0])

    def change_horizon(self, cursor: Any, project_id: int) -> int:
        # Every transaction below the snapshot's xmax has ended unless it is in its xip list
        # (still open when the snapshot was taken); one that has ended is visible if it
        # committed. So the oldest listed transaction, less one, bounds what the snapshot
        # sees completely. Transactions listed but open in another database of the cluster
        # cannot write here: left out, so a long transaction elsewhere (another service,
        # another test database) does not hold pulls back. One whose database cannot be told
        # (it ended since, a prepared one, a backend not shown) counts: that only delays.
        # A transaction's database never changes, so a backend seen in another database
        # holding the xid settles it, however stale the view of pg_stat_activity (its 32-bit
        # xids repeat only some four billion transactions later).
        cursor.execute(
            """
            SELECT coalesce(
                (SELECT min(x::text::bigint) FROM pg_snapshot_xip(s) AS x
                 WHERE NOT EXISTS (
                     SELECT 1 FROM pg_stat_activity AS a
                     WHERE a.backend_xid::text::bigint = x::text::bigint % 4294967296
                       AND a.datid <> (SELECT oid FROM pg_database WHERE datname = current_database())
                 )),
                pg_snapshot_xmax(s)::text::bigint
            ) - 1
            FROM pg_current_snapshot() AS s
            """
        )
        return int(cursor.fetchone()[0])

    def restart_stamps(self, cursor: Any, tables: list[str]) -> None:
        # Stamps counted by the project counter mean nothing on the transaction clock; 0 is
        # below every horizon, so those changes stay in full exports and in no incremental one.
        quote = connection.ops.quote_name
        for table in tables:
            cursor.execute(f"UPDATE {quote(table)} SET seq = 0 WHERE seq <> 0")  # noqa: S608 - a model's table, quoted  # nosec B608

    def reserve_ids(self, cursor: Any, table: str, pk: str, count: int) -> list[int]:
        # From the table's own sequence.
        sequence = _sequence_name(cursor, table)
        cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count])
        return [row[0] for row in cursor.fetchall()]

    @contextmanager
    def pipeline(self) -> Iterator[Queue | None]:
        raw: Any = connection.connection
        threshold = raw.prepare_threshold
        raw.prepare_threshold = _PREPARE_ONLY_WHEN_ASKED
        try:
            # The driver's errors as Django's (IntegrityError...), also those raised at the sync.
            with connection.wrap_database_errors, raw.pipeline(), connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                yield Queue(lambda: _raw_cursor(raw), _numbered_values)
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's FKs, as the transaction had them
                cursor.execute("DEALLOCATE ALL")  # psycopg forgets its prepared statements with them
        finally:
            raw.prepare_threshold = threshold

    def bulk_loader(self, cursor: Any) -> Callable[[str, str, int, list[Any]], None] | None:
        copy = cursor.cursor.copy  # psycopg's Cursor.copy, under Django's cursor wrapper

        def load(table: str, columns: str, width: int, params: list[Any]) -> None:
            # No SQL text to build or parse, each value dumped by the driver's C code.
            with copy(f"COPY {table} ({columns}) FROM STDIN") as stream:
                for begin in range(0, len(params), width):
                    stream.write_row(params[begin : begin + width])

        return load

    def iso_timestamp(self, raw: str | None) -> str | None:
        # "2026-11-23 10:00:00.5+00" (the session's zone is UTC: Django sets it) or, in a
        # zone with minutes, "...+05:30" -> "2026-11-23T10:00:00.5+00:00".
        if raw is None:
            return None
        if raw[-3] == "+":
            return f"{raw[:10]}T{raw[11:]}:00"
        if raw[-6] == "+":
            return f"{raw[:10]}T{raw[11:]}"
        return f"{raw[:10]}T{raw[11:]}+00:00"


class _SQLite:
    """SQLite through sqlite3: no pipeline, no bulk load."""

    # The project's change_seq counter: SQLite runs one writer at a time, so the row lock
    # costs no concurrency, and numbers taken under it are handed out in commit order.
    clock = ""

    def change_stamp(self, cursor: Any, project_id: int) -> int:
        table = _counter_table()
        cursor.execute(
            f"UPDATE {table} SET change_seq = change_seq + 1 WHERE id = %s RETURNING change_seq",  # noqa: S608 - the model's table, quoted  # nosec B608
            [project_id],
        )
        return _project_counter(cursor.fetchone(), project_id)

    def change_horizon(self, cursor: Any, project_id: int) -> int:
        table = _counter_table()
        cursor.execute(f"SELECT change_seq FROM {table} WHERE id = %s", [project_id])  # noqa: S608 - the model's table, quoted  # nosec B608
        return _project_counter(cursor.fetchone(), project_id)

    def restart_stamps(self, cursor: Any, tables: list[str]) -> None:
        pass  # the counter is the clock the stamps were taken with

    def reserve_ids(self, cursor: Any, table: str, pk: str, count: int) -> list[int]:
        # From sqlite_sequence, where AUTOINCREMENT tables (Django's) keep their largest id;
        # the update takes the database's one write lock, which the caller's transaction
        # then holds until it ends.
        cursor.execute(
            "UPDATE sqlite_sequence SET seq = seq + %s WHERE name = %s RETURNING seq", [count, table]
        )
        found = cursor.fetchone()
        if found is None:  # no row has ever been inserted
            quote = connection.ops.quote_name
            cursor.execute(
                f"INSERT INTO sqlite_sequence (name, seq) SELECT %s, coalesce(max({quote(pk)}), 0) + %s "  # noqa: S608 - names from the model, quoted  # nosec B608
                f"FROM {quote(table)} RETURNING seq",
                [table, count],
            )
            found = cursor.fetchone()
        last = int(found[0])
        return list(range(last - count + 1, last + 1))

    @contextmanager
    def pipeline(self) -> Iterator[Queue | None]:
        yield None  # every statement runs as it is sent

    def bulk_loader(self, cursor: Any) -> Callable[[str, str, int, list[Any]], None] | None:
        return None

    def iso_timestamp(self, raw: str | None) -> str | None:
        # "2026-11-23 10:00:00.5" (Django stores UTC, without an offset) -> "...T10:00:00.5+00:00"
        if raw is None:
            return None
        return f"{raw[:10]}T{raw[11:]}+00:00"


def _counter_table() -> str:
    # Through the app registry: common imports no domain app (DESIGN.md).
    return connection.ops.quote_name(apps.get_model("projects", "Project")._meta.db_table)


def _project_counter(row: Any, project_id: int) -> int:
    if row is None:
        raise LookupError(f"project {project_id} does not exist")
    return int(row[0])


# The one place that names the backends.
_BACKENDS: dict[str, Backend] = {"postgresql": _PostgreSQL(), "sqlite": _SQLite()}


def _backend(wrapper: BaseDatabaseWrapper) -> Backend:
    try:
        return _BACKENDS[wrapper.vendor]
    except KeyError:
        raise NotImplementedError(f"no implementation of annotator.common.db for {wrapper.vendor}") from None


# Larger than any count of executions: only what asks to be prepared is (executemany does).
_PREPARE_ONLY_WHEN_ASKED = 2**62


def _raw_cursor(raw: Any) -> Any:
    """psycopg's RawCursor (``$n`` placeholders): psycopg splits a ``%s`` query in Python at
    every call, and a batch's is too long for its cache: that split was half the client's time."""
    from psycopg import RawCursor  # the driver that has pipelines; sqlite3 never comes here

    return RawCursor(raw)


def _numbered_values(head: str, width: int, count: int) -> str:
    """``head`` and ``count`` rows of ``width`` ``$n`` placeholders."""
    return (
        head
        + "VALUES "
        + ", ".join(
            "(" + ", ".join(f"${row * width + column + 1}" for column in range(width)) + ")"
            for row in range(count)
        )
    )


_sequences: dict[tuple[str, str], str | None] = {}


def _sequence_name(cursor: Any, table: str) -> str | None:
    """The name of the sequence that numbers the table (Django's introspection)."""
    key = (connection.alias, table)
    if key not in _sequences:
        found = connection.introspection.get_sequences(cursor, table)
        _sequences[key] = found[0].get("name") if found else None
    return _sequences[key]
