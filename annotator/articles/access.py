"""Which articles of a project a member may see. Every article lookup asks here.

Under "overlap" assignment an annotator sees only the articles assigned to them (an article
they were unassigned from, their work on it included, is hidden again); everyone else, and
every annotator of an "open" project, sees every article of the project."""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Exists, OuterRef, Q

from annotator.common.errors import NotFound
from annotator.projects.access import membership_get
from annotator.projects.models import Assignment as Mode
from annotator.projects.models import Membership, Role

from .models import Article, Assignment


def sees_assigned_only(membership: Membership) -> bool:
    return membership.role == Role.ANNOTATOR and membership.project.assignment == Mode.OVERLAP


def visible_articles_q(membership: Membership, prefix: str = "") -> Q:
    """Q for the articles (``prefix``: the path to an article, e.g. "article__") ``membership``
    may see, within its project (the caller filters by project)."""
    if not sees_assigned_only(membership):
        return Q()
    return assigned_q(membership.user_id, prefix)


def assigned_q(user_id: int, prefix: str = "") -> Q:
    """Q for the articles assigned to ``user_id``: what ``visible_articles_q`` lets an
    annotator see under "overlap" (for a caller that decided that with ``sees_assigned_only``)."""
    outer = f"{prefix}pk" if prefix else "pk"
    assigned = Assignment.objects.filter(article_id=OuterRef(outer), annotator_id=user_id)
    return Q(Exists(assigned))


def check_article_visible(membership: Membership, article_id: int) -> None:
    """404 unless the member may see this article (which is in their project)."""
    if (
        sees_assigned_only(membership)
        and not Assignment.objects.filter(article_id=article_id, annotator_id=membership.user_id).exists()
    ):
        raise NotFound("Article not found.")


def membership_for_article(*, user: User | AnonymousUser, article_id: int) -> Membership:
    """The caller's membership in the project of an article they may see; else 404."""
    project_id = Article.objects.filter(pk=article_id).values_list("project_id", flat=True).first()
    if project_id is None:
        raise NotFound("Article not found.")
    membership = membership_get(user=user, project_id=project_id, not_found="Article not found.")
    check_article_visible(membership, article_id)
    return membership


def article_get(*, user: User | AnonymousUser, article_id: int) -> tuple[Article, Membership]:
    """An article the user may see, with the user's membership; else 404."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        raise NotFound("Article not found.")
    membership = membership_get(user=user, project_id=article.project_id, not_found="Article not found.")
    check_article_visible(membership, article_id)
    return article, membership
