from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from api.views import (
    accounts,
    annotations,
    articles,
    exchange,
    jobs,
    preannotation,
    progress,
    projects,
    recommender,
    suggestions,
)

v1 = [
    path("auth/token/", accounts.TokenLoginView.as_view(), name="auth-token"),
    path("auth/session/", accounts.SessionView.as_view(), name="auth-session"),
    path("me/", accounts.MeView.as_view(), name="me"),
    path("tokens/", accounts.TokenListView.as_view(), name="token-list"),
    path("tokens/<int:token_id>/", accounts.TokenDetailView.as_view(), name="token-detail"),
    path("projects/", projects.ProjectListView.as_view(), name="project-list"),
    path("projects/<int:project_id>/", projects.ProjectDetailView.as_view(), name="project-detail"),
    path("projects/<int:project_id>/members/", projects.MemberListView.as_view(), name="member-list"),
    path(
        "projects/<int:project_id>/members/<int:membership_id>/",
        projects.MemberDetailView.as_view(),
        name="member-detail",
    ),
    path("projects/<int:project_id>/labels/", projects.LabelListView.as_view(), name="label-list"),
    path("labels/<int:label_id>/", projects.LabelDetailView.as_view(), name="label-detail"),
    path("projects/<int:project_id>/articles/", articles.ArticleListView.as_view(), name="article-list"),
    path("articles/<int:article_id>/", articles.ArticleDetailView.as_view(), name="article-detail"),
    path("articles/<int:article_id>/state/", annotations.ArticleStateView.as_view(), name="article-state"),
    path("articles/<int:article_id>/spans/", annotations.SpanListView.as_view(), name="span-list"),
    path("spans/<int:object_id>/", annotations.SpanDetailView.as_view(), name="span-detail"),
    path(
        "articles/<int:article_id>/relations/", annotations.RelationListView.as_view(), name="relation-list"
    ),
    path("relations/<int:object_id>/", annotations.RelationDetailView.as_view(), name="relation-detail"),
    path(
        "articles/<int:article_id>/document-labels/",
        annotations.DocumentLabelListView.as_view(),
        name="document-label-list",
    ),
    path(
        "document-labels/<int:object_id>/",
        annotations.DocumentLabelDetailView.as_view(),
        name="document-label-detail",
    ),
    path(
        "projects/<int:project_id>/progress/", progress.ProjectProgressView.as_view(), name="project-progress"
    ),
    path("projects/<int:project_id>/jobs/", jobs.ProjectJobListView.as_view(), name="job-list"),
    path("jobs/<int:job_id>/", jobs.JobDetailView.as_view(), name="job-detail"),
    path("projects/<int:project_id>/imports/", exchange.ImportListView.as_view(), name="import-list"),
    path("projects/<int:project_id>/export.jsonl", exchange.ExportStreamView.as_view(), name="export-stream"),
    path("projects/<int:project_id>/exports/", exchange.ExportListView.as_view(), name="export-list"),
    path(
        "projects/<int:project_id>/exports/<int:job_id>/",
        exchange.ExportDetailView.as_view(),
        name="export-detail",
    ),
    path(
        "projects/<int:project_id>/exports/<int:job_id>/download",
        exchange.ExportDownloadView.as_view(),
        name="export-download",
    ),
    path("jobs/<int:job_id>/cancel/", jobs.JobCancelView.as_view(), name="job-cancel"),
    path("jobs/<int:job_id>/retry/", jobs.JobRetryView.as_view(), name="job-retry"),
    path("recognisers/", preannotation.RecogniserListView.as_view(), name="recogniser-list"),
    path(
        "projects/<int:project_id>/recommender/",
        recommender.RecommenderView.as_view(),
        name="recommender-detail",
    ),
    path(
        "projects/<int:project_id>/recommender/train/",
        recommender.RecommenderTrainView.as_view(),
        name="recommender-train",
    ),
    # Span and relation suggestions are rows of two tables: each has its own path.
    path(
        "articles/<int:article_id>/suggestions/",
        suggestions.ArticleSuggestionListView.as_view(),
        name="article-suggestion-list",
    ),
    path(
        "articles/<int:article_id>/suggestions/accept/",
        suggestions.ArticleSuggestionAcceptView.as_view(),
        name="article-suggestions-accept",
    ),
    path(
        "articles/<int:article_id>/suggestions/reject/",
        suggestions.ArticleSuggestionRejectView.as_view(),
        name="article-suggestions-reject",
    ),
    path(
        "suggestions/<int:suggestion_id>/accept/",
        suggestions.SuggestionAcceptView.as_view(),
        name="suggestion-accept",
    ),
    path(
        "suggestions/<int:suggestion_id>/reject/",
        suggestions.SuggestionRejectView.as_view(),
        name="suggestion-reject",
    ),
    path(
        "relation-suggestions/<int:suggestion_id>/accept/",
        suggestions.RelationSuggestionAcceptView.as_view(),
        name="relation-suggestion-accept",
    ),
    path(
        "relation-suggestions/<int:suggestion_id>/reject/",
        suggestions.RelationSuggestionRejectView.as_view(),
        name="relation-suggestion-reject",
    ),
    path(
        "projects/<int:project_id>/preannotate/", preannotation.PreannotateView.as_view(), name="preannotate"
    ),
]

urlpatterns = [
    path("v1/", include(v1)),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
]
