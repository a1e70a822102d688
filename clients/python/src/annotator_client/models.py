"""Response and request shapes, as the OpenAPI schema (``/api/schema/``) names them.

TypedDicts: what the API answers is plain JSON, handed back as dicts; these say which keys to
expect. ``SCHEMA_CONTRACT`` lists the schema component each model follows and the fields the
client reads or sends: tests/client/test_schema_contract.py fails when the server's schema no
longer has one of them."""

from __future__ import annotations

from typing import Any, TypedDict


class Page(TypedDict):
    count: int
    next: str | None
    previous: str | None
    results: list[dict[str, Any]]


class Project(TypedDict, total=False):
    id: int
    name: str
    description: str
    role: str | None  # the caller's role in it


class Label(TypedDict, total=False):
    id: int
    name: str
    kind: str
    colour: str


class Membership(TypedDict, total=False):
    id: int
    user: dict[str, Any]
    username: str
    role: str


class Article(TypedDict, total=False):
    id: int
    project: int
    external_id: str
    title: str
    published_at: str | None
    text: str  # in the detail only, not in lists
    text_sha256: str
    meta: dict[str, Any]


class ArticleInput(TypedDict, total=False):
    external_id: str
    title: str
    text: str
    source_url: str
    published_at: str | None
    meta: dict[str, Any]


class Span(TypedDict, total=False):
    id: int
    article: int
    layer: str
    annotator: str | None
    start: int  # code points
    end: int  # code points, exclusive
    text: str
    label: str
    version: int


# "from" is a Python keyword: the functional form.
Relation = TypedDict(
    "Relation",
    {"id": int, "layer": str, "annotator": str | None, "from": int, "to": int, "label": str, "version": int},
    total=False,
)


class DocumentLabel(TypedDict, total=False):
    id: int
    layer: str
    annotator: str | None
    label: str
    version: int


class JobProgress(TypedDict):
    done: int
    total: int | None


class Job(TypedDict, total=False):
    id: int
    project: int
    kind: str
    status: str  # queued, running, succeeded, failed, cancelled
    progress: JobProgress
    message: str
    result: Any
    error: str
    created_by: str | None


# Each model and the schema component it follows (checked by the contract test).
MODELS: dict[str, Any] = {
    "Project": Project,
    "Label": Label,
    "Membership": Membership,
    "ArticleDetail": Article,
    "ArticleInputRequest": ArticleInput,
    "Span": Span,
    "Relation": Relation,
    "DocumentLabel": DocumentLabel,
    "Job": Job,
    "JobProgress": JobProgress,
}


# component -> fields the client relies on; (method, path) pairs it calls.
SCHEMA_CONTRACT: dict[str, tuple[str, ...]] = {
    "Project": ("id", "name"),
    "Label": ("id", "name", "kind"),
    "Membership": ("id", "username", "role"),
    "Article": ("id", "external_id", "title"),
    "ArticleDetail": ("id", "external_id", "title", "text"),
    "Span": ("id", "layer", "start", "end", "text", "label", "version"),
    "Relation": ("id", "layer", "from", "to", "label", "version"),
    "DocumentLabel": ("id", "layer", "label", "version"),
    "Job": ("id", "kind", "status", "progress", "result", "error"),
    "JobProgress": ("done", "total"),
    "SpanCreateRequest": ("start", "end", "label", "layer"),
    "PatchedSpanUpdateRequest": ("start", "end", "label"),
    "RelationCreateRequest": ("from", "to", "label"),
    "DocumentLabelCreateRequest": ("label", "layer"),
    "ArticleInputRequest": ("external_id", "title", "text", "meta"),
    "MemberAddRequest": ("username", "role"),
    "LabelWriteRequest": ("kind", "name"),
    "ProjectCreateRequest": ("name", "preset"),
    "ExportRequest": ("format", "layers", "since"),
    "PreannotateRequest": ("recognisers", "articles", "min_score"),
    "AssignRequestRequest": ("annotators_per_article", "articles", "annotators"),
    "AdjudicateRequest": ("min_agreement", "layers"),
    "ReviewUpdateRequest": ("status",),
}

PATHS: tuple[tuple[str, str], ...] = (
    ("get", "/api/v1/me/"),
    ("get", "/api/v1/projects/"),
    ("post", "/api/v1/projects/"),
    ("get", "/api/v1/projects/{project_id}/"),
    ("get", "/api/v1/projects/{project_id}/labels/"),
    ("post", "/api/v1/projects/{project_id}/labels/"),
    ("get", "/api/v1/projects/{project_id}/members/"),
    ("post", "/api/v1/projects/{project_id}/members/"),
    ("get", "/api/v1/projects/{project_id}/articles/"),
    ("post", "/api/v1/projects/{project_id}/articles/"),
    ("get", "/api/v1/articles/{article_id}/"),
    ("get", "/api/v1/articles/{article_id}/spans/"),
    ("post", "/api/v1/articles/{article_id}/spans/"),
    ("patch", "/api/v1/spans/{object_id}/"),
    ("delete", "/api/v1/spans/{object_id}/"),
    ("post", "/api/v1/articles/{article_id}/relations/"),
    ("delete", "/api/v1/relations/{object_id}/"),
    ("post", "/api/v1/articles/{article_id}/document-labels/"),
    ("delete", "/api/v1/document-labels/{object_id}/"),
    ("get", "/api/v1/jobs/{job_id}/"),
    ("post", "/api/v1/projects/{project_id}/imports/"),
    ("get", "/api/v1/projects/{project_id}/export.jsonl"),
    ("post", "/api/v1/projects/{project_id}/exports/"),
    ("get", "/api/v1/projects/{project_id}/exports/{job_id}/download"),
    ("post", "/api/v1/projects/{project_id}/preannotate/"),
    ("get", "/api/v1/projects/{project_id}/agreement/"),
    ("get", "/api/v1/projects/{project_id}/assignments/"),
    ("post", "/api/v1/projects/{project_id}/assignments/"),
    ("get", "/api/v1/projects/{project_id}/queue/"),
    ("get", "/api/v1/projects/{project_id}/queue/next/"),
    ("get", "/api/v1/projects/{project_id}/review-queue/"),
    ("post", "/api/v1/articles/{article_id}/adjudicate/"),
    ("put", "/api/v1/articles/{article_id}/review/"),
)
