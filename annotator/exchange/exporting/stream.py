"""An export as bytes: the lines in the plan's format, read inside one database snapshot
transaction, and the manifest of what they held."""

from __future__ import annotations

from collections.abc import Generator, Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction

from annotator.exchange.exporting.plan import Plan, cursor_format
from annotator.exchange.exporting.reader import SNAPSHOT_DB, Reader
from annotator.exchange.formats import registry
from annotator.exchange.formats.records import OFFSETS, SCHEMA_VERSION


def lines(plan: Plan, objects: Iterable[dict[str, Any]], columns: registry.Columns) -> Iterator[bytes]:
    """The export's UTF-8 bytes, piece by piece, in the plan's (streamable) format, from the
    Reader's line objects. ``columns`` gives the layer columns of formats that need one fixed
    set for the whole file (CoNLL)."""
    stream = registry.get(plan.filters.format).stream
    assert stream is not None, "export_plan refuses formats that cannot stream"
    return stream(objects, columns, plan.filters.format_options())


@contextmanager
def snapshot(plan: Plan) -> Iterator[Reader]:
    """A Reader inside one snapshot transaction, its cursor already taken."""
    with transaction.atomic(using=SNAPSHOT_DB):
        reader = Reader(plan)
        reader.cursor = cursor_format(plan.project.pk, reader.change_seq())
        yield reader


def manifest(reader: Reader, **extra: Any) -> dict[str, Any]:
    """What an export held; complete once its records have been read to the end."""
    plan = reader.plan
    return {
        "schema_version": SCHEMA_VERSION,
        "offsets": OFFSETS,
        "format": plan.filters.format,
        "project": plan.project.pk,
        "filters": plan.filters.as_dict(),
        "cursor": reader.cursor,
        "counts": reader.counts.as_dict(),
        **extra,
    }


class ExportStream:
    """UTF-8 chunks of one export for a streaming response. Creating it opens the snapshot
    and takes the cursor, so the response can send the cursor in a header before any line."""

    def __init__(self, plan: Plan, chunk_bytes: int = 64 * 1024) -> None:
        self.plan = plan
        self.chunk_bytes = chunk_bytes
        self._gen = self._run()
        self.cursor = next(self._gen).decode()

    def _run(self) -> Generator[bytes, None, None]:
        with snapshot(self.plan) as reader:
            self._reader = reader
            yield reader.cursor.encode()
            buffer: list[bytes] = []
            size = 0
            first = True
            for piece in lines(self.plan, reader.objects(), reader.layer_names):
                buffer.append(piece)
                size += len(piece)
                # The first line goes out on its own: a client sees data at once.
                if first or size >= self.chunk_bytes:
                    yield b"".join(buffer)
                    buffer, size, first = [], 0, False
            if buffer:
                yield b"".join(buffer)

    def __iter__(self) -> Iterator[bytes]:
        return self._gen

    def close(self) -> None:
        """End the snapshot transaction (a client that went away stops the export here)."""
        self._gen.close()

    def manifest(self, **extra: Any) -> dict[str, Any]:
        """The manifest of what was streamed (complete once the stream was read to its end)."""
        return manifest(self._reader, **extra)
