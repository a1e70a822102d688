"""A project's agreement report: now (GET), as a job (POST), or as CSV tables."""

import csv
import io

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.agreement.jobs import agreement_start
from annotator.agreement.service import project_agreement, report_table
from annotator.projects.access import READ_ALL_LAYERS
from api import access
from api.parsers import JSONParser
from api.permissions import AuthenticatedRequest
from api.serializers.agreement import (
    AgreementCsvQuerySerializer,
    AgreementJobSerializer,
    AgreementQuerySerializer,
    AgreementReportSerializer,
)
from api.serializers.jobs import JobSerializer

ACTION = "see the project's agreement"


class ProjectAgreementView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        parameters=[AgreementQuerySerializer],
        responses=AgreementReportSerializer,
        summary="Inter-annotator agreement on spans, relations and document labels "
        "(reviewers, admins, researchers); docs/agreement.md defines every figure",
    )
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        access.member(request, project_id=project_id, roles=READ_ALL_LAYERS, action=ACTION)
        query = access.validated(AgreementQuerySerializer, request.query_params)
        report = project_agreement(actor=request.user, project_id=project_id, params=query)
        return Response(AgreementReportSerializer(report).data)

    @extend_schema(
        request=AgreementJobSerializer,
        responses={202: JobSerializer},
        summary="Compute the agreement report as a job (large projects); its result is the report",
    )
    def post(self, request: AuthenticatedRequest, project_id: int) -> Response:
        access.member(request, project_id=project_id, roles=READ_ALL_LAYERS, action=ACTION)
        data = access.validated(AgreementJobSerializer, request.data)
        job = agreement_start(actor=request.user, project_id=project_id, params=data)
        return Response(JobSerializer(job).data, status=status.HTTP_202_ACCEPTED)


class ProjectAgreementCsvView(APIView):
    @extend_schema(
        parameters=[AgreementCsvQuerySerializer],
        responses={(200, "text/csv"): OpenApiResponse(OpenApiTypes.STR)},
        summary="The agreement report's pairwise (table=pairs) or per-label (table=labels) table as CSV",
    )
    def get(self, request: AuthenticatedRequest, project_id: int) -> HttpResponse:
        access.member(request, project_id=project_id, roles=READ_ALL_LAYERS, action=ACTION)
        query = access.validated(AgreementCsvQuerySerializer, request.query_params)
        table = query.pop("table", "") or "pairs"
        report = project_agreement(actor=request.user, project_id=project_id, params=query)
        columns, rows = report_table(report, table)
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(["" if value is None else value for value in row] for row in rows)
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="agreement-{project_id}-{table}.csv"'
        return response
