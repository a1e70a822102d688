from django.contrib.auth.models import User
from django.db.models import Q

from annotator.common.errors import NotFound
from annotator.projects.access import membership_get
from annotator.projects.models import Membership

from .models import Article


def article_get(*, user: User, article_id: int) -> tuple[Article, Membership]:
    """An article of one of the user's projects, with the user's membership; else 404."""
    article = Article.objects.filter(pk=article_id).first()
    if article is None:
        raise NotFound("Article not found.")
    return article, membership_get(user=user, project_id=article.project_id)


def of_articles(ids: list[int]) -> Q:
    """Rows (spans, states...) of these articles, ``ids`` ascending. Ids without gaps (a full
    export's batch, an import's new articles) are a range: far cheaper to send and plan than a
    long IN list, which a planner without statistics for fresh rows may take for half the table."""
    if ids and ids[-1] - ids[0] + 1 == len(ids):
        return Q(article_id__gte=ids[0], article_id__lte=ids[-1])
    return Q(article_id__in=ids)
