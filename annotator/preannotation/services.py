"""Starting pre-annotation and training jobs, and storing what a training made.

A start service checks the job's options once and stores them in the job's params; the job
handlers (``jobs``) trust them and re-check only that whoever started the job may still.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Max

from annotator.annotations.models import ArticleState, Status
from annotator.annotations.services import state_set
from annotator.articles.models import Article
from annotator.common.errors import Conflict, InvalidInput, NotFound
from annotator.jobs.models import Job
from annotator.jobs.services import job_create
from annotator.preannotation.recognisers import learned, recogniser_get, recognisers
from annotator.projects.access import membership_get, require_admin
from annotator.projects.models import Membership, Project, Role

from .models import RecommenderModel
from .selectors import job_active, selected_articles, submitted_count
from .sources import LEARNED, recogniser_for
from .suggestions import schema_of

log = logging.getLogger(__name__)

PREANNOTATE = "preannotate"
TRAIN = "recommender_train"
ARTICLE_CHOICES = ("all", "unannotated")
MAX_ARTICLE_IDS = 100_000
KEEP_BLOBS = 2  # the latest models keep their classifier; older ones keep only their figures


# --- pre-annotation ---------------------------------------------------------------------


def _preannotate_options(params: dict[str, Any]) -> dict[str, Any]:
    """The job's params, checked and with their defaults: what the API and command accept."""
    unknown = sorted(set(params) - {"recognisers", "articles", "min_score"})
    if unknown:
        raise InvalidInput(
            f"Unknown parameter(s): {', '.join(unknown)}.", fields={k: ["unknown"] for k in unknown}
        )
    known = [r.name for r in recognisers()]
    names = params.get("recognisers")
    if not isinstance(names, list) or not names or not all(isinstance(n, str) for n in names):
        raise InvalidInput(
            f"recognisers must be a non-empty list of names (of {', '.join(known)}).",
            fields={"recognisers": ["a non-empty list of recogniser names"]},
        )
    wrong = [n for n in names if n not in known]
    if wrong:
        raise InvalidInput(
            f"Unknown recogniser(s) {', '.join(map(repr, wrong))}; known: {', '.join(known)}.",
            fields={"recognisers": [f"one of {', '.join(known)}"]},
        )
    articles = params.get("articles", "all")
    if isinstance(articles, list):
        if not articles or not all(
            isinstance(a, int) and not isinstance(a, bool) and a > 0 for a in articles
        ):
            raise InvalidInput(
                "articles must be 'all', 'unannotated' or a non-empty list of article ids.",
                fields={"articles": ["'all', 'unannotated' or a list of ids"]},
            )
        if len(articles) > MAX_ARTICLE_IDS:
            raise InvalidInput(
                f"At most {MAX_ARTICLE_IDS} article ids; use 'all' or 'unannotated' for more.",
                fields={"articles": [f"at most {MAX_ARTICLE_IDS} ids"]},
            )
        articles = sorted(set(articles))
    elif articles not in ARTICLE_CHOICES:
        raise InvalidInput(
            "articles must be 'all', 'unannotated' or a list of article ids.",
            fields={"articles": ["'all', 'unannotated' or a list of ids"]},
        )
    min_score = params.get("min_score", 0.0)
    if isinstance(min_score, bool) or not isinstance(min_score, int | float) or not 0 <= min_score <= 1:
        raise InvalidInput("min_score must be a number from 0 to 1.", fields={"min_score": ["0 to 1"]})
    return {"recognisers": list(dict.fromkeys(names)), "articles": articles, "min_score": float(min_score)}


def _check_project(project_id: int, params: dict[str, Any]) -> None:
    """What params alone cannot tell: the articles and labels are the project's, a model exists."""
    if isinstance(params["articles"], list):
        found = set(selected_articles(project_id, params["articles"]).values_list("pk", flat=True))
        missing = [a for a in params["articles"] if a not in found]
        if missing:
            shown = ", ".join(map(str, missing[:20])) + (" ..." if len(missing) > 20 else "")
            raise InvalidInput(
                f"{len(missing)} article id(s) are not in this project: {shown}.",
                fields={"articles": ["ids of this project's articles"]},
            )
    schema = schema_of(project_id)
    for name in params["recognisers"]:
        spec = recogniser_for(name, project_id=project_id) if name == LEARNED else recogniser_get(name)
        assert spec is not None  # _preannotate_options refused unknown names
        lacking = [label for label in spec.labels if label not in schema.spans]
        if lacking:
            raise InvalidInput(
                f"Recogniser {name!r} proposes {', '.join(lacking)}, which this project has no span "
                "label for; add the label(s) or leave the recogniser out.",
                fields={"recognisers": [f"{name} needs label(s) {', '.join(lacking)}"]},
            )


def preannotate_start(*, actor: User, project_id: int, params: dict[str, Any], publish: bool = True) -> Job:
    """Queue a pre-annotation job (project admins only); checked now, not in the worker.
    ``publish=False``: for a caller that runs the job itself (``manage.py preannotate``)."""
    require_admin(membership_get(user=actor, project_id=project_id), "run pre-annotation")
    checked = _preannotate_options(params)
    _check_project(project_id, checked)
    # Checked once, here: the job stores them as they are and the handler trusts them.
    return job_create(actor=actor, project_id=project_id, kind=PREANNOTATE, params=checked, publish=publish)


# --- training ---------------------------------------------------------------------------


def _lock_project(project_id: int) -> bool:
    # Serialises the "is one running? then queue one" of concurrent callers. A submission
    # holds this row already (annotations' change log), so it costs it nothing.
    return bool(list(Project.objects.select_for_update().filter(pk=project_id).values_list("pk", flat=True)))


@transaction.atomic
def recommender_train_start(*, actor: User, project_id: int) -> Job:
    """Queue training of the project's learned classifier (admins); one at a time per project."""
    require_admin(membership_get(user=actor, project_id=project_id), "train the recommender")
    _lock_project(project_id)
    active = job_active(project_id=project_id, kind=TRAIN)
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
    if trained_on is None or job_active(project_id=project_id, kind=TRAIN) is not None:
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
def recommender_model_create(
    *, project_id: int, model: learned.TrainedModel, submissions: int
) -> RecommenderModel:
    """Store a trained model as the project's next version; older ones beyond KEEP_BLOBS lose their blob."""
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
