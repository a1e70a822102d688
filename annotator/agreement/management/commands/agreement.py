"""``manage.py agreement PROJECT``: the agreement report's headline figures and its pairwise
and per-label tables (docs/agreement.md), or the whole report as JSON."""

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.agreement.service import project_agreement, report_table
from annotator.common.errors import DomainError
from annotator.projects.commands import project_and_user


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    return f"{value:.3f}" if isinstance(value, float) else str(value)


class Command(BaseCommand):
    help = "Print a project's inter-annotator agreement: headline figures, pairwise and per-label tables."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="project id or exact name")
        parser.add_argument("--labels", help="comma-separated label names (default: all)")
        parser.add_argument("--status", default="submitted", help="submitted (default) or any")
        parser.add_argument("--articles", help="comma-separated article ids")
        parser.add_argument("--annotators", help="comma-separated usernames")
        parser.add_argument("--match", default="exact", help="exact (default) or overlap")
        parser.add_argument("--no-tokens", action="store_true", help="skip token-level kappa")
        parser.add_argument("--json", action="store_true", help="print the whole report as JSON")
        parser.add_argument("--user", help="act as this user (default: the project's first admin)")

    def handle(self, *args: Any, **options: Any) -> None:
        project, user = project_and_user(options["project"], options["user"])
        params = {
            name: options[name]
            for name in ("labels", "status", "articles", "annotators", "match")
            if options[name]
        }
        params["tokens"] = not options["no_tokens"]
        try:
            report = project_agreement(actor=user, project_id=project.pk, params=params)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        if options["json"]:
            self.stdout.write(json.dumps(report, indent=2, allow_nan=False))
            return
        spans, labels = report["spans"], report["document_labels"]
        self.stdout.write(
            f"{report['articles']} articles, annotators: {', '.join(report['annotators']) or '-'} "
            f"(status {report['status']}, match {report['match']})\n"
            f"spans: unitizing alpha {_cell(spans['alpha_unitized'])}, F1 micro {_cell(spans['f1']['micro'])} "
            f"macro {_cell(spans['f1']['macro'])}, token kappa {_cell(spans['token_kappa'])}\n"
            f"relations: F1 micro {_cell(report['relations']['f1']['micro'])}\n"
            f"document labels: Krippendorff's alpha {_cell(labels['krippendorff_alpha'])}, "
            f"Cohen's kappa {_cell(labels['cohen_kappa'])}, Fleiss' kappa {_cell(labels['fleiss_kappa'])}"
        )
        for table in ("pairs", "labels"):
            columns, rows = report_table(report, table)
            cells = [list(columns), *([_cell(v) for v in row] for row in rows)]
            widths = [max(len(row[i]) for row in cells) for i in range(len(columns))]
            self.stdout.write("")
            for row in cells:
                self.stdout.write(
                    "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
                )
