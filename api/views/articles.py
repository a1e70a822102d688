import hashlib

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import status
from rest_framework.renderers import BrowsableAPIRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.annotations.crossarticle import article_delete_with_links
from annotator.annotations.models import Status
from annotator.annotations.selectors import article_annotations, article_list, with_my_status
from annotator.articles import services
from annotator.articles.access import article_get
from annotator.articles.services import ArticleInput
from annotator.projects.access import ADMIN_ONLY
from api import access
from api.pagination import PageNumberPagination
from api.permissions import AuthenticatedRequest
from api.renderers import FastJSONRenderer, RenderedResponse
from api.serializers.article_detail import article_detail_data
from api.serializers.articles import (
    ArticleBatchResultSerializer,
    ArticleDetailSerializer,
    ArticleInputSerializer,
    ArticleQuerySerializer,
    ArticleSerializer,
    ArticleUpdateSerializer,
)


class ArticleListView(APIView):
    pagination_class = PageNumberPagination  # documents the paginated answer

    @extend_schema(parameters=[ArticleQuerySerializer], responses=ArticleSerializer(many=True))
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        membership = access.member(request, project_id=project_id)
        filters = access.validated(ArticleQuerySerializer, request.query_params)
        articles = article_list(membership=membership, **filters)
        paginator = PageNumberPagination()
        page = with_my_status(
            paginator.paginate_queryset(articles, request, view=self) or [], membership=membership
        )
        return paginator.get_paginated_response(ArticleSerializer(page, many=True).data)

    @extend_schema(
        request=ArticleInputSerializer,
        responses={201: ArticleSerializer, 200: ArticleSerializer},
        description="One article, or a JSON list of up to 1000 (then the response is "
        "{created, unchanged, articles}). All-or-nothing: nothing is written unless every item is valid. "
        "The same external id with the same text is a no-op; with different text, a 409.",
    )
    def post(self, request: AuthenticatedRequest, project_id: int) -> Response:
        access.member(request, project_id=project_id, roles=ADMIN_ONLY, action="add articles")
        many = isinstance(request.data, list)
        data = access.validated(ArticleInputSerializer, request.data, many=many)
        items = data if many else [data]
        added = services.articles_add(
            actor=request.user, project_id=project_id, items=[ArticleInput(**item) for item in items]
        )
        code = status.HTTP_201_CREATED if added.created else status.HTTP_200_OK
        for article in added.articles:
            article.my_status = Status.NOT_STARTED  # type: ignore[attr-defined]
        if many:
            body = ArticleBatchResultSerializer(
                {"created": added.created, "unchanged": added.unchanged, "articles": added.articles}
            ).data
            return Response(body, status=code)
        return Response(ArticleSerializer(added.articles[0]).data, status=code)


def _detail(request: AuthenticatedRequest, article_id: int) -> dict:
    article, membership = article_get(user=request.user, article_id=article_id)
    return article_detail_data(article, article_annotations(article=article, membership=membership))


class ArticleDetailView(APIView):
    # Thousands of annotations: orjson writes them (DRF's output, a tenth of the time).
    renderer_classes = [FastJSONRenderer, BrowsableAPIRenderer]

    @extend_schema(
        responses=ArticleDetailSerializer,
        parameters=[OpenApiParameter("If-None-Match", OpenApiTypes.STR, OpenApiParameter.HEADER)],
        description="The text and every layer the caller may see. The ETag changes whenever "
        "anything visible changes; send it in If-None-Match to get 304 when nothing did.",
    )
    def get(self, request: AuthenticatedRequest, article_id: int) -> Response:
        data = _detail(request, article_id)
        # The body as sent (its dicts are built in a fixed order, so equal content gives equal bytes).
        body = FastJSONRenderer().render(data)
        tag = f'W/"{hashlib.sha256(body).hexdigest()[:32]}"'
        if request.headers.get("If-None-Match") == tag:
            response = Response(status=status.HTTP_304_NOT_MODIFIED)
        else:
            response = RenderedResponse(data, body)
        response["ETag"] = tag
        return response

    @extend_schema(request=ArticleUpdateSerializer, responses=ArticleDetailSerializer)
    def patch(self, request: AuthenticatedRequest, article_id: int) -> Response:
        article, _ = article_get(user=request.user, article_id=article_id)
        access.member(request, project_id=article.project_id, roles=ADMIN_ONLY, action="edit articles")
        changes = access.validated(ArticleUpdateSerializer, request.data, partial=True)
        services.article_update(actor=request.user, article=article, **changes)
        return Response(_detail(request, article_id))

    @extend_schema(responses={204: None})
    def delete(self, request: AuthenticatedRequest, article_id: int) -> Response:
        article, _ = article_get(user=request.user, article_id=article_id)
        article_delete_with_links(actor=request.user, article=article)
        return Response(status=status.HTTP_204_NO_CONTENT)
