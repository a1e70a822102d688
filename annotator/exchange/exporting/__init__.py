"""Streaming export: every record read from one database snapshot, in batches, memory flat.

An export runs inside one transaction on the "snapshot" connection (REPEATABLE READ on
PostgreSQL; a deferred read transaction on SQLite in WAL mode), so concurrent writers never
produce a record that mixes old and new state. Its cursor is the newest change stamp below
that snapshot's horizon; ``since=<cursor>`` selects only the articles changed after it and
up to the new cursor (see articles.changes for why that never misses nor repeats a change).

The modules: ``plan`` (filters, cursor, what to read), ``reader`` (batches of rows into line
objects, with ``layers`` building each batch's layers), ``stream`` (the lines in a format,
the snapshot transaction, the manifest).
"""

from annotator.exchange.exporting.plan import ExportFilters, Plan, cursor_format, export_filters, export_plan
from annotator.exchange.exporting.reader import SNAPSHOT_DB, Reader
from annotator.exchange.exporting.stream import ExportStream, lines, manifest, snapshot

__all__ = [
    "SNAPSHOT_DB",
    "ExportFilters",
    "ExportStream",
    "Plan",
    "Reader",
    "cursor_format",
    "export_filters",
    "export_plan",
    "lines",
    "manifest",
    "snapshot",
]
