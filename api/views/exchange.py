"""Imports (upload -> job), exports (a stream, or a job into storage), and their files."""

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.common.errors import NotFound, TooLarge
from annotator.exchange.exporting import ExportStream, export_filters, export_plan
from annotator.exchange.formats.registry import CONTENT_TYPES, EXTENSIONS
from annotator.exchange.importing import ImportOptions
from annotator.exchange.selectors import export_file
from annotator.exchange.services import EXPORT, IMPORT, export_start, import_start
from annotator.jobs.selectors import job_get, job_list
from annotator.projects.access import ADMIN_ONLY, READ_ALL_LAYERS
from api import access
from api.negotiation import AnyAccept
from api.pagination import PageNumberPagination, paginated
from api.parsers import FormParser, MultiPartParser
from api.permissions import AuthenticatedRequest
from api.serializers.exchange import ExportQuerySerializer, ExportSerializer, ImportSerializer
from api.serializers.jobs import JobSerializer


class ImportListView(APIView):
    parser_classes = [MultiPartParser, FormParser]
    pagination_class = PageNumberPagination  # documents the paginated answer

    @extend_schema(
        responses=JobSerializer(many=True), summary="The project's import jobs, newest first (admins)"
    )
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        membership = access.member(
            request, project_id=project_id, roles=ADMIN_ONLY, action=f"list {IMPORT} jobs"
        )
        return paginated(self, request, job_list(membership=membership).filter(kind=IMPORT), JobSerializer)

    @extend_schema(
        request={"multipart/form-data": ImportSerializer},
        responses={
            202: JobSerializer,
            413: OpenApiResponse(description="The upload is over the size limit."),
        },
        summary="Upload a file to import (admins); a job checks every line, then writes all or nothing",
    )
    def post(self, request: AuthenticatedRequest, project_id: int) -> Response:
        access.member(request, project_id=project_id, roles=ADMIN_ONLY, action="import articles")
        limit = settings.ANNOTATOR_MAX_UPLOAD_BYTES
        too_large = TooLarge(
            f"The upload is larger than {limit} bytes.", fields={"file": [f"at most {limit} bytes"]}
        )
        if int(request.META.get("CONTENT_LENGTH") or 0) > limit + 64 * 1024:  # room for the form fields
            raise too_large
        data = access.validated(ImportSerializer, request.data)
        upload = data["file"]
        if upload.size > limit:
            raise too_large
        job = import_start(
            actor=request.user,
            project_id=project_id,
            upload=upload,
            filename=upload.name or "upload",
            options=ImportOptions(
                format=data["format"],
                on_error=data["on_error"],
                create_labels=data["create_labels"],
                layer=data["layer"],
                offsets=data["offsets"],
            ),
        )
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ExportStreamView(APIView):
    content_negotiation_class = AnyAccept

    @extend_schema(
        parameters=[ExportQuerySerializer],
        responses={(200, "application/x-ndjson"): OpenApiTypes.STR},
        summary="Stream an export (researchers, reviewers, admins); the X-Export-Cursor header is the cursor "
        "for the next incremental pull",
    )
    def get(self, request: AuthenticatedRequest, project_id: int) -> StreamingHttpResponse:
        access.member(request, project_id=project_id, roles=READ_ALL_LAYERS, action="export")
        # A repeated key counts as one comma-separated list (?layers=gold&layers=alice).
        joined = {key: ",".join(request.query_params.getlist(key)) for key in request.query_params}
        query = access.validated(ExportQuerySerializer, joined)
        plan = export_plan(actor=request.user, project_id=project_id, filters=export_filters(query))
        stream = ExportStream(plan)
        fmt = plan.filters.format
        response = StreamingHttpResponse(stream, content_type=f"{CONTENT_TYPES[fmt]}; charset=utf-8")
        response["X-Export-Cursor"] = stream.cursor
        response["Cache-Control"] = "no-store"
        response["Content-Disposition"] = f'attachment; filename="project-{project_id}.{EXTENSIONS[fmt]}"'
        return response


class ExportListView(APIView):
    pagination_class = PageNumberPagination  # documents the paginated answer

    @extend_schema(responses=JobSerializer(many=True), summary="The project's export jobs, newest first")
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        membership = access.member(
            request, project_id=project_id, roles=READ_ALL_LAYERS, action=f"list {EXPORT} jobs"
        )
        return paginated(self, request, job_list(membership=membership).filter(kind=EXPORT), JobSerializer)

    @extend_schema(
        request=ExportSerializer,
        responses={202: JobSerializer},
        summary="Export into a file as a job (researchers, reviewers, admins); its result is the manifest",
    )
    def post(self, request: AuthenticatedRequest, project_id: int) -> Response:
        access.member(request, project_id=project_id, roles=READ_ALL_LAYERS, action="export")
        data = access.validated(ExportSerializer, request.data)
        job = export_start(actor=request.user, project_id=project_id, filters=export_filters(data))
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ExportDetailView(APIView):
    @extend_schema(responses=JobSerializer, summary="An export job: progress, then its manifest as result")
    def get(self, request: AuthenticatedRequest, project_id: int, job_id: int) -> Response:
        job = job_get(user=request.user, job_id=job_id)
        if job.project_id != project_id or job.kind != EXPORT:
            raise NotFound("Export not found.")
        access.member(request, project_id=project_id, roles=READ_ALL_LAYERS, action="see exports")
        return Response(JobSerializer(job).data)


class ExportDownloadView(APIView):
    content_negotiation_class = AnyAccept

    @extend_schema(
        responses={(200, "application/octet-stream"): OpenApiTypes.BINARY}, summary="An export job's file"
    )
    def get(self, request: AuthenticatedRequest, project_id: int, job_id: int) -> FileResponse:
        job, handle = export_file(actor=request.user, project_id=project_id, job_id=job_id)
        fmt = (job.result or {}).get("format", "native")
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=f"project-{project_id}-export-{job.pk}.{EXTENSIONS.get(fmt, 'jsonl')}",
            content_type=CONTENT_TYPES.get(fmt, "application/octet-stream"),
        )
        response["X-Export-Cursor"] = (job.result or {}).get("cursor", "")
        response["X-Export-SHA256"] = (job.result or {}).get("sha256", "")
        return response
