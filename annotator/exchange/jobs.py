"""The import and export job kinds, and the services that start them."""

from __future__ import annotations

import hashlib
import posixpath
import tempfile
import uuid
from collections.abc import Iterator, Mapping
from typing import IO, Any

from django.contrib.auth.models import User
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from annotator.common.errors import InvalidInput, NotFound
from annotator.exchange.exporting import ExportFilters, export_plan, manifest, snapshot
from annotator.exchange.formats import files, registry
from annotator.exchange.importing import ImportOptions, import_file
from annotator.exchange.importing.schema import ProjectSchema
from annotator.jobs.models import Job
from annotator.jobs.registry import job_kind
from annotator.jobs.runner import JobContext, JobFailed
from annotator.jobs.selectors import job_get
from annotator.jobs.services import job_create
from annotator.projects.access import READ_ALL_LAYERS, membership_get, require_admin, require_role

IMPORT = "import"
EXPORT = "export"


# --- import -----------------------------------------------------------------------------


def _import_options(params: dict[str, Any]) -> ImportOptions:
    return ImportOptions(
        format=params.get("format", "native"),
        on_error=params.get("on_error", "abort"),
        create_labels=bool(params.get("create_labels", False)),
        layer=params.get("layer"),
    )


def _import_params(params: dict[str, Any]) -> dict[str, Any]:
    _import_options(params).check()
    if not isinstance(params.get("upload"), str) or not isinstance(params.get("filename"), str):
        raise InvalidInput("An import job needs an uploaded file.")
    return params


@transaction.atomic
def import_start(
    *, actor: User, project_id: int, upload: IO[bytes], filename: str, options: ImportOptions
) -> Job:
    """Store the upload and queue an import job for it (admins only)."""
    membership = membership_get(user=actor, project_id=project_id)
    require_admin(membership, "import articles")
    options.check()
    ProjectSchema(membership, options)  # an unknown layer=annotator:<name> is refused now, not in the job
    if files.extension(filename) == "":
        raise InvalidInput(
            f"Unknown file type {filename!r}.",
            fields={"file": [f"one of {', '.join(registry.UPLOAD_EXTENSIONS)}"]},
        )
    # An upload Django spooled to disk is moved into storage, not copied.
    stored = default_storage.save(
        f"imports/{project_id}/{uuid.uuid4().hex}{files.extension(filename)}",
        upload if isinstance(upload, File) else File(upload),
    )
    try:
        return job_create(
            actor=actor,
            project_id=project_id,
            kind=IMPORT,
            params={
                "upload": stored,
                "filename": posixpath.basename(filename.replace("\\", "/"))[:255],
                "format": options.format,
                "on_error": options.on_error,
                "create_labels": options.create_labels,
                "layer": options.layer,
            },
        )
    except Exception:
        default_storage.delete(stored)
        raise


@job_kind(
    IMPORT,
    description="Import articles (and annotations) from an uploaded file.",
    check_params=_import_params,
)
def run_import(job: Job, ctx: JobContext) -> dict[str, Any]:
    """Check the whole file, then write it all or (on_error=skip) its valid records."""
    params = job.params
    if job.created_by is None:
        raise InvalidInput("The user who started this import no longer exists.")
    upload = params["upload"]
    try:
        report = import_file(
            actor=job.created_by,
            project_id=job.project_id,
            open_file=lambda: default_storage.open(upload, "rb"),
            filename=params["filename"],
            options=_import_options(params),
            # Called inside the import's transaction: written by the heartbeat's connection.
            progress=ctx.progress_in_transaction,
        )
    finally:
        default_storage.delete(upload)
    result = report.as_dict()
    ctx.progress(report.records, report.records, _summary(result))
    if report.error_count and not report.written:
        raise JobFailed(
            f"{report.error_count} of {report.records} records have errors; nothing was imported "
            "(fix them, or import with on_error=skip to write the valid ones).",
            result,
        )
    return result


def _summary(report: dict[str, Any]) -> str:
    return (
        f"{report['articles_created']} articles created, {report['articles_unchanged']} unchanged, "
        f"{report['spans_created']} spans, {report['error_count']} errors"
    )


