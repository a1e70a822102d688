"""What of an event a connected member may receive: the REST API's read rules, asked in the
same places (annotations.access for layers, articles.access for articles), never a copy."""

from typing import Any

from annotator.annotations.access import can_read
from annotator.articles.access import check_article_visible, sees_assigned_only, visible_articles_q
from annotator.articles.models import Article
from annotator.common.errors import NotFound
from annotator.projects.models import Membership


def admits(membership: Membership, audience: dict[str, Any]) -> bool:
    """Every condition the audience names holds for ``membership`` (see common.live.Audience)."""
    if "user" in audience and audience["user"] != membership.user_id:
        return False
    if "roles" in audience and membership.role not in audience["roles"]:
        return False
    layer = audience.get("layer")
    if layer and not can_read(membership, layer, audience.get("annotator")):
        return False
    if "article" in audience:
        try:
            check_article_visible(membership, audience["article"])
        except NotFound:
            return False
    return True


def shown(membership: Membership, audience: dict[str, Any], event: dict[str, Any]) -> dict[str, Any] | None:
    """The event as ``membership`` may receive it, or None. An event about many articles
    (``event["articles"]``) keeps only those the member sees, and is dropped if none are left."""
    if not admits(membership, audience):
        return None
    articles = event.get("articles")
    if isinstance(articles, list) and sees_assigned_only(membership):
        seen = Article.objects.filter(visible_articles_q(membership), pk__in=articles).values_list(
            "pk", flat=True
        )
        mine = set(seen)
        articles = [a for a in articles if a in mine]
        if not articles:
            return None
        event = {**event, "articles": articles}
    return event
