"""The start-up check: more than one web process refuses local disk, a non-Redis channel layer
and the filesystem broker, unless told this is one machine on purpose."""

from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from annotator.common.checks import check_distributed_shape

REDIS_LAYERS = {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {}}}
S3 = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"bucket_name": "b"}}


def ids() -> list[str | None]:
    return [message.id for message in check_distributed_shape()]


@pytest.fixture
def shape(settings: Any) -> Any:
    settings.ANNOTATOR_WEB_PROCESSES = 1
    settings.ANNOTATOR_DISTRIBUTED = False
    settings.ANNOTATOR_ALLOW_LOCAL = False
    settings.CELERY_BROKER_URL = "filesystem://"
    if hasattr(settings, "CHANNEL_LAYERS"):
        del settings.CHANNEL_LAYERS
    return settings


def test_one_process_is_never_refused(shape: Any) -> None:
    assert ids() == []


def test_several_web_processes_refuse_local_disk_no_channel_layer_and_the_file_broker(shape: Any) -> None:
    shape.ANNOTATOR_WEB_PROCESSES = 4
    messages = check_distributed_shape()
    assert [m.id for m in messages] == ["annotator.E001", "annotator.E002", "annotator.E003"]
    assert "ANNOTATOR_S3_BUCKET" in (messages[0].hint or "")
    assert "no CHANNEL_LAYERS" in messages[1].msg and "REDIS_URL" in (messages[1].hint or "")
    assert "CELERY_BROKER_URL" in messages[2].msg
    assert all("ANNOTATOR_ALLOW_LOCAL=1" in (m.hint or "") for m in messages)


def test_an_in_memory_channel_layer_is_named(shape: Any) -> None:
    shape.ANNOTATOR_DISTRIBUTED = True
    shape.CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    shape.STORAGES = {**shape.STORAGES, "default": S3}
    shape.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    (message,) = check_distributed_shape()
    assert message.id == "annotator.E002" and "InMemoryChannelLayer" in message.msg


def test_s3_redis_layer_and_redis_broker_pass(shape: Any) -> None:
    shape.ANNOTATOR_WEB_PROCESSES = 8
    shape.CHANNEL_LAYERS = REDIS_LAYERS
    shape.STORAGES = {**shape.STORAGES, "default": S3}
    shape.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    assert ids() == []


def test_allow_local_turns_the_check_off(shape: Any) -> None:
    shape.ANNOTATOR_WEB_PROCESSES = 4
    shape.ANNOTATOR_ALLOW_LOCAL = True
    assert ids() == []


def test_manage_py_check_fails_on_it(shape: Any) -> None:
    shape.ANNOTATOR_DISTRIBUTED = True
    with pytest.raises(SystemCheckError, match=r"annotator\.E001"):
        call_command("check", tags=["distributed"])
    shape.ANNOTATOR_ALLOW_LOCAL = True
    call_command("check", tags=["distributed"])
