"""The interop options over the API (issue 13): doccano's plain ``label`` form and offset units,
a Label Studio file as Label Studio gives it back, and CoNLL imported as well as exported.

The source project is the one test_roundtrip builds (emoji, ZWJ sequences, flags, a combining
accent, CRLF); these tests only add what the options change."""

import io
import json
from typing import Any

import pytest
from django.contrib.auth.models import User

from annotator.exchange.formats.offsets import converter
from tests.conftest import client_for, make_user, streamed
from tests.exchange.roundtrip_helpers import (
    ANNOTATOR,
    TEXT_CAFES,
    TEXT_HOMES,
    TEXT_RENTS,
    Api,
    at,
    expected_layers,
    jsonl,
    layers_of,
    only,
    source_records,
)

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "snapshot"])

TEXTS = {"news-rents": TEXT_RENTS, "news-cafes": TEXT_CAFES, "news-homes": TEXT_HOMES}


@pytest.fixture(autouse=True)
def _no_heartbeat_during_inline_jobs(settings: Any) -> None:
    settings.JOB_HEARTBEAT_SECONDS = 60


@pytest.fixture
def admin(transactional_db: None) -> User:
    make_user(ANNOTATOR)
    return make_user("boss")


@pytest.fixture
def api(admin: User) -> Api:
    return Api(client_for(admin))


@pytest.fixture
def source(api: Api) -> int:
    pid = api.new_project("Source")
    api.import_file(pid, jsonl(source_records()), "source.jsonl", "native")
    return pid


def export(api: Api, pid: int, **params: str) -> bytes:
    response = api.client.get(f"/api/v1/projects/{pid}/export.jsonl", params)
    assert response.status_code == 200, response
    return streamed(response)


def lines(data: bytes) -> dict[str, dict[str, Any]]:
    return {obj["id"]: obj for obj in map(json.loads, data.decode("utf-8").splitlines())}


# --- doccano --------------------------------------------------------------------------------


@pytest.mark.parametrize("unit", ["grapheme", "codepoint", "utf16"])
def test_doccano_label_form_in_each_unit_round_trips_the_gold_spans(api: Api, source: int, unit: str) -> None:
    data = export(api, source, format="doccano", layers="gold", form="label", offsets=unit)
    gold = only(expected_layers(), "gold")
    for external_id, obj in lines(data).items():
        # The plain sequence-labelling shape: no entities, relations or document labels.
        assert set(obj) == {"id", "text", "label", "meta"}
        conv = converter(obj["text"], unit)
        landed = {
            (label, obj["text"][conv.to_codepoint(start) : conv.to_codepoint(end)])
            for start, end, label in obj["label"]
        }
        assert landed == {(label, text) for _, _, label, text in gold[(external_id, "gold")]["spans"]}

    target = api.new_project("doccano label copy")
    result = api.import_file(target, data, "d.jsonl", "doccano", layer="gold", offsets=unit)
    assert result["spans_created"] == 13 and result["relations_created"] == 0, result
    after = only(layers_of(api.export_native(target)), "gold", keep=("spans",))
    assert after == only(expected_layers(), "gold", keep=("spans",))


def test_doccano_grapheme_offsets_count_a_zwj_family_and_crlf_once(api: Api, source: int) -> None:
    obj = lines(export(api, source, format="doccano", layers="gold", offsets="grapheme"))["news-rents"]
    start, end = at(TEXT_RENTS, "55 NHS trusts")
    # Before it: the family (7 code points), the flag (2) and two CRLFs are one cluster each.
    entity = next(e for e in obj["entities"] if e["start_offset"] == start - 6 - 1 - 2)
    assert (entity["label"], entity["end_offset"]) == ("FIGURE", end - 6 - 1 - 2)
    assert obj["relations"]  # the relation form is still the default


def test_doccano_codepoint_import_of_a_file_made_through_doccanos_api(api: Api) -> None:
    start, end = at(TEXT_RENTS, "£1,400")
    line = {"text": TEXT_RENTS, "label": [[start, end, "FIGURE"]], "id": "api-made"}
    target = api.new_project("from doccano's API")
    api.import_file(target, jsonl([line]), "d.jsonl", "doccano", offsets="codepoint")
    ((_, layer),) = layers_of(api.export_native(target)).items()
    assert layer["spans"] == {(start, end, "FIGURE", "£1,400")}


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"format": "native", "offsets": "grapheme"}, "offsets"),
        ({"format": "doccano", "layers": "gold", "offsets": "bytes"}, "offsets"),
        ({"format": "doccano", "layers": "gold", "form": "table"}, "form"),
        ({"format": "labelstudio", "form": "label"}, "form"),
    ],
)
def test_export_options_a_format_does_not_take_are_a_400(
    api: Api, source: int, params: dict[str, str], field: str
) -> None:
    response = api.client.get(f"/api/v1/projects/{source}/export.jsonl", params)
    assert response.status_code == 400, response
    assert field in response.json()["errors"], response.json()
    job = api.client.post(
        f"/api/v1/projects/{source}/exports/",
        {**params, "layers": [params.get("layers", "all")]},
        format="json",
    )
    assert job.status_code == 400 and field in job.json()["errors"], job.json()


