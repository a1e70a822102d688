"""The streaming export endpoint, export jobs and incremental (since) pulls, over the API."""

import datetime as dt
import hashlib
import json
from typing import Any

import pytest
from rest_framework.test import APIClient

from annotator.annotations.models import Origin, Span
from annotator.annotations.services import (
    document_label_create,
    relation_create,
    span_create,
    span_delete,
    span_update,
    state_set,
)
from annotator.articles.services import article_delete, article_update
from annotator.common.db import change_clock
from annotator.exchange.exporting import cursor_format
from annotator.jobs.runner import run_job
from annotator.projects.models import Label
from tests.conftest import TRICKY_TEXT, World, add_article, build_world, streamed
from tests.factories import suggestion_create

# Exports read through the "snapshot" connection: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "snapshot"])


@pytest.fixture(autouse=True)
def _no_heartbeat_during_inline_jobs(settings: Any) -> None:
    settings.JOB_HEARTBEAT_SECONDS = 60


@pytest.fixture
def world(transactional_db: None) -> World:
    return build_world()


def at(text: str, needle: str) -> tuple[int, int]:
    start = text.index(needle)
    return start, start + len(needle)


def export(client: APIClient, project_id: int, expect: int = 200, **params: str) -> tuple[list[Any], Any]:
    response = client.get(f"/api/v1/projects/{project_id}/export.jsonl", params)
    assert response.status_code == expect, getattr(response, "data", response)
    if expect != 200:
        return [], response
    body = streamed(response).decode("utf-8")
    return [json.loads(line) for line in body.splitlines() if line], response


def layer(record: dict[str, Any], name: str, annotator: str | None = None) -> dict[str, Any]:
    for item in record["annotations"]:
        if item["layer"] == name and item.get("annotator") == annotator:
            return item
    raise AssertionError(f"no layer {name} {annotator} in {record['annotations']}")


@pytest.fixture
def annotated(world: World) -> World:
    """The world's article with gold spans + relation, an annotator's span and state, a suggestion."""
    users, article = world.users, world.article
    claim = span_create(
        actor=users["reviewer"],
        article_id=article.pk,
        layer="gold",
        label="CLAIM",
        start=0,
        end=at(TRICKY_TEXT, "4.75%")[1] + 1,
    )
    figure = span_create(
        actor=users["reviewer"],
        article_id=article.pk,
        layer="gold",
        label="FIGURE",
        start=at(TRICKY_TEXT, "4.75%")[0],
        end=at(TRICKY_TEXT, "4.75%")[1],
    )
    relation_create(
        actor=users["reviewer"],
        article_id=article.pk,
        source_id=figure.pk,
        target_id=claim.pk,
        label="SUPPORTS",
    )
    start, end = at(TRICKY_TEXT, "£1,400")
    span_create(actor=users["annotator"], article_id=article.pk, label="FIGURE", start=start, end=end)
    state_set(actor=users["annotator"], article_id=article.pk, status="submitted", expected_version=0)
    label = Label.objects.get(project=world.project, kind="span", name="FIGURE")
    suggestion = suggestion_create(
        article=article,
        label=label,
        start=start,
        end=end,
        recogniser="figures",
        recogniser_version="1.2",
        score=0.87,
    )
    # What accepting it (issue 4) records: a span in the annotator's layer pointing back to it.
    Span.objects.create(
        article=article,
        label=label,
        start=start,
        end=end,
        text=TRICKY_TEXT[start:end],
        layer="annotator",
        annotator=users["admin"],
        created_by=users["admin"],
        origin=Origin.ACCEPTED,
        source_suggestion=suggestion,
    )
    return world


