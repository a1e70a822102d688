"""Comment threads on articles, spans and relations."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.projects.access import WRITE_OWN_LAYER
from annotator.workflow import comments as services
from api import access
from api.parsers import JSONParser
from api.permissions import AuthenticatedRequest
from api.serializers.comments import CommentCreateSerializer, CommentSerializer, CommentUpdateSerializer
from api.versioning import IF_MATCH, if_match_version, with_etag


class ArticleCommentListView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        responses=CommentSerializer(many=True),
        summary="The article's comments the caller may read, oldest first",
    )
    def get(self, request: AuthenticatedRequest, article_id: int) -> Response:
        found = services.article_comments(actor=request.user, article_id=article_id)
        return Response(CommentSerializer(found, many=True).data)

    @extend_schema(
        request=CommentCreateSerializer,
        responses={201: CommentSerializer},
        summary="Start a thread (on the article, a span or a relation) or reply to one",
    )
    def post(self, request: AuthenticatedRequest, article_id: int) -> Response:
        check = lambda: access.member(request, article_id=article_id, roles=WRITE_OWN_LAYER, action="comment")  # noqa: E731
        data = access.validated(CommentCreateSerializer, request.data, check=check)
        comment = services.comment_create(actor=request.user, article_id=article_id, **data)
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)


class CommentDetailView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(responses=CommentSerializer, summary="One comment")
    def get(self, request: AuthenticatedRequest, comment_id: int) -> Response:
        comment, _ = services.comment_get(actor=request.user, comment_id=comment_id)
        return with_etag(CommentSerializer(comment).data, comment.version)

    @extend_schema(
        request=CommentUpdateSerializer,
        responses=CommentSerializer,
        parameters=[IF_MATCH],
        summary="Edit the body (its author) or resolve / reopen the thread",
    )
    def patch(self, request: AuthenticatedRequest, comment_id: int) -> Response:
        check = lambda: services.comment_get(actor=request.user, comment_id=comment_id)  # noqa: E731
        data = access.validated(CommentUpdateSerializer, request.data, check=check)
        comment = services.comment_update(
            actor=request.user, comment_id=comment_id, expected_version=if_match_version(request), **data
        )
        return with_etag(CommentSerializer(comment).data, comment.version)

    @extend_schema(
        parameters=[IF_MATCH], responses={204: None}, summary="Delete a comment (its author, or an admin)"
    )
    def delete(self, request: AuthenticatedRequest, comment_id: int) -> Response:
        services.comment_delete(
            actor=request.user, comment_id=comment_id, expected_version=if_match_version(request)
        )
        return Response(status=status.HTTP_204_NO_CONTENT)
