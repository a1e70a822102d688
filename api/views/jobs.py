from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.jobs import services
from annotator.jobs.selectors import job_get, job_list
from annotator.projects.access import membership_get, require_admin, require_role
from api.pagination import PageNumberPagination
from api.permissions import AuthenticatedRequest
from api.serializers.jobs import JobCreateSerializer, JobSerializer


def jobs_page(
    view: APIView, request: AuthenticatedRequest, project_id: int, kind: str, roles: frozenset[str] | set[str]
) -> Response:
    """One page of the project's jobs of one kind, for the members in ``roles``."""
    membership = membership_get(user=request.user, project_id=project_id)
    require_role(membership, roles, f"list {kind} jobs")
    paginator = PageNumberPagination()
    page = paginator.paginate_queryset(job_list(membership=membership).filter(kind=kind), request, view=view)
    return paginator.get_paginated_response(JobSerializer(page, many=True).data)


class ProjectJobListView(APIView):
    @extend_schema(responses=JobSerializer(many=True), summary="A project's jobs, newest first")
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        membership = membership_get(user=request.user, project_id=project_id)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(job_list(membership=membership), request, view=self)
        return paginator.get_paginated_response(JobSerializer(page, many=True).data)

    @extend_schema(
        request=JobCreateSerializer,
        responses={202: JobSerializer},
        summary="Start a job (project admins); it runs on a worker, poll it for progress",
    )
    def post(self, request: AuthenticatedRequest, project_id: int) -> Response:
        # 404 for non-members, then 403 for non-admins, before any 400 about the body.
        require_admin(membership_get(user=request.user, project_id=project_id), "start jobs")
        serializer = JobCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = services.job_create(
            actor=request.user,
            project_id=project_id,
            kind=serializer.validated_data["kind"],
            params=serializer.validated_data["params"],
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
