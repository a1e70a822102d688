from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.preannotation.recognisers import recognisers
from api.permissions import AuthenticatedRequest
from api.serializers.preannotation import RecogniserSerializer


class RecogniserListView(APIView):
    """The recognisers this server can run, for any signed-in user (they hold no project data)."""

    @extend_schema(
        responses=RecogniserSerializer(many=True), summary="The recognisers, with description and version"
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        return Response(RecogniserSerializer(recognisers(), many=True).data)
