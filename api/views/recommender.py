"""A project's learned classifier: its latest model and how it scored, and training it."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.preannotation.recommender import recommender_summary
from annotator.preannotation.services import recommender_train_start
from api.permissions import AuthenticatedRequest
from api.serializers.jobs import JobSerializer
from api.serializers.recommender import RecommenderSerializer


class RecommenderView(APIView):
    @extend_schema(
        responses=RecommenderSerializer,
        summary="The project's learned classifier: latest model, cross-validated scores, history (members)",
    )
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        summary = recommender_summary(user=request.user, project_id=project_id)
        return Response(RecommenderSerializer(summary).data)


class RecommenderTrainView(APIView):
    @extend_schema(
        request=None,
        responses={202: JobSerializer},
        summary="Train the project's learned classifier (admins); a job, one at a time per project",
    )
    def post(self, request: AuthenticatedRequest, project_id: int) -> Response:
        job = recommender_train_start(actor=request.user, project_id=project_id)
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
