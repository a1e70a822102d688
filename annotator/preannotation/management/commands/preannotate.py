"""``manage.py preannotate PROJECT``: the API's pre-annotation job, run here and now."""

import json
import sys
import threading
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from annotator.common.errors import DomainError
from annotator.jobs.models import FINISHED, JobStatus
from annotator.jobs.runner import run_job
from annotator.preannotation.services import preannotate_start
from annotator.projects.commands import project_and_user

RULE_BASED = "figures,quotes,rebuttals"


class Command(BaseCommand):
    help = (
        "Run recognisers over a project's articles and write their proposals as suggestions "
        "(the job POST /api/v1/projects/{id}/preannotate/ queues, run in this process and "
        "recorded as a job). Prints the result as JSON; exits 1 if the job did not succeed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("project", help="project id or exact name")
        parser.add_argument(
            "--recognisers",
            default=RULE_BASED,
            help=f"comma-separated names, run in order (default {RULE_BASED})",
        )
        parser.add_argument(
            "--articles", default="all", help="all (default), unannotated, or comma-separated article ids"
        )
        parser.add_argument("--min-score", type=float, default=0.0)
        parser.add_argument("--user", help="act as this user (default: the project's first admin)")

    def handle(self, *args: Any, **options: Any) -> None:
        project, user = project_and_user(options["project"], options["user"])
        articles: str | list[int] = options["articles"]
        if articles not in ("all", "unannotated"):
            try:
                articles = [int(a) for a in options["articles"].split(",") if a.strip()]
            except ValueError:
                raise CommandError("--articles takes all, unannotated or comma-separated ids.") from None
        params = {
            "recognisers": [n.strip() for n in options["recognisers"].split(",") if n.strip()],
            "articles": articles,
            "min_score": options["min_score"],
        }
        try:
            job = preannotate_start(actor=user, project_id=project.pk, params=params, publish=False)
        except DomainError as exc:
            raise CommandError(exc.message) from None
        # The job runs in a thread so this one can show its progress as the API would.
        running = threading.Thread(target=run_job, args=(job.pk,), kwargs={"redelivered": False})
        running.start()
        while running.is_alive():
            running.join(timeout=0.5)
            job.refresh_from_db()
            if job.progress_total is not None:
                self.stderr.write(f"\r{job.progress_done} of {job.progress_total} articles", ending="")
        job.refresh_from_db()
        self.stderr.write("")
        assert job.status in FINISHED
        self.stdout.write(json.dumps(job.result, indent=2, ensure_ascii=False))
        if job.status != JobStatus.SUCCEEDED:
            self.stderr.write(f"Pre-annotation job {job.pk} {job.status}: {job.error or job.message}")
            sys.exit(1)
        self.stderr.write(f"Job {job.pk}: {job.message}")