# --- export -----------------------------------------------------------------------------


def export_filters(params: Mapping[str, Any]) -> ExportFilters:
    """Export parameters from a JSON body or query string (lists may be comma-separated)."""

    def strings(value: object, name: str) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [v for v in value.split(",") if v]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise InvalidInput(f"{name} must be a list of strings.", fields={name: ["list of strings"]})
        return tuple(value)

    articles = params.get("articles", [])
    if isinstance(articles, str):
        articles = [a for a in articles.split(",") if a]
    try:
        article_ids = tuple(int(a) for a in articles)
    except (TypeError, ValueError):
        raise InvalidInput("articles must be article ids.", fields={"articles": ["list of ids"]}) from None
    for key in ("format", "status", "since"):
        if not isinstance(params.get(key, ""), str):
            raise InvalidInput(f"{key} must be a string.", fields={key: ["a string"]})
    return ExportFilters(
        format=params.get("format", "native") or "native",
        layers=strings(params.get("layers", ["all"]), "layers") or ("all",),
        status=params.get("status", ""),
        articles=article_ids,
        since=params.get("since", ""),
    )


def _export_params(params: dict[str, Any]) -> dict[str, Any]:
    return export_filters(params).as_dict()


@transaction.atomic
def export_start(*, actor: User, project_id: int, filters: ExportFilters) -> Job:
    """Queue an export job into storage (researchers, reviewers and admins)."""
    export_plan(actor=actor, project_id=project_id, filters=filters, formats=registry.FILE_FORMATS)
    return job_create(
        actor=actor, project_id=project_id, kind=EXPORT, params=filters.as_dict(), roles=READ_ALL_LAYERS
    )


@job_kind(
    EXPORT,
    description="Export a project's articles and annotations into a file.",
    check_params=_export_params,
)
def run_export(job: Job, ctx: JobContext) -> dict[str, Any]:
    """Write one snapshot of the project to storage with a manifest (counts, sha256, cursor)."""
    if job.created_by is None:
        raise InvalidInput("The user who started this export no longer exists.")
    filters = export_filters(job.params)
    plan = export_plan(
        actor=job.created_by, project_id=job.project_id, filters=filters, formats=registry.FILE_FORMATS
    )
    with tempfile.TemporaryFile() as tmp, snapshot(plan) as reader:
        total = reader.articles().count()  # an upper bound when a status filter drops some
        ctx.progress(0, total, "exporting")

        def counted() -> Iterator[dict[str, Any]]:
            # Progress goes through the default connection, outside the snapshot: visible at once.
            for done, line in enumerate(reader.objects(), start=1):
                yield line
                ctx.progress(done, None, f"{done} of {total} articles written")

        spec = registry.get(filters.format)
        spec.write(counted(), tmp, reader.layer_names)
        tmp.seek(0)
        digest = hashlib.sha256()
        while block := tmp.read(1 << 20):
            digest.update(block)
        size = tmp.tell()
        tmp.seek(0)
        name = default_storage.save(f"exports/{job.project_id}/export-{job.pk}.{spec.extension}", File(tmp))
    result = manifest(reader, file=name, bytes=size, sha256=digest.hexdigest(), job=job.pk)
    articles = result["counts"]["articles"]
    ctx.progress(articles, articles, f"{articles} articles exported")
    return result


def export_file(*, actor: User, project_id: int, job_id: int) -> tuple[Job, IO[bytes]]:
    """An export job's file, opened for reading; only for those who may export."""
    job = job_get(user=actor, job_id=job_id)
    if job.project_id != project_id or job.kind != EXPORT:
        raise NotFound("Export not found.")
    require_role(membership_get(user=actor, project_id=project_id), READ_ALL_LAYERS, "download exports")
    name = (job.result or {}).get("file")
    if not name or not default_storage.exists(name):
        raise NotFound("This export has no file (not finished, failed, or deleted).")
    return job, default_storage.open(name, "rb")
