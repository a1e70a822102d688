"""The start-up check for the distributed shape: more than one web process or machine.

Django runs it with the other system checks (``manage.py check``, ``migrate``, ``serve``); the
reference deployment's gunicorn config (deploy/gunicorn.conf.py) runs it before it starts a
worker. It is silent on one process; with more (``ANNOTATOR_WEB_PROCESSES`` or gunicorn's
``WEB_CONCURRENCY`` above 1, or ``ANNOTATOR_DISTRIBUTED=1``) it refuses what only works on one
machine: files on local disk, a channel layer that is not Redis, and the
local-disk Celery broker. ``ANNOTATOR_ALLOW_LOCAL=1``
turns it off (several processes on one machine, on purpose).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register
from django.core.files.storage import FileSystemStorage
from django.utils.module_loading import import_string

TAG = "distributed"
REDIS_LAYERS = ("channels_redis.core.RedisChannelLayer", "channels_redis.pubsub.RedisPubSubChannelLayer")
HINT_ALLOW = "Or set ANNOTATOR_ALLOW_LOCAL=1 if every process runs on this one machine on purpose."


def distributed() -> bool:
    return bool(settings.ANNOTATOR_DISTRIBUTED) or int(settings.ANNOTATOR_WEB_PROCESSES) > 1


def _shape() -> str:
    if settings.ANNOTATOR_DISTRIBUTED:
        return "ANNOTATOR_DISTRIBUTED=1"
    return f"{settings.ANNOTATOR_WEB_PROCESSES} web processes (ANNOTATOR_WEB_PROCESSES / WEB_CONCURRENCY)"


def _local_storage() -> bool:
    backend = settings.STORAGES.get("default", {}).get("BACKEND", "")
    try:
        cls = import_string(backend)
    except ImportError:
        return False  # Django's own storage check reports a backend that does not import
    return isinstance(cls, type) and issubclass(cls, FileSystemStorage)


def _channel_backend() -> str:
    layers: dict[str, Any] = getattr(settings, "CHANNEL_LAYERS", None) or {}
    return str(layers.get("default", {}).get("BACKEND", ""))


@register(Tags.compatibility, TAG)
def check_distributed_shape(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    if not distributed() or settings.ANNOTATOR_ALLOW_LOCAL:
        return []
    errors: list[CheckMessage] = []
    if _local_storage():
        errors.append(
            Error(
                f"With {_shape()}, uploads and export files must not be kept on local disk: "
                "another process or host cannot read them.",
                hint="Set ANNOTATOR_S3_BUCKET (and ANNOTATOR_S3_ENDPOINT_URL for MinIO or another "
                "S3-compatible store) to keep them in S3. " + HINT_ALLOW,
                id="annotator.E001",
            )
        )
    backend = _channel_backend()
    if backend not in REDIS_LAYERS:
        found = f"CHANNEL_LAYERS uses {backend}" if backend else "no CHANNEL_LAYERS is configured"
        errors.append(
            Error(
                f"With {_shape()}, live updates need a channel layer every process shares, and {found}.",
                hint="Set REDIS_URL so that CHANNEL_LAYERS uses channels_redis. " + HINT_ALLOW,
                id="annotator.E002",
            )
        )
    if str(settings.CELERY_BROKER_URL).startswith("filesystem://"):
        errors.append(
            Error(
                f"With {_shape()}, jobs need a broker every host reaches, and CELERY_BROKER_URL "
                "is the local-disk broker (filesystem://).",
                hint="Set CELERY_BROKER_URL to a Redis URL (redis://host:6379/0). " + HINT_ALLOW,
                id="annotator.E003",
            )
        )
    return errors