def test_native_record_carries_text_layers_and_provenance(annotated: World) -> None:
    records, response = export(annotated.client("researcher"), annotated.project.pk)
    assert response["Content-Type"].startswith("application/x-ndjson")
    assert response["X-Export-Cursor"].startswith(f"{annotated.project.pk}-")
    (record,) = records
    assert record["id"] == "a1" and record["article_id"] == annotated.article.pk
    assert record["text"] == TRICKY_TEXT and record["offsets"] == "codepoint"
    assert record["text_sha256"] == hashlib.sha256(TRICKY_TEXT.encode()).hexdigest()
    gold = layer(record, "gold")
    assert [(s["label"], s["text"]) for s in gold["spans"]] == [
        ("CLAIM", TRICKY_TEXT[: at(TRICKY_TEXT, "4.75%")[1] + 1]),
        ("FIGURE", "4.75%"),
    ]
    for span in gold["spans"]:
        assert TRICKY_TEXT[span["start"] : span["end"]] == span["text"]
        assert span["created_by"] == "reviewer"
        for stamp in (span["created_at"], span["updated_at"]):  # ISO 8601, UTC, on every database
            assert "T" in stamp and dt.datetime.fromisoformat(stamp).utcoffset() == dt.timedelta(0), stamp
        assert span["provenance"] == {"origin": "manual"}
    ids = {s["label"]: s["id"] for s in gold["spans"]}
    assert [(r["from"], r["to"], r["label"]) for r in gold["relations"]] == [
        (ids["FIGURE"], ids["CLAIM"], "SUPPORTS")
    ]
    mine = layer(record, "annotator", "annotator")
    assert mine["state"] == "submitted" and [s["text"] for s in mine["spans"]] == ["£1,400"]
    (suggested,) = layer(record, "suggestions")["spans"]
    assert suggested["provenance"] == {
        "origin": "suggested",
        "recogniser": "figures",
        "recogniser_version": "1.2",
        "score": 0.87,
        "status": "pending",
    }
    (accepted,) = layer(record, "annotator", "admin")["spans"]
    assert accepted["provenance"] == {
        "origin": "accepted",
        "suggestion": suggested["id"],
        "recogniser": "figures",
        "recogniser_version": "1.2",
        "score": 0.87,
    }
    # Editing an accepted span marks it edited, with the suggestion still named.
    span_update(actor=annotated.users["admin"], span_id=accepted["id"], expected_version=1, label="CLAIM")
    (record,), _ = export(annotated.client("admin"), annotated.project.pk)
    assert layer(record, "annotator", "admin")["spans"][0]["provenance"]["origin"] == "edited"


def test_an_annotator_with_only_a_document_label_is_named(world: World) -> None:
    from annotator.projects.services import label_create

    label_create(actor=world.users["admin"], project_id=world.project.pk, kind="document", name="ECONOMY")
    document_label_create(actor=world.users["annotator"], article_id=world.article.pk, label="ECONOMY")
    (record,), _ = export(world.client("researcher"), world.project.pk)
    assert layer(record, "annotator", "annotator")["document_labels"] == ["ECONOMY"]


@pytest.mark.parametrize(
    ("role", "status"),
    [("admin", 200), ("researcher", 200), ("reviewer", 200), ("annotator", 403), ("outsider", 404)],
)
def test_who_may_export(world: World, role: str, status: int) -> None:
    export(world.client(role), world.project.pk, expect=status)
    response = world.client(role).post(f"/api/v1/projects/{world.project.pk}/exports/", {}, format="json")
    assert response.status_code == (202 if status == 200 else status)


def test_unauthenticated_is_refused(world: World) -> None:
    assert APIClient().get(f"/api/v1/projects/{world.project.pk}/export.jsonl").status_code in (401, 403)


