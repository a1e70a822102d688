from django.http import HttpRequest, JsonResponse
from django.urls import include, path, re_path, register_converter
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from api.errors import error_body
from api.serializers.fields import MAX_ID
from api.views import (
    accounts,
    adjudication,
    agreement,
    annotations,
    articles,
    assignments,
    comments,
    exchange,
    graph,
    jobs,
    preannotation,
    progress,
    projects,
    recommender,
    span_search,
    speakers,
    suggestions,
    webhooks,
)


class IdConverter:
    """A path id: 1 to 2**63-1 (the databases' positive ids). Anything else names nothing: the
    URL does not match (404) and no query is made (SQLite cannot bind a bigger number)."""

    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(value)  # Django: no match
        return number

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(IdConverter, "id")

v1 = [
    path("auth/token/", accounts.TokenLoginView.as_view(), name="auth-token"),
    path("auth/session/", accounts.SessionView.as_view(), name="auth-session"),
    path("me/", accounts.MeView.as_view(), name="me"),
    path("tokens/", accounts.TokenListView.as_view(), name="token-list"),
    path("tokens/<id:token_id>/", accounts.TokenDetailView.as_view(), name="token-detail"),
    path("projects/", projects.ProjectListView.as_view(), name="project-list"),
    path("projects/<id:project_id>/", projects.ProjectDetailView.as_view(), name="project-detail"),
    path("projects/<id:project_id>/members/", projects.MemberListView.as_view(), name="member-list"),
    path(
        "projects/<id:project_id>/members/<id:membership_id>/",
        projects.MemberDetailView.as_view(),
        name="member-detail",
    ),
    path("projects/<id:project_id>/labels/", projects.LabelListView.as_view(), name="label-list"),
    path("labels/<id:label_id>/", projects.LabelDetailView.as_view(), name="label-detail"),
    path("projects/<id:project_id>/articles/", articles.ArticleListView.as_view(), name="article-list"),
    path("articles/<id:article_id>/", articles.ArticleDetailView.as_view(), name="article-detail"),
    path("articles/<id:article_id>/state/", annotations.ArticleStateView.as_view(), name="article-state"),
    path("articles/<id:article_id>/spans/", annotations.SpanListView.as_view(), name="span-list"),
    path("spans/<id:object_id>/", annotations.SpanDetailView.as_view(), name="span-detail"),
    path("articles/<id:article_id>/relations/", annotations.RelationListView.as_view(), name="relation-list"),
    path("relations/<id:object_id>/", annotations.RelationDetailView.as_view(), name="relation-detail"),
    path(
        "articles/<id:article_id>/document-labels/",
        annotations.DocumentLabelListView.as_view(),
        name="document-label-list",
    ),
    path(
        "document-labels/<id:object_id>/",
        annotations.DocumentLabelDetailView.as_view(),
        name="document-label-detail",
    ),
    path(
        "projects/<id:project_id>/progress/", progress.ProjectProgressView.as_view(), name="project-progress"
    ),
    path("projects/<id:project_id>/jobs/", jobs.ProjectJobListView.as_view(), name="job-list"),
    path("jobs/<id:job_id>/", jobs.JobDetailView.as_view(), name="job-detail"),
    path("projects/<id:project_id>/imports/", exchange.ImportListView.as_view(), name="import-list"),
    path("projects/<id:project_id>/graph/", graph.ProjectGraphView.as_view(), name="project-graph"),
    path(
        "projects/<id:project_id>/spans/",
        span_search.ProjectSpanSearchView.as_view(),
        name="project-span-search",
    ),
    path(
        "projects/<id:project_id>/speakers/",
        speakers.ProjectSpeakerListView.as_view(),
        name="project-speaker-list",
    ),
    path(
        "projects/<id:project_id>/speakers/spellings/",
        speakers.ProjectSpellingListView.as_view(),
        name="project-speaker-spellings",
    ),
    path("speakers/<id:speaker_id>/", speakers.SpeakerDetailView.as_view(), name="speaker-detail"),
    path(
        "projects/<id:project_id>/webhooks/", webhooks.ProjectWebhookListView.as_view(), name="webhook-list"
    ),
    path("webhooks/<id:webhook_id>/", webhooks.WebhookDetailView.as_view(), name="webhook-detail"),
    path("webhooks/<id:webhook_id>/deliveries/", webhooks.DeliveryListView.as_view(), name="delivery-list"),
    path(
        "webhooks/<id:webhook_id>/deliveries/<id:delivery_id>/redeliver/",
        webhooks.DeliveryRedeliverView.as_view(),
        name="delivery-redeliver",
    ),
    path("webhooks/<id:webhook_id>/ping/", webhooks.WebhookPingView.as_view(), name="webhook-ping"),
    path("projects/<id:project_id>/export.jsonl", exchange.ExportStreamView.as_view(), name="export-stream"),
    path("projects/<id:project_id>/exports/", exchange.ExportListView.as_view(), name="export-list"),
    path(
        "projects/<id:project_id>/exports/<id:job_id>/",
        exchange.ExportDetailView.as_view(),
        name="export-detail",
    ),
    path(
        "projects/<id:project_id>/exports/<id:job_id>/download",
        exchange.ExportDownloadView.as_view(),
        name="export-download",
    ),
    path("jobs/<id:job_id>/cancel/", jobs.JobCancelView.as_view(), name="job-cancel"),
    path("jobs/<id:job_id>/retry/", jobs.JobRetryView.as_view(), name="job-retry"),
    path("recognisers/", preannotation.RecogniserListView.as_view(), name="recogniser-list"),
    path(
        "projects/<id:project_id>/recommender/",
        recommender.RecommenderView.as_view(),
        name="recommender-detail",
    ),
    path(
        "projects/<id:project_id>/recommender/train/",
        recommender.RecommenderTrainView.as_view(),
        name="recommender-train",
    ),
    # Span and relation suggestions are rows of two tables: each has its own path.
    path(
        "articles/<id:article_id>/suggestions/",
        suggestions.ArticleSuggestionListView.as_view(),
        name="article-suggestion-list",
    ),
    path(
        "articles/<id:article_id>/suggestions/accept/",
        suggestions.ArticleSuggestionAcceptView.as_view(),
        name="article-suggestions-accept",
    ),
    path(
        "articles/<id:article_id>/suggestions/reject/",
        suggestions.ArticleSuggestionRejectView.as_view(),
        name="article-suggestions-reject",
    ),
    path(
        "suggestions/<id:suggestion_id>/accept/",
        suggestions.SuggestionAcceptView.as_view(),
        name="suggestion-accept",
    ),
    path(
        "suggestions/<id:suggestion_id>/reject/",
        suggestions.SuggestionRejectView.as_view(),
        name="suggestion-reject",
    ),
    path(
        "relation-suggestions/<id:suggestion_id>/accept/",
        suggestions.RelationSuggestionAcceptView.as_view(),
        name="relation-suggestion-accept",
    ),
    path(
        "relation-suggestions/<id:suggestion_id>/reject/",
        suggestions.RelationSuggestionRejectView.as_view(),
        name="relation-suggestion-reject",
    ),
    path(
        "projects/<id:project_id>/preannotate/", preannotation.PreannotateView.as_view(), name="preannotate"
    ),
    # --- the workflow: assignment and the queue, adjudication, comments ---
    path(
        "projects/<id:project_id>/assignments/",
        assignments.AssignmentListView.as_view(),
        name="assignment-list",
    ),
    path(
        "assignments/<id:assignment_id>/",
        assignments.AssignmentDetailView.as_view(),
        name="assignment-detail",
    ),
    path("projects/<id:project_id>/workload/", assignments.WorkloadView.as_view(), name="workload"),
    path("projects/<id:project_id>/queue/", assignments.QueueView.as_view(), name="queue"),
    path("projects/<id:project_id>/queue/next/", assignments.QueueNextView.as_view(), name="queue-next"),
    path(
        "projects/<id:project_id>/agreement/",
        agreement.ProjectAgreementView.as_view(),
        name="project-agreement",
    ),
    path(
        "projects/<id:project_id>/agreement/csv/",
        agreement.ProjectAgreementCsvView.as_view(),
        name="project-agreement-csv",
    ),
    path(
        "projects/<id:project_id>/review-queue/", adjudication.ReviewQueueView.as_view(), name="review-queue"
    ),
    path(
        "projects/<id:project_id>/adjudicate/",
        adjudication.ProjectAdjudicateView.as_view(),
        name="project-adjudicate",
    ),
    path(
        "articles/<id:article_id>/adjudicate/",
        adjudication.ArticleAdjudicateView.as_view(),
        name="article-adjudicate",
    ),
    path("articles/<id:article_id>/review/", adjudication.ArticleReviewView.as_view(), name="article-review"),
    path("spans/<id:object_id>/copy/", adjudication.SpanCopyView.as_view(), name="span-copy"),
    path("relations/<id:object_id>/copy/", adjudication.RelationCopyView.as_view(), name="relation-copy"),
    path(
        "articles/<id:article_id>/comments/",
        comments.ArticleCommentListView.as_view(),
        name="article-comments",
    ),
    path("comments/<id:comment_id>/", comments.CommentDetailView.as_view(), name="comment-detail"),
    path(
        "suggestions/<id:suggestion_id>/reopen/",
        suggestions.SuggestionReopenView.as_view(),
        name="suggestion-reopen",
    ),
    path(
        "relation-suggestions/<id:suggestion_id>/reopen/",
        suggestions.RelationSuggestionReopenView.as_view(),
        name="relation-suggestion-reopen",
    ),
]


@csrf_exempt  # it changes nothing, and a token client has no CSRF cookie to send
def not_found(request: HttpRequest) -> JsonResponse:
    """Any other /api/ URL (an id out of range among them): the API's 404, not an HTML page."""
    return JsonResponse(error_body("No such API endpoint or object.", "not_found"), status=404)


urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Split: the page loads its script from a URL (Content-Security-Policy: no inline script).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="docs"),
    # Only paths ending in "/": a missing slash is still redirected (APPEND_SLASH) to here.
    re_path(r"^.*/$", not_found),
]
