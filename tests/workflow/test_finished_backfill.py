"""articles 0008: assignments made before Assignment.finished existed are marked from the
annotators' states, so the queue's open-assignments index holds only open ones."""

import importlib

from django.apps import apps

from annotator.annotations.models import ArticleState, Status
from annotator.articles.models import Assignment
from tests.conftest import World
from tests.workflow.conftest import article_ids

migration = importlib.import_module("annotator.articles.migrations.0008_assignment_finished")


def test_backfill_marks_submitted_and_skipped_only(team: World) -> None:
    ids = article_ids(team)
    statuses = [Status.SUBMITTED, Status.SKIPPED, Status.IN_PROGRESS, Status.NOT_STARTED, None]
    for article_id, status in zip(ids, statuses, strict=False):
        Assignment.objects.create(project=team.project, article_id=article_id, annotator=team.annotator)
        if status is not None:
            ArticleState.objects.create(article_id=article_id, annotator=team.annotator, status=status)
    # Another annotator's finished state says nothing of this annotator's assignment.
    ArticleState.objects.create(article_id=ids[4], annotator=team.users["ann2"], status=Status.SUBMITTED)
    migration.mark_finished(apps, None)
    finished = dict(Assignment.objects.values_list("article_id", "finished"))
    assert [finished[a] for a in ids[:5]] == [True, True, False, False, False]