def test_layer_status_and_article_filters(annotated: World) -> None:
    client, pid = annotated.client("admin"), annotated.project.pk
    (record,), _ = export(client, pid, layers="gold")
    assert [lay["layer"] for lay in record["annotations"]] == ["gold"]
    (record,), _ = export(client, pid, layers="annotator,suggestions")
    assert sorted((lay["layer"], lay.get("annotator")) for lay in record["annotations"]) == [
        ("annotator", "annotator"),
        ("suggestions", None),
    ]
    (record,), _ = export(client, pid, status="submitted")
    assert [lay.get("annotator") for lay in record["annotations"] if lay["layer"] == "annotator"] == [
        "annotator"
    ]
    records, _ = export(client, pid, status="skipped")
    assert records == []
    second = add_article(annotated.users["admin"], annotated.project, "Another text.", "a2")
    records, _ = export(client, pid, articles=str(second.pk))
    assert [r["id"] for r in records] == ["a2"]
    records, _ = export(client, pid, articles=f"{second.pk},{annotated.article.pk}")
    assert [r["id"] for r in records] == ["a1", "a2"]
    # Another project's article id selects nothing.
    records, _ = export(client, pid, articles=str(annotated.other_article.pk))
    assert records == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"format": "xml"}, "format"),
        ({"layers": "nobody-by-this-name"}, "layers"),
        ({"status": "done"}, "status"),
        ({"articles": "one"}, "articles"),
        ({"since": "garbage"}, "since"),
        ({"since": "99999-1"}, "since"),
        ({"format": "doccano"}, "layers"),  # doccano holds one layer
        ({"format": "doccano", "layers": "gold", "since": "PLACEHOLDER"}, "since"),  # since is native only
    ],
)
def test_bad_parameters_are_400_with_the_field(world: World, params: dict[str, str], field: str) -> None:
    client, pid = world.client("admin"), world.project.pk
    _, response = export(client, pid)
    params = {k: (response["X-Export-Cursor"] if v == "PLACEHOLDER" else v) for k, v in params.items()}
    query: dict[str, Any] = params
    _, bad = export(client, pid, expect=400, **query)
    assert field in bad.json()["errors"], bad.json()


def test_cursor_ahead_of_the_project_is_refused(world: World) -> None:
    ahead = cursor_format(world.project.pk, 10**12)
    _, bad = export(world.client("admin"), world.project.pk, expect=400, since=ahead)
    assert "ahead" in bad.json()["detail"]


def test_a_cursor_of_another_change_clock_asks_for_a_full_export(world: World) -> None:
    client, pid = world.client("admin"), world.project.pk
    _, response = export(client, pid)
    assert response["X-Export-Cursor"].startswith(f"{pid}-{change_clock()}")
    # Cursors from before PostgreSQL stamped changes with transaction ids read "<project>-<n>",
    # a number of the project counter that SQLite still counts with; there, a cursor naming
    # the transaction clock stands for the other clock.
    other = f"{pid}-5" if change_clock() else f"{pid}-x5"
    _, bad = export(client, pid, expect=400, since=other)
    assert "take a full export" in bad.json()["detail"] and "since" in bad.json()["errors"]
    assert bad.json()["code"] == "cursor_outdated"


def test_other_formats_stream(annotated: World) -> None:
    client, pid = annotated.client("admin"), annotated.project.pk
    doccano, _ = export(client, pid, format="doccano", layers="gold")
    assert [e["label"] for e in doccano[0]["entities"]] == ["CLAIM", "FIGURE"]
    response = client.get(f"/api/v1/projects/{pid}/export.jsonl", {"format": "labelstudio"})
    tasks = json.loads(streamed(response))
    assert response["Content-Type"].startswith("application/json")
    assert tasks[0]["data"]["text"] == TRICKY_TEXT and tasks[0]["predictions"]
    response = client.get(f"/api/v1/projects/{pid}/export.jsonl", {"format": "conll", "layers": "gold"})
    conll = streamed(response).decode()
    assert conll.startswith("# columns") and "4.75\t" in conll


def test_the_first_line_is_sent_before_the_rest_is_read(world: World) -> None:
    for n in range(2, 40):
        add_article(world.users["admin"], world.project, f"Article number {n}. " * 50, f"a{n}")
    response = world.client("admin").get(f"/api/v1/projects/{world.project.pk}/export.jsonl")
    assert response.streaming
    chunks = iter(response.streaming_content)  # type: ignore[attr-defined]
    first = next(chunks).decode()
    assert first.count("\n") == 1 and json.loads(first)["id"] == "a1"
    rest = b"".join(chunks).decode().splitlines()
    assert len(rest) == 38


# --- incremental pulls ----------------------------------------------------------------------


def pull(client: APIClient, pid: int, since: str = "", **params: Any) -> tuple[list[Any], str]:
    if since:
        params["since"] = since
    records, response = export(client, pid, **params)
    return records, response["X-Export-Cursor"]


