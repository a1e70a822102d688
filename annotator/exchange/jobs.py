"""The import and export job kinds. Their params were checked when the job was started
(exchange/services.py); a handler trusts them and checks again only that the user who
started the job may still do what it does."""

from __future__ import annotations

import hashlib
import tempfile
from collections.abc import Iterator
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage

from annotator.exchange.exporting import export_filters, export_plan, manifest, snapshot
from annotator.exchange.exporting.plan import plan_from_params
from annotator.exchange.formats import registry
from annotator.exchange.importing import ImportOptions
from annotator.exchange.importing.service import import_checked
from annotator.exchange.services import EXPORT, IMPORT
from annotator.jobs.models import Job
from annotator.jobs.registry import job_kind
from annotator.jobs.runner import JobContext, JobFailed
from annotator.jobs.services import job_starter
from annotator.projects.access import ADMIN_ONLY, READ_ALL_LAYERS


@job_kind(IMPORT, description="Import articles (and annotations) from an uploaded file.")
def run_import(job: Job, ctx: JobContext) -> dict[str, Any]:
    """Check the whole file, then write it all or (on_error=skip) its valid records."""
    params = job.params
    upload = params["upload"]
    try:
        actor, membership = job_starter(job, roles=ADMIN_ONLY, action="import articles")
        report = import_checked(
            actor=actor,
            membership=membership,
            open_file=lambda: default_storage.open(upload, "rb"),
            filename=params["filename"],
            options=ImportOptions(
                format=params["format"],
                on_error=params["on_error"],
                create_labels=params["create_labels"],
                layer=params["layer"],
                offsets=params.get("offsets", ""),
            ),
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


@job_kind(EXPORT, description="Export a project's articles and annotations into a file.")
def run_export(job: Job, ctx: JobContext) -> dict[str, Any]:
    """Write one snapshot of the project to storage with a manifest (counts, sha256, cursor)."""
    actor, membership = job_starter(job, roles=READ_ALL_LAYERS, action="export")
    if "annotator_ids" in job.params:
        plan = plan_from_params(membership.project, job.params)
    else:  # queued by an older version, with its filters unresolved
        plan = export_plan(
            actor=actor,
            project_id=job.project_id,
            filters=export_filters(job.params),
            formats=registry.FILE_FORMATS,
        )
    spec = registry.get(plan.filters.format)
    with tempfile.TemporaryFile() as tmp, snapshot(plan) as reader:
        total = reader.articles().count()  # an upper bound when a status filter drops some
        ctx.progress(0, total, "exporting")

        def counted() -> Iterator[dict[str, Any]]:
            # Progress goes through the default connection, outside the snapshot: visible at once.
            for done, line in enumerate(reader.objects(), start=1):
                yield line
                ctx.progress(done, None, f"{done} of {total} articles written")

        spec.write(counted(), tmp, reader.layer_names, plan.filters.format_options())
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
