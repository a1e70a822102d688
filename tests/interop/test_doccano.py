"""Our doccano export through a real doccano (pinned in the Makefile), and back.

doccano runs from var/interop/doccano/venv: its web app under gunicorn on a free loopback port
and its Celery worker (which does imports and exports; its broker is its own SQLite database),
its data under var/interop/doccano/data. The user is made by its own command line, the token
by its login API. Each check imports one of our files through its upload API, reads every span
(and relation) back through its API and checks it lands on the same text, then imports
doccano's own export into a new project of ours.
"""

import io
import json
import os
import shutil
import subprocess
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from annotator.exchange.formats.offsets import converter
from tests.conftest import streamed
from tests.exchange.roundtrip_helpers import (
    Api,
    expected_layers,
    jsonl,
    only,
)
from tests.interop.peers import INTEROP_DIR, Client, Server, free_port, run, venv_bin

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "snapshot"])

USERNAME = "interop"
PASSWORD = "interop-password-1"  # a throwaway local server's
START_SECONDS = 180
TASK_SECONDS = 120


@dataclass
class Doccano:
    client: Client

    def project(self, name: str, *, relations: bool, grapheme: bool) -> int:
        project = self.client.call(
            "POST",
            "/v1/projects",
            {
                "name": name,
                "description": "annotator interop",
                "guideline": "",
                "project_type": "SequenceLabeling",
                "resourcetype": "SequenceLabelingProject",
                "allow_overlapping": True,
                "grapheme_mode": grapheme,
                "use_relation": relations,
                "random_order": False,
                "collaborative_annotation": True,
            },
        )
        return int(project["id"])

    def wait(self, task_id: str) -> Any:
        status = self.client.poll(
            f"/v1/tasks/status/{task_id}", lambda s: s.get("ready"), timeout=TASK_SECONDS
        )
        assert not status.get("error"), status  # the task raised
        return status.get("result")

    def upload(self, pid: int, data: bytes, *, task: str) -> None:
        upload_id = self.client.upload("/v1/fp/process/", "filepond", "ours.jsonl", data)
        upload_id = upload_id.decode() if isinstance(upload_id, bytes) else str(upload_id)
        started = self.client.call(
            "POST",
            f"/v1/projects/{pid}/upload",
            {
                "format": "JSONL",
                "task": task,
                "uploadIds": [upload_id],
                "column_data": "text",
                "column_label": "label",
                "delimiter": "",
                "encoding": "utf_8",
            },
        )
        result = self.wait(started["task_id"])
        assert not (result or {}).get("error"), result

    def stored(self, pid: int) -> dict[str, dict[str, Any]]:
        """Per example text: its spans (label name, start, end) and relations, as doccano keeps them."""
        types = {t["id"]: t["text"] for t in self.client.call("GET", f"/v1/projects/{pid}/span-types")}
        relation_types = {
            t["id"]: t["text"] for t in self.client.call("GET", f"/v1/projects/{pid}/relation-types")
        }
        examples = self.client.call("GET", f"/v1/projects/{pid}/examples?limit=1000")["results"]
        out: dict[str, dict[str, Any]] = {}
        for example in examples:
            spans = self.client.call("GET", f"/v1/projects/{pid}/examples/{example['id']}/spans")
            relations = self.client.call("GET", f"/v1/projects/{pid}/examples/{example['id']}/relations")
            out[example["text"]] = {
                "spans": {s["id"]: (types[s["label"]], s["start_offset"], s["end_offset"]) for s in spans},
                "relations": [(r["from_id"], r["to_id"], relation_types[r["type"]]) for r in relations],
            }
        return out

    def export(self, pid: int) -> bytes:
        """doccano's JSONL export of the project, its files joined."""
        started = self.client.call(
            "POST", f"/v1/projects/{pid}/download", {"format": "JSONL", "exportApproved": False}
        )
        self.wait(started["task_id"])
        data = self.client.call(
            "GET", f"/v1/projects/{pid}/download?taskId={started['task_id']}", accept="*/*"
        )
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return b"".join(
                archive.read(name).rstrip(b"\n") + b"\n"
                for name in archive.namelist()
                if name.endswith(".jsonl")
            )


