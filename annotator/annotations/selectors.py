from dataclasses import dataclass, replace

from django.contrib.auth.models import User
from django.db.models import Count, Exists, F, FloatField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from annotator.articles.access import check_article_visible, visible_articles_q
from annotator.articles.models import Article, Assignment
from annotator.common.errors import Forbidden, NotFound
from annotator.projects.access import WRITE_OWN_LAYER, membership_get
from annotator.projects.models import Label, Membership, Role

from . import rules
from .access import can_read, visible_layers_q
from .models import (
    ArticleState,
    DocumentLabel,
    Layer,
    LayeredAnnotation,
    Relation,
    Span,
    Status,
    SuggestionStatus,
)


@dataclass(frozen=True)
class ArticleAnnotations:
    spans: QuerySet[Span]
    relations: QuerySet[Relation]  # those living in the article (their source is in it)
    # Cross-article relations of other articles that point into this one.
    incoming_relations: QuerySet[Relation]
    document_labels: QuerySet[DocumentLabel]
    state: ArticleState | None


def article_annotations(*, article: Article, membership: Membership) -> ArticleAnnotations:
    """Every layer of ``article`` the member may read, with the joins the API needs."""
    visible = visible_layers_q(membership)
    return ArticleAnnotations(
        spans=Span.objects.filter(visible, article=article).select_related("label", "annotator"),
        relations=Relation.objects.filter(visible, article=article)
        .annotate(target_article_id=F("target__article_id"))
        .select_related("label", "annotator"),
        incoming_relations=Relation.objects.filter(visible, target__article=article)
        .exclude(article=article)
        .annotate(target_article_id=F("target__article_id"))
        .select_related("label", "annotator"),
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
        .annotate(score_or_zero=score_or_zero, target_article_id=F("target__article_id"))
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
    membership = membership_get(user=user, project_id=obj.article.project_id, not_found=f"{what} not found.")
    if not can_read(membership, obj.layer, obj.annotator_id):
        raise NotFound(f"{what} not found.")
    try:
        check_article_visible(membership, obj.article_id)
    except NotFound:
        raise NotFound(f"{what} not found.") from None
    return obj, membership


def annotation_get(model: type[LayeredAnnotation], *, user: User, object_id: int) -> LayeredAnnotation:
    """One span, relation or document label the user may read; anything else is a 404."""
    obj = model._default_manager.select_related("label", "annotator", "article").filter(pk=object_id).first()
    name = model._meta.verbose_name
    if obj is None:
        raise NotFound(f"{str(name).capitalize()} not found.")
    not_found = f"{str(name).capitalize()} not found."
    membership = membership_get(user=user, project_id=obj.article.project_id, not_found=not_found)
    if not can_read(membership, obj.layer, obj.annotator_id):
        raise NotFound(not_found)
    try:
        check_article_visible(membership, obj.article_id)
    except NotFound:
        raise NotFound(not_found) from None
    return obj


def article_list(
    *,
    membership: Membership,
    search: str = "",
    status: str = "",
    has_label: str = "",
    assigned_to: str = "",
) -> QuerySet[Article]:
    """The project's articles, filtered; text is not loaded. Filtering by the caller's
    status annotates it; otherwise ``with_my_status`` adds it to just the page shown.
    ``assigned_to``: a username; an annotator may name only themselves (who else has their
    articles is not theirs to know)."""
    qs = Article.objects.filter(visible_articles_q(membership), project_id=membership.project_id).defer(
        "text"
    )
    if search:
        qs = qs.filter(Q(title__icontains=search) | Q(text__icontains=search) | Q(external_id=search))
    if status:
        my_state = ArticleState.objects.filter(article=OuterRef("pk"), annotator_id=membership.user_id)
        qs = qs.annotate(
            my_status=Coalesce(Subquery(my_state.values("status")[:1]), Value(rules.NOT_STARTED))
        ).filter(my_status=status)
    if has_label:
        spans = Span.objects.filter(visible_layers_q(membership), article=OuterRef("pk"))
        spans = (
            spans.filter(label_id=int(has_label))
            if has_label.isdigit()
            else spans.filter(label__name=has_label)
        )
        qs = qs.filter(Exists(spans))
    if assigned_to:
        if membership.role == Role.ANNOTATOR and assigned_to != membership.user.username:
            raise Forbidden("An annotator may list only the articles assigned to them.")
        assigned = Assignment.objects.filter(article_id=OuterRef("pk"), annotator__username=assigned_to)
        qs = qs.filter(Exists(assigned))
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
        article.my_status = statuses.get(article.pk, rules.NOT_STARTED)  # type: ignore[attr-defined]
    return articles


@dataclass(frozen=True)
class AnnotatorProgress:
    user_id: int
    username: str
    role: str | None  # None: no longer a member, but their layer is still there
    statuses: dict[str, int]  # every Status value, not_started included
    spans: int
    relations: int
    document_labels: int


@dataclass(frozen=True)
class LabelProgress:
    id: int
    name: str
    kind: str
    colour: str
    annotators: dict[str, int]  # username -> uses in that annotator's layer
    gold: int
    suggestions: dict[str, int]  # pending / accepted / rejected


@dataclass(frozen=True)
class ProjectProgress:
    articles: int
    annotators: list[AnnotatorProgress]
    labels: list[LabelProgress]


def project_progress(*, membership: Membership) -> ProjectProgress:
    """Counts of the project's states and annotations per annotator and per label, in a
    fixed handful of grouped queries however large the project is."""
    project_id = membership.project_id
    articles = Article.objects.filter(project_id=project_id).count()
    states: dict[int, dict[str, int]] = {}
    for row in (
        ArticleState.objects.filter(article__project_id=project_id)
        .values("annotator_id", "status")
        .annotate(n=Count("id"))
        .order_by()
    ):
        states.setdefault(row["annotator_id"], {})[row["status"]] = row["n"]
    # (kind, layer, annotator_id, suggestion_status, label_id) -> count
    uses: dict[tuple[str, str, int | None, str, int], int] = {}
    for kind, model in (("spans", Span), ("relations", Relation), ("document_labels", DocumentLabel)):
        rows = (
            model._default_manager.filter(article__project_id=project_id)
            .values("layer", "annotator_id", "suggestion_status", "label_id")
            .annotate(n=Count("id"))
            .order_by()
        )
        for row in rows:
            key = (kind, row["layer"], row["annotator_id"], row["suggestion_status"], row["label_id"])
            uses[key] = row["n"]

    roles = dict(Membership.objects.filter(project_id=project_id).values_list("user_id", "role"))
    annotating = {uid for uid, role in roles.items() if role in WRITE_OWN_LAYER}
    user_ids = annotating | set(states) | {k[2] for k in uses if k[1] == Layer.ANNOTATOR and k[2]}
    names = dict(User.objects.filter(pk__in=user_ids).values_list("id", "username"))

    def total(kind: str, user_id: int) -> int:
        return sum(n for k, n in uses.items() if k[0] == kind and k[1] == Layer.ANNOTATOR and k[2] == user_id)

    annotators = []
    for user_id in sorted(user_ids, key=lambda uid: names.get(uid, "")):
        counts = states.get(user_id, {})
        started = sum(counts.values())
        statuses = {s.value: counts.get(s.value, 0) for s in Status}
        statuses[rules.NOT_STARTED] += max(articles - started, 0)  # no state: not started
        annotators.append(
            AnnotatorProgress(
                user_id=user_id,
                username=names.get(user_id, f"user {user_id}"),
                role=roles.get(user_id),
                statuses=statuses,
                spans=total("spans", user_id),
                relations=total("relations", user_id),
                document_labels=total("document_labels", user_id),
            )
        )

    per_label: dict[int, LabelProgress] = {
        label.pk: LabelProgress(
            id=label.pk,
            name=label.name,
            kind=label.kind,
            colour=label.colour,
            annotators={},
            gold=0,
            suggestions={s.value: 0 for s in SuggestionStatus if s.value},
        )
        for label in Label.objects.filter(project_id=project_id).order_by("kind", "id")
    }
    for (_, layer, annotator_id, suggestion_status, label_id), n in uses.items():
        entry = per_label.get(label_id)
        if entry is None:
            continue
        if layer == Layer.ANNOTATOR and annotator_id is not None:
            name = names.get(annotator_id, f"user {annotator_id}")
            entry.annotators[name] = entry.annotators.get(name, 0) + n
        elif layer == Layer.GOLD:
            per_label[label_id] = replace(entry, gold=entry.gold + n)
        elif layer == Layer.SUGGESTION:
            entry.suggestions[suggestion_status] = entry.suggestions.get(suggestion_status, 0) + n
    labels = list(per_label.values())
    return ProjectProgress(articles=articles, annotators=annotators, labels=labels)
