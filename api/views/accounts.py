from django.contrib.auth import login, logout
from django.contrib.auth.models import User
from django.core.handlers.asgi import ASGIRequest
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import csrf_protect
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from annotator.accounts.selectors import token_list
from annotator.accounts.services import (
    token_create,
    token_create_for_credentials,
    token_revoke,
    user_for_credentials,
)
from api import access
from api.permissions import AuthenticatedRequest
from api.serializers.accounts import (
    LoginSerializer,
    MeSerializer,
    NewTokenSerializer,
    SessionLoginSerializer,
    TokenCreateSerializer,
    TokenSerializer,
)
from api.throttling import LoginAddressThrottle, LoginUsernameThrottle


def _shown_once(token: object, key: str) -> dict:
    data = dict(NewTokenSerializer(token).data)
    data["token"] = key
    return data


class TokenLoginView(APIView):
    """Exchange a username and password for a personal API token (shown once)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [LoginAddressThrottle, LoginUsernameThrottle]

    @extend_schema(request=LoginSerializer, responses={201: NewTokenSerializer}, auth=[])
    def post(self, request: Request) -> Response:
        token, key = token_create_for_credentials(**access.validated(LoginSerializer, request.data))
        return Response(_shown_once(token, key), status=status.HTTP_201_CREATED)


@method_decorator(csrf_protect, name="post")
class SessionView(APIView):
    """The web UI's sign-in: Django's session cookie, with CSRF (the page sets the csrftoken
    cookie; send it back as X-CSRFToken). Scripts use tokens (POST /auth/token/)."""

    permission_classes = [AllowAny]
    throttle_classes = [LoginAddressThrottle, LoginUsernameThrottle]

    @extend_schema(request=SessionLoginSerializer, responses={200: MeSerializer}, auth=[])
    def post(self, request: Request) -> Response:
        user = user_for_credentials(**access.validated(SessionLoginSerializer, request.data))
        login(request._request, user)  # a new session key: no fixation
        return Response(_me(user, request))

    @extend_schema(responses={204: None})
    def delete(self, request: Request) -> Response:
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _me(user: User, request: Request) -> dict:
    memberships = user.memberships.order_by("project_id")
    return dict(
        MeSerializer(
            {
                "id": user.pk,
                "username": user.username,
                "email": user.email,
                "is_superuser": user.is_superuser,
                "memberships": memberships,
                # Served by the ASGI application (manage.py serve, production), which also
                # serves /ws/; a WSGI-only server (runserver, tests' live server) does not.
                "live": isinstance(request._request, ASGIRequest),
            }
        ).data
    )


class MeView(APIView):
    @extend_schema(responses=MeSerializer)
    def get(self, request: AuthenticatedRequest) -> Response:
        return Response(_me(request.user, request))


class TokenListView(APIView):
    @extend_schema(responses=TokenSerializer(many=True))
    def get(self, request: AuthenticatedRequest) -> Response:
        return Response(TokenSerializer(token_list(user=request.user), many=True).data)

    @extend_schema(request=TokenCreateSerializer, responses={201: NewTokenSerializer})
    def post(self, request: AuthenticatedRequest) -> Response:
        name = access.validated(TokenCreateSerializer, request.data)["name"]
        token, key = token_create(user=request.user, name=name)
        return Response(_shown_once(token, key), status=status.HTTP_201_CREATED)


class TokenDetailView(APIView):
    @extend_schema(responses={204: None})
    def delete(self, request: AuthenticatedRequest, token_id: int) -> Response:
        token_revoke(user=request.user, token_id=token_id)
        return Response(status=status.HTTP_204_NO_CONTENT)
