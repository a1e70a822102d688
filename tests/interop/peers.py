"""Running a peer tool (Label Studio, doccano) for the interop checks: its server in its own
virtualenv under var/interop/, on loopback, and a small JSON client for its API.

Every wait has a deadline, and a server is stopped (its whole process group) however the
checks end: by the fixture's finaliser, or at exit if the test process is interrupted.
"""

from __future__ import annotations

import atexit
import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
INTEROP_DIR = ROOT / "var" / "interop"


class PeerError(AssertionError):
    """The peer did not do what the check needs (a refused request, a timeout)."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def venv_bin(tool: str, name: str) -> Path:
    """An executable of the peer's virtualenv (``make interop`` installs it)."""
    path = INTEROP_DIR / tool / "venv" / "bin" / name
    if not path.exists():
        raise PeerError(f"{path} is missing: run `make interop`, which installs {tool} there")
    return path


_RUNNING: list[subprocess.Popen[bytes]] = []


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=wait)
            return
        except subprocess.TimeoutExpired:
            continue


@atexit.register
def _stop_all() -> None:
    while _RUNNING:
        _stop(_RUNNING.pop())


def run(cmd: Sequence[str | Path], env: dict[str, str], log: Path, timeout: float) -> None:
    """Run one of the peer's commands to its end (a migration, creating a user), in the folder
    of its log: never in ours, whose packages (api, ...) would shadow the peer's own."""
    with log.open("ab") as out:
        out.write(f"\n$ {' '.join(map(str, cmd))}\n".encode())
        out.flush()
        result = subprocess.run(
            [str(c) for c in cmd],
            env=env,
            cwd=log.parent,
            stdout=out,
            stderr=subprocess.STDOUT,
            timeout=timeout,
            check=False,
        )
    if result.returncode:
        raise PeerError(f"{' '.join(map(str, cmd))} exited {result.returncode}; see {log}")


@dataclass
class Server:
    """A peer's server process (with its whole process group) and its log."""

    name: str
    log: Path
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def start(self, cmd: Sequence[str | Path], env: dict[str, str]) -> None:
        out = self.log.open("ab")
        out.write(f"\n$ {' '.join(map(str, cmd))}\n".encode())
        out.flush()
        process = subprocess.Popen(
            [str(c) for c in cmd],
            env=env,
            cwd=self.log.parent,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        out.close()
        self.processes.append(process)
        _RUNNING.append(process)

    def wait_http(self, url: str, timeout: float) -> None:
        """Until ``url`` answers at all (any status), or PeerError after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for process in self.processes:
                if process.poll() is not None:
                    raise PeerError(f"{self.name} exited with {process.returncode}; see {self.log}")
            try:
                with urllib.request.urlopen(url, timeout=5):  # noqa: S310 (loopback)
                    return
            except urllib.error.HTTPError:
                return
            except OSError:
                time.sleep(1)
        raise PeerError(f"{self.name} did not answer {url} within {timeout:.0f} s; see {self.log}")

    def stop(self) -> None:
        for process in self.processes:
            _stop(process)
            if process in _RUNNING:
                _RUNNING.remove(process)


@dataclass
class Client:
    """JSON over HTTP to a peer's API, with its token."""

    base: str
    auth: str = ""  # the Authorization header's value
    timeout: float = 60

    def call(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        raw: bytes | None = None,
        content_type: str = "application/json",
        accept: str = "application/json",
        expect: Sequence[int] = (200, 201, 202, 204),
    ) -> Any:
        data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
        request = urllib.request.Request(f"{self.base}{path}", data=data, method=method)  # noqa: S310
        if data is not None:
            request.add_header("Content-Type", content_type)
        request.add_header("Accept", accept)
        if self.auth:
            request.add_header("Authorization", self.auth)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                status, payload, kind = response.status, response.read(), response.headers.get_content_type()
        except urllib.error.HTTPError as exc:
            status, payload, kind = exc.code, exc.read(), exc.headers.get_content_type()
        if status not in expect:
            raise PeerError(f"{method} {path}: {status} {payload[:2000]!r}")
        if kind == "application/json" and payload:
            return json.loads(payload)
        return payload

    def upload(self, path: str, field_name: str, filename: str, content: bytes, **fields: str) -> Any:
        """A multipart/form-data POST with one file."""
        boundary = uuid.uuid4().hex
        parts: list[bytes] = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            )
        parts.append(
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{field_name}"; filename="{filename}"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + content
            + b"\r\n"
        )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.call(
            "POST",
            path,
            raw=b"".join(parts),
            content_type=f"multipart/form-data; boundary={boundary}",
            accept="*/*",
        )

    def poll(self, path: str, done: Any, timeout: float, every: float = 1) -> Any:
        """GET ``path`` until ``done(answer)`` is true; PeerError after ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            answer = self.call("GET", path)
            if done(answer):
                return answer
            if time.monotonic() > deadline:
                raise PeerError(f"GET {path} not done within {timeout:.0f} s: {answer!r:.2000}")
            time.sleep(every)
