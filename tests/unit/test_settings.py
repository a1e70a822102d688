"""Settings refuse to start in production without secrets; check --deploy is clean."""

import os
import subprocess
import sys
from pathlib import Path

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