def test_since_returns_only_what_changed_including_deletions(world: World) -> None:
    users, client, pid = world.users, world.client("researcher"), world.project.pk
    second = add_article(users["admin"], world.project, "A second article about 55 NHS trusts.", "a2")
    records, cursor = pull(client, pid)
    assert [r["id"] for r in records] == ["a1", "a2"]
    assert pull(client, pid, cursor) == ([], cursor)  # nothing changed: nothing, same cursor

    span = span_create(actor=users["annotator"], article_id=second.pk, label="FIGURE", start=23, end=36)
    records, cursor2 = pull(client, pid, cursor)
    assert [r["id"] for r in records] == ["a2"] and cursor2 != cursor
    assert layer(records[0], "annotator", "annotator")["spans"][0]["text"] == "55 NHS trusts"

    span_delete(actor=users["annotator"], span_id=span.pk, expected_version=1)
    records, cursor3 = pull(client, pid, cursor2)
    assert [r["id"] for r in records] == ["a2"]
    # The layer is now empty; its first span put the article in progress for its annotator.
    annotator_layers = [lay for lay in records[0]["annotations"] if lay["layer"] == "annotator"]
    assert [(lay["state"], lay["spans"]) for lay in annotator_layers] == [("in_progress", [])]

    article_update(actor=users["admin"], article=second, title="Renamed")
    records, cursor4 = pull(client, pid, cursor3)
    assert [(r["id"], r["title"]) for r in records] == [("a2", "Renamed")]

    deleted_id = world.article.pk
    article_delete(actor=users["admin"], article=world.article)
    new = add_article(users["admin"], world.project, "Brand new.", "a3")
    records, cursor5 = pull(client, pid, cursor4)
    assert records[0] == {"schema": 1, "id": "a1", "article_id": deleted_id, "deleted": True}
    assert [r["id"] for r in records[1:]] == ["a3"] and records[1]["article_id"] == new.pk
    assert pull(client, pid, cursor5) == ([], cursor5)


def test_since_follows_the_selected_layers(world: World) -> None:
    users, client, pid = world.users, world.client("admin"), world.project.pk
    _, cursor = pull(client, pid)
    span_create(actor=users["annotator"], article_id=world.article.pk, label="FIGURE", start=0, end=3)
    assert pull(client, pid, cursor, layers="gold")[0] == []
    assert [r["id"] for r in pull(client, pid, cursor, layers="annotator")[0]] == ["a1"]
    assert [r["id"] for r in pull(client, pid, cursor, layers="reviewer")[0]] == []
    state_set(actor=users["reviewer"], article_id=world.article.pk, status="skipped", expected_version=0)
    assert [r["id"] for r in pull(client, pid, cursor, layers="reviewer")[0]] == ["a1"]


def test_a_new_article_is_in_every_layer_pull_and_its_later_layer_changes_follow_their_layer(
    world: World,
) -> None:
    users, client, pid = world.users, world.client("admin"), world.project.pk
    _, cursor = pull(client, pid)
    new = add_article(users["admin"], world.project, "Rents rose 4.75% in a year.", "n1")
    for layers in ("gold", "suggestions", "annotator", "reviewer"):
        assert [r["id"] for r in pull(client, pid, cursor, layers=layers)[0]] == ["n1"], layers
    _, cursor = pull(client, pid)
    span_create(actor=users["reviewer"], article_id=new.pk, label="FIGURE", start=11, end=16, layer="gold")
    assert [r["id"] for r in pull(client, pid, cursor, layers="gold")[0]] == ["n1"]
    assert pull(client, pid, cursor, layers="annotator")[0] == []


def test_a_cursor_of_another_project_is_refused(world: World) -> None:
    _, cursor = pull(world.client("admin"), world.project.pk)
    outsider = world.client("outsider")
    _, response = export(outsider, world.other_project.pk, expect=400, since=cursor)
    assert "another project" in response.json()["detail"]


# --- export jobs ------------------------------------------------------------------------------


def run_inline(client: APIClient, job: dict[str, Any]) -> dict[str, Any]:
    """What a worker does with the job's message, here in the test process."""
    run_job(job["id"], redelivered=False)
    body = client.get(f"/api/v1/jobs/{job['id']}/").json()
    assert body["status"] == "succeeded", body
    return body


