"""Reviewing suggestions: list an article's, accept or reject one, or all above a score.

Accept and reject are state transitions guarded by the suggestion's status (pending ->
accepted / rejected), not edits of a version the caller read, so they take no If-Match: a
repeated accept gets the same annotation back (200), and a repeated reject changes nothing.
Span and relation suggestions are rows of two tables whose ids can coincide, so each has its
own path: /suggestions/{id}/... for spans, /relation-suggestions/{id}/... for relations.
"""

from typing import ClassVar

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.annotations import rejecting, reopen, review
from annotator.annotations.models import LayeredAnnotation, Relation, Span
from annotator.annotations.selectors import article_suggestions
from annotator.articles.access import article_get
from annotator.projects.access import WRITE_OWN_LAYER
from api import access
from api.permissions import AuthenticatedRequest
from api.serializers.annotations import RelationSerializer, SpanSerializer
from api.serializers.suggestions import (
    SuggestionAcceptSerializer,
    SuggestionBulkResultSerializer,
    SuggestionBulkSerializer,
    SuggestionListSerializer,
    SuggestionQuerySerializer,
)
from api.versioning import with_etag


class ArticleSuggestionListView(APIView):
    @extend_schema(
        parameters=[SuggestionQuerySerializer],
        responses=SuggestionListSerializer,
        summary="The article's suggestions (pending by default), spans and relations",
    )
    def get(self, request: AuthenticatedRequest, article_id: int) -> Response:
        article, membership = article_get(user=request.user, article_id=article_id)  # 404 before 400
        query = access.validated(SuggestionQuerySerializer, request.query_params)
        found = article_suggestions(article=article, membership=membership, **query)
        return Response(SuggestionListSerializer(found).data)


class SuggestionAcceptView(APIView):
    """Accept a span suggestion into the caller's layer, or gold with {"layer": "gold"}."""

    model: ClassVar[type[Span] | type[Relation]] = Span
    serializer_class: ClassVar[type[serializers.ModelSerializer]] = SpanSerializer

    def accept(
        self, request: AuthenticatedRequest, suggestion_id: int, layer: str
    ) -> tuple[LayeredAnnotation, bool]:
        return review.suggestion_accept(actor=request.user, suggestion_id=suggestion_id, layer=layer)

    @extend_schema(
        request=SuggestionAcceptSerializer,
        responses={201: SpanSerializer, 200: SpanSerializer},
        summary="Accept a span suggestion: 201 with the new span, 200 with the one already there",
    )
    def post(self, request: AuthenticatedRequest, suggestion_id: int) -> Response:
        layer = access.validated(
            SuggestionAcceptSerializer,
            request.data,
            check=lambda: access.member(
                request,
                suggestion=(self.model, suggestion_id),
                roles=WRITE_OWN_LAYER,
                action="review suggestions",
            ),
        )["layer"]
        obj, created = self.accept(request, suggestion_id, layer)
        code = status.HTTP_201_CREATED if created else status.HTTP_200_OK
        return with_etag(self.serializer_class(obj).data, obj.version, code)


class RelationSuggestionAcceptView(SuggestionAcceptView):
    """Accept a relation suggestion, and the two span suggestions it joins, into one layer."""

    model = Relation
    serializer_class = RelationSerializer

    def accept(
        self, request: AuthenticatedRequest, suggestion_id: int, layer: str
    ) -> tuple[LayeredAnnotation, bool]:
        return review.relation_suggestion_accept(actor=request.user, suggestion_id=suggestion_id, layer=layer)

    @extend_schema(
        request=SuggestionAcceptSerializer,
        responses={201: RelationSerializer, 200: RelationSerializer},
        summary="Accept a relation suggestion with its spans: 201 new, 200 already there",
    )
    def post(self, request: AuthenticatedRequest, suggestion_id: int) -> Response:
        return super().post(request, suggestion_id)


class SuggestionRejectView(APIView):
    """Reject a span suggestion; the pending relation suggestions that use it go too."""

    @extend_schema(request=None, responses=SpanSerializer, summary="Reject a span suggestion")
    def post(self, request: AuthenticatedRequest, suggestion_id: int) -> Response:
        span = rejecting.suggestion_reject(actor=request.user, suggestion_id=suggestion_id)
        return with_etag(SpanSerializer(span).data, span.version)


class RelationSuggestionRejectView(APIView):
    @extend_schema(request=None, responses=RelationSerializer, summary="Reject a relation suggestion")
    def post(self, request: AuthenticatedRequest, suggestion_id: int) -> Response:
        relation = rejecting.relation_suggestion_reject(actor=request.user, suggestion_id=suggestion_id)
        return with_etag(RelationSerializer(relation).data, relation.version)


class ArticleSuggestionBulkView(APIView):
    verb: ClassVar[str]

    def post(self, request: AuthenticatedRequest, article_id: int) -> Response:
        data = access.validated(
            SuggestionBulkSerializer, request.data, check=access.may_write_annotations(request, article_id)
        )
        result = review.suggestions_bulk(actor=request.user, article_id=article_id, action=self.verb, **data)
        return Response(result)


class ArticleSuggestionAcceptView(ArticleSuggestionBulkView):
    verb = "accept"

    @extend_schema(
        request=SuggestionBulkSerializer,
        responses=SuggestionBulkResultSerializer,
        summary="Accept every pending suggestion of the article scoring at least min_score",
    )
    def post(self, request: AuthenticatedRequest, article_id: int) -> Response:
        return super().post(request, article_id)


class ArticleSuggestionRejectView(ArticleSuggestionBulkView):
    verb = "reject"

    @extend_schema(
        request=SuggestionBulkSerializer,
        responses=SuggestionBulkResultSerializer,
        summary="Reject every pending suggestion of the article scoring at least min_score",
    )
    def post(self, request: AuthenticatedRequest, article_id: int) -> Response:
        return super().post(request, article_id)


class SuggestionReopenView(APIView):
    """Take back an accept or a reject (the web app's undo)."""

    @extend_schema(
        request=None,
        responses=SpanSerializer,
        summary="A decided span suggestion back to pending; the span accepted from it into your layer goes",
    )
    def post(self, request: AuthenticatedRequest, suggestion_id: int) -> Response:
        span = reopen.suggestion_reopen(actor=request.user, suggestion_id=suggestion_id)
        return with_etag(SpanSerializer(span).data, span.version)


class RelationSuggestionReopenView(APIView):
    @extend_schema(
        request=None,
        responses=RelationSerializer,
        summary="A decided relation suggestion back to pending; the relation accepted from it goes",
    )
    def post(self, request: AuthenticatedRequest, suggestion_id: int) -> Response:
        relation = reopen.relation_suggestion_reopen(actor=request.user, suggestion_id=suggestion_id)
        return with_etag(RelationSerializer(relation).data, relation.version)
