"""``manage.py export_project PROJECT``: the API's streaming export, to a file or stdout."""

import hashlib
import json
import sys
from pathlib import Path
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.common.errors import DomainError
from annotator.exchange.exporting import ExportFilters, ExportStream, export_plan
from annotator.exchange.formats.registry import STREAM_FORMATS
from annotator.projects.commands import project_and_user


class Command(BaseCommand):
    help = (
        "Export a project as JSONL (or doccano, labelstudio, conll) from one database snapshot. "
        "Writes the manifest (counts, sha256, cursor for --since) to stderr, or next to --out."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="project id or exact name")
        parser.add_argument("--out", type=Path, help="file to write (default: stdout)")
        parser.add_argument("--format", choices=STREAM_FORMATS, default="native")
        parser.add_argument(
            "--layers", default="all", help="comma-separated: all, gold, suggestions, usernames"
        )
        parser.add_argument("--status", default="")
        parser.add_argument("--since", default="", help="a cursor from an earlier export")
        parser.add_argument(
            "--offsets", default="", help="doccano: what offsets count: utf16 (default), codepoint, grapheme"
        )
        parser.add_argument("--form", default="", help="doccano: relations (default) or label")
        parser.add_argument("--user", help="act as this user (default: the project's first admin)")

    def handle(self, *args: Any, **options: Any) -> None:
        project, user = project_and_user(options["project"], options["user"])
        filters = ExportFilters(
            format=options["format"],
            layers=tuple(v for v in options["layers"].split(",") if v) or ("all",),
            status=options["status"],
            since=options["since"],
            offsets=options["offsets"],
            form=options["form"],
        )
        try:
            stream = ExportStream(export_plan(actor=user, project_id=project.pk, filters=filters))
        except DomainError as exc:
            raise CommandError(exc.message) from None
        out: IO[bytes] = options["out"].open("wb") if options["out"] else sys.stdout.buffer
        digest = hashlib.sha256()
        size = 0
        try:
            for data in stream:
                digest.update(data)
                size += len(data)
                out.write(data)
        finally:
            stream.close()
            out.flush()
            if options["out"]:
                out.close()
        manifest = json.dumps(
            stream.manifest(bytes=size, sha256=digest.hexdigest()), indent=2, ensure_ascii=False
        )
        if options["out"]:
            Path(f"{options['out']}.manifest.json").write_text(manifest + "\n")
        self.stderr.write(manifest)
