"""A project's progress: article states and annotation counts per annotator and per label."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.annotations.selectors import project_progress
from annotator.projects.access import READ_ALL_LAYERS
from api import access
from api.permissions import AuthenticatedRequest
from api.serializers.progress import ProjectProgressSerializer


class ProjectProgressView(APIView):
    @extend_schema(
        responses=ProjectProgressSerializer,
        summary="Article states and annotation counts per annotator and per label "
        "(admins, reviewers, researchers)",
    )
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        membership = access.member(
            request, project_id=project_id, roles=READ_ALL_LAYERS, action="see the project's progress"
        )
        return Response(ProjectProgressSerializer(project_progress(membership=membership)).data)
