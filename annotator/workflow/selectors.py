"""Reads of the workflow: assignments and each annotator's load."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from annotator.annotations import rules
from annotator.annotations.models import ArticleState
from annotator.articles.models import Article, Assignment
from annotator.projects.access import READ_ALL_LAYERS, membership_get, require_role
from annotator.projects.models import Membership, Role

from .assignment import annotator_pool, short_articles


def assignment_list(
    *, membership: Membership, annotator: str = "", article: int | None = None
) -> QuerySet[Assignment]:
    """The project's assignments (an annotator's own only, for an annotator), with the
    assignee's state of the article."""
    qs = Assignment.objects.filter(project_id=membership.project_id)
    if membership.role == Role.ANNOTATOR:
        qs = qs.filter(annotator_id=membership.user_id)
    if annotator:
        qs = qs.filter(annotator__username=annotator)
    if article is not None:
        qs = qs.filter(article_id=article)
    state = ArticleState.objects.filter(
        article_id=OuterRef("article_id"), annotator_id=OuterRef("annotator_id")
    )
    return (
        qs.select_related("article", "annotator", "assigned_by")
        .defer("article__text", "article__meta")
        .annotate(status=Coalesce(Subquery(state.values("status")[:1]), Value(rules.NOT_STARTED)))
        .order_by("article_id", "annotator__username")
    )


@dataclass
class Load:
    annotator: str
    assigned: int = 0
    not_started: int = 0
    in_progress: int = 0
    submitted: int = 0
    skipped: int = 0


@dataclass
class Workload:
    articles: int
    short: int  # articles with fewer than k annotators
    annotators: list[Load] = field(default_factory=list)


def workload(*, actor: User, project_id: int) -> Workload:
    """Each annotator's assigned articles by their state (the pool's annotators, and anyone
    else holding assignments); reviewers, admins and researchers."""
    membership = membership_get(user=actor, project_id=project_id)
    require_role(membership, READ_ALL_LAYERS, "see the workload")
    project = membership.project
    names = dict(annotator_pool(project).items())
    assignments = Assignment.objects.filter(project_id=project_id)
    assigned = dict(
        assignments.values("annotator_id").annotate(n=Count("id")).values_list("annotator_id", "n")
    )
    names.update(User.objects.filter(pk__in=assigned.keys() - names.keys()).values_list("pk", "username"))
    on_assigned = Exists(
        Assignment.objects.filter(article_id=OuterRef("article_id"), annotator_id=OuterRef("annotator_id"))
    )
    states: dict[int, dict[str, int]] = defaultdict(dict)
    for user_id, status, n in (
        ArticleState.objects.filter(on_assigned, article__project_id=project_id)
        .values("annotator_id", "status")
        .annotate(n=Count("id"))
        .values_list("annotator_id", "status", "n")
    ):
        states[user_id][status] = n
    loads = []
    for user_id, name in sorted(names.items(), key=lambda item: item[1]):
        mine = states.get(user_id, {})
        total = assigned.get(user_id, 0)
        load = Load(
            name, total, 0, mine.get("in_progress", 0), mine.get("submitted", 0), mine.get("skipped", 0)
        )
        load.not_started = max(0, total - load.in_progress - load.submitted - load.skipped)
        loads.append(load)
    articles = Article.objects.filter(project_id=project_id)
    return Workload(
        articles=articles.count(),
        short=short_articles(project_id, project.annotators_per_article).count(),
        annotators=loads,
    )
