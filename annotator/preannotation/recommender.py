"""The recommender: a project's learned classifier (``recognisers.learned``), trained as a job
on the project's own CLAIM and REBUTTAL annotations, on demand or, once it has been trained,
again after every ``RECOMMENDER_RETRAIN_EVERY`` new submissions.

Training reads the newest annotated articles (submitted, or holding spans of an annotator or
the gold layer): each sentence a person marked CLAIM or REBUTTAL (by hand, or by accepting a
suggestion) is an example of that label, each sentence of those articles nobody marked one
of the two is an example of neither.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User

from annotator.annotations.models import Layer, Origin, Span
from annotator.articles.models import Article
from annotator.articles.selectors import of_articles
from annotator.projects.access import membership_get
from annotator.projects.models import LabelKind

from .recognisers import learned
from .selectors import annotated_articles, job_active, recommender_models, submitted_count
from .services import TRAIN

MAX_ARTICLES = 2000  # the newest annotated articles a training reads
BATCH = 100  # articles read at a time
HISTORY = 20  # models listed in the summary
LEARNED_ORIGINS = (Origin.MANUAL, Origin.ACCEPTED, Origin.EDITED)  # a person's decision


def training_examples(
    *, project_id: int, progress: Callable[[int, int], None] | None = None
) -> list[learned.Example]:
    """The sentence examples of the project's newest MAX_ARTICLES annotated articles, read
    BATCH articles at a time. A sentence marked only by an imported span is left out."""
    ids = sorted(annotated_articles(project_id=project_id).values_list("pk", flat=True)[:MAX_ARTICLES])
    examples: list[learned.Example] = []
    for first in range(0, len(ids), BATCH):
        batch = ids[first : first + BATCH]
        learned_from: dict[int, list[tuple[int, int, str]]] = defaultdict(list)
        unsure: dict[int, list[tuple[int, int]]] = defaultdict(list)
        spans = Span.objects.filter(
            of_articles(batch),
            layer__in=[Layer.ANNOTATOR, Layer.GOLD],
            label__kind=LabelKind.SPAN,
            label__name__in=learned.LABELS,
        ).values_list("article_id", "start", "end", "label__name", "origin")
        for article_id, start, end, label, origin in spans:
            if origin in LEARNED_ORIGINS:
                learned_from[article_id].append((start, end, label))
            else:
                unsure[article_id].append((start, end))
        for article_id, text in Article.objects.filter(pk__in=batch).order_by("pk").values_list("pk", "text"):
            examples += learned.sentence_examples(text, learned_from[article_id], unsure[article_id])
        if progress is not None:
            progress(first + len(batch), len(ids))
    return examples


@dataclass(frozen=True)
class RecommenderSummary:
    version: int | None  # of the latest model; None: never trained
    created_at: datetime | None
    examples: dict[str, int]
    metrics: dict[str, dict[str, float]]
    labels: list[str]
    left_out: dict[str, str]
    trained_on_submissions: int | None
    submissions: int
    submissions_since: int
    retrain_every: int
    training_job: int | None  # a training job queued or running now
    history: list[dict[str, Any]]  # the newest HISTORY models' figures, newest first


def recommender_summary(*, user: User, project_id: int) -> RecommenderSummary:
    """The project's latest model and its history, for any member."""
    membership = membership_get(user=user, project_id=project_id)
    models = list(recommender_models(membership=membership)[:HISTORY])
    latest = models[0] if models else None
    submissions = submitted_count(project_id=project_id)
    active = job_active(project_id=project_id, kind=TRAIN)
    return RecommenderSummary(
        version=latest.version if latest else None,
        created_at=latest.created_at if latest else None,
        examples=latest.examples if latest else {},
        metrics=latest.metrics if latest else {},
        labels=latest.labels if latest else [],
        left_out=latest.left_out if latest else {},
        trained_on_submissions=latest.trained_on_submissions if latest else None,
        submissions=submissions,
        submissions_since=submissions - (latest.trained_on_submissions if latest else 0),
        retrain_every=settings.RECOMMENDER_RETRAIN_EVERY,
        training_job=active.pk if active else None,
        history=[
            {
                "version": m.version,
                "created_at": m.created_at,
                "trained_on_submissions": m.trained_on_submissions,
                "examples": m.examples,
                "metrics": m.metrics,
            }
            for m in models
        ],
    )
