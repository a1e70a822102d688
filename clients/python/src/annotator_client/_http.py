"""The transport under Client: one httpx connection pool, the token, error mapping, paging,
and waiting for jobs."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from typing import Any, cast

import httpx
from tqdm import tqdm

from .errors import AnnotatorError, JobFailed, ServerUnavailable, error_from, parse_etag
from .models import Job

DONE = {"succeeded", "failed", "cancelled"}


class Transport:
    def __init__(
        self,
        url: str | None = None,
        token: str | None = None,
        *,
        timeout: float = 60.0,
        progress: bool = True,
        http: httpx.Client | None = None,
    ):
        url = url or os.environ.get("ANNOTATOR_URL")
        token = token or os.environ.get("ANNOTATOR_TOKEN")
        if not url:
            raise ValueError("no server URL: pass url= or set ANNOTATOR_URL")
        self.url = url.rstrip("/")
        # The API lives under /api/v1/; a URL given with or without it means the same server.
        if self.url.endswith("/api/v1"):
            self.url = self.url[: -len("/api/v1")]
        self.token = token
        self.progress = progress
        headers = {"Accept": "application/json", "User-Agent": "annotator-client/0.1"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.http = http or httpx.Client(base_url=self.url, headers=headers, timeout=timeout)

    def close(self) -> None:
        self.http.close()

    def api(self, path: str) -> str:
        return path if path.startswith(("http://", "https://", "/api/")) else f"/api/v1/{path.lstrip('/')}"

    def send(
        self,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        version: int | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        headers = dict(kwargs.pop("headers", {}) or {})
        if version is not None:
            headers["If-Match"] = f'"{version}"'
        try:
            response = self.http.request(
                method, self.api(path), json=json, params=_clean(params), headers=headers, **kwargs
            )
        except httpx.TransportError as exc:
            raise ServerUnavailable(0, f"cannot reach {self.url}: {exc}") from exc
        if response.status_code >= 400:
            self.raise_for(response)
        return response

    def raise_for(self, response: httpx.Response) -> None:
        raise error_from(response.status_code, _body(response), response.headers)

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        """The decoded JSON answer (None for 204); an annotation's version from its ETag is
        kept in the answer's ``version`` when the body lacks it."""
        response = self.send(method, path, **kwargs)
        if response.status_code == 204 or not response.content:
            return None
        body = response.json()
        version = parse_etag(response.headers.get("etag"))
        if isinstance(body, dict) and version is not None:
            body.setdefault("version", version)
        return body

    def pages(self, path: str, params: dict[str, Any] | None = None) -> Iterator[dict[str, Any]]:
        """Every item of a list, a page at a time (fetched as the caller iterates)."""
        body = self.call("GET", path, params=params)
        while True:
            if isinstance(body, list):  # an unpaginated list
                yield from body
                return
            yield from body["results"]
            if not body.get("next"):
                return
            body = self.call("GET", body["next"])

    def wait(self, job: Job | int, *, poll: float = 0.5, timeout: float | None = None) -> Job:
        """Poll a job until it ends, with a progress bar on stderr; JobFailed unless it succeeded."""
        job_id = job if isinstance(job, int) else job["id"]
        current = cast(Job, self.call("GET", f"jobs/{job_id}/"))
        started = time.monotonic()
        bar = tqdm(
            desc=f"job {job_id} ({current.get('kind', '')})",
            unit="rec",
            file=sys.stderr,
            disable=not self.progress,
            leave=False,
        )
        try:
            while current["status"] not in DONE:
                _advance(bar, current)
                if timeout is not None and time.monotonic() - started > timeout:
                    raise AnnotatorError(0, f"job {job_id} still {current['status']} after {timeout}s")
                time.sleep(poll)
                current = cast(Job, self.call("GET", f"jobs/{job_id}/"))
            _advance(bar, current)
        finally:
            bar.close()
        if current["status"] != "succeeded":
            raise JobFailed(dict(current))
        return current


def _advance(bar: tqdm, job: Job) -> None:
    progress = job.get("progress") or {"done": 0, "total": None}
    bar.total = progress.get("total")
    bar.n = progress.get("done") or 0
    bar.refresh()


def _clean(params: dict[str, Any] | None) -> dict[str, Any] | None:
    """Drop unset parameters; lists become the API's comma-separated values."""
    if not params:
        return None
    out: dict[str, Any] = {}
    for key, value in params.items():
        if value is None:
            continue
        if isinstance(value, list | tuple):
            value = ",".join(str(v) for v in value)
        elif isinstance(value, bool):
            value = "1" if value else "0"
        out[key] = value
    return out


def _body(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError:
        return response.text
