"""``Client``: what researchers and admins script against the annotator API.

Offsets are Unicode code points (Python ``str`` indices), half-open ``[start, end)``, in what
is sent and what comes back. Every error is an ``AnnotatorError`` (errors.py)."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, cast

from tqdm import tqdm

from . import frames
from ._http import Transport
from .exports import ExportMixin
from .models import Article, ArticleInput, DocumentLabel, Job, Label, Membership, Project, Relation, Span

BATCH = 1000  # the API's most articles per POST


class Client(ExportMixin):
    """``Client(url, token=...)``; without them, ``ANNOTATOR_URL`` and ``ANNOTATOR_TOKEN``.
    ``progress=False`` turns the progress bars (stderr) off."""

    def __init__(self, url: str | None = None, token: str | None = None, **options: Any):
        self.transport = Transport(url, token, **options)

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.transport.close()

    @classmethod
    def login(cls, url: str, username: str, password: str, **options: Any) -> Client:
        """A client holding a new token made from a username and password."""
        anonymous = Transport(url, None, **options)
        try:
            token = anonymous.call("POST", "auth/token/", json={"username": username, "password": password})
        finally:
            anonymous.close()
        return cls(url, token["token"], **options)

    @property
    def token(self) -> str | None:
        return self.transport.token

    def me(self) -> dict[str, Any]:
        return cast(dict[str, Any], self.transport.call("GET", "me/"))

    # --- projects, labels, members ---
    def projects(self) -> Iterator[Project]:
        return cast(Iterator[Project], self.transport.pages("projects/"))

    def project(self, project: int) -> Project:
        return cast(Project, self.transport.call("GET", f"projects/{project}/"))

    def create_project(self, name: str, *, preset: str | None = None, **fields: Any) -> Project:
        body = {"name": name, **fields} | ({"preset": preset} if preset else {})
        return cast(Project, self.transport.call("POST", "projects/", json=body))

    def labels(self, project: int) -> list[Label]:
        return cast(list[Label], list(self.transport.pages(f"projects/{project}/labels/")))

    def create_label(self, project: int, name: str, *, kind: str = "span", **fields: Any) -> Label:
        body = {"name": name, "kind": kind, **fields}
        return cast(Label, self.transport.call("POST", f"projects/{project}/labels/", json=body))

    def delete_label(self, label: int) -> None:
        self.transport.call("DELETE", f"labels/{label}/")

    def members(self, project: int) -> list[Membership]:
        return cast(list[Membership], list(self.transport.pages(f"projects/{project}/members/")))

    def add_member(self, project: int, username: str, role: str) -> Membership:
        body = {"username": username, "role": role}
        return cast(Membership, self.transport.call("POST", f"projects/{project}/members/", json=body))

    def remove_member(self, project: int, membership: int) -> None:
        self.transport.call("DELETE", f"projects/{project}/members/{membership}/")

    # --- articles ---
    def articles(self, project: int, *, page_size: int = 200, **filters: Any) -> Iterator[Article]:
        """Every article (without its text), fetched a page at a time as you iterate.
        Filters: ``search``, ``status``, ``has_label``."""
        params = {"page_size": page_size, **filters}
        return cast(Iterator[Article], self.transport.pages(f"projects/{project}/articles/", params))

    def article(self, article: int) -> Article:
        return cast(Article, self.transport.call("GET", f"articles/{article}/"))

    def delete_article(self, article: int) -> None:
        """Delete an article and everything on it (admins); a sync reports it as deleted."""
        self.transport.call("DELETE", f"articles/{article}/")

    def add_articles(self, project: int, articles: Iterable[ArticleInput]) -> list[dict[str, Any]]:
        """Create many articles, 1000 per request (each request all-or-nothing); the answers."""
        answers, batch = [], []
        for item in articles:
            batch.append(item)
            if len(batch) == BATCH:
                answers.append(self._post_articles(project, batch))
                batch = []
        if batch:
            answers.append(self._post_articles(project, batch))
        return answers

    def _post_articles(self, project: int, batch: list[ArticleInput]) -> dict[str, Any]:
        return cast(dict[str, Any], self.transport.call("POST", f"projects/{project}/articles/", json=batch))

    # --- annotations: writes that change or delete need the version read (If-Match) ---
    def spans(self, article: int) -> list[Span]:
        return cast(list[Span], list(self.transport.pages(f"articles/{article}/spans/")))

    def add_span(
        self, article: int, start: int, end: int, label: str | int, *, layer: str | None = None
    ) -> Span:
        """A span over ``text[start:end]`` (code points)."""
        body: dict[str, Any] = {"start": start, "end": end, "label": label}
        if layer:
            body["layer"] = layer
        return cast(Span, self.transport.call("POST", f"articles/{article}/spans/", json=body))

    def update_span(self, span: int, version: int, **changes: Any) -> Span:
        """Change ``start``, ``end`` or ``label``; StaleVersion (with ``current_version``) when the
        span changed since ``version`` was read."""
        return cast(Span, self.transport.call("PATCH", f"spans/{span}/", json=changes, version=version))

    def delete_span(self, span: int, version: int) -> None:
        self.transport.call("DELETE", f"spans/{span}/", version=version)

    def relations(self, article: int) -> list[Relation]:
        return cast(list[Relation], list(self.transport.pages(f"articles/{article}/relations/")))

    def add_relation(self, article: int, source: int, target: int, label: str | int) -> Relation:
        body = {"from": source, "to": target, "label": label}
        return cast(Relation, self.transport.call("POST", f"articles/{article}/relations/", json=body))

    def delete_relation(self, relation: int, version: int) -> None:
        self.transport.call("DELETE", f"relations/{relation}/", version=version)

    def document_labels(self, article: int) -> list[DocumentLabel]:
        path = f"articles/{article}/document-labels/"
        return cast(list[DocumentLabel], list(self.transport.pages(path)))

    def add_document_label(
        self, article: int, label: str | int, *, layer: str | None = None
    ) -> DocumentLabel:
        body: dict[str, Any] = {"label": label} | ({"layer": layer} if layer else {})
        path = f"articles/{article}/document-labels/"
        return cast(DocumentLabel, self.transport.call("POST", path, json=body))

    def delete_document_label(self, document_label: int, version: int) -> None:
        self.transport.call("DELETE", f"document-labels/{document_label}/", version=version)

    # --- jobs: imports, pre-annotation, exports ---
    def job(self, job: int) -> Job:
        return cast(Job, self.transport.call("GET", f"jobs/{job}/"))

    def wait(self, job: Job | int, *, poll: float = 0.5, timeout: float | None = None) -> Job:
        """Wait for a job with a progress bar; its final state, or JobFailed."""
        return self.transport.wait(job, poll=poll, timeout=timeout)

    def import_file(
        self,
        project: int,
        file: str | os.PathLike[str],
        *,
        format: str = "native",
        wait: bool = True,
        **options: Any,
    ) -> Job:
        """Upload a file (progress bar) and, with ``wait``, wait for its import job. Options:
        ``on_error``, ``create_labels``, ``layer``, ``offsets`` (docs/formats.md)."""
        path = Path(file)
        data = {"format": format} | {k: _form(v) for k, v in options.items() if v is not None}
        with path.open("rb") as handle, self._upload_bar(path) as bar:
            files = {"file": (path.name, _Counting(handle, bar))}
            job = cast(
                Job, self.transport.call("POST", f"projects/{project}/imports/", data=data, files=files)
            )
        return self.wait(job) if wait else job

    def _upload_bar(self, path: Path) -> tqdm:
        return tqdm(
            total=path.stat().st_size,
            desc=f"upload {path.name}",
            unit="B",
            unit_scale=True,
            file=sys.stderr,
            disable=not self.transport.progress,
            leave=False,
        )

    def preannotate(self, project: int, recognisers: list[str], *, wait: bool = True, **options: Any) -> Job:
        """Run recognisers as a job (``articles``, ``min_score``); its result counts what it did."""
        body = {"recognisers": recognisers, **options}
        job = cast(Job, self.transport.call("POST", f"projects/{project}/preannotate/", json=body))
        return self.wait(job) if wait else job

    # --- datasets in one call (offsets: code points) ---
    def to_pandas(self, project: int, layer: str | None = None) -> tuple[Any, Any]:
        """``(articles, spans)`` frames of a project's export (every layer, or ``layer``)."""
        return frames.to_pandas(self.export(project, layers=layer or "all"), layer)

    def to_hf_dataset(self, project: int, layer: str = "gold") -> Any:
        return frames.to_hf_dataset(self.export(project, layers=layer), layer)

    def to_spacy(self, project: int, layer: str = "gold", **options: Any) -> Any:
        return frames.to_spacy(self.export(project, layers=layer), layer, **options)

    # --- agreement, assignment, review ---
    def agreement(self, project: int, **filters: Any) -> dict[str, Any]:
        path = f"projects/{project}/agreement/"
        return cast(dict[str, Any], self.transport.call("GET", path, params=filters))

    def assignments(self, project: int, **filters: Any) -> Iterator[dict[str, Any]]:
        return self.transport.pages(f"projects/{project}/assignments/", filters)

    def assign(self, project: int, **request: Any) -> Any:
        """Assign articles (``annotators_per_article``, ``articles``, ``annotators``, ``strategy``)."""
        return self.transport.call("POST", f"projects/{project}/assignments/", json=request)

    def queue(self, project: int) -> Any:
        return self.transport.call("GET", f"projects/{project}/queue/")

    def review_queue(self, project: int, **filters: Any) -> Iterator[dict[str, Any]]:
        return self.transport.pages(f"projects/{project}/review-queue/", filters)

    def adjudicate(self, article: int, **request: Any) -> Any:
        """Take agreed annotations into gold (``min_agreement``, ``layers``)."""
        return self.transport.call("POST", f"articles/{article}/adjudicate/", json=request)

    def set_review(self, article: int, status: str, version: int) -> Any:
        """``adjudicated`` or ``needs_discussion``; ``version`` 0 before the first review."""
        return self.transport.call(
            "PUT", f"articles/{article}/review/", json={"status": status}, version=version
        )

    # --- webhooks (project admins) ---
    def webhooks(self, project: int) -> list[dict[str, Any]]:
        return cast(list[dict[str, Any]], self.transport.call("GET", f"projects/{project}/webhooks/"))

    def add_webhook(
        self, project: int, url: str, events: list[str], *, active: bool = True
    ) -> dict[str, Any]:
        """Register ``url`` for ``events``; the answer's ``secret`` is shown only this once."""
        body = {"url": url, "events": events, "active": active}
        return cast(dict[str, Any], self.transport.call("POST", f"projects/{project}/webhooks/", json=body))

    def update_webhook(self, webhook: int, **changes: Any) -> dict[str, Any]:
        """Change ``url``, ``events`` or ``active``."""
        return cast(dict[str, Any], self.transport.call("PATCH", f"webhooks/{webhook}/", json=changes))

    def delete_webhook(self, webhook: int) -> None:
        self.transport.call("DELETE", f"webhooks/{webhook}/")

    def deliveries(self, webhook: int, **filters: Any) -> Iterator[dict[str, Any]]:
        """A webhook's deliveries, newest first, each with its attempts (``status=`` filters)."""
        return self.transport.pages(f"webhooks/{webhook}/deliveries/", filters)

    def ping_webhook(self, webhook: int) -> dict[str, Any]:
        return cast(dict[str, Any], self.transport.call("POST", f"webhooks/{webhook}/ping/"))

    def redeliver(self, webhook: int, delivery: int) -> dict[str, Any]:
        path = f"webhooks/{webhook}/deliveries/{delivery}/redeliver/"
        return cast(dict[str, Any], self.transport.call("POST", path))


class _Counting:
    """A file that advances a progress bar as httpx reads it for the upload."""

    def __init__(self, handle: IO[bytes], bar: tqdm):
        self.handle, self.bar = handle, bar

    def read(self, size: int = -1) -> bytes:
        chunk = self.handle.read(size)
        self.bar.update(len(chunk))
        return chunk

    def __getattr__(self, name: str) -> Any:
        return getattr(self.handle, name)


def _form(value: Any) -> str:
    return ("true" if value else "false") if isinstance(value, bool) else str(value)
