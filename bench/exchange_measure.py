"""What bench/exchange.py measures over HTTP: a streamed export, and an import from the POST
until its articles are listed."""

from __future__ import annotations

import datetime as dt
import http.client
import json
import secrets
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import synth

READ_SIZE = 1 << 20


def _connection(port: int) -> http.client.HTTPConnection:
    return http.client.HTTPConnection("127.0.0.1", port, timeout=300)


def call(port: int, token: str, method: str, path: str, expect: int = 200, **kwargs: Any) -> Any:
    conn = _connection(port)
    try:
        headers = {
            "Authorization": f"Bearer {token}",
            "Accept": "application/json",
            **kwargs.pop("headers", {}),
        }
        conn.request(method, path, headers=headers, **kwargs)
        response = conn.getresponse()
        payload = response.read()
    finally:
        conn.close()
    if response.status != expect:
        raise SystemExit(f"{method} {path} -> {response.status} (expected {expect}): {payload[:1000]!r}")
    return json.loads(payload)


@dataclass
class ExportResult:
    articles: int
    lines: int
    bytes: int
    headers_s: float
    first_byte_s: float
    total_s: float
    cursor: str
    first_line: dict[str, Any]

    @property
    def per_s(self) -> float:
        return self.lines / self.total_s


def export(port: int, token: str, project_id: int, articles: int) -> ExportResult:
    """Stream one project's native JSONL export, counting lines as the chunks arrive."""
    conn = _connection(port)
    try:
        started = time.perf_counter()
        conn.request(
            "GET", f"/api/v1/projects/{project_id}/export.jsonl", headers={"Authorization": f"Bearer {token}"}
        )
        response = conn.getresponse()
        headers_s = time.perf_counter() - started
        if response.status != 200:
            raise SystemExit(
                f"export of project {project_id} -> {response.status}: {response.read()[:500]!r}"
            )
        first_byte_s = 0.0
        lines = size = 0
        head = b""
        while chunk := response.read1(READ_SIZE):
            if not size:
                first_byte_s = time.perf_counter() - started
            size += len(chunk)
            lines += chunk.count(b"\n")
            if b"\n" not in head:
                head += chunk
        total_s = time.perf_counter() - started
    finally:
        conn.close()
    if lines != articles:
        raise SystemExit(f"the export of project {project_id} has {lines} lines, expected {articles}")
    return ExportResult(
        articles=articles,
        lines=lines,
        bytes=size,
        headers_s=headers_s,
        first_byte_s=first_byte_s,
        total_s=total_s,
        cursor=response.getheader("X-Export-Cursor") or "",
        first_line=json.loads(head.split(b"\n", 1)[0]),
    )


def check_line(line: dict[str, Any]) -> None:
    """The first exported article carries what synth put there: spans per layer, relations, and
    span texts at their code-point offsets."""
    spans = {layer["layer"]: len(layer["spans"]) for layer in line["annotations"]}
    relations = sum(len(layer["relations"]) for layer in line["annotations"])
    expected = {"gold": 4, "annotator": 4, "suggestions": 2}
    if spans != expected or relations != synth.RELATIONS_PER_ARTICLE or line.get("offsets") != "codepoint":
        raise SystemExit(f"unexpected export line: spans {spans}, {relations} relations")
    text = line["text"]
    for layer in line["annotations"]:
        for span in layer["spans"]:
            if text[span["start"] : span["end"]] != span["text"]:
                raise SystemExit(f"exported span {span} does not match the text at its code-point offsets")


@dataclass
class ImportResult:
    articles: int
    spans: int
    relations: int
    file_mb: float
    post_s: float  # until the 202
    running_s: float  # POST start -> first seen running
    succeeded_s: float  # POST start -> first seen succeeded
    listable_s: float  # POST start -> the article list counts them all
    job: dict[str, Any]

    @property
    def per_s(self) -> float:
        return self.articles / self.listable_s

    @property
    def queued_for(self) -> float:
        created, started = _iso(self.job["created_at"]), _iso(self.job["started_at"])
        return (started - created).total_seconds() if created and started else float("nan")

    @property
    def ran_for(self) -> float:
        started, finished = _iso(self.job["started_at"]), _iso(self.job["finished_at"])
        return (finished - started).total_seconds() if started and finished else float("nan")


def _iso(value: str | None) -> dt.datetime | None:
    return dt.datetime.fromisoformat(value) if value else None


def import_file(
    port: int, token: str, project_id: int, path: Path, expected: synth.SynthCounts
) -> ImportResult:
    """POST the file, poll the job until it succeeded, then until the article list counts it."""
    boundary = secrets.token_hex(16)
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="format"\r\n\r\nnative\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{path.name}"\r\n'
        "Content-Type: application/x-ndjson\r\n\r\n"
    ).encode()
    body = head + path.read_bytes() + f"\r\n--{boundary}--\r\n".encode()
    headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
    started = time.perf_counter()
    job = call(
        port, token, "POST", f"/api/v1/projects/{project_id}/imports/", 202, body=body, headers=headers
    )
    post_s = time.perf_counter() - started
    seen: dict[str, float] = {}
    while True:
        job = call(port, token, "GET", f"/api/v1/jobs/{job['id']}/")
        now = time.perf_counter() - started
        if job["status"] in ("running", "succeeded"):
            seen.setdefault("running", now)
        if job["status"] == "succeeded":
            seen["succeeded"] = now
            break
        if job["status"] in ("failed", "cancelled"):
            errors = (job.get("result") or {}).get("errors", [])[:5]
            raise SystemExit(f"the import job {job['status']}: {job['error']} {errors}")
        if now > 3600:
            raise SystemExit(f"the import job is still {job['status']} after an hour: {job['message']}")
        time.sleep(0.05)
    while True:
        listed = call(port, token, "GET", f"/api/v1/projects/{project_id}/articles/?page_size=1")
        if listed["count"] == expected.articles:
            break
        if time.perf_counter() - started > seen["succeeded"] + 60:
            raise SystemExit(f"the article list counts {listed['count']}, expected {expected.articles}")
        time.sleep(0.05)
    listable_s = time.perf_counter() - started
    result = job["result"]
    if (result["articles_created"], result["spans_created"], result["relations_created"]) != (
        expected.articles,
        expected.spans,
        expected.relations,
    ):
        raise SystemExit(f"the import created other than {expected}: {result}")
    return ImportResult(
        articles=expected.articles,
        spans=result["spans_created"],
        relations=result["relations_created"],
        file_mb=len(body) / 1e6,
        post_s=post_s,
        running_s=seen["running"],
        succeeded_s=seen["succeeded"],
        listable_s=listable_s,
        job=job,
    )
