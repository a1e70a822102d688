"""Assigning articles to annotators, the workload, and an annotator's queue."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.common.errors import InvalidInput
from annotator.jobs.models import Job
from annotator.projects.access import ADMIN_ONLY, WRITE_OWN_LAYER
from annotator.workflow import assignment as services
from annotator.workflow.queue import queue_counts, queue_next
from annotator.workflow.selectors import assignment_list, workload
from api import access
from api.pagination import PageNumberPagination, paginated
from api.parsers import JSONParser
from api.permissions import AuthenticatedRequest
from api.serializers.jobs import JobSerializer
from api.serializers.workflow import (
    AssignmentMoveSerializer,
    AssignmentQuerySerializer,
    AssignmentSerializer,
    AssignRequestSerializer,
    AssignResultSerializer,
    QueueNextQuerySerializer,
    QueueNextSerializer,
    QueueSerializer,
    WorkloadSerializer,
)


class AssignmentListView(APIView):
    parser_classes = [JSONParser]
    pagination_class = PageNumberPagination  # documents the paginated answer

    @extend_schema(
        parameters=[AssignmentQuerySerializer],
        responses=AssignmentSerializer(many=True),
        summary="The project's assignments (an annotator: their own)",
    )
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        membership = access.member(request, project_id=project_id)
        filters = access.validated(AssignmentQuerySerializer, request.query_params)
        return paginated(
            self, request, assignment_list(membership=membership, **filters), AssignmentSerializer
        )

    @extend_schema(
        request=AssignRequestSerializer,
        responses={201: AssignResultSerializer, 202: JobSerializer},
        summary="Assign articles up front (admins): k distinct annotators each, loads balanced; "
        "more than 2,000 articles run as a job",
    )
    def post(self, request: AuthenticatedRequest, project_id: int) -> Response:
        access.member(request, project_id=project_id, roles=ADMIN_ONLY, action="assign articles")
        if not isinstance(request.data, dict):
            raise InvalidInput("The body must be a JSON object.")
        done = services.assignment_start(actor=request.user, project_id=project_id, params=dict(request.data))
        if isinstance(done, Job):
            return Response(JobSerializer(done).data, status=status.HTTP_202_ACCEPTED)
        return Response(AssignResultSerializer(done.as_dict()).data, status=status.HTTP_201_CREATED)


class AssignmentDetailView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        request=AssignmentMoveSerializer,
        responses=AssignmentSerializer,
        summary="Give the article to another annotator (admins)",
    )
    def patch(self, request: AuthenticatedRequest, assignment_id: int) -> Response:
        check = lambda: services.assignment_admin(actor=request.user, assignment_id=assignment_id)  # noqa: E731
        data = access.validated(AssignmentMoveSerializer, request.data, check=check)
        moved = services.assignment_move(
            actor=request.user, assignment_id=assignment_id, annotator=data["annotator"]
        )
        membership = access.member(request, project_id=moved.project_id)
        return Response(AssignmentSerializer(assignment_list(membership=membership).get(pk=moved.pk)).data)

    @extend_schema(
        responses={204: None}, summary="Unassign (admins); the annotator's work stays, hidden from them"
    )
    def delete(self, request: AuthenticatedRequest, assignment_id: int) -> Response:
        services.assignment_delete(actor=request.user, assignment_id=assignment_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WorkloadView(APIView):
    @extend_schema(responses=WorkloadSerializer, summary="Each annotator's load and progress")
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        return Response(WorkloadSerializer(workload(actor=request.user, project_id=project_id)).data)


class QueueView(APIView):
    @extend_schema(
        responses=QueueSerializer, summary="The caller's queue: to do, in progress, submitted, skipped"
    )
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        return Response(QueueSerializer(queue_counts(actor=request.user, project_id=project_id)).data)


class QueueNextView(APIView):
    @extend_schema(
        parameters=[QueueNextQuerySerializer],
        responses={
            200: QueueNextSerializer,
            204: OpenApiResponse(description="Nothing is left in the queue."),
        },
        summary="The caller's next article (claimed for them under overlap); 204 when none is left",
    )
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        membership = access.member(
            request, project_id=project_id, roles=WRITE_OWN_LAYER, action="have a queue"
        )
        query = access.validated(QueueNextQuerySerializer, request.query_params)
        exclude = [int(i) for i in query["exclude"].split(",") if i]
        found = queue_next(membership=membership, exclude=exclude)
        if found is None:
            return Response(status=status.HTTP_204_NO_CONTENT)
        return Response(QueueNextSerializer(found).data)
