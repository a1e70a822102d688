"""Hot reads whose queryset is built and compiled once per process, then sent again with new
values.

Building a queryset of several subqueries and compiling it to SQL costs Django a few
milliseconds of CPU on every call, many times what the database needs to answer it (a read
that walks an index for one row). Where a request repeats such a read many times a second
(the queue's next article), ``Prepared`` builds the queryset once per database and shape from
stand-in values, keeps the SQL Django wrote, and later sends that SQL with the caller's values
in place of the stand-ins. The query is still the ORM's: the rule it encodes lives where it
did (the build function calls the same selectors); only the build is not repeated.

A value is an ``int`` (a stand-in takes its place in the SQL), a list of ints (one stand-in
each; its length is part of the shape) or a ``bool`` (passed to the build as it is, and part of
the shape: it picks the branch the build takes). Stand-ins are numbers near the top of a 32-bit
integer's range (inside it: Django drops, or answers as empty, a comparison with a number its
field cannot hold) that no id, count or offset of a project reaches; building fails loudly if
Django wrote one into the SQL text rather than as a parameter, or left one out."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

Value = int | bool | list[int]
# (name, index in a list or -1, the int type to send it as), or (None, a constant, None)
Slot = tuple[str, int, type] | tuple[None, Any, None]
_STAND_IN_BASE = 2_147_000_000
LIST_KEPT = 8  # lists up to this long have their compiled shape kept


class Prepared:
    """A read of at most one row, built by ``build(**values)`` (a ``values_list`` queryset)."""

    def __init__(self, build: Callable[..., QuerySet[Any, Any]]) -> None:
        self._build = build
        self._compiled: dict[Hashable, tuple[str, list[Slot]]] = {}
        self._lock = threading.Lock()

    def first(self, *, using: str = DEFAULT_DB_ALIAS, **values: Value) -> tuple[Any, ...] | None:
        """The first row the read answers for ``values``, or None."""
        connection = connections[using]
        shape = (connection.vendor, using, *sorted((name, _shape_of(v)) for name, v in values.items()))
        compiled = self._compiled.get(shape)
        if compiled is None:
            compiled = self._compile(using, values)
            # A long list is compiled for this call only: the callers' lists are short (a
            # page's open articles), and a shape per length must not grow without end.
            if all(len(v) <= LIST_KEPT for v in values.values() if isinstance(v, list)):
                with self._lock:
                    self._compiled.setdefault(shape, compiled)
        sql, slots = compiled
        params = [_fill(slot, values) for slot in slots]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        return tuple(row) if row is not None else None

    def _compile(self, using: str, values: dict[str, Value]) -> tuple[str, list[Slot]]:
        stand_ins: dict[int, tuple[str, int]] = {}
        build_values: dict[str, Value] = {}
        for name, value in values.items():
            if isinstance(value, bool):
                build_values[name] = value
            elif isinstance(value, int):
                build_values[name] = self._stand_in(stand_ins, name, -1)
            else:
                build_values[name] = [self._stand_in(stand_ins, name, i) for i in range(len(value))]
        queryset = self._build(**build_values)
        if not queryset.query.is_sliced:
            queryset = queryset[:1]
        sql, params = queryset.query.get_compiler(using).as_sql()
        slots: list[Slot] = []
        used = set()
        for param in params:
            # psycopg's own int types (Int4...) say which SQL type to send: the value keeps it.
            if isinstance(param, int) and not isinstance(param, bool) and int(param) in stand_ins:
                name, index = stand_ins[int(param)]
                slots.append((name, index, type(param)))
                used.add(int(param))
            else:
                slots.append((None, param, None))
        wrong = sorted({stand_ins[s][0] for s in stand_ins if s not in used or str(s) in sql})
        if wrong:
            raise AssertionError(f"{self._build.__name__}: values not sent as parameters: {', '.join(wrong)}")
        return sql, slots

    @staticmethod
    def _stand_in(stand_ins: dict[int, tuple[str, int]], name: str, index: int) -> int:
        value = _STAND_IN_BASE + len(stand_ins)
        stand_ins[value] = (name, index)
        return value


def _shape_of(value: Value) -> Hashable:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return "int"
    return ("list", len(value))


def _pick(value: Value, index: int) -> Any:
    return value if index < 0 else value[index]  # type: ignore[index]


def _fill(slot: Slot, values: dict[str, Value]) -> Any:
    name, index_or_constant, as_type = slot
    if name is None:
        return index_or_constant
    return as_type(_pick(values[name], index_or_constant))  # type: ignore[misc]
