"""Insert many rows of plain values in a few statements, without model instances.

``QuerySet.bulk_create`` builds a model instance per row and prepares every value through
its field before the database sees it: for an import of articles with their spans, four
fifths of the writing time.
``insert_rows`` takes tuples of column values as they are, converts only the columns whose
Python values the database driver cannot take as they are, and writes multi-row
``INSERT ... VALUES`` statements through Django's connection (its quoting and batch limits),
so it runs unchanged on every backend Django supports. Where the driver's cursor can stream
rows with COPY (psycopg's ``copy``), it does that instead: a capability of the driver, asked
for as such, not a vendor check. COPY returns no ids, so neither does ``insert_rows``.

It bypasses the ORM's save machinery: no ``pre_save`` (auto_now timestamps, defaults), no
signals. The caller gives every NOT NULL column; a column it leaves out gets NULL.

Inside ``bulk_writes()``, where the driver has a pipeline mode (psycopg), ``insert_rows``
sends its rows and returns without waiting for the server, which stores them while the
caller goes on (checking the next part of an import, say): on two cores that overlap is a
third of an import's time. ``reserve_ids`` gives the ids such rows need, so rows that point
to each other (spans to their article, relations to their spans) can all be sent before
any comes back.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from itertools import chain
from typing import Any

from django.db import connection, models

# Columns of these types go to the driver as they are; every other type (JSON, dates and
# times, decimals, UUIDs, ...) goes through the field's get_db_prep_save, as in bulk_create.
_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.FloatField)

# Rows per statement at most (fewer where the backend's parameter limit says so). Long
# statements are no faster: 20,000 spans in one took PostgreSQL 1.5 times as long as in
# statements of 100 (it plans a long VALUES list slowly), and its wire protocol allows at
# most 65,535 parameters where a connection binds them on the server.
MAX_ROWS_PER_STATEMENT = 100


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple[Any, ...]]) -> None:
    """Insert ``rows`` (tuples of values in ``fields`` order; a foreign key by its ``<name>_id``)
    into ``model``'s table. No ids come back: give the rows ids from ``reserve_ids`` (the pk
    among ``fields``), or read them back by what identifies them."""
    if not rows:
        return
    meta = model._meta
    columns: list[Any] = [meta.get_field(name) for name in fields]
    for row in rows:
        if len(row) != len(columns):
            raise ValueError(f"a row of {len(row)} values for {len(columns)} fields: {row!r}")
    ops = connection.ops
    names = ", ".join(ops.quote_name(column.column) for column in columns)
    head = f"{ops.insert_statement()} {ops.quote_name(meta.db_table)} ({names}) "
    with connection.cursor() as cursor:
        if _sending.get():  # in bulk_writes(), on a driver with pipelines
            _send(cursor.cursor.connection, head, columns, rows)
            return
        copy = _driver_copy(cursor)
        if copy is not None:
            _copy_in(copy, f"COPY {ops.quote_name(meta.db_table)} ({names}) FROM STDIN", columns, rows)
            return

        def statement(size: int) -> str:
            # Rows of placeholders (django-stubs types the argument as a single row).
            placeholders: Any = [["%s"] * len(columns)] * size
            return head + ops.bulk_insert_sql(columns, placeholders)

        size = max(1, min(ops.bulk_batch_size(columns, rows), MAX_ROWS_PER_STATEMENT))
        _execute(cursor, statement, _batches(columns, rows, size), size, len(rows))


def _execute(
    cursor: Any, statement: Callable[[int], str], batches: list[list[Any]], size: int, count: int
) -> None:
    """Run the batches of ``count`` rows, ``size`` to a batch but the last: the full ones
    through executemany, which prepares (or, in a pipeline, sends) the statement once for
    them all, cheaper than an execute per batch (for psycopg without COPY three times: it
    parses placeholders in Python; SQLite gains a little too), the shorter last one alone."""
    last = count - (len(batches) - 1) * size
    full = batches if last == size else batches[:-1]
    if full:
        cursor.executemany(statement(size), full)
    if last != size:
        cursor.execute(statement(last), batches[-1])


# Set inside bulk_writes() on a driver with pipelines: insert_rows sends without waiting.
_sending: ContextVar[bool] = ContextVar("bulk_sending", default=False)
# Larger than any count of executions: only what asks to be prepared is (executemany does).
_PREPARE_ONLY_WHEN_ASKED = 2**62


@contextmanager
def bulk_writes() -> Iterator[None]:
    """Within the caller's transaction: ``insert_rows`` sends rows without waiting for them.

    On psycopg (PostgreSQL) this is its pipeline mode: statements queue on the connection
    and the server works through them while Python goes on; the first read (any query
    whose rows the caller fetches) waits for all that was sent before it, and an error in
    a queued insert is raised there, or at the end of the block. Foreign keys are checked
    as each insert ends, not all at commit, so that checking overlaps too. The inserts'
    statements are prepared once each (Django prepares nothing) and released at the end.
    Where the driver has no pipeline (sqlite3) every statement runs as it is sent.
    """
    assert connection.in_atomic_block, "bulk_writes() belongs inside the caller's transaction"
    connection.ensure_connection()
    raw: Any = connection.connection
    if getattr(raw, "pipeline", None) is None:
        yield
        return
    threshold = raw.prepare_threshold
    raw.prepare_threshold = _PREPARE_ONLY_WHEN_ASKED
    token = _sending.set(True)
    try:
        # The driver's errors as Django's (IntegrityError...), also those raised at the sync.
        with connection.wrap_database_errors, raw.pipeline(), connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            yield
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")  # Django's FKs, as the transaction had them
            cursor.execute("DEALLOCATE ALL")  # psycopg forgets its prepared statements with them
    finally:
        _sending.reset(token)
        raw.prepare_threshold = threshold


def _send(raw: Any, head: str, columns: list[Any], rows: Sequence[tuple[Any, ...]]) -> None:
    """Queue the rows as multi-row INSERTs on the pipeline: full batches through one prepared
    statement (executemany), the rest in one more. ``$n`` placeholders (psycopg's RawCursor)
    because psycopg splits a ``%s`` query in Python at every call, and a batch's is too long
    for its cache: that split was half the client's time."""
    from psycopg import RawCursor  # the driver that has pipelines; sqlite3 never comes here

    width = len(columns)

    def statement(count: int) -> str:
        return (
            head
            + "VALUES "
            + ", ".join(
                "(" + ", ".join(f"${row * width + column + 1}" for column in range(width)) + ")"
                for row in range(count)
            )
        )

    batches = _batches(columns, rows, MAX_ROWS_PER_STATEMENT, json_as_text=True)
    with connection.wrap_database_errors:  # the driver's errors as Django's
        _execute(RawCursor(raw), statement, batches, MAX_ROWS_PER_STATEMENT, len(rows))


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """``count`` primary keys that no other insert will take, for rows the caller inserts
    with them (the pk among its fields). Ascending; on PostgreSQL not always consecutive.

    PostgreSQL: from the table's own sequence. SQLite: from ``sqlite_sequence``, where
    AUTOINCREMENT tables (Django's) keep their largest id; the update takes the database's
    one write lock, which the caller's transaction then holds until it ends."""
    if count <= 0:
        return []
    meta = model._meta
    table, pk = meta.db_table, meta.pk.column
    with connection.cursor() as cursor:
        sequence = _sequence_name(cursor, table)
        if sequence is not None:
            cursor.execute("SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, count])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(
            "UPDATE sqlite_sequence SET seq = seq + %s WHERE name = %s RETURNING seq", [count, table]
        )
        found = cursor.fetchone()
        if found is None:  # no row has ever been inserted
            quote = connection.ops.quote_name
            cursor.execute(
                f"INSERT INTO sqlite_sequence (name, seq) SELECT %s, coalesce(max({quote(pk)}), 0) + %s "  # noqa: S608 - names from the model, quoted
                f"FROM {quote(table)} RETURNING seq",
                [table, count],
            )
            found = cursor.fetchone()
        last = int(found[0])
        return list(range(last - count + 1, last + 1))


_sequences: dict[tuple[str, str], str | None] = {}


def _sequence_name(cursor: Any, table: str) -> str | None:
    """The name of the sequence that numbers the table (Django's introspection: PostgreSQL
    names one; SQLite's tables have none)."""
    key = (connection.alias, table)
    if key not in _sequences:
        found = connection.introspection.get_sequences(cursor, table)
        _sequences[key] = found[0].get("name") if found else None
    return _sequences[key]


def _driver_copy(cursor: Any) -> Any:
    """The COPY of the driver's own cursor (psycopg 3), or None where it has none (sqlite3)."""
    return getattr(cursor.cursor, "copy", None)


def _copy_in(copy: Any, sql: str, columns: list[Any], rows: Sequence[tuple[Any, ...]]) -> None:
    """Stream the rows with the driver's COPY (psycopg's ``Cursor.copy``): no SQL text to
    build or parse, each value dumped by the driver's C code; several times faster than
    multi-row INSERTs for an import's spans."""
    (params,) = _batches(columns, rows, len(rows), json_as_text=True)
    width = len(columns)
    with copy(sql) as stream:
        for begin in range(0, len(params), width):
            stream.write_row(params[begin : begin + width])


def _needs_conversion(field: Any) -> bool:
    target = field.target_field if field.is_relation else field
    return not isinstance(target, _PLAIN_FIELDS)


def _batches(
    columns: list[Any], rows: Sequence[tuple[Any, ...]], size: int, *, json_as_text: bool = False
) -> list[list[Any]]:
    """The parameters of each statement: ``size`` rows, flat, converted where the column needs it.
    ``json_as_text``: JSON as its text (what COPY reads), dumped once per value object, not
    wrapped for the driver to dump at every row."""
    width = len(columns)

    def how(column: Any) -> Callable[[Any, Any], Any]:
        if json_as_text and isinstance(column, models.JSONField):
            return lambda value, _connection: json.dumps(value, cls=column.encoder)
        return column.get_db_prep_save

    # (index, how to convert, what each value object converted to)
    converted: list[tuple[int, Callable[[Any, Any], Any], dict[int, Any]]] = [
        (i, how(column), {}) for i, column in enumerate(columns) if _needs_conversion(column)
    ]
    batches = []
    for begin in range(0, len(rows), size):
        params = list(chain.from_iterable(rows[begin : begin + size]))
        for i, prepare, done in converted:
            params[i::width] = _convert(params[i::width], prepare, done)
        batches.append(params)
    return batches


def _convert(values: list[Any], prepare: Callable[[Any, Any], Any], done: dict[int, Any]) -> list[Any]:
    # Rows often share one value object (one timestamp for every row, one empty dict):
    # convert each object once. Keyed by identity, not equality (1, 1.0 and True are equal
    # but are different JSON); safe while the caller's rows keep every object alive.
    out = []
    for value in values:
        key = id(value)
        if key not in done:
            done[key] = prepare(value, connection)
        out.append(done[key])
    return out
