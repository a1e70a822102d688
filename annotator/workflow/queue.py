"""An annotator's queue: their counts, and the next article to work on.

Next is, in article order: what the caller has in progress, then what is assigned to them and
not started, then (under "overlap") a claim: the first article with fewer than k annotators
that they may take, assigned to them as it is handed out. A claim locks the project's
assignment queue (as every assignment writer does), so two annotators asking at once never
push an article past k. Under
"open" every article is the caller's: in progress first, then not started."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from annotator.annotations.models import ArticleState, Status
from annotator.articles.access import sees_assigned_only, visible_articles_q
from annotator.articles.models import Article, Assignment
from annotator.projects.access import WRITE_OWN_LAYER, membership_get, require_role
from annotator.projects.models import Assignment as Mode
from annotator.projects.models import Membership

from .assignment import advance, queue_lock, short_articles
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


def _started(membership: Membership) -> Exists:
    return Exists(
        ArticleState.objects.filter(
            article_id=OuterRef("pk"), annotator_id=membership.user_id, status__in=STARTED
        )
    )


def _visible(membership: Membership) -> QuerySet[Article]:
    return Article.objects.filter(Q(project_id=membership.project_id) & visible_articles_q(membership))


def _in_pool(membership: Membership) -> bool:
    pool = membership.project.annotator_pool
    return membership.role == "annotator" and (pool is None or membership.user_id in pool)


def _claimable(membership: Membership, after: int = 0) -> QuerySet[Article]:
    """Articles short of k that the caller is not on and never started."""
    project = membership.project
    mine = Assignment.objects.filter(article_id=OuterRef("pk"), annotator_id=membership.user_id)
    return (
        short_articles(project.pk, project.annotators_per_article, after)
        .exclude(Exists(mine))
        .exclude(
            Exists(ArticleState.objects.filter(article_id=OuterRef("pk"), annotator_id=membership.user_id))
        )
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
    not_started = _visible(membership).exclude(_started(membership)).count()
    if project.assignment == Mode.OVERLAP and _in_pool(membership):
        full_below = (
            AssignmentQueue.objects.filter(project_id=project.pk, k=project.annotators_per_article)
            .values_list("full_below", flat=True)
            .first()
        )
        not_started += _claimable(membership, after=(full_below or 0) - 1).count()
    return QueueCounts(
        to_do=not_started,
        in_progress=states.get(Status.IN_PROGRESS, 0),
        submitted=states.get(Status.SUBMITTED, 0),
        skipped=states.get(Status.SKIPPED, 0),
        assignment=project.assignment,
        annotators_per_article=project.annotators_per_article,
    )


def _first(articles: QuerySet[Article], exclude: list[int]) -> Article | None:
    return articles.exclude(pk__in=exclude).order_by("pk").only("pk", "external_id", "title").first()


def _own_first(membership: Membership, exclude: list[int]) -> Article | None:
    """The caller's first in-progress article, else their first assigned (overlap) or any
    (open) one not started: read from the caller's own rows, not by walking every article."""
    user_id = membership.user_id
    in_progress = ArticleState.objects.filter(
        Q(annotator_id=user_id, status=Status.IN_PROGRESS, article__project_id=membership.project_id)
        & visible_articles_q(membership, "article__")
    ).exclude(article_id__in=exclude)
    found = in_progress.order_by("article_id").values_list("article_id", flat=True).first()
    status = Status.IN_PROGRESS
    if found is None and sees_assigned_only(membership):
        started = ArticleState.objects.filter(
            article_id=OuterRef("article_id"), annotator_id=user_id, status__in=STARTED
        )
        assigned = Assignment.objects.filter(annotator_id=user_id, project_id=membership.project_id)
        found = (
            assigned.exclude(Exists(started))
            .exclude(article_id__in=exclude)
            .order_by("article_id")
            .values_list("article_id", flat=True)
            .first()
        )
    if found is None:
        status = Status.NOT_STARTED
    if found is not None:
        article = _first(Article.objects.filter(pk=found), [])
    elif sees_assigned_only(membership):
        return None
    else:
        article = _first(_visible(membership).exclude(_started(membership)), exclude)
    if article is not None:
        article.my_status = status  # type: ignore[attr-defined]
    return article


def queue_next(*, actor: User, project_id: int, exclude: list[int] | None = None) -> Article | None:
    """The caller's next article (see the module), claimed for them where it must be, with
    ``my_status`` (in_progress or not_started); None when nothing is left. ``exclude``:
    articles not to hand out now (the one open)."""
    membership = _member(actor, project_id)
    exclude = exclude or []
    found = _own_first(membership, exclude)
    if found is not None or membership.project.assignment != Mode.OVERLAP or not _in_pool(membership):
        return found
    return _claim(membership, exclude)


@transaction.atomic
def _claim(membership: Membership, exclude: list[int]) -> Article | None:
    """Assign the caller the first article short of k, under the project's queue lock."""
    project = membership.project
    queue = queue_lock(project)
    found = _first(_claimable(membership, after=queue.full_below - 1).exclude(pk__in=exclude), [])
    if found is None:
        return None
    Assignment.objects.create(
        project_id=project.pk, article_id=found.pk, annotator_id=membership.user_id, created_at=timezone.now()
    )
    if found.pk <= queue.full_below:  # it was the first short article: it may be full now
        advance(queue)
    found.my_status = Status.NOT_STARTED  # type: ignore[attr-defined]
    return found
