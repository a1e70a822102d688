"""The channel layer of the zero-config default: every process of one machine, no server.

``make run`` starts several web processes and a Celery worker; a push made in any of them must
reach the WebSockets held by all the web processes. Without Redis (channels-redis is the layer
whenever there is one) this layer carries group messages through a small SQLite file under
var/ (WAL, like the default database): ``group_send`` appends a row; each process that holds
connections polls for rows after the last it saw (SQLite hands out row ids in commit order) and
delivers them to its own channels, which live in memory as in Channels' InMemoryChannelLayer.
Rows older than a minute are dropped. No library offers a cross-process layer without a server,
hence this one; it serves one machine only, and the settings check refuses it for more.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from channels.layers import InMemoryChannelLayer

POLL_SECONDS = 0.03
KEEP_SECONDS = 60.0
PRUNE_EVERY = 200  # polls


class SpoolChannelLayer(InMemoryChannelLayer):
    def __init__(self, path: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.path = Path(path)
        self._db: sqlite3.Connection | None = None
        self._lock = threading.Lock()  # one connection, used from the loop and from sync callers' threads
        self._poller: asyncio.Task[None] | None = None
        self._seen = 0

    def _run(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with self._lock:
            return self._connection().execute(sql, params).fetchall()

    def _connection(self) -> sqlite3.Connection:
        if self._db is None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path, timeout=5, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS messages ("
                "id INTEGER PRIMARY KEY AUTOINCREMENT, grp TEXT NOT NULL, body TEXT NOT NULL, at REAL NOT NULL)"
            )
            self._db = db
        return self._db

    async def group_send(self, group: str, message: dict[str, Any]) -> None:
        """Append the message for every process (this one included, through its poller)."""
        self.require_valid_group_name(group)
        body = json.dumps(message, separators=(",", ":"))
        self._run("INSERT INTO messages (grp, body, at) VALUES (?, ?, ?)", (group, body, time.time()))

    async def group_add(self, group: str, channel: str) -> None:
        await super().group_add(group, channel)
        self._ensure_poller()

    def _ensure_poller(self) -> None:
        loop = asyncio.get_running_loop()
        poller = self._poller
        if poller is not None and not poller.done() and poller.get_loop() is loop:
            return
        self._seen = int(self._run("SELECT COALESCE(MAX(id), 0) FROM messages")[0][0])
        self._poller = loop.create_task(self._poll())

    async def _poll(self) -> None:
        polls = 0
        while True:
            await asyncio.sleep(POLL_SECONDS)
            if not self.groups:
                continue
            rows = self._run("SELECT id, grp, body FROM messages WHERE id > ? ORDER BY id", (self._seen,))
            for row_id, group, body in rows:
                self._seen = row_id
                if group in self.groups:
                    with contextlib.suppress(Exception):  # one bad message must not stop the rest
                        await InMemoryChannelLayer.group_send(self, group, json.loads(body))
            polls += 1
            if polls % PRUNE_EVERY == 0:
                self._run("DELETE FROM messages WHERE at < ?", (time.time() - KEEP_SECONDS,))

    async def flush(self) -> None:
        await super().flush()
        if self._poller is not None:
            self._poller.cancel()
            self._poller = None
