"""Where ``sync`` keeps a project's mirror: a SQLite file or a folder of JSONL. Both hold one
whole native record per article (an incremental pull sends each changed article whole), the
cursor of the last completed pull, and what the mirror selects (project, layers)."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Protocol

COMMIT_EVERY = 500  # records: what an interrupted SQLite sync keeps


class Mirror(Protocol):
    where: str

    def settings(self) -> dict[str, Any]: ...
    def cursor(self) -> str | None: ...
    def put(self, record: dict[str, Any]) -> None: ...
    def delete(self, article_id: int) -> None: ...
    def commit(self, cursor: str, settings: dict[str, Any]) -> None: ...
    def flush(self) -> None: ...
    def count(self) -> int: ...
    def records(self) -> Iterator[dict[str, Any]]: ...
    def close(self) -> None: ...
    def __enter__(self) -> Mirror: ...
    def __exit__(self, *exc: object) -> None: ...


def open_mirror(path: str | os.PathLike[str]) -> Mirror:
    """A ``.sqlite``/``.sqlite3``/``.db`` path is a SQLite mirror; anything else a folder."""
    target = Path(path)
    if target.suffix in {".sqlite", ".sqlite3", ".db"}:
        return SqliteMirror(target)
    return FolderMirror(target)


class _Closing:
    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class SqliteMirror(_Closing):
    def __init__(self, path: Path):
        self.where = str(path)
        self.db = sqlite3.connect(path)
        self.db.executescript(
            "CREATE TABLE IF NOT EXISTS state (key TEXT PRIMARY KEY, value TEXT NOT NULL);"
            "CREATE TABLE IF NOT EXISTS articles (article_id INTEGER PRIMARY KEY,"
            " external_id TEXT NOT NULL, record TEXT NOT NULL);"
        )
        self.pending = 0

    def _state(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM state WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def settings(self) -> dict[str, Any]:
        return json.loads(self._state("settings") or "{}")

    def cursor(self) -> str | None:
        return self._state("cursor")

    def _written(self) -> None:
        self.pending += 1
        if self.pending >= COMMIT_EVERY:
            self.flush()

    def put(self, record: dict[str, Any]) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO articles (article_id, external_id, record) VALUES (?, ?, ?)",
            (record["article_id"], record["id"], json.dumps(record, ensure_ascii=False)),
        )
        self._written()

    def delete(self, article_id: int) -> None:
        self.db.execute("DELETE FROM articles WHERE article_id = ?", (article_id,))
        self._written()

    def commit(self, cursor: str, settings: dict[str, Any]) -> None:
        # The cursor moves in the same transaction as the pull's last records.
        self.db.executemany(
            "INSERT OR REPLACE INTO state (key, value) VALUES (?, ?)",
            [("cursor", cursor), ("settings", json.dumps(settings))],
        )
        self.flush()

    def flush(self) -> None:
        self.db.commit()
        self.pending = 0

    def count(self) -> int:
        return int(self.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0])

    def records(self) -> Iterator[dict[str, Any]]:
        for (text,) in self.db.execute("SELECT record FROM articles ORDER BY article_id"):
            yield json.loads(text)

    def close(self) -> None:
        self.db.close()


class FolderMirror(_Closing):
    """``articles.jsonl`` (the mirror), ``state.json`` (cursor, settings) and, while a pull
    runs, ``pull.jsonl``: what it brought so far. A pull left by an interrupted sync is merged
    the next time the folder is opened: nothing it brought is fetched for nothing or lost."""

    def __init__(self, path: Path):
        self.where = str(path)
        path.mkdir(parents=True, exist_ok=True)
        self.file, self.state_file, self.pull_file = (
            path / "articles.jsonl",
            path / "state.json",
            path / "pull.jsonl",
        )
        self.state: dict[str, Any] = (
            json.loads(self.state_file.read_text("utf-8")) if self.state_file.exists() else {}
        )
        if self.pull_file.exists():
            self._merge()
        self.pull = self.pull_file.open("a", encoding="utf-8", newline="\n")

    def settings(self) -> dict[str, Any]:
        return dict(self.state.get("settings") or {})

    def cursor(self) -> str | None:
        return self.state.get("cursor")

    def put(self, record: dict[str, Any]) -> None:
        self.pull.write(json.dumps(record, ensure_ascii=False) + "\n")

    def delete(self, article_id: int) -> None:
        self.pull.write(json.dumps({"article_id": article_id, "deleted": True}) + "\n")

    def flush(self) -> None:
        self.pull.flush()

    def commit(self, cursor: str, settings: dict[str, Any]) -> None:
        self.pull.close()
        self._merge()
        self.state = {"cursor": cursor, "settings": settings}
        _replace_text(self.state_file, json.dumps(self.state))
        self.pull = self.pull_file.open("a", encoding="utf-8", newline="\n")

    def _merge(self) -> None:
        """Fold pull.jsonl into articles.jsonl, holding only article ids and file offsets in
        memory (a first pull may be the whole project)."""
        last: dict[int, int] = {}  # article id -> offset of its newest line in the pull
        with self.pull_file.open("rb") as pull:
            offset = 0
            for raw in pull:
                if raw.endswith(b"\n"):  # a torn last line (killed mid-write) is dropped
                    last[json.loads(raw)["article_id"]] = offset
                offset += len(raw)
            merged = self.file.with_name("articles.jsonl.tmp")
            with merged.open("wb") as out:
                if self.file.exists():
                    with self.file.open("rb") as old:
                        for raw in old:
                            if json.loads(raw)["article_id"] not in last:
                                out.write(raw)
                for where in sorted(last.values()):
                    pull.seek(where)
                    raw = pull.readline()
                    if not json.loads(raw).get("deleted"):
                        out.write(raw)
                out.flush()
                os.fsync(out.fileno())
        merged.replace(self.file)
        self.pull_file.unlink()

    def count(self) -> int:
        if not self.file.exists():
            return 0
        with self.file.open("rb") as handle:
            return sum(1 for _ in handle)

    def records(self) -> Iterator[dict[str, Any]]:
        if self.file.exists():
            with self.file.open(encoding="utf-8") as handle:
                for line in handle:
                    yield json.loads(line)

    def close(self) -> None:
        self.pull.close()
        if self.pull_file.exists() and self.pull_file.stat().st_size == 0:
            self.pull_file.unlink()


def _replace_text(path: Path, text: str) -> None:
    part = path.with_name(path.name + ".tmp")
    part.write_text(text, "utf-8")
    part.replace(path)
