"""An annotator's queue: their counts, and the next article to work on.

Next is, in article order: what the caller has in progress, then what is assigned to them and
not started, then (under "overlap") a claim: the first article with fewer than k annotators
that they may take, assigned to them as it is handed out. A claim locks the project's
assignment queue (as every assignment writer does), so two annotators asking at once never
push an article past k. Under
"open" every article is the caller's: in progress first, then not started."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone

from annotator.annotations.models import ArticleState, Status
from annotator.articles.access import assigned_q, sees_assigned_only, visible_articles_q
from annotator.articles.models import Article, Assignment
from annotator.common.prepared import Prepared
from annotator.projects.access import WRITE_OWN_LAYER, membership_get, require_role
from annotator.projects.models import Assignment as Mode
from annotator.projects.models import Membership

from .assignment import queue_lock, short_articles
from .models import AssignmentQueue

STARTED = (Status.IN_PROGRESS, Status.SUBMITTED, Status.SKIPPED)


@dataclass(frozen=True)
class QueueCounts:
    to_do: int
    in_progress: int
    submitted: int
    skipped: int
    assignment: str
    annotators_per_article: int


def _member(actor: User, project_id: int) -> Membership:
    membership = membership_get(user=actor, project_id=project_id)
    require_role(membership, WRITE_OWN_LAYER, "have a queue")
    return membership


def _started(user_id: int) -> Exists:
    return Exists(
        ArticleState.objects.filter(article_id=OuterRef("pk"), annotator_id=user_id, status__in=STARTED)
    )


def _visible(membership: Membership) -> QuerySet[Article]:
    return Article.objects.filter(Q(project_id=membership.project_id) & visible_articles_q(membership))


def _in_pool(membership: Membership) -> bool:
    pool = membership.project.annotator_pool
    return membership.role == "annotator" and (pool is None or membership.user_id in pool)


def _claimable(project_id: int, k: int, user_id: int, after: int = 0) -> QuerySet[Article]:
    """Articles short of k that the caller is not on and never started."""
    mine = Assignment.objects.filter(article_id=OuterRef("pk"), annotator_id=user_id)
    return (
        short_articles(project_id, k, after)
        .exclude(Exists(mine))
        .exclude(Exists(ArticleState.objects.filter(article_id=OuterRef("pk"), annotator_id=user_id)))
    )


def queue_counts(*, actor: User, project_id: int) -> QueueCounts:
    """The caller's articles by state; to_do also counts what the queue may still hand them."""
    membership = _member(actor, project_id)
    project = membership.project
    states = dict(
        ArticleState.objects.filter(
            Q(annotator_id=actor.pk, article__project_id=project_id)
            & visible_articles_q(membership, "article__")
        )
        .values("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    not_started = _visible(membership).exclude(_started(actor.pk)).count()
    if project.assignment == Mode.OVERLAP and _in_pool(membership):
        full_below = (
            AssignmentQueue.objects.filter(project_id=project.pk, k=project.annotators_per_article)
            .values_list("full_below", flat=True)
            .first()
        )
        k = project.annotators_per_article
        not_started += _claimable(project.pk, k, actor.pk, after=(full_below or 0) - 1).count()
    return QueueCounts(
        to_do=not_started,
        in_progress=states.get(Status.IN_PROGRESS, 0),
        submitted=states.get(Status.SUBMITTED, 0),
        skipped=states.get(Status.SKIPPED, 0),
        assignment=project.assignment,
        annotators_per_article=project.annotators_per_article,
    )


@dataclass(frozen=True)
class NextArticle:
    id: int
    external_id: str
    title: str
    status: str  # the caller's: in_progress or not_started


def _own_first_query(
    *, user: int, project: int, exclude: list[int], assigned_only: bool
) -> QuerySet[Any, Any]:
    """The caller's first in-progress article, else their first assigned (``assigned_only``:
    overlap) or any (open) one not started, read from the caller's own rows, not by walking
    every article: one query, whose two choices the database runs only as far as it needs."""
    visible = assigned_q(user, "article__") if assigned_only else Q()
    in_progress = (
        ArticleState.objects.filter(
            Q(annotator_id=user, status=Status.IN_PROGRESS, article__project_id=project) & visible
        )
        .exclude(article_id__in=exclude)
        .order_by("article_id")
        .values("article_id")[:1]
    )
    not_started: QuerySet[Any, Any]
    if assigned_only:
        started = ArticleState.objects.filter(
            article_id=OuterRef("article_id"), annotator_id=user, status__in=STARTED
        )
        # Through the open assignments' index (articles.Assignment.finished): an annotator's
        # finished ones are not read; one put in progress by a first write is, and skipped here.
        not_started = (
            Assignment.objects.filter(annotator_id=user, project_id=project, finished=False)
            .exclude(Exists(started))
            .exclude(article_id__in=exclude)
            .order_by("article_id")
            .values("article_id")[:1]
        )
    else:
        not_started = (
            Article.objects.filter(project_id=project)
            .exclude(_started(user))
            .exclude(pk__in=exclude)
            .order_by("pk")
            .values("pk")[:1]
        )
    mine = ArticleState.objects.filter(
        article_id=OuterRef("pk"), annotator_id=user, status=Status.IN_PROGRESS
    )
    status = Case(
        When(Exists(mine), then=Value(Status.IN_PROGRESS.value)), default=Value(Status.NOT_STARTED.value)
    )
    return (
        Article.objects.filter(pk=Coalesce(Subquery(in_progress), Subquery(not_started)))
        .annotate(my_status=status)
        .values_list("pk", "external_id", "title", "my_status")
    )


def _claim_query(*, project: int, k: int, user: int, after: int, exclude: list[int]) -> QuerySet[Any, Any]:
    """The first article the caller may claim (id > ``after``), with its annotators and the
    project's first short article (claimable by the caller or not)."""
    first_short = short_articles(project, k, after).order_by("pk").values("pk")[:1]
    return (
        _claimable(project, k, user, after)
        .exclude(pk__in=exclude)
        .annotate(first_short=Subquery(first_short))
        .order_by("pk")
        .values_list("pk", "external_id", "title", "assignees", "first_short")
    )


# Each request would otherwise build and compile these (subqueries in subqueries) anew: a few
# milliseconds of CPU, against a fraction of one for the database to answer them.
_OWN_FIRST = Prepared(_own_first_query)
_CLAIM = Prepared(_claim_query)


def queue_next(*, membership: Membership, exclude: list[int] | None = None) -> NextArticle | None:
    """The caller's next article (see the module), claimed for them where it must be; None
    when nothing is left. ``membership``: the caller's, as the view resolved it. ``exclude``:
    articles not to hand out now (the one open)."""
    require_role(membership, WRITE_OWN_LAYER, "have a queue")
    exclude = exclude or []
    row = _OWN_FIRST.first(
        user=membership.user_id,
        project=membership.project_id,
        exclude=exclude,
        assigned_only=sees_assigned_only(membership),
    )
    if row is not None:
        return NextArticle(*row)
    if membership.project.assignment != Mode.OVERLAP or not _in_pool(membership):
        return None
    return _claim(membership, exclude)


@transaction.atomic
def _claim(membership: Membership, exclude: list[int]) -> NextArticle | None:
    """Assign the caller the first article short of k, under the project's queue lock.

    The lock is a statement of its own: the read that follows takes its snapshot after the
    lock is held, so it sees every claim committed before (one statement that locked and
    read would read from before its wait). The same read finds the project's first short
    article, so ``full_below`` moves on without a scan of its own."""
    project = membership.project
    queue = queue_lock(project)
    row = _CLAIM.first(
        project=project.pk, k=queue.k, user=membership.user_id, after=queue.full_below - 1, exclude=exclude
    )
    if row is None:
        return None
    article_id, external_id, title, assignees, full_below = row
    Assignment.objects.create(
        project_id=project.pk,
        article_id=article_id,
        annotator_id=membership.user_id,
        created_at=timezone.now(),
    )
    # Every article before the first short one has k annotators; when that one is what the
    # caller just took and it now has k too, so does every article up to it.
    if article_id == full_below and assignees + 1 >= queue.k:
        full_below = article_id + 1
    if full_below != queue.full_below:
        queue.full_below = full_below
        queue.save(update_fields=["full_below"])
    return NextArticle(article_id, external_id, title, Status.NOT_STARTED.value)
