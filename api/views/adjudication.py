"""The review queue, adjudication into gold, copies into gold, and review status."""

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.projects.access import WRITE_GOLD
from annotator.workflow import gold
from annotator.workflow.jobs import project_adjudicate_start
from annotator.workflow.models import ArticleReview
from annotator.workflow.review import QueueItem, queue_details, review_get, review_queue, review_set
from api import access
from api.pagination import PageNumberPagination
from api.parsers import JSONParser
from api.permissions import AuthenticatedRequest
from api.serializers.adjudication import (
    AdjudicateResultSerializer,
    AdjudicateSerializer,
    CopySerializer,
    ProjectAdjudicateSerializer,
    ReviewQueueItemSerializer,
    ReviewQueueQuerySerializer,
    ReviewSerializer,
    ReviewUpdateSerializer,
)
from api.serializers.annotations import RelationSerializer, SpanSerializer
from api.serializers.jobs import JobSerializer
from api.versioning import if_match_version, with_etag


class ReviewQueueView(APIView):
    pagination_class = PageNumberPagination  # documents the paginated answer

    @extend_schema(
        parameters=[ReviewQueueQuerySerializer],
        responses=ReviewQueueItemSerializer(many=True),
        summary="Articles ready for adjudication, with their agreement (reviewers, admins, researchers)",
    )
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        access.member(request, project_id=project_id)
        query = access.validated(ReviewQueueQuerySerializer, request.query_params)
        items = review_queue(actor=request.user, project_id=project_id, **query)
        paginator = PageNumberPagination()
        page: list[QueueItem] = paginator.paginate_queryset(items, request, view=self) or []  # type: ignore[arg-type]
        return paginator.get_paginated_response(
            ReviewQueueItemSerializer(queue_details(page), many=True).data
        )


def _gold_member(request: AuthenticatedRequest, article_id: int) -> Any:
    """The access check of a gold write to an article, for ``access.validated``."""
    return lambda: access.member(
        request, article_id=article_id, roles=WRITE_GOLD, action="adjudicate into gold"
    )


class ArticleAdjudicateView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        request=AdjudicateSerializer,
        responses=AdjudicateResultSerializer,
        summary="Copy into gold what at least m layers share; answers what was added and the disagreements",
    )
    def post(self, request: AuthenticatedRequest, article_id: int) -> Response:
        data = access.validated(AdjudicateSerializer, request.data, check=_gold_member(request, article_id))
        plan = gold.article_adjudicate(actor=request.user, article_id=article_id, **data)
        return Response(AdjudicateResultSerializer(plan.as_dict()).data)


class ProjectAdjudicateView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        request=ProjectAdjudicateSerializer,
        responses={202: JobSerializer},
        summary="Adjudicate every ready article as a job (reviewers, admins)",
    )
    def post(self, request: AuthenticatedRequest, project_id: int) -> Response:
        access.member(request, project_id=project_id, roles=WRITE_GOLD, action="adjudicate into gold")
        data = access.validated(ProjectAdjudicateSerializer, request.data)
        job = project_adjudicate_start(actor=request.user, project_id=project_id, params=data)
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class SpanCopyView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        request=CopySerializer,
        responses={201: SpanSerializer, 200: SpanSerializer},
        summary="Copy a span into gold (reviewers, admins); 200 with the gold span if it is there already",
    )
    def post(self, request: AuthenticatedRequest, object_id: int) -> Response:
        data = access.validated(CopySerializer, request.data)
        span, created = gold.span_copy(actor=request.user, span_id=object_id, layer=data["layer"])
        return Response(SpanSerializer(span).data, status=201 if created else 200)


class RelationCopyView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        request=CopySerializer,
        responses={201: RelationSerializer, 200: RelationSerializer},
        summary="Copy a relation and its spans into gold (reviewers, admins)",
    )
    def post(self, request: AuthenticatedRequest, object_id: int) -> Response:
        data = access.validated(CopySerializer, request.data)
        relation, created = gold.relation_copy(actor=request.user, relation_id=object_id, layer=data["layer"])
        return Response(RelationSerializer(relation).data, status=201 if created else 200)


def _review_data(review: ArticleReview | None) -> dict[str, Any]:
    if review is None:
        return {"status": "", "reviewed_by": None, "version": 0, "updated_at": None}
    by = review.reviewed_by.username if review.reviewed_by is not None else None
    return {
        "status": review.status,
        "reviewed_by": by,
        "version": review.version,
        "updated_at": review.updated_at,
    }


class ArticleReviewView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(responses=ReviewSerializer, summary="An article's review status (version 0: not reviewed)")
    def get(self, request: AuthenticatedRequest, article_id: int) -> Response:
        data = ReviewSerializer(_review_data(review_get(actor=request.user, article_id=article_id))).data
        return with_etag(data, data["version"])

    @extend_schema(
        request=ReviewUpdateSerializer,
        responses=ReviewSerializer,
        parameters=[
            OpenApiParameter(
                "If-Match",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description='The version read ("0" before the first review).',
            )
        ],
        summary="Set the review status (reviewers, admins); stale -> 412, missing If-Match -> 428",
    )
    def put(self, request: AuthenticatedRequest, article_id: int) -> Response:
        data = access.validated(ReviewUpdateSerializer, request.data, check=_gold_member(request, article_id))
        review = review_set(
            actor=request.user,
            article_id=article_id,
            status=data["status"],
            expected_version=if_match_version(request),
        )
        out = ReviewSerializer(_review_data(review)).data
        return with_etag(out, out["version"])
