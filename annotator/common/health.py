"""Liveness and readiness: ``GET /healthz`` answers while the process does; ``GET /readyz``
answers 200 only while the database, the Celery broker and the file storage all do.

Each readiness check runs in a thread of its own and is given
``ANNOTATOR_READYZ_TIMEOUT_SECONDS``; one that fails or does not answer in time is named in
the body with the kind of error (credentials and addresses are not: the body is public).
Both views are plain Django views outside /api/v1: no authentication, no throttling, and a 503
is logged as a warning, not as a server error.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger("annotator.health")

PROBE_PREFIX = "readyz"
_CREDENTIALS = re.compile(r"://[^/@\s]*@")
_ADDRESSES = re.compile(r"(https?|redis|rediss|amqp|postgres(ql)?)://\S+")


def check_database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()  # this thread's connection: not left open per probe


def check_broker() -> None:
    from annotator import celery_app

    timeout = settings.ANNOTATOR_READYZ_TIMEOUT_SECONDS
    with celery_app.connection_for_write(connect_timeout=timeout) as conn:
        conn.ensure_connection(max_retries=1, interval_start=0, interval_step=0, timeout=timeout)


def check_storage() -> None:
    """Write, list and delete a tiny object: the store takes writes, not only answers."""
    name = default_storage.save(f"{PROBE_PREFIX}/{uuid.uuid4().hex}.txt", ContentFile(b"ok"))
    try:
        if not default_storage.exists(name):
            raise RuntimeError("the probe object was written but cannot be found")
        default_storage.listdir(PROBE_PREFIX)
    finally:
        default_storage.delete(name)


CHECKS: dict[str, Callable[[], None]] = {
    "database": check_database,
    "broker": check_broker,
    "storage": check_storage,
}


def describe(exc: BaseException) -> str:
    """A short, public account of a failure: the error's kind and message, no secrets."""
    first_line = next(iter(str(exc).splitlines()), "")
    message = _ADDRESSES.sub("<address>", _CREDENTIALS.sub("://", first_line))
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    return "error: " + text[:200]


def readiness() -> dict[str, str]:
    """Each check's outcome by name: "ok" or "error: ..."."""
    timeout = settings.ANNOTATOR_READYZ_TIMEOUT_SECONDS
    pool = ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="readyz")
    try:
        futures = {name: pool.submit(check) for name, check in CHECKS.items()}
        results: dict[str, str] = {}
        for name, future in futures.items():
            try:
                future.result(timeout=timeout)
                results[name] = "ok"
            except FutureTimeout:
                results[name] = f"error: no answer within {timeout:g} s"
            except Exception as exc:  # every failure is reported, none raised
                results[name] = describe(exc)
        return results
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # a hung check does not hold the answer


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


@require_GET
@never_cache
def readyz(request: HttpRequest) -> JsonResponse:
    checks = readiness()
    if all(result == "ok" for result in checks.values()):
        return JsonResponse({"status": "ok", "checks": checks})
    logger.warning("not ready: %s", checks)
    response = JsonResponse({"status": "unavailable", "checks": checks}, status=503)
    # Django logs every 5xx as an error (django.request); a dependency that is down is the
    # load balancer's business, already logged above as a warning.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response
