"""Insert many rows of plain values in a few statements, without model instances.

``QuerySet.bulk_create`` builds a model instance per row and prepares every value through
its field before the database sees it: for an import of articles with their spans, four
fifths of the writing time.
``insert_rows`` takes tuples of column values as they are, converts only the columns whose
Python values the database driver cannot take as they are, and writes multi-row
``INSERT ... VALUES`` statements through Django's connection (its quoting and batch limits),
so it runs unchanged on every backend Django supports. Where the backend has a bulk load
(PostgreSQL's COPY, ``db.bulk_loader``), it streams the rows with that instead. COPY returns
no ids, so neither does ``insert_rows``.

It bypasses the ORM's save machinery: no ``pre_save`` (auto_now timestamps, defaults), no
signals. The caller gives every NOT NULL column; a column it leaves out gets NULL.

Inside ``bulk_writes()``, where the backend has a pipeline (PostgreSQL), ``insert_rows``
sends its rows and returns without waiting for the server, which stores them while the
caller goes on (checking the next part of an import, say): on two cores that overlap is a
third of an import's time. ``reserve_ids`` gives the ids such rows need, so rows that point
to each other (spans to their article, relations to their spans) can all be sent before
any comes back. Both live in ``annotator.common.db`` with the rest of the backends' own
SQL, and are importable from here too.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from itertools import chain
from typing import Any

from django.db import connection, models

from annotator.common import db
from annotator.common.db import bulk_writes as bulk_writes
from annotator.common.db import reserve_ids as reserve_ids

# Columns of these types go to the driver as they are; every other type (JSON, dates and
# times, decimals, UUIDs, ...) goes through the field's get_db_prep_save, as in bulk_create.
_PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.FloatField)

# Rows per statement at most (fewer where the backend's parameter limit says so). Long
# statements are slower (PostgreSQL plans a long VALUES list slowly; bench/README.md), and
# its wire protocol allows at most 65,535 parameters where a connection binds them on the server.
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
        queue = db.pipeline_queue()
        if queue is not None:  # in bulk_writes(), on a backend with a pipeline
            _send(queue, head, columns, rows)
            return
        load = db.bulk_loader(cursor)
        if load is not None:
            (params,) = _batches(columns, rows, len(rows), json_as_text=True)
            load(ops.quote_name(meta.db_table), names, len(columns), params)
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


def _send(queue: db.Queue, head: str, columns: list[Any], rows: Sequence[tuple[Any, ...]]) -> None:
    """Queue the rows as multi-row INSERTs on the pipeline: full batches through one prepared
    statement (executemany), the rest in one more."""
    width = len(columns)
    batches = _batches(columns, rows, MAX_ROWS_PER_STATEMENT, json_as_text=True)
    with connection.wrap_database_errors:  # the driver's errors as Django's
        _execute(
            queue.cursor(),
            lambda count: queue.statement(head, width, count),
            batches,
            MAX_ROWS_PER_STATEMENT,
            len(rows),
        )


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
