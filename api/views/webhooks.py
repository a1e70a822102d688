"""Webhooks (project admins): register, change, delete, list deliveries, redeliver, ping."""

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.projects.access import ADMIN_ONLY
from annotator.webhooks import selectors, services
from api import access
from api.pagination import PageNumberPagination, paginated
from api.parsers import JSONParser
from api.permissions import AuthenticatedRequest
from api.serializers.webhooks import (
    DeliveryQuerySerializer,
    DeliverySerializer,
    WebhookCreatedSerializer,
    WebhookSerializer,
    WebhookWriteSerializer,
)


class ProjectWebhookListView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(responses=WebhookSerializer(many=True), summary="A project's webhooks (admins)")
    def get(self, request: AuthenticatedRequest, project_id: int) -> Response:
        found = selectors.webhook_list(actor=request.user, project_id=project_id)
        return Response(WebhookSerializer(found, many=True).data)

    @extend_schema(
        request=WebhookWriteSerializer,
        responses={201: WebhookCreatedSerializer},
        summary="Register a webhook (admins); the answer carries its secret, shown only here",
    )
    def post(self, request: AuthenticatedRequest, project_id: int) -> Response:
        access.member(request, project_id=project_id, roles=ADMIN_ONLY, action="manage webhooks")
        data = access.validated(WebhookWriteSerializer, request.data)
        webhook = services.webhook_create(actor=request.user, project_id=project_id, **data)
        return Response(WebhookCreatedSerializer(webhook).data, status=status.HTTP_201_CREATED)


class WebhookDetailView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(responses=WebhookSerializer, summary="One webhook (admins)")
    def get(self, request: AuthenticatedRequest, webhook_id: int) -> Response:
        return Response(
            WebhookSerializer(selectors.webhook_get(actor=request.user, webhook_id=webhook_id)).data
        )

    @extend_schema(
        request=WebhookWriteSerializer,
        responses=WebhookSerializer,
        summary="Change a webhook's url, events or active (admins); turning it on clears why it was off",
    )
    def patch(self, request: AuthenticatedRequest, webhook_id: int) -> Response:
        check = lambda: selectors.webhook_get(actor=request.user, webhook_id=webhook_id)  # noqa: E731
        data = access.validated(WebhookWriteSerializer, request.data, check=check, partial=True)
        services.webhook_update(actor=request.user, webhook_id=webhook_id, changes=data)
        return Response(
            WebhookSerializer(selectors.webhook_get(actor=request.user, webhook_id=webhook_id)).data
        )

    @extend_schema(responses={204: None}, summary="Delete a webhook and its deliveries (admins)")
    def delete(self, request: AuthenticatedRequest, webhook_id: int) -> Response:
        services.webhook_delete(actor=request.user, webhook_id=webhook_id)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DeliveryListView(APIView):
    pagination_class = PageNumberPagination  # documents the paginated answer

    @extend_schema(
        parameters=[DeliveryQuerySerializer],
        responses=DeliverySerializer(many=True),
        summary="A webhook's deliveries, newest first, with every attempt (admins)",
    )
    def get(self, request: AuthenticatedRequest, webhook_id: int) -> Response:
        check = lambda: selectors.webhook_get(actor=request.user, webhook_id=webhook_id)  # noqa: E731
        query = access.validated(DeliveryQuerySerializer, request.query_params, check=check)
        found = selectors.delivery_list(actor=request.user, webhook_id=webhook_id, status=query.get("status"))
        return paginated(self, request, found, DeliverySerializer)


class DeliveryRedeliverView(APIView):
    @extend_schema(
        request=None,
        responses={202: DeliverySerializer},
        summary="Send a delivery's event again, as a new delivery with a new id (admins)",
    )
    def post(self, request: AuthenticatedRequest, webhook_id: int, delivery_id: int) -> Response:
        delivery = services.delivery_redeliver(
            actor=request.user, webhook_id=webhook_id, delivery_id=delivery_id
        )
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)


class WebhookPingView(APIView):
    @extend_schema(
        request=None,
        responses={202: DeliverySerializer},
        summary="Send a ping event now, whatever the webhook subscribes to (admins)",
    )
    def post(self, request: AuthenticatedRequest, webhook_id: int) -> Response:
        delivery = services.webhook_ping(actor=request.user, webhook_id=webhook_id)
        return Response(DeliverySerializer(delivery).data, status=status.HTTP_202_ACCEPTED)
