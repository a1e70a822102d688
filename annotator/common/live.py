"""Pushed updates, the sending half: a write tells the project's open pages what changed,
after it commits (never before: a rolled-back write tells nobody).

``publish`` hands an event and its audience to the channel layer's group of the project; the
consumers of ``annotator.live`` forward it to each connected member the audience admits
(``annotator.live.audience``: the same rules as the REST API's reads). A push that cannot be
sent is logged and dropped, never a failed write: a page refetches what it shows when it
reconnects.
"""

from __future__ import annotations

import logging
from typing import Any, TypedDict

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)


class Audience(TypedDict, total=False):
    """Who may receive an event; every key given must admit the member.

    article: members who may see that article; layer (with annotator for "annotator"): members
    who may read that layer ("" = the article's shared threads: everyone who sees the article);
    roles: members with one of these roles; user: that user only."""

    article: int
    layer: str
    annotator: int | None
    roles: list[str]
    user: int


def group_name(project_id: int) -> str:
    return f"project.{project_id}"


def publish(project_id: int, event_type: str, data: dict[str, Any], audience: Audience) -> None:
    """Send ``{"type": event_type, **data}`` to the members ``audience`` admits, after commit."""
    message = {"type": "live.event", "event": {"type": event_type, **data}, "audience": dict(audience)}
    transaction.on_commit(lambda: send_now(project_id, message))


def send_now(project_id: int, message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(group_name(project_id), message)
    except Exception:  # a lost push is refetched on reconnect; it must never fail the caller
        logger.warning(
            "live: could not push %s to project %s", message["event"]["type"], project_id, exc_info=True
        )
