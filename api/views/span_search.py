"""The project's span search: what "link to another article" offers, a page at a time."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.annotations.search import span_search
from annotator.annotations.speakers import speaker_map
from api import access
from api.pagination import PageNumberPagination, paginated
from api.permissions import AuthenticatedRequest
from api.serializers.search import SpanHitSerializer, SpanQuerySerializer


class ProjectSpanSearchView(APIView):
    pagination_class = PageNumberPagination  # documents the paginated answer

    @extend_schema(
        parameters=[SpanQuerySerializer],
        responses=SpanHitSerializer(many=True),
        summary="Search one layer's spans of the project by text, label and speaker, by article then position",
    )
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        check = lambda: access.member(request, project_id=project_id)  # noqa: E731
        query = access.validated(SpanQuerySerializer, request.query_params, check=check)
        found = span_search(actor=request.user, project_id=project_id, **query)
        return paginated(self, request, found, SpanHitSerializer, {"speakers": speaker_map(project_id)})
