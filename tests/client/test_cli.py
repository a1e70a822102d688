"""The ``annotator`` command line, run through ``main(argv)`` against the live server:
``--json`` output, exit codes, the saved login (mode 0600), exports with --since-last, sync
and jobs wait."""

import json
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from annotator_client.cli import EXIT_AUTH, EXIT_ERROR, EXIT_NOT_FOUND, EXIT_OK, EXIT_USAGE, main

from annotator.jobs.models import Job
from tests.client.conftest import token_for
from tests.conftest import World


@pytest.fixture
def cli(
    live_server: Any, eager_jobs: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> Any:
    monkeypatch.setenv("ANNOTATOR_CONFIG_DIR", str(tmp_path / "config"))
    monkeypatch.delenv("ANNOTATOR_URL", raising=False)
    monkeypatch.delenv("ANNOTATOR_TOKEN", raising=False)

    def run(*argv: str) -> tuple[int, Any]:
        code = main(["--json", "-q", *argv])
        out = capsys.readouterr().out.strip()
        return code, json.loads(out) if out else None

    run.url = live_server.url  # type: ignore[attr-defined]
    return run


def test_login_saves_a_private_config_and_then_commands_use_it(
    world: World, cli: Any, tmp_path: Path
) -> None:
    code, body = cli("projects")
    assert code == EXIT_AUTH and "not signed in" in body["error"]
    code, body = cli("--url", cli.url, "login", "--token", token_for(world.researcher))
    assert code == EXIT_OK and body["username"] == "researcher"
    config = Path(body["config"])
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert json.loads(config.read_text())["url"] == cli.url
    code, body = cli("projects")
    assert code == EXIT_OK and [p["id"] for p in body] == [world.project.pk]
    assert cli("export", str(world.other_project.pk), "-o", str(tmp_path / "x.jsonl"))[0] == EXIT_NOT_FOUND


def test_a_bad_token_is_refused_with_the_auth_exit_code(world: World, cli: Any) -> None:
    code, body = cli("--url", cli.url, "login", "--token", "ann_not-a-token")
    assert code == EXIT_AUTH and body["status"] == 401


def test_import_export_since_last_sync_and_jobs_wait(world: World, cli: Any, tmp_path: Path) -> None:
    cli("--url", cli.url, "login", "--token", token_for(world.admin))
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "c1", "text": "Costs fell 3%."}\n{"id": "c2", "text": "Pay rose."}\n', "utf-8")
    pid = str(world.project.pk)
    code, job = cli("import", pid, str(source))
    assert code == EXIT_OK and job["status"] == "succeeded" and job["result"]["articles_created"] == 2

    out = tmp_path / "all.jsonl"
    code, body = cli("export", pid, "--since-last", "-o", str(out))
    assert code == EXIT_OK and body["since"] is None
    assert sorted(json.loads(line)["id"] for line in out.read_text().splitlines()) == ["a1", "c1", "c2"]
    code, body = cli("export", pid, "--since-last", "-o", str(out))
    assert code == EXIT_OK and body["since"] and out.read_text() == ""  # nothing changed since

    code, body = cli("sync", pid, str(tmp_path / "mirror"))
    assert code == EXIT_OK and body["articles"] == 3
    code, body = cli("jobs", "wait", str(job["id"]))
    assert code == EXIT_OK and body["id"] == job["id"]


def test_jobs_wait_exits_1_for_a_failed_job(world: World, cli: Any, tmp_path: Path) -> None:
    cli("--url", cli.url, "login", "--token", token_for(world.admin))
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "b1"}\n', "utf-8")  # no text: the import fails, nothing written
    code, body = cli("import", str(world.project.pk), str(bad))
    assert code == EXIT_ERROR and body["job"]["status"] == "failed"
    assert Job.objects.get(pk=body["job"]["id"]).status == "failed"
    code, body = cli("jobs", "wait", str(body["job"]["id"]))
    assert code == EXIT_ERROR and body["job"]["result"]["error_count"] == 1


def test_the_console_script_is_installed_and_a_usage_error_exits_2() -> None:
    script = Path(sys.executable).parent / "annotator"
    assert script.exists(), "pip install -e ./clients/python installs the `annotator` script"
    done = subprocess.run([str(script), "no-such-command"], capture_output=True, text=True, timeout=60)
    assert done.returncode == EXIT_USAGE and "invalid choice" in done.stderr