@pytest.fixture(scope="module")
def doccano() -> Iterator[Doccano]:
    home = INTEROP_DIR / "doccano"
    data = home / "data"
    shutil.rmtree(data, ignore_errors=True)  # a fresh database every run
    data.mkdir(parents=True)
    log = home / "server.log"
    log.write_bytes(b"")
    port = free_port()
    env = {
        # Ours (DATABASE_URL, CELERY_BROKER_URL, DJANGO_SETTINGS_MODULE...) stay out.
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")},
        "DOCCANO_HOME": str(data),
        "DATABASE_URL": f"sqlite:///{data / 'db.sqlite3'}",
        "MEDIA_ROOT": str(data / "media"),
    }
    binary = venv_bin("doccano", "doccano")
    run([binary, "init"], env, log, timeout=START_SECONDS)
    run([binary, "createuser", "--username", USERNAME, "--password", PASSWORD], env, log, timeout=120)
    python = venv_bin("doccano", "python")
    backend = subprocess.run(
        [str(python), "-c", "import backend, os; print(os.path.dirname(backend.__file__))"],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.strip()
    server = Server("doccano", log)
    try:
        # `doccano webserver` listens on every address; gunicorn from its venv, on loopback only.
        gunicorn: list[str | Path] = [
            venv_bin("doccano", "gunicorn"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
        ]
        server.start(
            [*gunicorn, "--chdir", backend, "--timeout", "120", "config.wsgi"],
            # What `doccano webserver` sets before it starts gunicorn.
            {
                **env,
                "PYTHONPATH": backend,
                "STANDALONE": "True",
                "DJANGO_SETTINGS_MODULE": "config.settings.production",
            },
        )
        server.start([binary, "task", "--concurrency", "1"], env)
        server.wait_http(f"http://127.0.0.1:{port}/v1/health/", timeout=START_SECONDS)
        client = Client(f"http://127.0.0.1:{port}")
        key = client.call("POST", "/v1/auth/login/", {"username": USERNAME, "password": PASSWORD})["key"]
        client.auth = f"Token {key}"
        yield Doccano(client)
    finally:
        server.stop()


def export(api: Api, pid: int, **params: str) -> list[dict[str, Any]]:
    response = api.client.get(f"/api/v1/projects/{pid}/export.jsonl", {"layers": "gold", **params})
    assert response.status_code == 200, response
    body = streamed(response).decode("utf-8")
    return [json.loads(line) for line in body.splitlines()]


def gold_spans(records: list[dict[str, Any]]) -> dict[str, set[tuple[int, int, str, str]]]:
    """Gold spans by article text (doccano's export names articles by its own ids)."""
    return {
        r["text"]: {
            (s["start"], s["end"], s["label"], s["text"])
            for a in r["annotations"]
            if a["layer"] == "gold"
            for s in a["spans"]
        }
        for r in records
    }


def landed(text: str, unit: str, start: int, end: int) -> str:
    conv = converter(text, unit)
    return text[conv.to_codepoint(start) : conv.to_codepoint(end)]


@pytest.mark.parametrize(("unit", "grapheme_mode"), [("grapheme", True), ("utf16", False)])
def test_doccano_sequence_labelling_takes_the_label_form(
    doccano: Doccano, api: Api, source: int, unit: str, grapheme_mode: bool
) -> None:
    ours = export(api, source, format="doccano", form="label", offsets=unit)
    pid = doccano.project(f"label form, {unit}", relations=False, grapheme=grapheme_mode)
    doccano.upload(pid, jsonl(ours), task="SequenceLabeling")
    stored = doccano.stored(pid)
    gold = only(expected_layers(), "gold")
    for line in ours:
        kept = stored[line["text"]]  # the text as it was, CRLF and all
        expected = {(label, text) for _, _, label, text in gold[(line["id"], "gold")]["spans"]}
        assert {
            (label, landed(line["text"], unit, s, e)) for label, s, e in kept["spans"].values()
        } == expected

    # doccano's own export, back into a new project of ours.
    target = api.new_project(f"Back from doccano ({unit})")
    api.import_file(target, doccano.export(pid), "doccano.jsonl", "doccano", layer="gold", offsets=unit)
    assert gold_spans(api.export_native(target)) == gold_spans(api.export_native(source))


def test_doccano_relation_project_takes_the_relation_form(doccano: Doccano, api: Api, source: int) -> None:
    ours = export(api, source, format="doccano")
    pid = doccano.project("relation form", relations=True, grapheme=False)
    doccano.upload(pid, jsonl(ours), task="RelationExtraction")
    stored = doccano.stored(pid)
    assert sorted(stored) == sorted(line["text"] for line in ours), [t[:40] for t in stored]
    gold = only(expected_layers(), "gold")
    for line in ours:
        kept = stored[line["text"]]
        text = line["text"]
        spans = {sid: (label, landed(text, "utf16", s, e)) for sid, (label, s, e) in kept["spans"].items()}
        assert set(spans.values()) == {(label, t) for _, _, label, t in gold[(line["id"], "gold")]["spans"]}
        expected = {
            ((a[2], text[a[0] : a[1]]), (b[2], text[b[0] : b[1]]), label)
            for a, b, label in gold[(line["id"], "gold")]["relations"]
        }
        assert {(spans[f], spans[t], label) for f, t, label in kept["relations"]} == expected
