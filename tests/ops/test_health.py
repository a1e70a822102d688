"""GET /healthz and /readyz: no login, each dependency named when it fails, no secrets, no
error log."""

import logging
import socket
from typing import Any

import pytest
from django.test import Client

from annotator import celery_app
from annotator.common import health
from tests.ops.conftest import S3

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


def test_healthz_answers_without_login_or_dependencies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(health, "CHECKS", {})  # nothing is consulted
    response = Client().get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert Client().post("/healthz").status_code == 405


def test_readyz_is_ok_with_the_database_broker_and_s3(s3: S3) -> None:
    response = Client().get("/readyz")
    assert response.status_code == 200, response.json()
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "broker": "ok", "storage": "ok"},
    }
    assert s3.keys() == []  # the probe object is removed


def test_readyz_names_a_broker_that_is_down_without_its_password(
    monkeypatch: pytest.MonkeyPatch, settings: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings.ANNOTATOR_READYZ_TIMEOUT_SECONDS = 2.0
    monkeypatch.setitem(celery_app.conf, "broker_transport", None)
    monkeypatch.setitem(celery_app.conf, "broker_write_url", f"redis://:s3cret@127.0.0.1:{closed_port()}/0")
    with caplog.at_level(logging.INFO):
        response = Client().get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok" and body["checks"]["storage"] == "ok"
    assert body["checks"]["broker"].startswith("error: ")
    assert "s3cret" not in response.content.decode()
    # A warning of its own; not Django's "Service Unavailable" error log.
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR], caplog.records
    assert any(r.name == "annotator.health" and r.levelno == logging.WARNING for r in caplog.records)


def test_readyz_names_storage_that_refuses_writes(s3: S3) -> None:
    s3.client.delete_bucket(Bucket=s3.bucket)  # the store answers, the bucket is gone
    response = Client().get("/readyz")
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert checks["database"] == "ok" and checks["broker"] == "ok"
    assert checks["storage"].startswith("error: ") and "test-secret" not in checks["storage"]


def test_a_check_that_hangs_is_reported_within_the_timeout(
    monkeypatch: pytest.MonkeyPatch, settings: Any
) -> None:
    import threading
    import time

    settings.ANNOTATOR_READYZ_TIMEOUT_SECONDS = 0.3
    release = threading.Event()
    monkeypatch.setitem(health.CHECKS, "storage", lambda: release.wait(10))
    started = time.monotonic()
    response = Client().get("/readyz")
    release.set()
    assert time.monotonic() - started < 3
    assert response.status_code == 503
    assert response.json()["checks"]["storage"] == "error: no answer within 0.3 s"


def test_describe_hides_credentials_and_addresses() -> None:
    text = health.describe(ConnectionError("cannot reach redis://user:pw@10.0.0.5:6379/0 now"))
    assert text.startswith("error: ConnectionError: ") and "pw" not in text and "10.0.0.5" not in text
