from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from annotator.articles.models import Article
from annotator.common.errors import NotFound
from annotator.projects.access import membership_get
from annotator.projects.models import Membership

from .access import can_read, visible_layers_q
from .models import ArticleState, DocumentLabel, LayeredAnnotation, Relation, Span


@dataclass(frozen=True)
class ArticleAnnotations:
    spans: QuerySet[Span]
    relations: QuerySet[Relation]
    document_labels: QuerySet[DocumentLabel]
    state: ArticleState | None


def article_annotations(*, article: Article, membership: Membership) -> ArticleAnnotations:
    """Every layer of ``article`` the member may read, with the joins the API needs."""
    visible = visible_layers_q(membership)
    return ArticleAnnotations(
        spans=Span.objects.filter(visible, article=article).select_related("label", "annotator"),
        relations=Relation.objects.filter(visible, article=article).select_related("label", "annotator"),
        document_labels=DocumentLabel.objects.filter(visible, article=article).select_related(
            "label", "annotator"
        ),
        state=ArticleState.objects.filter(article=article, annotator_id=membership.user_id).first(),
    )


def annotation_get(model: type[LayeredAnnotation], *, user: User, object_id: int) -> LayeredAnnotation:
    """One span, relation or document label the user may read; anything else is a 404."""
    obj = model._default_manager.select_related("label", "annotator", "article").filter(pk=object_id).first()
    name = model._meta.verbose_name
    if obj is None:
        raise NotFound(f"{str(name).capitalize()} not found.")
    membership = membership_get(user=user, project_id=obj.article.project_id)
    if not can_read(membership, obj.layer, obj.annotator_id):
        raise NotFound(f"{str(name).capitalize()} not found.")
    return obj


def article_list(
    *,
    membership: Membership,
    search: str = "",
    status: str = "",
    has_label: str = "",
) -> QuerySet[Article]:
    """The project's articles with the caller's status, filtered; text is not loaded."""
    my_state = ArticleState.objects.filter(article=OuterRef("pk"), annotator_id=membership.user_id)
    qs = (
        Article.objects.filter(project_id=membership.project_id)
        .defer("text")
        .annotate(my_status=Coalesce(Subquery(my_state.values("status")[:1]), Value("not_started")))
    )
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(text__icontains=search) | Q(external_id=search))
    if status:
        qs = qs.filter(my_status=status)
    if has_label:
        spans = Span.objects.filter(visible_layers_q(membership), article=OuterRef("pk"))
        spans = (
            spans.filter(label__name=has_label)
            if not has_label.isdigit()
            else spans.filter(label_id=int(has_label))
        )
        qs = qs.filter(Exists(spans))
    return qs.order_by("id")
