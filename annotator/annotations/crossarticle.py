"""What deleting an article does to the relations that reach it from other articles.

The article's own annotations go with it (the database cascades); a cross-article relation
living in another article (or pointing from this one into another) changes that other
article too, so it gets its history event and change mark there, as a span delete gives them.
"""

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import Q

from annotator.articles.models import Article
from annotator.articles.services import article_delete
from annotator.common.errors import NotFound
from annotator.projects.access import membership_get, require_admin

from .history import changed_elsewhere, history_record, history_state
from .models import Relation


@transaction.atomic
def article_delete_with_links(*, actor: User, article: Article) -> None:
    """Delete an article; relations joining it to other articles go too, recorded there."""
    require_admin(membership_get(user=actor, project_id=article.project_id), "delete articles")
    # Locked first: a relation joining this article is made only under this lock
    # (locking.locked_article_pair), so none appears between this read and the delete.
    if not Article.objects.select_for_update().filter(pk=article.pk).exists():
        raise NotFound("Article not found.")
    crossing = (
        Relation.objects.filter(Q(article=article) | Q(target__article=article))
        .exclude(article=article, target__article=article)
        .select_related("label", "target")
        .order_by("pk")
    )
    touched: set[tuple[int, str, int | None]] = set()
    for rel in crossing:
        home = Article(pk=rel.article_id, project_id=article.project_id)
        history_record(
            "relation.delete", rel, actor=actor, article=home, before=history_state(rel), after=None
        )
        for other in {rel.article_id, rel.target.article_id} - {article.pk}:
            touched.add((other, rel.layer, rel.annotator_id))
    crossing.delete()
    for other, layer, annotator_id in sorted(touched, key=lambda t: (t[0], t[1], t[2] or 0)):
        changed_elsewhere(
            project_id=article.project_id, article_id=other, layer=layer, annotator_id=annotator_id
        )
    article_delete(actor=actor, article=article)
