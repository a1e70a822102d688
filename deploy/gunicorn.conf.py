"""gunicorn settings for the reference deployment (deploy/compose.yaml); every value can be
overridden on the command line or through GUNICORN_CMD_ARGS."""

import os
import sys
from typing import Any

# The web processes' database connections as ASGI needs them: psycopg's pool (settings.py).
os.environ.setdefault("ANNOTATOR_ASGI", "1")

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
# On SIGTERM a worker stops taking connections and finishes the requests it has, for up to
# this long, before it is killed: keep the container's stop_grace_period above it.
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
# Longer than the proxy keeps an idle upstream connection, so it never sends on one closing.
keepalive = 75
# Only the proxy reaches the web containers: believe its X-Forwarded-* headers.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
accesslog = "-"
errorlog = "-"


def on_starting(server: Any) -> None:
    """Refuse to start a shape that only works on one machine (annotator/common/checks.py)."""
    os.environ["ANNOTATOR_WEB_PROCESSES"] = str(
        max(server.cfg.workers, int(os.environ.get("ANNOTATOR_WEB_PROCESSES") or 0))
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "annotator.settings")
    import django
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    django.setup()
    try:
        call_command("check", tags=["distributed"])
    except SystemCheckError as exc:
        print(exc, file=sys.stderr)
        sys.exit(1)
