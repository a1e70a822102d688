"""The reviewer's side: which articles are ready for adjudication (the review queue, with
their agreement), and an article's review status (set with the version it was read at)."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Count, Exists, OuterRef

from annotator.annotations.locking import locked_article
from annotator.annotations.models import ArticleState, Layer, Span, Status
from annotator.articles.access import article_get
from annotator.articles.models import Article, Assignment
from annotator.common import events
from annotator.common.errors import InvalidInput, StaleVersion, VersionRequired
from annotator.projects.access import READ_ALL_LAYERS, WRITE_GOLD, membership_get, require_role
from annotator.projects.models import Assignment as Mode
from annotator.projects.models import Project

from .models import ArticleReview, ReviewStatus

NOT_REVIEWED = "none"  # the review_status filter's value for articles without a review
ORDERINGS = ("id", "-id", "disagreements", "-disagreements", "agreement", "-agreement")


# --- the review queue ------------------------------------------------------------------------


def ready_articles(project: Project, min_submitted: int | None = None) -> dict[int, list[int]]:
    """The articles ready for adjudication, with who submitted each (annotator ids): every
    assignee submitted (overlap) or k annotators did (open); with ``min_submitted``, at least
    that many did."""
    submitted: dict[int, list[int]] = defaultdict(list)
    for article_id, user_id in (
        ArticleState.objects.filter(article__project_id=project.pk, status=Status.SUBMITTED)
        .order_by("article_id", "annotator_id")
        .values_list("article_id", "annotator_id")
    ):
        submitted[article_id].append(user_id)
    if min_submitted is not None:
        return {a: users for a, users in submitted.items() if len(users) >= min_submitted}
    if project.assignment == Mode.OPEN:
        return {a: users for a, users in submitted.items() if len(users) >= project.annotators_per_article}
    assigned: dict[int, set[int]] = defaultdict(set)
    for article_id, user_id in Assignment.objects.filter(project_id=project.pk).values_list(
        "article_id", "annotator_id"
    ):
        assigned[article_id].add(user_id)
    return {a: users for a, users in submitted.items() if assigned.get(a) and assigned[a] <= set(users)}


def _figures(ready: dict[int, list[int]]) -> dict[int, tuple[float | None, int]]:
    """(agreement, disagreements) of each ready article over its submitted layers, from one
    aggregate: per span key, how many of those layers have it."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])  # keys, keys everyone has
    submitted_layer = Exists(
        ArticleState.objects.filter(
            article_id=OuterRef("article_id"), annotator_id=OuterRef("annotator_id"), status=Status.SUBMITTED
        )
    )
    ids = list(ready)
    for at in range(0, len(ids), 5000):
        rows = (
            Span.objects.filter(submitted_layer, article_id__in=ids[at : at + 5000], layer=Layer.ANNOTATOR)
            .values("article_id", "start", "end", "label_id")
            .annotate(n=Count("annotator_id", distinct=True))
            .values_list("article_id", "n")
        )
        for article_id, n in rows:
            counts[article_id][0] += 1
            counts[article_id][1] += n >= len(ready[article_id])
    return {
        a: ((c[1] / c[0]) if c[0] else None, c[0] - c[1])
        for a, c in ((a, counts.get(a, [0, 0])) for a in ready)
    }


@dataclass
class QueueItem:
    id: int
    external_id: str = ""
    title: str = ""
    agreement: float | None = None
    disagreements: int = 0
    review_status: str = ""
    submitted: int = 0
    gold_spans: int = 0
    annotators: list[dict[str, str]] = field(default_factory=list)


