"""A project's progress: article states and annotation counts per annotator and per label."""

from drf_spectacular.utils import extend_schema
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.annotations.selectors import project_progress
from annotator.projects.access import READ_ALL_LAYERS, membership_get, require_role
from api.permissions import AuthenticatedRequest
from api.serializers.progress import ProjectProgressSerializer


class ProjectProgressView(APIView):
    @extend_schema(
        responses=ProjectProgressSerializer,
        summary="Article states and annotation counts per annotator and per label "
        "(admins, reviewers, researchers)",
    )
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        membership = membership_get(user=request.user, project_id=project_id)
        require_role(membership, READ_ALL_LAYERS, "see the project's progress")
        return Response(ProjectProgressSerializer(project_progress(membership=membership)).data)
