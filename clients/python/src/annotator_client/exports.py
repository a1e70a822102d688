"""Exports as they stream, export jobs, and ``sync``: a local mirror kept current with
incremental pulls (docs/formats.md, "Incremental pulls")."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Generator, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from tqdm import tqdm

from .errors import InvalidInput
from .mirror import Mirror, open_mirror
from .models import Job

if TYPE_CHECKING:
    from ._http import Transport

LINE_FORMATS = {"native", "doccano"}  # one JSON record per line


class ExportStream:
    """The records of one export, read line by line as they arrive (never the whole export in
    memory). ``cursor`` (the response's X-Export-Cursor) is set once iteration has begun;
    pass it as ``since`` to the next export to get only what changed."""

    def __init__(self, transport: Transport, project: int, params: dict[str, Any]):
        self.transport, self.project, self.params = transport, project, params
        self.cursor: str | None = None
        self.count = 0

    def lines(self) -> Iterator[str]:
        path = f"projects/{self.project}/export.jsonl"
        url = self.transport.api(path)
        # send() first would read the body; stream() keeps it on the wire.
        with self.transport.http.stream("GET", url, params=_params(self.params)) as response:
            if response.status_code >= 400:
                response.read()
                self.transport.raise_for(response)
            self.cursor = response.headers.get("x-export-cursor")
            for line in response.iter_lines():
                if line:
                    self.count += 1
                    yield line

    def records(self) -> Generator[dict[str, Any], None, None]:
        for line in self.lines():
            yield json.loads(line)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return self.records()


class ExportMixin:
    transport: Transport

    def export(
        self,
        project: int,
        *,
        layers: str | list[str] = "all",
        format: str = "native",
        since: str | None = None,
        **filters: Any,
    ) -> ExportStream:
        """Iterate the export's records as they stream. ``layers``: ``all``, ``gold``,
        ``suggestions`` or usernames; ``since``: a cursor (only what changed after it, with
        deletion lines ``{"deleted": true}`` first). Offsets are code points (native)."""
        if format not in LINE_FORMATS:
            raise ValueError(f"{format} is not one record per line: use export_to_file()")
        params = {"layers": layers, "format": format, "since": since, **filters}
        return ExportStream(self.transport, project, params)

    def export_to_file(
        self, project: int, path: str | os.PathLike[str], *, format: str = "native", **filters: Any
    ) -> str | None:
        """Stream an export of any format into a file (progress on stderr); the cursor."""
        stream = ExportStream(self.transport, project, {"format": format, **filters})
        target = Path(path)
        part = target.with_name(target.name + ".part")
        bar = tqdm(desc=f"export {project}", unit="rec", file=sys.stderr, disable=not self.transport.progress)
        with part.open("w", encoding="utf-8", newline="\n") as out:
            for line in stream.lines():
                out.write(line + "\n")
                bar.update(1)
        bar.close()
        part.replace(target)  # a file that is there is a whole export
        return stream.cursor

    def export_job(self, project: int, *, wait: bool = True, **request: Any) -> Job:
        """Start an export job (``format``, ``layers`` as a list, ``since``, ...); its manifest
        is the finished job's ``result``."""
        job = cast(Job, self.transport.call("POST", f"projects/{project}/exports/", json=request))
        return self.transport.wait(job) if wait else job

    def download_export(self, project: int, job: int, path: str | os.PathLike[str]) -> None:
        url = self.transport.api(f"projects/{project}/exports/{job}/download")
        with self.transport.http.stream("GET", url) as response, Path(path).open("wb") as out:
            if response.status_code >= 400:
                response.read()
                self.transport.raise_for(response)
            for chunk in response.iter_bytes():
                out.write(chunk)

    def sync(
        self,
        project: int,
        path: str | os.PathLike[str],
        *,
        layers: str | list[str] = "all",
        on_record: Callable[[dict[str, Any]], None] | None = None,
    ) -> dict[str, Any]:
        """Bring the mirror at ``path`` up to date: a SQLite file (``.sqlite``/``.db``) or a
        folder of JSONL. The first call pulls everything, later ones only what changed since the
        stored cursor (deleted articles are removed). An interrupted sync keeps every record it
        applied (each is whole) and leaves the cursor where it was: the next call pulls again
        from there and finishes. A stored cursor the server no longer continues
        (``cursor_outdated``) is answered with a whole pull that also drops the articles the
        server no longer has. Answers ``{"cursor", "updated", "deleted", "articles"}``."""
        with open_mirror(path) as mirror:
            return self._pull(project, mirror, layers, on_record)

    def _pull(
        self,
        project: int,
        mirror: Mirror,
        layers: str | list[str],
        on_record: Callable[[dict[str, Any]], None] | None,
    ) -> dict[str, Any]:
        wanted = {"project": project, "layers": layers if isinstance(layers, str) else ",".join(layers)}
        known = mirror.settings()
        if known and {k: known.get(k) for k in wanted} != wanted:
            raise InvalidInput(400, f"{mirror.where} mirrors {known}, not {wanted}")
        since = mirror.cursor()
        try:
            return self._apply(project, mirror, wanted, since, on_record)
        except InvalidInput as exc:
            if since is None or exc.code != "cursor_outdated":
                raise
        # The server no longer continues this cursor (made before it changed how it counts
        # changes): the whole project again, and the mirror's articles it no longer has go.
        return self._apply(project, mirror, wanted, None, on_record, rebuild=True)

    def _apply(
        self,
        project: int,
        mirror: Mirror,
        wanted: dict[str, Any],
        since: str | None,
        on_record: Callable[[dict[str, Any]], None] | None,
        rebuild: bool = False,
    ) -> dict[str, Any]:
        stale = {record["article_id"] for record in mirror.records()} if rebuild else set()
        stream = self.export(project, layers=wanted["layers"], since=since)
        updated = deleted = 0
        bar = tqdm(desc=f"sync {project}", unit="rec", file=sys.stderr, disable=not self.transport.progress)
        records = stream.records()
        try:
            for record in records:
                if record.get("deleted"):
                    mirror.delete(record["article_id"])
                    deleted += 1
                else:
                    mirror.put(record)
                    stale.discard(record["article_id"])
                    updated += 1
                bar.update(1)
                if on_record is not None:
                    on_record(record)
            for article_id in sorted(stale):
                mirror.delete(article_id)
                deleted += 1
            mirror.commit(cast(str, stream.cursor), wanted)
        finally:
            records.close()  # ends the HTTP stream now, not when the generator is collected
            bar.close()
            mirror.flush()
        return {"cursor": stream.cursor, "updated": updated, "deleted": deleted, "articles": mirror.count()}


def _params(params: dict[str, Any]) -> dict[str, Any]:
    out = {}
    for key, value in params.items():
        if value is None:
            continue
        out[key] = ",".join(map(str, value)) if isinstance(value, list | tuple) else value
    return out
