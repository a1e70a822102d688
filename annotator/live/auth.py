"""Who opens a WebSocket: a script by ``Authorization: Bearer <token>`` on the handshake, the web
app by its session cookie (Channels' AuthMiddlewareStack, below this) from a page of this site.

A browser sends the cookie with a handshake from any site, so a cookie counts only when the
``Origin`` is one of ALLOWED_HOSTS (the CSRF rule for WebSockets). A browser cannot set
``Authorization`` on a WebSocket, so a token needs no such check."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http.request import split_domain_port, validate_host

from annotator.accounts.services import token_authenticate

KEYWORDS = {"bearer", "token"}


def _header(scope: dict[str, Any], name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin1")
    return None


def same_site(origin: str | None) -> bool:
    if not origin:
        return False
    host, _port = split_domain_port(urlsplit(origin).netloc)
    return bool(host) and validate_host(host, settings.ALLOWED_HOSTS)


@database_sync_to_async
def _token_user(key: str) -> Any:
    token = token_authenticate(key)
    return token.user if token is not None else AnonymousUser()


class LiveAuthMiddleware:
    """Sets ``scope["user"]``: the token's user, else the session's from a same-site page, else
    anonymous (the consumer then refuses the handshake)."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        authorization = _header(scope, b"authorization")
        if authorization is not None:
            keyword, _, key = authorization.strip().partition(" ")
            ok = keyword.lower() in KEYWORDS and key.strip()
            user = await _token_user(key.strip()) if ok else AnonymousUser()
            scope = {**scope, "user": user}
        elif not same_site(_header(scope, b"origin")):
            scope = {**scope, "user": AnonymousUser()}
        return await self.inner(scope, receive, send)
