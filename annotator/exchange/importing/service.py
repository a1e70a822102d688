"""The whole import: one read of the file, in one transaction, checked and written a
chunk at a time."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from annotator.articles.changes import changes_mark
from annotator.common.db import bulk_writes
from annotator.common.errors import Conflict
from annotator.exchange.formats import files
from annotator.exchange.importing.checking import checked
from annotator.exchange.importing.options import ImportOptions, Opener, Progress, Report
from annotator.exchange.importing.schema import ProjectSchema
from annotator.exchange.importing.writing import Writer
from annotator.projects.access import membership_get, require_admin
from annotator.projects.models import Membership

log = logging.getLogger(__name__)


def limits() -> files.Limits:
    return files.Limits(
        line_bytes=settings.ANNOTATOR_MAX_IMPORT_LINE_BYTES,
        file_bytes=settings.ANNOTATOR_MAX_IMPORT_FILE_BYTES,
        zip_entries=settings.ANNOTATOR_MAX_ZIP_ENTRIES,
        zip_bytes=settings.ANNOTATOR_MAX_ZIP_BYTES,
    )


class _NothingToKeep(Exception):
    """Rolls the import's transaction back: errors with on_error=abort, or no valid record."""


def import_file(
    *,
    actor: User,
    project_id: int,
    open_file: Opener,
    filename: str,
    options: ImportOptions,
    progress: Progress | None = None,
) -> Report:
    """Check every record and write the valid ones, in one transaction (admins only).

    With on_error=abort (the default) any error means nothing is written."""
    membership = membership_get(user=actor, project_id=project_id)
    require_admin(membership, "import articles")
    options.check()
    return import_checked(
        actor=actor,
        membership=membership,
        open_file=open_file,
        filename=filename,
        options=options,
        progress=progress,
    )


def import_checked(
    *,
    actor: User,
    membership: Membership,
    open_file: Opener,
    filename: str,
    options: ImportOptions,
    progress: Progress | None = None,
) -> Report:
    """``import_file`` with its options checked already (a job's stored ones) and ``actor``'s
    membership found to be an admin's."""
    project_id = membership.project_id
    project = ProjectSchema(membership, options)
    report = Report(format=options.format, filename=filename)
    tell = progress or (lambda done, total, message: None)
    with open_file() as stream:
        total = files.records_at_most(stream, filename)

    abort = options.on_error == "abort"
    try:
        # One transaction, one read of the file: each chunk of records is checked, then
        # written unless an aborting import has met an error (from then on it only checks,
        # to report every problem). An import that must not be kept is rolled back whole.
        with transaction.atomic(), open_file() as stream:
            writer = Writer(project, actor, report)
            records = files.read_upload(stream, filename, options.format, limits(), options.format_options())

            def before_checking(articles: int, spans: int) -> None:
                writer.reserve(articles, spans)
                writer.send()  # held back, for the server to store while the next are checked

            with bulk_writes():
                for chunk, ends_lookup in checked(project, records, report, before_checking):
                    if chunk and not (abort and report.error_count):
                        writer.create_labels()
                        writer.build(chunk)
                    if not ends_lookup:
                        writer.send()
                    tell(
                        report.records,
                        total,
                        f"{report.records} records read, {report.error_count} with errors",
                    )
                writer.send()
                if not (abort and report.error_count):
                    writer.finish()
            report.valid = report.records - report.error_count
            if not report.valid or (abort and report.error_count):
                raise _NothingToKeep
            if writer.parts:
                changes_mark(project_id=project_id, parts=writer.parts, new_articles=writer.created)
    except _NothingToKeep:
        report.discard_writes()
        return report
    except IntegrityError:
        # Another import or writer added the same article meanwhile (its unique id).
        raise Conflict(
            "The project changed while the file was imported; nothing was written. Import it again."
        ) from None
    report.written = True
    log.info(
        "import into project %s: %d articles created, %d unchanged, %d spans",
        project_id,
        report.articles_created,
        report.articles_unchanged,
        report.spans_created,
    )
    return report
