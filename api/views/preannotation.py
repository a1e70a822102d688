from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.common.errors import InvalidInput
from annotator.jobs.selectors import job_list
from annotator.preannotation.recognisers import recognisers
from annotator.preannotation.services import PREANNOTATE, preannotate_start
from annotator.projects.access import ADMIN_ONLY
from api import access
from api.pagination import PageNumberPagination, paginated
from api.parsers import JSONParser
from api.permissions import AuthenticatedRequest
from api.serializers.jobs import JobSerializer
from api.serializers.preannotation import PreannotateSerializer, RecogniserSerializer


class RecogniserListView(APIView):
    """The recognisers this server can run, for any signed-in user (they hold no project data)."""

    @extend_schema(
        responses=RecogniserSerializer(many=True), summary="The recognisers, with description and version"
    )
    def get(self, request: AuthenticatedRequest) -> Response:
        return Response(RecogniserSerializer(recognisers(), many=True).data)


class PreannotateView(APIView):
    parser_classes = [JSONParser]
    pagination_class = PageNumberPagination  # documents the paginated answer

    @extend_schema(
        responses=JobSerializer(many=True), summary="The project's pre-annotation jobs, newest first (admins)"
    )
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        membership = access.member(
            request, project_id=project_id, roles=ADMIN_ONLY, action=f"list {PREANNOTATE} jobs"
        )
        return paginated(
            self, request, job_list(membership=membership).filter(kind=PREANNOTATE), JobSerializer
        )

    @extend_schema(
        request=PreannotateSerializer,
        responses={202: JobSerializer},
        summary="Run recognisers over the project's articles as a job (admins); poll it for progress",
    )
    def post(self, request: AuthenticatedRequest, project_id: int) -> Response:
        access.member(request, project_id=project_id, roles=ADMIN_ONLY, action="run pre-annotation")
        # The service checks the body (the serializer only documents it): one set of rules and
        # messages for the API and the command, and no unknown field silently dropped.
        if not isinstance(request.data, dict):
            raise InvalidInput("The body must be a JSON object.")
        job = preannotate_start(actor=request.user, project_id=project_id, params=dict(request.data))
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
