"""``/ws/projects/{id}/``: a member's live view of a project (docs/live.md).

The handshake is refused to anyone who is not a member (as the REST API answers 404). Every
event published for the project passes ``audience.admits`` for this member before it is sent,
so what arrives is what the member could read through the API (blind annotation included).

Presence: the page says which article it shows (``{"type": "presence", "article": id|null}``);
the consumer announces it to the members who may see that article, and leaving (or closing the
socket) as well. A newcomer asks the others to announce themselves again, so no process keeps
a list: each connection knows only its own article.
"""

from __future__ import annotations

import time
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from annotator.articles.access import check_article_visible
from annotator.articles.models import Article
from annotator.common.errors import NotFound
from annotator.common.live import group_name
from annotator.projects.models import Membership

from .audience import shown

REFRESH_SECONDS = 30.0  # a role or assignment change reaches an open socket at the latest then


@database_sync_to_async
def _membership(user_id: int | None, project_id: int) -> Membership | None:
    if user_id is None:
        return None
    return (
        Membership.objects.select_related("project", "user")
        .filter(user_id=user_id, project_id=project_id)
        .first()
    )


@database_sync_to_async
def _shown(membership: Membership, audience: dict[str, Any], event: dict[str, Any]) -> dict[str, Any] | None:
    return shown(membership, audience, event)


@database_sync_to_async
def _may_show(membership: Membership, article_id: int) -> bool:
    if not Article.objects.filter(pk=article_id, project_id=membership.project_id).exists():
        return False
    try:
        check_article_visible(membership, article_id)
    except NotFound:
        return False
    return True


class ProjectConsumer(AsyncJsonWebsocketConsumer):
    membership: Membership | None = None
    article: int | None = None
    joined = False
    loaded_at = 0.0

    async def connect(self) -> None:
        self.project_id = int(self.scope["url_route"]["kwargs"]["project_id"])
        user = self.scope.get("user")
        user_id = user.pk if user is not None and user.is_authenticated else None
        self.membership = await _membership(user_id, self.project_id)
        if self.membership is None:
            await self.close(code=4404)  # before accept: the handshake is refused
            return
        self.loaded_at = time.monotonic()
        self.group = group_name(self.project_id)
        await self.channel_layer.group_add(self.group, self.channel_name)
        self.joined = True
        await self.accept()
        await self.send_json(
            {"type": "hello", "project": self.project_id, "user": self.membership.user.username}
        )
        await self._broadcast({"type": "live.ask"})

    async def disconnect(self, code: int) -> None:
        if not self.joined:
            return
        if self.membership is not None:
            await self._announce(None)
        await self.channel_layer.group_discard(self.group, self.channel_name)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if not isinstance(content, dict) or content.get("type") != "presence":
            await self.send_json(
                {"type": "error", "detail": 'Send {"type": "presence", "article": id or null}.'}
            )
            return
        article = content.get("article")
        if article is not None and (isinstance(article, bool) or not isinstance(article, int) or article < 1):
            await self.send_json({"type": "error", "detail": "article: an id or null."})
            return
        assert self.membership is not None
        if article is not None and not await _may_show(self.membership, article):
            await self.send_json({"type": "error", "detail": "article: not found."})
            return
        await self._announce(article)

    async def _announce(self, article: int | None) -> None:
        """Tell who may see them that this member left their article and shows ``article``."""
        assert self.membership is not None
        who = {"user": self.membership.user.username, "channel": self.channel_name}
        if self.article is not None and self.article != article:
            await self._presence(self.article, "left", who)
        self.article = article
        if article is not None:
            await self._presence(article, "open", who)

    async def _presence(self, article: int, state: str, who: dict[str, str]) -> None:
        event = {"type": "presence", "article": article, "state": state, **who}
        await self._broadcast({"type": "live.event", "event": event, "audience": {"article": article}})

    async def _broadcast(self, message: dict[str, Any]) -> None:
        await self.channel_layer.group_send(self.group, message)

    async def live_ask(self, message: dict[str, Any]) -> None:
        if self.article is not None:
            await self._announce(self.article)

    async def live_event(self, message: dict[str, Any]) -> None:
        membership = await self._current_membership(message["event"])
        if membership is None:
            await self.close(code=4403)
            return
        event = dict(message["event"])
        if event.pop("channel", None) == self.channel_name:
            return  # one's own presence
        allowed = await _shown(membership, message.get("audience", {}), event)
        if allowed is not None:
            await self.send_json(allowed)

    async def _current_membership(self, event: dict[str, Any]) -> Membership | None:
        """The membership, read again when the event is about it or it is getting old."""
        assert self.membership is not None
        about_me = (
            event.get("type", "").startswith("member.") and event.get("user_id") == self.membership.user_id
        )
        if about_me or time.monotonic() - self.loaded_at > REFRESH_SECONDS:
            self.membership = await _membership(self.membership.user_id, self.project_id)
            self.loaded_at = time.monotonic()
        return self.membership
