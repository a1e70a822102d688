"""The recommender: a project's learned classifier (``recognisers.learned``), trained as a job
on the project's own CLAIM and REBUTTAL annotations, on demand or, once it has been trained,
again after every ``RECOMMENDER_RETRAIN_EVERY`` new submissions.

Training reads the newest annotated articles (submitted, or holding spans of an annotator or
the gold layer): each sentence a person marked CLAIM or REBUTTAL (by hand, or by accepting a
suggestion) is an example of that label, each sentence of those articles nobody marked one
of the two is an example of neither.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, QuerySet

from annotator.annotations.models import ArticleState, Layer, Origin, Span, Status
from annotator.annotations.services import state_set
from annotator.articles.models import Article
from annotator.articles.selectors import of_articles
from annotator.common.errors import Conflict, InvalidInput, NotFound
from annotator.jobs.models import Job, JobStatus
from annotator.jobs.registry import job_kind
from annotator.jobs.runner import JobContext, JobFailed
from annotator.jobs.services import job_create
from annotator.projects.access import membership_get, require_admin
from annotator.projects.models import LabelKind, Membership, Project, Role

from .models import RecommenderModel
from .recognisers import learned
from .recognisers.base import Recogniser

log = logging.getLogger(__name__)

TRAIN = "recommender_train"
MAX_ARTICLES = 2000  # the newest annotated articles a training reads
BATCH = 100  # articles read at a time
KEEP_BLOBS = 2  # the latest models keep their classifier; older ones keep only their figures
HISTORY = 20  # models listed in the summary
LEARNED_ORIGINS = (Origin.MANUAL, Origin.ACCEPTED, Origin.EDITED)  # a person's decision
TRIGGERS = ("manual", "submissions")
ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


# --- selectors ---------------------------------------------------------------------------


def recommender_models(*, membership: Membership) -> QuerySet[RecommenderModel]:
    """The membership's project's trained models, newest first, without their blobs."""
    return (
        RecommenderModel.objects.filter(project_id=membership.project_id).defer("blob").order_by("-version")
    )


def annotated_articles(*, project_id: int) -> QuerySet[Article]:
    """Articles someone submitted or marked spans in (own or gold layer), newest first."""
    submitted = ArticleState.objects.filter(article=OuterRef("pk"), status=Status.SUBMITTED)
    marked = Span.objects.filter(article=OuterRef("pk"), layer__in=[Layer.ANNOTATOR, Layer.GOLD])
    return (
        Article.objects.filter(project_id=project_id)
        .filter(Exists(submitted) | Exists(marked))
        .order_by("-id")
    )


def submitted_count(*, project_id: int) -> int:
    return ArticleState.objects.filter(article__project_id=project_id, status=Status.SUBMITTED).count()


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
    active = _active_training(project_id)
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


def learned_recogniser(project_id: int) -> Recogniser:
    """The learned recogniser with the project's latest model; InvalidInput if it has none."""
    latest = RecommenderModel.objects.filter(project_id=project_id).order_by("-version").first()
    if latest is None:
        raise InvalidInput(
            "No model trained for this project yet: train one with "
            f"POST /api/v1/projects/{project_id}/recommender/train/."
        )
    try:
        model = learned.TrainedModel.loads(bytes(latest.blob))
    except ValueError as exc:
        raise InvalidInput(f"Model {latest.version} of this project cannot be used: {exc}.") from None
    return learned.LearnedRecogniser(model, latest.version)


# --- the training job --------------------------------------------------------------------


def _train_params(params: dict[str, Any]) -> dict[str, Any]:
    trigger, submissions = params.get("trigger", "manual"), params.get("submissions", 0)
    unknown = set(params) - {"trigger", "submissions"}
    if unknown or trigger not in TRIGGERS or type(submissions) is not int or submissions < 0:
        raise InvalidInput("A training job takes trigger (manual or submissions) and submissions (a count).")
    return {"trigger": trigger, "submissions": submissions}