def review_queue(
    *,
    actor: User,
    project_id: int,
    min_submitted: int | None = None,
    review_status: str = "",
    ordering: str = "-disagreements",
) -> list[QueueItem]:
    """The ready articles with their agreement, sorted (no details yet: see queue_details)."""
    membership = membership_get(user=actor, project_id=project_id)
    require_role(membership, READ_ALL_LAYERS, "see the review queue")
    if ordering not in ORDERINGS:
        raise InvalidInput(
            f"ordering: one of {', '.join(ORDERINGS)}.",
            fields={"ordering": [f"One of {', '.join(ORDERINGS)}."]},
        )
    ready = ready_articles(membership.project, min_submitted)
    statuses = dict(
        ArticleReview.objects.filter(article_id__in=list(ready)).values_list("article_id", "status")
    )
    items = [
        QueueItem(
            a,
            agreement=agreement,
            disagreements=n,
            review_status=statuses.get(a, ""),
            submitted=len(ready[a]),
        )
        for a, (agreement, n) in _figures(ready).items()
    ]
    if review_status:
        wanted = "" if review_status == NOT_REVIEWED else review_status
        items = [item for item in items if item.review_status == wanted]
    key = ordering.lstrip("-")
    reverse = ordering.startswith("-")

    def sort_key(item: QueueItem) -> tuple[float, int]:
        value = getattr(item, key)
        if value is None:  # no spans: after the rest, whichever way
            value = float("-inf") if reverse else float("inf")
        return (value, -item.id if reverse else item.id)

    return sorted(items, key=sort_key, reverse=reverse)


def queue_details(items: list[QueueItem]) -> list[QueueItem]:
    """Titles, annotators with their states, and gold span counts, for one page of items."""
    ids = [item.id for item in items]
    articles = {
        pk: (external_id, title)
        for pk, external_id, title in Article.objects.filter(pk__in=ids).values_list(
            "pk", "external_id", "title"
        )
    }
    people: dict[int, list[dict[str, str]]] = defaultdict(list)
    for article_id, username, status in (
        ArticleState.objects.filter(article_id__in=ids)
        .order_by("annotator__username")
        .values_list("article_id", "annotator__username", "status")
    ):
        people[article_id].append({"username": username, "status": status})
    gold = dict(
        Span.objects.filter(article_id__in=ids, layer=Layer.GOLD)
        .values("article_id")
        .annotate(n=Count("id"))
        .values_list("article_id", "n")
    )
    for item in items:
        item.external_id, item.title = articles.get(item.id, ("", ""))
        item.annotators = people.get(item.id, [])
        item.gold_spans = gold.get(item.id, 0)
    return items


# --- an article's review status ---------------------------------------------------------


def review_get(*, actor: User, article_id: int) -> ArticleReview | None:
    """An article's review (None: not reviewed yet, version 0); any member who sees it."""
    article_get(user=actor, article_id=article_id)
    return ArticleReview.objects.select_related("reviewed_by").filter(article_id=article_id).first()


@transaction.atomic
def review_set(*, actor: User, article_id: int, status: str, expected_version: int | None) -> ArticleReview:
    """Set an article's review status (reviewers, admins), from the version read (0: none yet)."""
    article, membership = locked_article(actor=actor, article_id=article_id)
    require_role(membership, WRITE_GOLD, "review articles")
    if status not in ReviewStatus.values:
        raise InvalidInput(
            f"Unknown status {status!r}.", fields={"status": [f"One of {', '.join(ReviewStatus.values)}."]}
        )
    review = ArticleReview.objects.select_for_update().filter(article=article).first()
    current = review.version if review is not None else 0
    if expected_version is None:
        raise VersionRequired(
            f"Send the review's version in If-Match (it is {current}; 0 before the first review)."
        )
    if expected_version != current:
        raise StaleVersion(
            f"The review changed since you read it (you sent version {expected_version}, it is now {current}); "
            "reload and try again.",
            current_version=current,
        )
    if review is None:
        review = ArticleReview.objects.create(article=article, status=status, reviewed_by=actor)
        newly = status
    elif review.status != status or review.reviewed_by_id != actor.pk:
        newly = status if review.status != status else ""  # another reviewer's same verdict: no event
        review.status = status
        review.reviewed_by = actor
        review.version += 1
        review.save()
    else:
        return review
    if newly == ReviewStatus.ADJUDICATED:
        adjudicated = {**events.article_data(article), "reviewer": actor.username}
        events.publish(article.project_id, "article.adjudicated", adjudicated)
    return review
