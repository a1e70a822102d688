from django.contrib.auth.models import User

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
