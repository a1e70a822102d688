"""The project's argument graph, streamed as node-link JSON or GraphML."""

from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.views import APIView

from annotator.exchange.graph import graph_plan, graph_stream
from api.negotiation import AnyAccept
from api.permissions import AuthenticatedRequest

CONTENT_TYPES = {"json": "application/json", "graphml": "application/graphml+xml"}


class ProjectGraphView(APIView):
    content_negotiation_class = AnyAccept

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "layer",
                OpenApiTypes.STR,
                description="gold or a username (default: gold, or your own layer for an annotator)",
            ),
            OpenApiParameter(
                "labels", OpenApiTypes.STR, description="comma-separated span and relation labels"
            ),
            OpenApiParameter(
                "speaker", OpenApiTypes.STR, description="the spans of this speaker and their neighbours"
            ),
            OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "graphml"]),
        ],
        responses={
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, "application/graphml+xml"): OpenApiTypes.STR,
        },
        summary="The argument graph of one layer: spans as nodes, relations (across articles too) as edges, "
        "SAME_CLAIM clusters; node-link JSON (networkx.node_link_graph) or GraphML, streamed",
    )
    def get(self, request: AuthenticatedRequest, project_id: int) -> StreamingHttpResponse:
        params = request.query_params
        plan = graph_plan(
            actor=request.user,
            project_id=project_id,
            layer=params.get("layer", ""),
            labels=params.get("labels", ""),
            speaker=params.get("speaker", ""),
        )
        form = params.get("format", "") or "json"
        stream = graph_stream(plan, form)
        response = StreamingHttpResponse(stream, content_type=f"{CONTENT_TYPES[form]}; charset=utf-8")
        response["Cache-Control"] = "no-store"
        return response
