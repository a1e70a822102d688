"""The WebSocket paths (a contract: ``/ws/projects/{id}/``)."""

from typing import Any

from channels.auth import AuthMiddlewareStack
from channels.routing import URLRouter
from django.urls import path

from .auth import LiveAuthMiddleware
from .consumers import ProjectConsumer

websocket_urlpatterns = [path("ws/projects/<int:project_id>/", ProjectConsumer.as_asgi())]


def websocket_application() -> Any:
    return AuthMiddlewareStack(LiveAuthMiddleware(URLRouter(websocket_urlpatterns)))
