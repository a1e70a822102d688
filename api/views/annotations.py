"""Spans, relations, document labels and article state. Writes to existing objects carry
their version in If-Match; the services refuse stale (412) or unversioned (428) writes."""

from typing import ClassVar

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.annotations import services
from annotator.annotations.models import DocumentLabel, LayeredAnnotation, Relation, Span
from annotator.annotations.selectors import annotation_get, article_annotations
from annotator.articles.access import article_get
from annotator.preannotation.services import state_set_and_maybe_retrain
from annotator.projects.access import WRITE_OWN_LAYER
from api import access
from api.permissions import AuthenticatedRequest
from api.serializers.annotations import (
    DocumentLabelCreateSerializer,
    DocumentLabelSerializer,
    LabelOnlySerializer,
    RelationCreateSerializer,
    RelationSerializer,
    SpanCreateSerializer,
    SpanSerializer,
    SpanUpdateSerializer,
    StateSerializer,
    StateUpdateSerializer,
    state_data,
)
from api.versioning import IF_MATCH, if_match_version, with_etag


class AnnotationDetailView(APIView):
    """GET / PATCH / DELETE one span, relation or document label."""

    model: ClassVar[type[LayeredAnnotation]]
    serializer_class: ClassVar[type[serializers.ModelSerializer]]

    def get(self, request: AuthenticatedRequest, object_id: int) -> Response:
        obj = annotation_get(self.model, user=request.user, object_id=object_id)
        return with_etag(self.serializer_class(obj).data, obj.version)

    def update(
        self, request: AuthenticatedRequest, object_id: int, expected: int | None
    ) -> LayeredAnnotation:
        raise NotImplementedError

    def remove(self, request: AuthenticatedRequest, object_id: int, expected: int | None) -> None:
        raise NotImplementedError

    def patch(self, request: AuthenticatedRequest, object_id: int) -> Response:
        access.member(
            request,
            annotation=(self.model, object_id),
            roles=WRITE_OWN_LAYER,
            action="write annotations",
        )  # 404, then 403, before any 428 or 400
        expected = if_match_version(request)
        obj = self.update(request, object_id, expected)
        return with_etag(self.serializer_class(obj).data, obj.version)

    def delete(self, request: AuthenticatedRequest, object_id: int) -> Response:
        self.remove(request, object_id, if_match_version(request))
        return Response(status=status.HTTP_204_NO_CONTENT)


# --- spans ------------------------------------------------------------------------------


class SpanListView(APIView):
    @extend_schema(responses=SpanSerializer(many=True))
    def get(self, request: AuthenticatedRequest, article_id: int) -> Response:
        article, membership = article_get(user=request.user, article_id=article_id)
        spans = article_annotations(article=article, membership=membership).spans
        return Response(SpanSerializer(spans, many=True).data)

    @extend_schema(request=SpanCreateSerializer, responses={201: SpanSerializer})
    def post(self, request: AuthenticatedRequest, article_id: int) -> Response:
        span = services.span_create(
            actor=request.user,
            article_id=article_id,
            **access.validated(
                SpanCreateSerializer, request.data, check=access.may_write_annotations(request, article_id)
            ),
        )
        return with_etag(SpanSerializer(span).data, span.version, status.HTTP_201_CREATED)


@extend_schema(responses=SpanSerializer)
class SpanDetailView(AnnotationDetailView):
    model = Span
    serializer_class = SpanSerializer

    @extend_schema(request=SpanUpdateSerializer, parameters=[IF_MATCH])
    def patch(self, request: AuthenticatedRequest, object_id: int) -> Response:
        return super().patch(request, object_id)

    def update(
        self, request: AuthenticatedRequest, object_id: int, expected: int | None
    ) -> LayeredAnnotation:
        changes = access.validated(SpanUpdateSerializer, request.data, partial=True)
        return services.span_update(
            actor=request.user, span_id=object_id, expected_version=expected, **changes
        )

    @extend_schema(parameters=[IF_MATCH], responses={204: None})
    def delete(self, request: AuthenticatedRequest, object_id: int) -> Response:
        return super().delete(request, object_id)

    def remove(self, request: AuthenticatedRequest, object_id: int, expected: int | None) -> None:
        services.span_delete(actor=request.user, span_id=object_id, expected_version=expected)


# --- relations --------------------------------------------------------------------------


