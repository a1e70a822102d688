"""Our Label Studio export through a real Label Studio (pinned in the Makefile), and back.

Label Studio runs from var/interop/labelstudio/venv on a free loopback port with its own SQLite
data folder; its user and token are made by its own command line, the project and the import
through its API. What it stored is read back through its export API and checked region by
region against our spans (texts with a ZWJ family, flags, a combining accent, CRLF); then its
export is imported into a new project of ours, with one annotation made in Label Studio.
"""

import json
import os
import shutil
from collections.abc import Iterator
from typing import Any
from xml.sax.saxutils import quoteattr

import pytest

from tests.exchange.roundtrip_helpers import (
    TEXT_RENTS,
    Api,
    at,
    layers_of,
)
from tests.interop.peers import INTEROP_DIR, Client, PeerError, Server, free_port, run, venv_bin

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "snapshot"])

EMAIL = "interop@example.org"
PASSWORD = "interop-password-1"  # a throwaway local server's
TOKEN = "0123456789abcdef0123456789abcdef01234567"
START_SECONDS = 240  # migrations on first start


@pytest.fixture(scope="module")
def label_studio() -> Iterator[Client]:
    home = INTEROP_DIR / "labelstudio"
    data = home / "data"
    shutil.rmtree(data, ignore_errors=True)  # a fresh database every run
    data.mkdir(parents=True)
    log = home / "server.log"
    log.write_bytes(b"")
    port = free_port()
    env = {
        # Ours (and names Label Studio would read as its own: USERNAME, HOST...) stay out.
        **{k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")},
        "LABEL_STUDIO_BASE_DATA_DIR": str(data),
        "LABEL_STUDIO_LOCAL_FILES_SERVING_ENABLED": "false",
        "COLLECT_ANALYTICS": "false",
        "SENTRY_DSN": "",
        "FRONTEND_SENTRY_DSN": "",
        "LATEST_VERSION_CHECK": "false",
    }
    binary = venv_bin("labelstudio", "label-studio")
    where = ["--data-dir", str(data)]
    # Its own commands: the database and the user with a known API token (legacy "Token"
    # authentication, which Label Studio 1.23 turns on per organisation), then a check of it.
    user = ["--username", EMAIL, "--password", PASSWORD, "--user-token", TOKEN, "--enable-legacy-api-token"]
    run([binary, "init", *where, "--quiet", *user], env, log, timeout=START_SECONDS)
    run([binary, "user", *where, "--username", EMAIL], env, log, timeout=120)
    server = Server("Label Studio", log)
    try:
        server.start(
            [
                binary,
                "start",
                "--no-browser",
                "--internal-host",
                "127.0.0.1",
                "--port",
                str(port),
                "--host",
                f"http://127.0.0.1:{port}",
                *where,
            ],
            env,
        )
        server.wait_http(f"http://127.0.0.1:{port}/health", timeout=START_SECONDS)
        yield Client(f"http://127.0.0.1:{port}", auth=f"Token {TOKEN}")
    finally:
        server.stop()


def label_config(tasks: list[dict[str, Any]]) -> str:
    """A labelling interface with every label, relation and document label the tasks use."""
    spans: set[str] = set()
    relations: set[str] = set()
    choices: set[str] = set()
    for task in tasks:
        for annotation in task["annotations"] + task["predictions"]:
            for item in annotation["result"]:
                if item["type"] == "labels":
                    spans.update(item["value"]["labels"])
                elif item["type"] == "relation":
                    relations.update(item["labels"])
                elif item["type"] == "choices":
                    choices.update(item["value"]["choices"])
    spans.add("CLAIM")

    def tags(tag: str, values: set[str]) -> str:
        return "".join(f"<{tag} value={quoteattr(v)}/>" for v in sorted(values))

    return (
        "<View>"
        f"<Relations>{tags('Relation', relations)}</Relations>"
        f'<Labels name="label" toName="text">{tags("Label", spans)}</Labels>'
        '<Text name="text" value="$text"/>'
        f'<Choices name="document" toName="text" choice="multiple">{tags("Choice", choices)}</Choices>'
        "</View>"
    )


def export_tasks(label_studio: Client, project: int) -> list[dict[str, Any]]:
    """Label Studio's JSON export of a project (a file download, read as JSON)."""
    data = label_studio.call("GET", f"/api/projects/{project}/export?exportType=JSON&download_all_tasks=true")
    tasks: list[dict[str, Any]] = json.loads(data) if isinstance(data, bytes) else data
    return tasks


def regions(text: str, result: list[dict[str, Any]]) -> set[tuple[int, int, str, str]]:
    """(start, end, label, text) of every labels region; each must land on its own text."""
    found: set[tuple[int, int, str, str]] = set()
    for item in result:
        if item["type"] != "labels":
            continue
        value = item["value"]
        assert text[value["start"] : value["end"]] == value["text"], item
        found.update((value["start"], value["end"], label, value["text"]) for label in value["labels"])
    return found


def links(result: list[dict[str, Any]]) -> set[tuple[tuple[int, int], tuple[int, int], str]]:
    """Relations by the ranges of the regions they join."""
    where = {
        item["id"]: (item["value"]["start"], item["value"]["end"])
        for item in result
        if item["type"] == "labels"
    }
    found: set[tuple[tuple[int, int], tuple[int, int], str]] = set()
    for item in result:
        if item["type"] == "relation":
            assert item["from_id"] in where and item["to_id"] in where, item
            found.update((where[item["from_id"]], where[item["to_id"]], label) for label in item["labels"])
    return found


def layer_key(annotation: dict[str, Any]) -> str:
    meta = annotation["result"][0]["meta"]
    return "gold" if meta["layer"] == "gold" else f"annotator:{meta['annotator']}"


def test_label_studio_imports_every_region_and_relation_and_gives_them_back(
    label_studio: Client, api: Api, source: int
) -> None:
    ours = json.loads(api.export(source, "labelstudio"))
    project = label_studio.call(
        "POST", "/api/projects/", {"title": "annotator interop", "label_config": label_config(ours)}
    )
    imported = label_studio.call("POST", f"/api/projects/{project['id']}/import", ours)
    assert imported["task_count"] == len(ours), imported
    assert imported["annotation_count"] == sum(len(t["annotations"]) for t in ours), imported
    assert imported["prediction_count"] == sum(len(t["predictions"]) for t in ours), imported

    stored = export_tasks(label_studio, project["id"])
    assert len(stored) == len(ours)
    by_id = {task["data"]["external_id"]: task for task in stored}
    for task in ours:
        theirs = by_id[task["data"]["external_id"]]
        text = task["data"]["text"]
        assert theirs["data"]["text"] == text  # CRLF, ZWJ sequences and flags intact
        mine = {layer_key(a): a["result"] for a in task["annotations"]}
        kept = {layer_key(a): a["result"] for a in theirs["annotations"]}
        assert set(kept) == set(mine)
        for layer, result in mine.items():
            assert regions(text, kept[layer]) == regions(text, result), layer
            assert links(kept[layer]) == links(result), layer
        predicted = label_studio.call("GET", f"/api/predictions/?task={theirs['id']}")
        assert {p["model_version"] for p in predicted} == {p["model_version"] for p in task["predictions"]}
        for prediction in task["predictions"]:
            (back,) = [p for p in predicted if p["model_version"] == prediction["model_version"]]
            assert regions(text, back["result"]) == regions(text, prediction["result"])
            assert links(back["result"]) == links(prediction["result"])

    # An annotation made in Label Studio itself (code-point offsets past a ZWJ family and a
    # flag), then Label Studio's own export imported into a new project of ours.
    start, end = at(TEXT_RENTS, "Shelter 🇬🇧 said that was wrong")
    rents = by_id["news-rents"]
    made = {
        "id": "ls-made",
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "value": {"start": start, "end": end, "text": TEXT_RENTS[start:end], "labels": ["CLAIM"]},
    }
    label_studio.call(
        "POST", f"/api/tasks/{rents['id']}/annotations/", {"result": [made], "ground_truth": False}
    )
    exported = export_tasks(label_studio, project["id"])
    (INTEROP_DIR / "labelstudio" / "export.json").write_text(
        json.dumps(exported, ensure_ascii=False, indent=1)
    )
    target = api.new_project("Back from Label Studio")
    result = api.import_file(target, json.dumps(exported).encode(), "label-studio.json", "labelstudio")
    assert result["error_count"] == 0, result
    # Its JSON export names predictions by id only: suggestions do not come back that way.
    expected = {
        key: layer
        for key, layer in layers_of(api.export_native(source), with_states=False).items()
        if key[1] != "suggestions"
    }
    expected[("news-rents", "gold")]["spans"].add((start, end, "CLAIM", TEXT_RENTS[start:end]))
    assert layers_of(api.export_native(target), with_states=False) == expected


def test_a_refused_request_says_why(label_studio: Client) -> None:
    with pytest.raises(PeerError, match="404"):
        label_studio.call("GET", "/api/projects/999999/")
