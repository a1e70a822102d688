"""Reads for pre-annotation and the recommender: which articles a run covers, which were
annotated, the trained models, the jobs running now."""

from django.db.models import Exists, OuterRef, QuerySet

from annotator.annotations.models import ArticleState, Layer, Span, Status
from annotator.articles.models import Article
from annotator.jobs.models import Job, JobStatus
from annotator.projects.models import Membership

from .models import RecommenderModel

ACTIVE = (JobStatus.QUEUED, JobStatus.RUNNING)


def selected_articles(project_id: int, articles: str | list[int]) -> QuerySet[Article]:
    """The project's articles a run covers: all, those nobody has annotated yet (no span in an
    annotator's or the gold layer, not submitted), or the listed ones."""
    qs = Article.objects.filter(project_id=project_id)
    if isinstance(articles, list):
        return qs.filter(pk__in=articles)
    if articles == "unannotated":
        spans = Span.objects.filter(article=OuterRef("pk"), layer__in=(Layer.ANNOTATOR, Layer.GOLD))
        submitted = ArticleState.objects.filter(article=OuterRef("pk"), status=Status.SUBMITTED)
        qs = qs.filter(~Exists(spans), ~Exists(submitted))
    return qs


def recommender_models(*, membership: Membership) -> QuerySet[RecommenderModel]:
    """The membership's project's trained models, newest first, without their blobs."""
    return (
        RecommenderModel.objects.filter(project_id=membership.project_id).defer("blob").order_by("-version")
    )


def annotated_articles(*, project_id: int) -> QuerySet[Article]:
    """Articles someone submitted or marked spans in (own or gold layer), newest first."""
    submitted = ArticleState.objects.filter(article=OuterRef("pk"), status=Status.SUBMITTED)
    marked = Span.objects.filter(article=OuterRef("pk"), layer__in=[Layer.ANNOTATOR, Layer.GOLD])
    return (
        Article.objects.filter(project_id=project_id)
        .filter(Exists(submitted) | Exists(marked))
        .order_by("-id")
    )


def submitted_count(*, project_id: int) -> int:
    """How many (annotator, article) states of the project are submitted."""
    return ArticleState.objects.filter(article__project_id=project_id, status=Status.SUBMITTED).count()


def job_active(*, project_id: int, kind: str) -> Job | None:
    """The project's oldest job of ``kind`` queued or running now, if any."""
    return Job.objects.filter(project_id=project_id, kind=kind, status__in=ACTIVE).order_by("id").first()