class RelationListView(APIView):
    @extend_schema(responses=RelationSerializer(many=True))
    def get(self, request: AuthenticatedRequest, article_id: int) -> Response:
        article, membership = article_get(user=request.user, article_id=article_id)
        relations = article_annotations(article=article, membership=membership).relations
        return Response(RelationSerializer(relations, many=True).data)

    @extend_schema(request=RelationCreateSerializer, responses={201: RelationSerializer})
    def post(self, request: AuthenticatedRequest, article_id: int) -> Response:
        data = access.validated(
            RelationCreateSerializer, request.data, check=access.may_write_annotations(request, article_id)
        )
        relation = services.relation_create(
            actor=request.user,
            article_id=article_id,
            source_id=data["from"],
            target_id=data["to"],
            label=data["label"],
        )
        body = RelationSerializer(relation).data
        return with_etag(body, relation.version, status.HTTP_201_CREATED)


@extend_schema(responses=RelationSerializer)
class RelationDetailView(AnnotationDetailView):
    model = Relation
    serializer_class = RelationSerializer

    @extend_schema(request=LabelOnlySerializer, parameters=[IF_MATCH])
    def patch(self, request: AuthenticatedRequest, object_id: int) -> Response:
        return super().patch(request, object_id)

    def update(
        self, request: AuthenticatedRequest, object_id: int, expected: int | None
    ) -> LayeredAnnotation:
        label = access.validated(LabelOnlySerializer, request.data)["label"]
        return services.relation_update(
            actor=request.user, relation_id=object_id, expected_version=expected, label=label
        )

    @extend_schema(parameters=[IF_MATCH], responses={204: None})
    def delete(self, request: AuthenticatedRequest, object_id: int) -> Response:
        return super().delete(request, object_id)

    def remove(self, request: AuthenticatedRequest, object_id: int, expected: int | None) -> None:
        services.relation_delete(actor=request.user, relation_id=object_id, expected_version=expected)


# --- document labels --------------------------------------------------------------------


class DocumentLabelListView(APIView):
    @extend_schema(responses=DocumentLabelSerializer(many=True))
    def get(self, request: AuthenticatedRequest, article_id: int) -> Response:
        article, membership = article_get(user=request.user, article_id=article_id)
        labels = article_annotations(article=article, membership=membership).document_labels
        return Response(DocumentLabelSerializer(labels, many=True).data)

    @extend_schema(request=DocumentLabelCreateSerializer, responses={201: DocumentLabelSerializer})
    def post(self, request: AuthenticatedRequest, article_id: int) -> Response:
        obj = services.document_label_create(
            actor=request.user,
            article_id=article_id,
            **access.validated(
                DocumentLabelCreateSerializer,
                request.data,
                check=access.may_write_annotations(request, article_id),
            ),
        )
        body = DocumentLabelSerializer(obj).data
        return with_etag(body, obj.version, status.HTTP_201_CREATED)


@extend_schema(responses=DocumentLabelSerializer)
class DocumentLabelDetailView(AnnotationDetailView):
    model = DocumentLabel
    serializer_class = DocumentLabelSerializer

    @extend_schema(request=LabelOnlySerializer, parameters=[IF_MATCH])
    def patch(self, request: AuthenticatedRequest, object_id: int) -> Response:
        return super().patch(request, object_id)

    def update(
        self, request: AuthenticatedRequest, object_id: int, expected: int | None
    ) -> LayeredAnnotation:
        label = access.validated(LabelOnlySerializer, request.data)["label"]
        return services.document_label_update(
            actor=request.user, document_label_id=object_id, expected_version=expected, label=label
        )

    @extend_schema(parameters=[IF_MATCH], responses={204: None})
    def delete(self, request: AuthenticatedRequest, object_id: int) -> Response:
        return super().delete(request, object_id)

    def remove(self, request: AuthenticatedRequest, object_id: int, expected: int | None) -> None:
        services.document_label_delete(
            actor=request.user, document_label_id=object_id, expected_version=expected
        )


# --- state ------------------------------------------------------------------------------


class ArticleStateView(APIView):
    @extend_schema(responses=StateSerializer)
    def get(self, request: AuthenticatedRequest, article_id: int) -> Response:
        article, membership = article_get(user=request.user, article_id=article_id)
        data = state_data(article_annotations(article=article, membership=membership).state)
        return with_etag(data, data["version"])

    @extend_schema(
        request=StateUpdateSerializer,
        responses=StateSerializer,
        parameters=[
            OpenApiParameter(
                "If-Match",
                OpenApiTypes.STR,
                OpenApiParameter.HEADER,
                description="The state's version; required once the state exists (version >= 1).",
            )
        ],
    )
    def put(self, request: AuthenticatedRequest, article_id: int) -> Response:
        state = state_set_and_maybe_retrain(
            actor=request.user,
            article_id=article_id,
            status=access.validated(
                StateUpdateSerializer, request.data, check=access.may_write_annotations(request, article_id)
            )["status"],
            expected_version=if_match_version(request),
        )
        data = state_data(state)
        return with_etag(data, data["version"])