def test_import_offsets_on_a_format_without_them_is_a_400(api: Api, source: int) -> None:
    handle = io.BytesIO(jsonl(source_records()))
    handle.name = "s.jsonl"
    response = api.client.post(
        f"/api/v1/projects/{source}/imports/",
        {"file": handle, "format": "native", "offsets": "grapheme"},
        format="multipart",
    )
    assert response.status_code == 400 and "offsets" in response.json()["errors"], response.json()


def test_an_export_job_keeps_the_doccano_options(api: Api, source: int) -> None:
    response = api.client.post(
        f"/api/v1/projects/{source}/exports/",
        {"format": "doccano", "layers": ["gold"], "form": "label", "offsets": "grapheme"},
        format="json",
    )
    assert response.status_code == 202, response.json()
    job = api.run(response.json())
    assert job["result"]["filters"]["form"] == "label" and job["result"]["filters"]["offsets"] == "grapheme"
    download = api.client.get(f"/api/v1/projects/{source}/exports/{job['id']}/download")
    data = streamed(download)
    assert data == export(api, source, format="doccano", layers="gold", form="label", offsets="grapheme")


# --- Label Studio ----------------------------------------------------------------------------


def as_label_studio_exports_it(tasks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Label Studio's JSON export of imported tasks: its own ids, the importing user's id as
    completed_by, its bookkeeping; data and results as they were imported."""
    stored = json.loads(json.dumps(tasks))
    for n, task in enumerate(stored, start=1):
        task["id"] = n
        for annotation in task["annotations"]:
            annotation.update(completed_by=1, was_cancelled=False, lead_time=None, task=n, id=100 + n)
    return stored


def test_labelstudio_file_as_label_studio_gives_it_back_restores_the_layers(api: Api, source: int) -> None:
    tasks = json.loads(api.export(source, "labelstudio"))
    assert not any("completed_by" in a for t in tasks for a in t["annotations"])
    back = json.dumps(as_label_studio_exports_it(tasks)).encode()
    target = api.new_project("Back from Label Studio")
    api.import_file(target, back, "ls.json", "labelstudio")
    assert layers_of(api.export_native(target), with_states=False) == layers_of(
        api.export_native(source), with_states=False
    )


# --- CoNLL ----------------------------------------------------------------------------------


def test_conll_import_round_trips_its_export(api: Api, source: int) -> None:
    exported = api.export(source, "conll")
    target = api.new_project("CoNLL copy")
    result = api.import_file(target, exported, "project.conll", "conll")
    assert result["articles_created"] == 3 and result["error_count"] == 0, result
    # Exported again, the new project gives the same tokens, offsets and tags in every layer.
    assert api.export(target, "conll") == exported
    records = {r["id"]: r for r in api.export_native(target)}
    for external_id, text in TEXTS.items():
        rebuilt = records[external_id]["text"]
        assert len(rebuilt) == len(text)  # same offsets; only the space between tokens is lost
        assert [c for c in rebuilt if not c.isspace()] == [c for c in text if not c.isspace()]
    layers = layers_of(api.export_native(target))
    start, end = at(TEXT_RENTS, "£1,400")
    assert (start, end, "FIGURE", "£1,400") in layers[("news-rents", "gold")]["spans"]
    # alice's FIGURE lies inside her CLAIM, which starts first: one layer's column keeps the CLAIM.
    claim = TEXT_RENTS[: at(TEXT_RENTS, "4.75%")[1]]
    assert layers[("news-rents", f"annotator:{ANNOTATOR}")]["spans"] == {(0, len(claim), "CLAIM", claim)}
    assert {s[2] for s in layers[("news-rents", "suggestions")]["spans"]} == {"FIGURE", "CLAIM"}

    again = api.import_file(target, exported, "project.conll", "conll")
    assert again["articles_unchanged"] == 3 and again["spans_created"] == 0, again