def test_export_job_writes_a_file_with_its_manifest(annotated: World) -> None:
    client, pid = annotated.client("researcher"), annotated.project.pk
    response = client.post(
        f"/api/v1/projects/{pid}/exports/", {"layers": ["gold", "annotator"]}, format="json"
    )
    assert response.status_code == 202, response.json()
    job = run_inline(client, response.json())
    manifest = job["result"]
    assert job["progress"] == {"done": 1, "total": 1}
    assert manifest["schema_version"] == 1 and manifest["offsets"] == "codepoint"
    assert manifest["filters"]["layers"] == ["gold", "annotator"]
    assert manifest["counts"] == {
        "articles": 1,
        "deleted": 0,
        "layers": {
            "annotator:annotator": {"spans": 1, "relations": 0, "document_labels": 0},
            "gold": {"spans": 2, "relations": 1, "document_labels": 0},
        },
    }
    detail = client.get(f"/api/v1/projects/{pid}/exports/{job['id']}/").json()
    assert detail["result"] == manifest
    download = client.get(f"/api/v1/projects/{pid}/exports/{job['id']}/download")
    assert download.status_code == 200
    body = streamed(download)
    assert hashlib.sha256(body).hexdigest() == manifest["sha256"] == download["X-Export-SHA256"]
    assert len(body) == manifest["bytes"]
    assert download["X-Export-Cursor"] == manifest["cursor"]
    (line,) = body.decode().splitlines()
    assert json.loads(line)["id"] == "a1"
    listed = client.get(f"/api/v1/projects/{pid}/exports/").json()
    assert [j["id"] for j in listed["results"]] == [job["id"]]
    # The manifest's cursor continues as an incremental pull.
    records, _ = pull(client, pid, manifest["cursor"])
    assert records == []


def test_export_files_are_only_for_exporters(annotated: World) -> None:
    admin, pid = annotated.client("admin"), annotated.project.pk
    job = run_inline(admin, admin.post(f"/api/v1/projects/{pid}/exports/", {}, format="json").json())
    url = f"/api/v1/projects/{pid}/exports/{job['id']}/download"
    assert annotated.client("annotator").get(url).status_code == 403
    assert annotated.client("outsider").get(url).status_code == 404
    assert (
        annotated.client("outsider")
        .get(f"/api/v1/projects/{annotated.other_project.pk}/exports/{job['id']}/download")
        .status_code
        == 404
    )
    assert admin.get(f"/api/v1/projects/{pid}/exports/{job['id'] + 1000}/download").status_code == 404


def test_export_job_with_bad_filters_is_refused_up_front(world: World) -> None:
    response = world.client("admin").post(
        f"/api/v1/projects/{world.project.pk}/exports/", {"format": "brat"}, format="json"
    )
    assert response.status_code == 400 and "layers" in response.json()["errors"]


def test_export_job_stores_its_checked_plan_and_rechecks_only_the_starter(annotated: World) -> None:
    from annotator.jobs.models import Job
    from annotator.projects.models import Membership

    client, pid = annotated.client("researcher"), annotated.project.pk
    response = client.post(f"/api/v1/projects/{pid}/exports/", {"layers": ["annotator"]}, format="json")
    assert response.status_code == 202, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    # The usernames were resolved when the job was started: the job does not look them up again.
    assert job.params["annotator_ids"] == [annotated.users["annotator"].pk]
    assert job.params["since_seq"] is None
    # The starter is no longer allowed to export: the job fails instead of exporting.
    Membership.objects.filter(project_id=pid, user=annotated.users["researcher"]).update(role="annotator")
    run_job(job.pk, redelivered=False)
    job.refresh_from_db()
    assert job.status == "failed" and "export" in job.error


def test_export_command_writes_file_and_manifest(annotated: World, tmp_path: Any, capsys: Any) -> None:
    from django.core.management import call_command

    out = tmp_path / "export.jsonl"
    call_command("export_project", str(annotated.project.pk), "--out", str(out), "--layers", "gold")
    manifest = json.loads((tmp_path / "export.jsonl.manifest.json").read_text())
    assert hashlib.sha256(out.read_bytes()).hexdigest() == manifest["sha256"]
    assert manifest["counts"]["layers"]["gold"]["spans"] == 2
