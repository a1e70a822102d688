"""The one place domain services announce what happened (``publish``) without importing whoever
listens: apps above register a subscriber at start-up (webhooks does, in its AppConfig.ready),
so dependencies keep pointing one way. Subscribers run after the surrounding commit."""

import functools
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from django.db import transaction

Subscriber = Callable[[int, str, Mapping[str, Any]], object]
_subscribers: list[Subscriber] = []


def subscribe(subscriber: Subscriber) -> None:
    """Call ``subscriber(project_id, event, data)`` after each published event commits."""
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


def publish(project_id: int, event: str, data: Mapping[str, Any]) -> None:
    """Announce ``event`` of project ``project_id``; nothing is sent if the transaction rolls back."""
    payload = dict(data)
    for subscriber in list(_subscribers):
        transaction.on_commit(functools.partial(subscriber, project_id, event, payload))


class _Article(Protocol):
    pk: Any
    external_id: str
    title: str


def article_data(article: _Article) -> dict[str, Any]:
    """How an event names an article: its id, external id and title."""
    return {"article": article.pk, "external_id": article.external_id, "title": article.title}
