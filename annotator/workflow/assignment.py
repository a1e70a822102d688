"""Handing articles to annotators up front: every chosen article ends with k distinct
annotators, each new assignment going to the least-loaded annotator not on the article yet,
so loads that start even differ by at most one. Reassigning and unassigning one article.

Every writer of a project's assignments (this module and the queue's on-demand claim) first
locks the project's AssignmentQueue row (workflow.models): two of them at once would each count
the same assignees and together pass k. Not the project row: annotation writers take that one
after their article's, so a writer here that took it first could deadlock with them."""

import heapq
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from annotator.articles.models import Article, Assignment
from annotator.common.bulk import insert_rows
from annotator.common.errors import Conflict, InvalidInput, NotFound, check_whole_number
from annotator.jobs.models import Job
from annotator.jobs.services import job_create
from annotator.projects.access import ADMIN_ONLY, membership_get, require_role
from annotator.projects.models import MAX_ANNOTATORS_PER_ARTICLE, Membership, Project, Role

from .models import AssignmentQueue

ASSIGN = "assign"  # the job kind
STRATEGIES = ("balanced",)
ARTICLE_CHOICES = ("unassigned", "all")
# More articles than this: the API runs the assignment as a job (kind "assign").
INLINE_MAX_ARTICLES = 2000
BATCH_ARTICLES = 5000  # per progress step of a job

Progress = Callable[[int, int], None]


@dataclass
class AssignResult:
    created: int = 0
    articles: int = 0
    loads: dict[str, int] = field(default_factory=dict)  # every chosen annotator's load after

    def as_dict(self) -> dict[str, Any]:
        return {"created": self.created, "articles": self.articles, "loads": self.loads}


def project_get(project_id: int) -> Project:
    project = Project.objects.filter(pk=project_id).first()
    if project is None:
        raise NotFound("Project not found.")
    return project


def queue_lock(project: Project) -> AssignmentQueue:
    """The project's AssignmentQueue row, locked until the transaction ends; its ``full_below``
    counted again from the start if k changed since."""
    locked = AssignmentQueue.objects.select_for_update()
    queue = locked.filter(project=project).first()
    if queue is None:  # the project's first: made once (a second maker's insert does nothing)
        AssignmentQueue.objects.bulk_create([AssignmentQueue(project=project)], ignore_conflicts=True)
        queue = locked.get(project=project)
    if queue.k != project.annotators_per_article:
        queue.k, queue.full_below = project.annotators_per_article, 0
        queue.save()
    return queue


def short_articles(project_id: int, k: int, after: int = 0) -> QuerySet[Article]:
    """The project's articles with fewer than k annotators (with id > ``after``)."""
    assigned = Assignment.objects.filter(article_id=OuterRef("pk")).order_by().values("article_id")
    counted = Coalesce(Subquery(assigned.annotate(n=Count("pk")).values("n")), 0)
    return (
        Article.objects.filter(project_id=project_id, pk__gt=after)
        .annotate(assignees=counted)
        .filter(assignees__lt=k)
    )


