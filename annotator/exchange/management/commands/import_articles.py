"""``manage.py import_articles PROJECT FILE``: the API's import, run here and now."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.common.errors import DomainError
from annotator.exchange.formats.registry import IMPORT_FORMATS
from annotator.exchange.importing import ON_ERROR, ImportOptions, import_file
from annotator.projects.commands import project_and_user


class Command(BaseCommand):
    help = (
        "Import articles (and annotations) from a .jsonl, .json, .txt, .conll or .zip file into a project. "
        "Every line is checked; by default nothing is written if any line fails. "
        "Prints the report as JSON; exits 1 if any line had errors."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="project id or exact name")
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=IMPORT_FORMATS, default="native")
        parser.add_argument("--on-error", choices=ON_ERROR, default="abort")
        parser.add_argument("--create-labels", action="store_true")
        parser.add_argument("--layer", help="gold, suggestions, annotator:<username> or none")
        parser.add_argument(
            "--offsets",
            default="",
            help="doccano: what its offsets count: utf16 (default), codepoint, grapheme",
        )
        parser.add_argument("--user", help="act as this user (default: the project's first admin)")

    def handle(self, *args: Any, **options: Any) -> None:
        project, user = project_and_user(options["project"], options["user"])
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file {path}.")

        def progress(done: int, total: int | None, message: str) -> None:
            self.stderr.write(
                f"\r{message}" + (f" (of at most {total})" if total is not None else ""), ending=""
            )

        try:
            report = import_file(
                actor=user,
                project_id=project.pk,
                open_file=lambda: path.open("rb"),
                filename=path.name,
                options=ImportOptions(
                    format=options["format"],
                    on_error=options["on_error"],
                    create_labels=options["create_labels"],
                    layer=options["layer"],
                    offsets=options["offsets"],
                ),
                progress=progress,
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stderr.write("")
        self.stdout.write(json.dumps(report.as_dict(), indent=2, ensure_ascii=False))
        if report.error_count:
            written = "the valid lines were written" if report.written else "nothing was written"
            self.stderr.write(f"{report.error_count} of {report.records} records have errors; {written}.")
            sys.exit(1)
