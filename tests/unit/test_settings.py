"""Settings refuse to start in production without secrets; check --deploy is clean; make run
serves with DEBUG off unless asked."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run(env_extra: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_debug_off_needs_secret_key_and_allowed_hosts():
    r = run({"DEBUG": "0", "ALLOWED_HOSTS": "example.org"}, "check")
    assert r.returncode != 0 and "SECRET_KEY" in r.stderr
    r = run({"DEBUG": "0", "SECRET_KEY": "x" * 60}, "check")
    assert r.returncode != 0 and "ALLOWED_HOSTS" in r.stderr


def test_check_deploy_is_clean_in_production():
    key = "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOP"
    r = run(
        {"DEBUG": "0", "SECRET_KEY": key, "ALLOWED_HOSTS": "annotator.example.org"},
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
    )
    assert r.returncode == 0, r.stdout + r.stderr


# --- make run: a local server with DEBUG off ---------------------------------------------------

LOCAL_SERVER_PROBE = """
import json
import django
django.setup()
from django.conf import settings
from django.test import Client
missing = Client().get("/no-such-page/", HTTP_HOST="localhost")
print(json.dumps({
    "debug": settings.DEBUG,
    "secret_key_kept": (settings.VAR_DIR / "secret_key").read_text().strip() == settings.SECRET_KEY,
    "insecure_cookies_and_no_redirect": not (
        settings.SESSION_COOKIE_SECURE or settings.SECURE_SSL_REDIRECT or settings.SECURE_HSTS_SECONDS
    ),
    "status": missing.status_code,
    "body": missing.content.decode(),
    "local_host": Client().get("/no-such-page/", HTTP_HOST="127.0.0.1").status_code,
    "other_host": Client().get("/no-such-page/", HTTP_HOST="evil.example").status_code,
}))
"""


def probe_local_server(tmp_path: Path, **extra: str) -> dict:
    from annotator.common.management.commands.serve import child_environment

    # What `make run` hands gunicorn: its environment as a local server, nothing else set.
    env = {k: v for k, v in child_environment().items() if k not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG"}}
    env.update({"ANNOTATOR_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "annotator.settings", **extra})
    r = subprocess.run(
        [sys.executable, "-c", LOCAL_SERVER_PROBE],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout.strip().splitlines()[-1])


def test_make_run_serves_with_debug_off_by_default(tmp_path: Path) -> None:
    seen = probe_local_server(tmp_path)
    assert seen["debug"] is False
    assert seen["secret_key_kept"] and seen["insecure_cookies_and_no_redirect"]
    assert seen["status"] == 404 and seen["local_host"] == 404 and seen["other_host"] == 400
    # An unknown URL does not list the routes.
    assert "URLconf" not in seen["body"] and "api/v1/" not in seen["body"]


def test_debug_1_make_run_is_for_development(tmp_path: Path) -> None:
    seen = probe_local_server(tmp_path, DEBUG="1")
    assert seen["debug"] is True and seen["status"] == 404
    assert "URLconf" in seen["body"]  # Django's debug page, as asked


def test_serve_runs_web_and_worker_as_a_local_server(monkeypatch: pytest.MonkeyPatch) -> None:
    from annotator.common.management.commands.serve import child_environment

    monkeypatch.delenv("ANNOTATOR_LOCAL_SERVER", raising=False)
    assert child_environment()["ANNOTATOR_LOCAL_SERVER"] == "1"
    monkeypatch.setenv("ANNOTATOR_LOCAL_SERVER", "0")  # said otherwise: as said
    assert child_environment()["ANNOTATOR_LOCAL_SERVER"] == "0"
