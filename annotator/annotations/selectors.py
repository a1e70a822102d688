from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db.models import Exists, FloatField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from annotator.articles.models import Article
from annotator.common.errors import NotFound
from annotator.projects.access import membership_get
from annotator.projects.models import Membership

from .access import can_read, visible_layers_q
from .models import ArticleState, DocumentLabel, Layer, LayeredAnnotation, Relation, Span, Status


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


@dataclass(frozen=True)
class ArticleSuggestions:
    spans: QuerySet[Span]
    relations: QuerySet[Relation]


def article_suggestions(
    *,
    article: Article,
    membership: Membership,
    status: str = "pending",
    min_score: float | None = None,
    recogniser: str = "",
) -> ArticleSuggestions:
    """The suggestion layer of ``article``: ``status`` "" is every status; a suggestion
    without a score counts as scoring 0 (annotated as ``score_or_zero``)."""
    if article.project_id != membership.project_id:
        raise NotFound("Article not found.")
    visible = visible_layers_q(membership) & Q(article=article, layer=Layer.SUGGESTION)
    filters = Q()
    if status:
        filters &= Q(suggestion_status=status)
    if recogniser:
        filters &= Q(recogniser=recogniser)
    if min_score is not None:
        filters &= Q(score_or_zero__gte=min_score)
    # 0 rather than excluded: "at least 0" (the default of the bulk actions) means everything.
    score_or_zero = Coalesce("score", Value(0.0), output_field=FloatField())
    return ArticleSuggestions(
        spans=Span.objects.filter(visible)
        .annotate(score_or_zero=score_or_zero)
        .filter(filters)
        .select_related("label", "annotator"),
        relations=Relation.objects.filter(visible)
        .annotate(score_or_zero=score_or_zero)
        .filter(filters)
        .select_related("label", "annotator"),
    )


def suggestion_get(
    model: type[Span] | type[Relation], *, user: User, suggestion_id: int
) -> tuple[LayeredAnnotation, Membership]:
    """A span or relation suggestion of one of the user's projects, with the membership; else 404."""
    what = "Suggestion" if model is Span else "Relation suggestion"
    obj = (
        model._default_manager.select_related("label", "article")
        .filter(pk=suggestion_id, layer=Layer.SUGGESTION)
        .first()
    )
    if obj is None:
        raise NotFound(f"{what} not found.")
    try:
        membership = membership_get(user=user, project_id=obj.article.project_id)
    except NotFound:
        raise NotFound(f"{what} not found.") from None
    if not can_read(membership, obj.layer, obj.annotator_id):
        raise NotFound(f"{what} not found.")
    return obj, membership


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
    """The project's articles, filtered; text is not loaded. Filtering by the caller's
    status annotates it; otherwise ``with_my_status`` adds it to just the page shown."""
    qs = Article.objects.filter(project_id=membership.project_id).defer("text")
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(text__icontains=search) | Q(external_id=search))
    if status:
        my_state = ArticleState.objects.filter(article=OuterRef("pk"), annotator_id=membership.user_id)
        qs = qs.annotate(
            my_status=Coalesce(Subquery(my_state.values("status")[:1]), Value(Status.NOT_STARTED.value))
        ).filter(my_status=status)
    if has_label:
        spans = Span.objects.filter(visible_layers_q(membership), article=OuterRef("pk"))
        spans = (
            spans.filter(label_id=int(has_label))
            if has_label.isdigit()
            else spans.filter(label__name=has_label)
        )
        qs = qs.filter(Exists(spans))
    return qs.order_by("id")


def with_my_status(articles: list[Article], *, membership: Membership) -> list[Article]:
    """Set ``my_status`` on a page of articles with one query (not one per skipped row)."""
    if not articles or hasattr(articles[0], "my_status"):
        return articles  # already annotated by a status filter
    statuses = dict(
        ArticleState.objects.filter(
            article_id__in=[a.pk for a in articles], annotator_id=membership.user_id
        ).values_list("article_id", "status")
    )
    for article in articles:
        article.my_status = statuses.get(article.pk, Status.NOT_STARTED.value)  # type: ignore[attr-defined]
    return articles
