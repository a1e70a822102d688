"""What every write resolves and locks before it changes anything: the article (locked), the
caller's membership, the layer written, the annotation itself, and the version it was read at.

Locking the article row first keeps the rules that look at siblings (overlap, duplicates)
true under concurrent writers on every database.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction

from annotator.articles.access import check_article_visible, membership_for_article
from annotator.articles.models import Article
from annotator.common.errors import Conflict, InvalidInput, NotFound, StaleVersion, VersionRequired
from annotator.projects.models import Membership

from .access import can_read, check_can_write
from .models import ArticleState, Layer, LayeredAnnotation, Relation, Span, SuggestionStatus

WRITABLE_LAYERS = (Layer.ANNOTATOR, Layer.GOLD)

P = ParamSpec("P")
R = TypeVar("R")

CHANGED_MEANWHILE = (
    "Something this change relies on (a label, a span) was changed or deleted by someone else "
    "meanwhile; nothing was written. Reload and try again."
)


def write_transaction(service: Callable[P, R]) -> Callable[P, R]:
    """``transaction.atomic`` for a write that names rows it does not lock (its label, the
    spans of a relation): one deleted by another transaction meanwhile makes the database
    refuse the write, at the statement or (deferred foreign keys) at commit, and that is a
    409 to reload on, not a server error."""

    @wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            with transaction.atomic():
                return service(*args, **kwargs)
        except IntegrityError:
            raise Conflict(CHANGED_MEANWHILE) from None

    return run


def locked_article(*, actor: User, article_id: int) -> tuple[Article, Membership]:
    """The article, locked for this transaction, and the caller's membership of its project."""
    membership = membership_for_article(user=actor, article_id=article_id)
    # Lock only the article row: every write to one article queues here, other articles
    # and the project's labels stay free.
    locked = Article.objects.select_for_update().filter(pk=article_id).first()
    if locked is None:  # deleted while we waited for its lock
        raise NotFound("Article not found.")
    locked.project = membership.project
    return locked, membership


def span_article_id(span_id: object) -> int | None:
    """The article of a span named by id (unlocked, so only a hint of where to look), or None."""
    if isinstance(span_id, bool) or not isinstance(span_id, int):
        return None
    return Span.objects.filter(pk=span_id).values_list("article_id", flat=True).first()


def locked_article_pair(
    *, actor: User, article_id: int, other_id: int
) -> tuple[Article, Article, Membership]:
    """Two articles of one project (the second one the caller may see, else 404), both locked
    in id order, so two writers joining the same pair from either side never deadlock."""
    membership = membership_for_article(user=actor, article_id=article_id)
    in_project = Article.objects.filter(pk=other_id, project_id=membership.project_id)
    if not in_project.exists():
        raise NotFound("The span named in to is in no article of this project.", fields={"to": ["not found"]})
    check_article_visible(membership, other_id)
    locked = {
        a.pk: a
        for a in Article.objects.select_for_update().filter(pk__in=[article_id, other_id]).order_by("pk")
    }
    if len(locked) != 2:  # one was deleted while we waited for its lock
        raise NotFound("Article not found.")
    for a in locked.values():
        a.project = membership.project
    return locked[article_id], locked[other_id], membership


def lock_relation_articles(*, actor: User, relation_id: int) -> None:
    """A relation suggestion across articles: lock both articles in id order (as
    relation_create does), so two accepts joining the same pair from either side never deadlock."""
    ends = (
        Relation.objects.filter(pk=relation_id, layer=Layer.SUGGESTION)
        .values_list("article_id", "target__article_id")
        .first()
    )
    if ends is not None and ends[0] != ends[1]:
        locked_article_pair(actor=actor, article_id=ends[0], other_id=ends[1])


def lock_bulk_articles(*, actor: User, article_id: int) -> frozenset[int]:
    """Before accepting an article's suggestions in bulk: lock it and every article its pending
    relation suggestions reach across articles, all in id order (as ``locked_article_pair``), so
    two bulk accepts from either end never deadlock. Returns the ids locked; the caller then
    locks the article again (``locked_article``: already held, no wait)."""
    membership = membership_for_article(user=actor, article_id=article_id)
    targets = (
        Relation.objects.filter(
            article_id=article_id, layer=Layer.SUGGESTION, suggestion_status=SuggestionStatus.PENDING
        )
        .exclude(target__article_id=article_id)
        .values_list("target__article_id", flat=True)
    )
    ids = sorted({article_id, *targets})
    if len(ids) > 1:
        in_project = Article.objects.filter(pk__in=ids, project_id=membership.project_id)
        ids = list(in_project.select_for_update().order_by("pk").values_list("pk", flat=True))
    return frozenset(ids)


def layer_owner(membership: Membership, layer: str) -> int | None:
    """Whose layer a write names: the caller's own (annotator) or nobody's (gold)."""
    if layer not in WRITABLE_LAYERS:
        if layer == Layer.SUGGESTION:
            check_can_write(membership, layer, None)
        raise InvalidInput(
            f"Unknown layer {layer!r}; use 'annotator' (your own) or 'gold'.",
            fields={"layer": ["annotator or gold"]},
        )
    return membership.user_id if layer == Layer.ANNOTATOR else None


def check_version(obj: LayeredAnnotation | ArticleState, expected: int | None, what: str) -> None:
    """Refuse a write not based on the object's current version (428 without one, 412 if stale)."""
    if expected is None:
        raise VersionRequired(
            f"Send the {what}'s version in If-Match (it is {obj.version}) so a stale write cannot "
            "overwrite someone else's change."
        )
    if expected != obj.version:
        raise StaleVersion(
            f"The {what} changed since you read it (you sent version {expected}, it is now "
            f"{obj.version}); reload and try again.",
            current_version=obj.version,
        )


def locked_for_write(
    model: type[LayeredAnnotation], *, actor: User, object_id: int, what: str
) -> tuple[Any, Article, Membership]:
    """Fetch an annotation the caller may see (else 404) and may write (else 403), locked."""
    found = model._default_manager.filter(pk=object_id).values("article_id").first()
    if found is None:
        raise NotFound(f"{what.capitalize()} not found.")
    article, membership = locked_article(actor=actor, article_id=found["article_id"])
    obj = (
        model._default_manager.select_for_update(of=("self",))
        .select_related("label", "annotator")
        .filter(pk=object_id)
        .first()
    )
    # Gone while we waited for the article (a concurrent delete), or hidden from the caller.
    if obj is None or not can_read(membership, obj.layer, obj.annotator_id):
        raise NotFound(f"{what.capitalize()} not found.")
    check_can_write(membership, obj.layer, obj.annotator_id)
    return obj, article, membership


def visible_span(article: Article, membership: Membership, span_id: object, field: str) -> Span:
    """A span of this article the caller may read, named by id in ``field``; else 400 or 404."""
    if isinstance(span_id, bool) or not isinstance(span_id, int):
        raise InvalidInput(f"{field} must be a span id", fields={field: ["span id"]})
    span = Span.objects.select_related("label", "annotator").filter(pk=span_id, article=article).first()
    if span is None or not can_read(membership, span.layer, span.annotator_id):
        raise NotFound(f"Span {span_id} not found in this article.", fields={field: ["not found"]})
    return span
