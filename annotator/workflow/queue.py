"""An annotator's queue: their counts, and the next article to work on.

Next is, in article order: what the caller has in progress, then what is assigned to them and
not started, then (under "overlap") a claim: the first article with fewer than k annotators
that they may take, assigned to them as it is handed out. Claims lock the project row (as every
assignment writer does), so two annotators asking at once never push an article past k. Under
"open" every article is the caller's: in progress first, then not started."""

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from annotator.annotations.models import ArticleState, Status
from annotator.articles.access import visible_articles_q
from annotator.articles.models import Article, Assignment
from annotator.projects.access import WRITE_OWN_LAYER, membership_get, require_role
from annotator.projects.models import Assignment as Mode
from annotator.projects.models import Membership, Project

from .assignment import count_assignees, lock_project

STARTED = (Status.IN_PROGRESS, Status.SUBMITTED, Status.SKIPPED)
MAX_RECOUNTS = 20


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


def _states(membership: Membership, status: str) -> Exists:
    return Exists(
        ArticleState.objects.filter(article_id=OuterRef("pk"), annotator_id=membership.user_id, status=status)
    )


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


def _claimable(membership: Membership) -> QuerySet[Article]:
    """Articles short of k that the caller is not on and never started."""
    project = membership.project
    mine = Assignment.objects.filter(article_id=OuterRef("pk"), annotator_id=membership.user_id)
    return (
        Article.objects.filter(project_id=project.pk, assignees__lt=project.annotators_per_article)
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
        not_started += _claimable(membership).count()
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


def queue_next(*, actor: User, project_id: int, exclude: list[int] | None = None) -> Article | None:
    """The caller's next article (see the module), claimed for them where it must be; None
    when nothing is left. ``exclude``: articles not to hand out now (the one open)."""
    membership = _member(actor, project_id)
    exclude = exclude or []
    visible = _visible(membership)
    found = _first(visible.filter(_states(membership, Status.IN_PROGRESS)), exclude)
    if found is None:
        found = _first(visible.exclude(_started(membership)), exclude)
    if found is not None or membership.project.assignment != Mode.OVERLAP or not _in_pool(membership):
        return found
    return _claim(membership, exclude)


@transaction.atomic
def _claim(membership: Membership, exclude: list[int]) -> Article | None:
    """Assign the caller the first article short of k (under the project lock)."""
    project: Project = lock_project(membership.project_id)
    membership.project = project  # k and the pool as they are now
    if not _in_pool(membership):
        return None
    claimable = _claimable(membership).exclude(pk__in=exclude)
    k = project.annotators_per_article
    for _ in range(MAX_RECOUNTS):
        # One index lookup per possible count (project, assignees, id): the first short article.
        candidates = [_first(claimable.filter(assignees=count), []) for count in range(k)]
        found = min((a for a in candidates if a is not None), key=lambda a: a.pk, default=None)
        if found is None:
            return None
        if Assignment.objects.filter(article_id=found.pk).count() < k:
            break
        count_assignees([found.pk])  # its stored count was behind its rows: fixed, look again
    else:
        return None
    Assignment.objects.create(
        project_id=project.pk, article_id=found.pk, annotator_id=membership.user_id, created_at=timezone.now()
    )
    count_assignees([found.pk])
    return found