def advance(queue: AssignmentQueue) -> None:
    """Move ``full_below`` up to the first short article (a scan from where it was), and save."""
    first = (
        short_articles(queue.project_id, queue.k, after=queue.full_below - 1)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    found = first.first()
    if found is None:
        last = (
            Article.objects.filter(project_id=queue.project_id)
            .order_by("-pk")
            .values_list("pk", flat=True)
            .first()
        )
        queue.full_below = (last or 0) + 1
    else:
        queue.full_below = found
    queue.save()


def lower(queue: AssignmentQueue, article_id: int) -> None:
    """An article lost an annotator: it may be short again."""
    queue.full_below = min(queue.full_below, article_id)
    queue.save()


def annotator_pool(project: Project) -> dict[int, str]:
    """The annotators the project hands articles to (its pool, or every annotator): id -> name."""
    members = Membership.objects.filter(project=project, role=Role.ANNOTATOR)
    if project.annotator_pool is not None:
        members = members.filter(user_id__in=project.annotator_pool)
    return dict(members.order_by("user__username").values_list("user_id", "user__username"))


def _field_error(field_name: str, message: str) -> InvalidInput:
    return InvalidInput(f"{field_name}: {message}", fields={field_name: [message]})


def check_params(params: dict[str, Any]) -> dict[str, Any]:
    """The request's shape, checked before anything is read: k, articles, annotators, strategy."""
    k = params.get("annotators_per_article")
    if k is not None:
        check_whole_number(k, "annotators_per_article", 1, MAX_ANNOTATORS_PER_ARTICLE)
    articles = params.get("articles", "unassigned")
    if not (
        articles in ARTICLE_CHOICES or (isinstance(articles, list) and all(type(a) is int for a in articles))
    ):
        raise _field_error("articles", '"unassigned", "all" or a list of article ids.')
    annotators = params.get("annotators", "all")
    if not (
        annotators == "all" or (isinstance(annotators, list) and all(isinstance(a, str) for a in annotators))
    ):
        raise _field_error("annotators", '"all" or a list of usernames.')
    strategy = params.get("strategy", "balanced")
    if strategy not in STRATEGIES:
        raise _field_error("strategy", "Only balanced.")
    return {"annotators_per_article": k, "articles": articles, "annotators": annotators, "strategy": strategy}


def _chosen_annotators(project: Project, annotators: str | list[str]) -> dict[int, str]:
    if annotators == "all":
        return annotator_pool(project)
    found = dict(
        Membership.objects.filter(
            project=project, role=Role.ANNOTATOR, user__username__in=annotators
        ).values_list("user_id", "user__username")
    )
    missing = sorted(set(annotators) - set(found.values()))
    if missing:
        raise _field_error("annotators", f"Not annotators of this project: {', '.join(missing)}.")
    return found


def chosen_articles(project_id: int, articles: str | list[int]) -> QuerySet[Article]:
    chosen = Article.objects.filter(project_id=project_id)
    if articles == "unassigned":
        return chosen.exclude(Exists(Assignment.objects.filter(article_id=OuterRef("pk"))))
    if articles == "all":
        return chosen
    if isinstance(articles, str):
        raise _field_error("articles", '"unassigned", "all" or a list of article ids.')
    ids = set(articles)
    found = set(chosen.filter(pk__in=ids).values_list("pk", flat=True))
    if ids - found:
        listed = ", ".join(str(i) for i in sorted(ids - found)[:20])
        raise _field_error("articles", f"Not articles of this project: {listed}.")
    return chosen.filter(pk__in=ids)


def assignment_plan_size(*, project_id: int, params: dict[str, Any]) -> int:
    """How many articles a request names (the API decides: in the request or as a job)."""
    return chosen_articles(project_id, params["articles"]).count()


@transaction.atomic
def assignments_create(
    *, actor: User, project_id: int, params: dict[str, Any], progress: Progress | None = None
) -> AssignResult:
    """Give every chosen article k distinct annotators (its existing ones count), least-loaded
    first; admins only."""
    require_role(membership_get(user=actor, project_id=project_id), ADMIN_ONLY, "assign articles")
    params = check_params(params)
    project = project_get(project_id)
    queue = queue_lock(project)
    k = params["annotators_per_article"] or project.annotators_per_article
    people = _chosen_annotators(project, params["annotators"])
    if k > len(people):
        raise _field_error(
            "annotators_per_article",
            f"{k} annotators per article, but only {len(people)} annotators to choose from.",
        )
    article_ids = list(
        chosen_articles(project_id, params["articles"]).order_by("pk").values_list("pk", flat=True)
    )
    chosen = set(article_ids)
    on_article: dict[int, set[int]] = defaultdict(set)
    for article_id, user_id in (
        Assignment.objects.filter(project_id=project_id)
        .values_list("article_id", "annotator_id")
        .iterator(chunk_size=10_000)
    ):
        if article_id in chosen:
            on_article[article_id].add(user_id)
    loads = dict.fromkeys(people, 0)
    counted = Assignment.objects.filter(project_id=project_id, annotator_id__in=people)
    for user_id, count in (
        counted.values("annotator_id").annotate(n=Count("id")).values_list("annotator_id", "n")
    ):
        loads[user_id] = count
    # (load, name, id): the least-loaded first, ties by name, so a run is reproducible.
    heap = [(loads[uid], name, uid) for uid, name in people.items()]
    heapq.heapify(heap)
    now = timezone.now()
    result = AssignResult(articles=len(article_ids))
    rows: list[tuple[Any, ...]] = []
    for done, article_id in enumerate(article_ids, start=1):
        taken = on_article.get(article_id, set())
        skipped = []
        need = k - len(taken)
        while need > 0 and heap:
            load, name, uid = heapq.heappop(heap)
            if uid in taken:
                skipped.append((load, name, uid))
                continue
            rows.append((project_id, article_id, uid, actor.pk, now, False))
            skipped.append((load + 1, name, uid))
            need -= 1
        for item in skipped:
            heapq.heappush(heap, item)
        if len(rows) >= BATCH_ARTICLES * 3 or done == len(article_ids):
            insert_rows(
                Assignment,
                ("project_id", "article_id", "annotator_id", "assigned_by_id", "created_at", "finished"),
                rows,
            )
            result.created += len(rows)
            rows = []
            if progress is not None:
                progress(done, len(article_ids))
    result.loads = {name: load for load, name, _ in sorted(heap, key=lambda item: item[1])}
    advance(queue)
    return result


def assignment_admin(*, actor: User, assignment_id: int, action: str = "reassign articles") -> Assignment:
    """An assignment of a project the caller administers: 404 for a non-member (and for an
    annotator, unless it is theirs), 403 for the other roles."""
    assignment = Assignment.objects.filter(pk=assignment_id).first()
    if assignment is None:
        raise NotFound("Assignment not found.")
    membership = membership_get(
        user=actor, project_id=assignment.project_id, not_found="Assignment not found."
    )
    if membership.role == Role.ANNOTATOR and assignment.annotator_id != actor.pk:
        raise NotFound("Assignment not found.")  # another annotator's: not theirs to know of
    require_role(membership, ADMIN_ONLY, action)
    return assignment


def _assignment_for_admin(actor: User, assignment_id: int, action: str) -> Assignment:
    found = assignment_admin(actor=actor, assignment_id=assignment_id, action=action)
    queue_lock(project_get(found.project_id))
    locked = Assignment.objects.filter(pk=assignment_id).first()  # read again, under the lock
    if locked is None:
        raise NotFound("Assignment not found.")
    return locked


@transaction.atomic
def assignment_delete(*, actor: User, assignment_id: int) -> None:
    """Unassign one article from one annotator (admins); their work on it stays, hidden from them."""
    assignment = _assignment_for_admin(actor, assignment_id, "unassign articles")
    assignment.delete()
    lower(queue_lock(project_get(assignment.project_id)), assignment.article_id)


@transaction.atomic
def assignment_move(*, actor: User, assignment_id: int, annotator: str) -> Assignment:
    """Give one annotator's assignment to another annotator of the project (admins)."""
    assignment = _assignment_for_admin(actor, assignment_id, "reassign articles")
    user_id = (
        Membership.objects.filter(
            project_id=assignment.project_id, role=Role.ANNOTATOR, user__username=annotator
        )
        .values_list("user_id", flat=True)
        .first()
    )
    if user_id is None:
        raise _field_error("annotator", f"{annotator} is not an annotator of this project.")
    if user_id == assignment.annotator_id:
        return assignment
    if Assignment.objects.filter(article_id=assignment.article_id, annotator_id=user_id).exists():
        raise Conflict(f"{annotator} already has this article.")
    assignment.annotator_id = user_id
    assignment.assigned_by = actor
    assignment.finished = False  # the new annotator's, not the old one's (False is safe)
    try:
        with transaction.atomic():
            assignment.save(update_fields=["annotator", "assigned_by", "finished"])
    except IntegrityError as exc:  # the article was given to them meanwhile (not through here)
        raise Conflict(f"{annotator} already has this article.") from exc
    return assignment


def assignment_start(*, actor: User, project_id: int, params: dict[str, Any]) -> AssignResult | Job:
    """Assign up front (admins): in this request when it names at most INLINE_MAX_ARTICLES
    articles, else as a job of kind "assign" whose result is the same."""
    require_role(membership_get(user=actor, project_id=project_id), ADMIN_ONLY, "assign articles")
    params = check_params(params)
    if chosen_articles(project_id, params["articles"]).count() > INLINE_MAX_ARTICLES:
        return job_create(actor=actor, project_id=project_id, kind=ASSIGN, params=params)
    return assignments_create(actor=actor, project_id=project_id, params=params)