@job_kind(
    TRAIN,
    description="Train the project's learned classifier on its CLAIM and REBUTTAL annotations.",
    check_params=_train_params,
)
def run_train(job: Job, ctx: JobContext) -> dict[str, Any]:
    """Store a new model version, or fail saying how many examples are missing."""
    submissions = submitted_count(project_id=job.project_id)  # before reading: none is missed
    ctx.progress(0, 2, "reading examples")
    examples = training_examples(
        project_id=job.project_id,
        progress=lambda done, total: ctx.progress(0, 2, f"reading examples: {done} of {total} articles"),
    )
    try:
        model = learned.train(examples, progress=lambda message: ctx.progress(1, 2, message))
    except learned.NotEnoughExamples as exc:
        raise JobFailed(str(exc), {"examples": exc.counts, "needed": exc.needed}) from None
    saved = _model_create(project_id=job.project_id, model=model, submissions=submissions)
    scores = ", ".join(
        f"{label} P {m['precision']:.2f} R {m['recall']:.2f}" for label, m in saved.metrics.items()
    )
    ctx.progress(2, 2, f"model {saved.version} trained ({scores})")
    return {
        "model_version": saved.version,
        "examples": saved.examples,
        "metrics": saved.metrics,
        "labels": saved.labels,
        "left_out": saved.left_out,
    }


@transaction.atomic
def _model_create(*, project_id: int, model: learned.TrainedModel, submissions: int) -> RecommenderModel:
    if not _lock_project(project_id):  # also numbers versions one at a time
        raise NotFound("The project no longer exists.")
    latest = RecommenderModel.objects.filter(project_id=project_id).aggregate(v=Max("version"))["v"] or 0
    saved = RecommenderModel.objects.create(
        project_id=project_id,
        version=latest + 1,
        trained_on_submissions=submissions,
        examples=model.counts,
        metrics=model.metrics,
        labels=list(model.labels),
        left_out=model.left_out,
        blob=model.dumps(),
    )
    RecommenderModel.objects.filter(project_id=project_id, version__lte=saved.version - KEEP_BLOBS).update(
        blob=b""
    )
    return saved


# --- services ----------------------------------------------------------------------------


def _active_training(project_id: int) -> Job | None:
    return Job.objects.filter(project_id=project_id, kind=TRAIN, status__in=ACTIVE).order_by("id").first()


def _lock_project(project_id: int) -> bool:
    # Serialises the "is one running? then queue one" of concurrent callers. A submission
    # holds this row already (annotations' change log), so it costs it nothing.
    return bool(list(Project.objects.select_for_update().filter(pk=project_id).values_list("pk", flat=True)))


@transaction.atomic
def recommender_train_start(*, actor: User, project_id: int) -> Job:
    """Queue training of the project's learned classifier (admins); one at a time per project."""
    require_admin(membership_get(user=actor, project_id=project_id), "train the recommender")
    _lock_project(project_id)
    active = _active_training(project_id)
    if active is not None:
        raise Conflict(f"A training job for this project is already {active.status} (job {active.pk}).")
    params = {"trigger": "manual", "submissions": submitted_count(project_id=project_id)}
    return job_create(actor=actor, project_id=project_id, kind=TRAIN, params=params)


@transaction.atomic
def recommender_retrain_if_due(*, project_id: int) -> Job | None:
    """Queue a retraining once RECOMMENDER_RETRAIN_EVERY submissions came after the last
    training (queued by the project's first admin); never for a project not trained yet,
    nor while a training is queued or running."""
    every = settings.RECOMMENDER_RETRAIN_EVERY
    if every <= 0:
        return None
    _lock_project(project_id)
    trained_on = (
        RecommenderModel.objects.filter(project_id=project_id)
        .order_by("-version")
        .values_list("trained_on_submissions", flat=True)
        .first()
    )
    if trained_on is None or _active_training(project_id) is not None:
        return None
    # The last training asked for counts too: one that failed is not retried at once.
    last = (
        Job.objects.filter(project_id=project_id, kind=TRAIN).order_by("-id").values_list("params", flat=True)
    )
    since = max(trained_on, (last.first() or {}).get("submissions", 0))
    submissions = submitted_count(project_id=project_id)
    if submissions - since < every:
        return None
    admin = (
        Membership.objects.filter(project_id=project_id, role=Role.ADMIN)
        .select_related("user")
        .order_by("id")
        .first()
    )
    if admin is None:
        log.warning("project %s: retraining is due but the project has no admin to queue it", project_id)
        return None
    params = {"trigger": "submissions", "submissions": submissions}
    return job_create(actor=admin.user, project_id=project_id, kind=TRAIN, params=params)


@transaction.atomic
def state_set_and_maybe_retrain(
    *, actor: User, article_id: int, status: str, expected_version: int | None
) -> ArticleState:
    """``annotations.services.state_set``, then, for a submission, queue a retraining of the
    project's learned classifier if one is due (published once this commits)."""
    state = state_set(actor=actor, article_id=article_id, status=status, expected_version=expected_version)
    if state.status == Status.SUBMITTED:
        project_id = Article.objects.filter(pk=article_id).values_list("project_id", flat=True).get()
        recommender_retrain_if_due(project_id=project_id)
    return state
