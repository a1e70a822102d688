from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.jobs import services
from annotator.jobs.selectors import job_get, job_list
from annotator.projects.access import ADMIN_ONLY
from api import access
from api.pagination import PageNumberPagination, paginated
from api.permissions import AuthenticatedRequest
from api.serializers.jobs import JobCreateSerializer, JobSerializer


class ProjectJobListView(APIView):
    pagination_class = PageNumberPagination  # documents the paginated answer

    @extend_schema(responses=JobSerializer(many=True), summary="A project's jobs, newest first")
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        membership = access.member(request, project_id=project_id)
        return paginated(self, request, job_list(membership=membership), JobSerializer)

    @extend_schema(
        request=JobCreateSerializer,
        responses={202: JobSerializer},
        summary="Start a job (project admins); it runs on a worker, poll it for progress",
    )
    def post(self, request: AuthenticatedRequest, project_id: int) -> Response:
        access.member(request, project_id=project_id, roles=ADMIN_ONLY, action="start jobs")
        data = access.validated(JobCreateSerializer, request.data)
        job = services.job_create(
            actor=request.user,
            project_id=project_id,
            kind=data["kind"],
            params=data["params"],
            from_api=True,
        )
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class JobDetailView(APIView):
    @extend_schema(responses=JobSerializer, summary="A job's status, progress and result")
    def get(self, request: AuthenticatedRequest, job_id: int) -> Response:
        return Response(JobSerializer(job_get(user=request.user, job_id=job_id)).data)


class JobCancelView(APIView):
    @extend_schema(
        request=None,
        responses=JobSerializer,
        summary="Cancel a job: a queued one at once, a running one at its next progress step",
    )
    def post(self, request: AuthenticatedRequest, job_id: int) -> Response:
        return Response(JobSerializer(services.job_cancel(actor=request.user, job_id=job_id)).data)


class JobRetryView(APIView):
    @extend_schema(
        request=None,
        responses={202: JobSerializer},
        summary=(
            "Run a failed or cancelled job again with the same parameters (project admins); "
            "the same job is queued again, and a second retry while it waits changes nothing"
        ),
    )
    def post(self, request: AuthenticatedRequest, job_id: int) -> Response:
        job = services.job_retry(actor=request.user, job_id=job_id)
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)
