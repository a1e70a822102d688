"""Starting imports and exports as jobs: each start checks its options once and stores them,
checked, in the job's params, which the job then trusts."""

from __future__ import annotations

import posixpath
import uuid
from typing import IO

from django.contrib.auth.models import User
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction

from annotator.common.errors import InvalidInput
from annotator.exchange.exporting import ExportFilters, export_plan
from annotator.exchange.exporting.plan import plan_params
from annotator.exchange.formats import files, registry
from annotator.exchange.importing import ImportOptions
from annotator.exchange.importing.schema import ProjectSchema
from annotator.jobs.models import Job
from annotator.jobs.services import job_create
from annotator.projects.access import READ_ALL_LAYERS, membership_get, require_admin

# Job kinds (their handlers are in exchange/jobs.py).
IMPORT = "import"
EXPORT = "export"


@transaction.atomic
def import_start(
    *, actor: User, project_id: int, upload: IO[bytes], filename: str, options: ImportOptions
) -> Job:
    """Store the upload and queue an import job for it (admins only); options are checked here."""
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
                "offsets": options.offsets,
            },
        )
    except Exception:
        default_storage.delete(stored)
        raise


@transaction.atomic
def export_start(*, actor: User, project_id: int, filters: ExportFilters) -> Job:
    """Queue an export job into storage (researchers, reviewers and admins); its filters are
    checked here and stored as a plan."""
    plan = export_plan(actor=actor, project_id=project_id, filters=filters, formats=registry.FILE_FORMATS)
    return job_create(
        actor=actor, project_id=project_id, kind=EXPORT, params=plan_params(plan), roles=READ_ALL_LAYERS
    )
