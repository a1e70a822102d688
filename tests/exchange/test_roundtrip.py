"""Round trips through every interop format, over the API: native -> format -> native.

A source project is built by importing a native JSONL file of invented news articles with
emoji (a ZWJ family, flags), CRLF line breaks, a combining accent, nested and overlapping spans,
relations, document labels, an annotator's layer and suggestions. Each format's export is then
imported into a fresh project and exported as native again: every span (start, end, label,
text) and relation the format can carry must come back on the same characters, and importing
the same file a second time must change nothing.
"""

import io
import json
import zipfile
from typing import Any

import pytest
from django.contrib.auth.models import User

from tests.conftest import client_for, make_user
from tests.exchange.roundtrip_helpers import (
    ANNOTATOR,
    NOTE,
    TEXT_CAFES,
    TEXT_HOMES,
    TEXT_RENTS,
    Api,
    assert_reimport_changes_nothing,
    at,
    expected_layers,
    jsonl,
    layers_of,
    notes,
    only,
    rel,
    scores,
    source_records,
    span,
    suggestion,
    utf16_slice,
)

# Exports read through the "snapshot" connection: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "snapshot"])


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
    """The source project, filled by a native import through the API."""
    pid = api.new_project("Source")
    result = api.import_file(pid, jsonl(source_records()), "source.jsonl", "native")
    assert result["articles_created"] == 3 and result["spans_created"] == 23, result
    return pid


# --- the tests --------------------------------------------------------------------------------


def test_the_source_project_holds_the_file(api: Api, source: int) -> None:
    records = api.export_native(source)
    assert [r["id"] for r in records] == ["news-rents", "news-cafes", "news-homes"]
    assert layers_of(records) == expected_layers()
    assert scores(records)[("news-rents", *at(TEXT_RENTS, "£1,400"), "FIGURE")] == 0.88


def test_native_round_trip_keeps_everything(api: Api, source: int) -> None:
    exported = api.export(source, "native")
    before = api.export_native(source)
    target = api.new_project("Native copy")
    result = api.import_file(target, exported, "copy.jsonl", "native")  # no create_labels
    assert result["articles_created"] == 3 and result["spans_created"] == 23, result
    assert result["states_set"] == 2 and not result["labels_created"], result

    after = api.export_native(target)
    assert layers_of(after) == layers_of(before) == expected_layers()
    assert [r["text_sha256"] for r in after] == [r["text_sha256"] for r in before]
    assert [r["text"] for r in after] == [TEXT_RENTS, TEXT_CAFES, TEXT_HOMES]
    assert all(r["offsets"] == "codepoint" for r in after + before)
    assert scores(after) == scores(before)
    assert notes(after) == notes(before) == {("news-rents", "gold", "£1,400"): {"note": NOTE}}
    statuses = {
        (r["id"], s["text"]): s["provenance"]["status"]
        for r in after
        for layer in r["annotations"]
        if layer["layer"] == "suggestions"
        for s in layer["spans"]
    }
    assert statuses[("news-rents", "4.75%")] == "accepted"
    assert statuses[("news-cafes", "seven million people")] == "rejected"
    assert statuses[("news-homes", "3,500")] == "pending"

    assert_reimport_changes_nothing(api, target, exported, "copy.jsonl", "native")


def test_doccano_round_trip_converts_utf16_both_ways(api: Api, source: int) -> None:
    exported = api.export(source, "doccano", layers="gold")
    lines = {obj["id"]: obj for obj in map(json.loads, exported.decode("utf-8").splitlines())}
    # After the ZWJ family (7 code points, 11 UTF-16 units) offsets are 4 units further on.
    rents = lines["news-rents"]
    figures = {(e["start_offset"], e["end_offset"]) for e in rents["entities"] if e["label"] == "FIGURE"}
    cp_start, cp_end = at(TEXT_RENTS, "4.75%")
    assert (cp_start + 4, cp_end + 4) in figures and (cp_start, cp_end) not in figures
    assert utf16_slice(TEXT_RENTS, cp_start + 4, cp_end + 4) == "4.75%"
    # After the family and the flag (two more astral code points): 6 units further on.
    f_start, f_end = at(TEXT_RENTS, "£1,400")
    assert (f_start + 6, f_end + 6) in figures
    assert utf16_slice(TEXT_RENTS, f_start + 6, f_end + 6) == "£1,400"
    gold = only(expected_layers(), "gold")
    for external_id, obj in lines.items():  # every entity lands on its span's characters in UTF-16
        landed = {
            (e["label"], utf16_slice(obj["text"], e["start_offset"], e["end_offset"]))
            for e in obj["entities"]
        }
        assert landed == {(label, text) for _, _, label, text in gold[(external_id, "gold")]["spans"]}
    homes_claim = next(e for e in lines["news-homes"]["entities"] if e["label"] == "CLAIM")
    assert utf16_slice(TEXT_HOMES, homes_claim["start_offset"], homes_claim["end_offset"]) == (
        "12,000 homes would be built by 2026"
    )
    assert homes_claim["start_offset"] - at(TEXT_HOMES, "12,000 homes would")[0] == 7  # 7 astral code points

    target = api.new_project("doccano copy")
    result = api.import_file(target, exported, "doccano.jsonl", "doccano", layer="gold")
    assert result["articles_created"] == 3 and result["spans_created"] == 13, result
    after = layers_of(api.export_native(target))
    assert set(after) == {(key, "gold") for key in ("news-rents", "news-cafes", "news-homes")}
    assert only(after, "gold") == only(expected_layers(), "gold")

    assert_reimport_changes_nothing(api, target, exported, "doccano.jsonl", "doccano", layer="gold")


def test_labelstudio_round_trip_keeps_layers_and_suggestion_scores(api: Api, source: int) -> None:
    exported = api.export(source, "labelstudio")
    tasks = {task["data"]["external_id"]: task for task in json.loads(exported)}
    rents = tasks["news-rents"]
    by_model = {p["model_version"]: p for p in rents["predictions"]}
    assert set(by_model) == {"figures@1.2", "claims@0.3"}
    region_scores = {
        (item["value"]["text"], item["value"]["labels"][0]): item["score"]
        for item in by_model["figures@1.2"]["result"]
    }
    assert region_scores == {
        ("4.75%", "FIGURE"): 0.93,
        ("£1,400", "FIGURE"): 0.88,
        ("55 NHS trusts", "FIGURE"): 0.61,
    }
    assert by_model["claims@0.3"]["result"][0]["score"] == 0.42
    # No completed_by (Label Studio takes only its own user ids or member emails): each result's
    # meta names the layer.
    assert not any("completed_by" in a for a in rents["annotations"])
    assert [(a["ground_truth"], a["result"][0]["meta"]) for a in rents["annotations"]] == [
        (True, {"layer": "gold"}),
        (False, {"layer": "annotator", "annotator": ANNOTATOR}),
    ]
    for task in tasks.values():  # Label Studio counts code points, as we do
        for annotation in task["annotations"] + task["predictions"]:
            for item in annotation["result"]:
                if item["type"] == "labels":
                    value = item["value"]
                    assert task["data"]["text"][value["start"] : value["end"]] == value["text"]

    target = api.new_project("Label Studio copy")
    result = api.import_file(target, exported, "tasks.json", "labelstudio")
    assert result["articles_created"] == 3 and result["spans_created"] == 23, result
    after_records = api.export_native(target)
    # Label Studio has no annotator states: compare everything else, per layer.
    assert layers_of(after_records, with_states=False) == layers_of(
        api.export_native(source), with_states=False
    )
    assert scores(after_records) == scores(api.export_native(source))
    recognisers = {
        (r["id"], s["text"]): (s["provenance"]["recogniser"], s["provenance"]["recogniser_version"])
        for r in after_records
        for layer in r["annotations"]
        if layer["layer"] == "suggestions"
        for s in layer["spans"]
    }
    assert recognisers[("news-rents", "rents would rise")] == ("claims", "0.3")
    assert recognisers[("news-homes", "3,500")] == ("figures", "1.2")

    assert_reimport_changes_nothing(api, target, exported, "tasks.json", "labelstudio")


def test_brat_round_trip_through_an_export_job(api: Api, source: int) -> None:
    exported = api.export_brat(source)
    with zipfile.ZipFile(io.BytesIO(exported)) as archive:
        names = sorted(archive.namelist())
        assert names == [f"news-{n}.{ext}" for n in ("cafes", "homes", "rents") for ext in ("ann", "txt")]
        assert archive.read("news-rents.txt").decode("utf-8") == TEXT_RENTS  # CRLF kept
        ann = archive.read("news-rents.ann").decode("utf-8")
    start, end = at(TEXT_RENTS, "this year.\r\nShelter 🇬🇧 said that was wrong")
    (rebuttal,) = [line.split("\t") for line in ann.splitlines() if "\tREBUTTAL " in line]
    # Offsets are code points of the .txt; the line break inside the span is written as spaces.
    assert rebuttal[1:] == [f"REBUTTAL {start} {end}", "this year.  Shelter 🇬🇧 said that was wrong"]

    target = api.new_project("brat copy")
    result = api.import_file(target, exported, "brat.zip", "brat", layer="gold")
    assert result["articles_created"] == 3 and result["spans_created"] == 13, result
    after = api.export_native(target)
    assert [r["text"] for r in after] == [TEXT_CAFES, TEXT_HOMES, TEXT_RENTS]  # zip name order
    assert only(layers_of(after), "gold") == only(expected_layers(), "gold")
    assert {layer for _, layer in layers_of(after)} == {"gold"}
    assert notes(after) == {("news-rents", "gold", "£1,400"): {"note": NOTE}}

    assert_reimport_changes_nothing(api, target, exported, "brat.zip", "brat", layer="gold")


def conll_rows(body: str, doc: str) -> list[list[str]]:
    """The token rows of one -DOCSTART- block."""
    block = body.split(f"-DOCSTART- {doc}\n", 1)[1].split("-DOCSTART-", 1)[0]
    return [line.split("\t") for line in block.splitlines() if line]


def tag(rows: list[list[str]], text: str, token: str, near: str) -> str:
    """The tag of ``token`` at its first place inside ``near`` (offsets from the text)."""
    start = at(text, near)[0] + near.index(token)
    (row,) = [r for r in rows if r[0] == token and int(r[1]) == start]
    assert int(row[2]) == start + len(token)
    return row[3]


def test_conll_export_tags_tokens_bio(api: Api, source: int) -> None:
    body = api.export(source, "conll", layers="gold").decode("utf-8")
    assert body.startswith("# columns = token start end gold\n-DOCSTART- news-rents\n")
    rows = conll_rows(body, "news-rents")
    t = TEXT_RENTS
    assert tag(rows, t, "£", "£1,400") == "B-FIGURE"
    assert tag(rows, t, "1,400", "£1,400") == "I-FIGURE"
    assert tag(rows, t, "more", "1,400 more") == "O"
    assert tag(rows, t, "55", "55 NHS") == "B-FIGURE"
    assert tag(rows, t, "trusts", "NHS trusts") == "I-FIGURE"
    family = "👨\u200d👩\u200d👧\u200d👦"
    assert tag(rows, t, family, family) == "O"  # one token, ZWJ and all
    # Nested and overlapping: the claim starts first and wins; the rebuttal resumes after it.
    assert tag(rows, t, "rents", "rents would") == "B-CLAIM"
    assert tag(rows, t, "4.75", "4.75%") == "I-CLAIM"
    assert tag(rows, t, "year", "this year") == "I-CLAIM"
    assert tag(rows, t, ".", "year.\r\n") == "B-REBUTTAL"
    assert tag(rows, t, "🇬🇧", "Shelter 🇬🇧") == "I-REBUTTAL"
    assert tag(rows, t, ":", "wrong:") == "O"

    cafes = conll_rows(body, "news-cafes")
    assert tag(cafes, TEXT_CAFES, "cafe\u0301", "cafe\u0301") == "B-CLAIM"  # the accent stays in the word
    assert tag(cafes, TEXT_CAFES, "footfall", "footfall") == "B-REBUTTAL"
    assert tag(cafes, TEXT_CAFES, "2.1", "2.1%") == "I-REBUTTAL"
    homes = conll_rows(body, "news-homes")
    flag = TEXT_HOMES.split(" ", 1)[0]
    assert tag(homes, TEXT_HOMES, flag, flag) == "O"
    assert tag(homes, TEXT_HOMES, "3,500", "only 3,500") == "I-REBUTTAL"


def test_every_export_imports_back_into_its_own_project_as_a_no_op(api: Api, source: int) -> None:
    files = [
        (api.export(source, "native"), "n.jsonl", "native", {}),
        (api.export(source, "doccano", layers="gold"), "d.jsonl", "doccano", {"layer": "gold"}),
        (api.export(source, "labelstudio"), "t.json", "labelstudio", {}),
        (api.export_brat(source), "b.zip", "brat", {"layer": "gold"}),
    ]
    for data, name, fmt, fields in files:
        assert_reimport_changes_nothing(api, source, data, name, fmt, **fields)


# --- gaps found on the way, now fixed ---------------------------------------------------------


def test_conll_columns_are_the_same_layers_in_every_document(api: Api, source: int) -> None:
    make_user("bob")
    response = api.client.post(
        f"/api/v1/projects/{source}/members/", {"username": "bob", "role": "annotator"}, format="json"
    )
    assert response.status_code == 201
    bob = {
        "id": "news-cafes",
        "text": TEXT_CAFES,
        "annotations": [
            {"layer": "annotator", "annotator": "bob", "spans": [span(TEXT_CAFES, "c", "CLAIM", "The cafe")]}
        ],
    }
    assert api.import_file(source, jsonl([bob]), "bob.jsonl", "native")["spans_created"] == 1

    body = api.export(source, "conll").decode("utf-8")
    columns = body.splitlines()[0].removeprefix("# columns = ").split(" ")
    assert sorted(columns[3:]) == ["annotator:alice", "annotator:bob", "gold", "suggestions"]
    alice, bob_column = columns.index("annotator:alice"), columns.index("annotator:bob")
    for doc in ("news-rents", "news-cafes", "news-homes"):
        assert {len(row) for row in conll_rows(body, doc)} == {len(columns)}, doc
    cafes = conll_rows(body, "news-cafes")
    economists = next(r for r in cafes if r[0] == "Economists")
    the = next(r for r in cafes if r[0] == "The")
    assert (economists[alice], economists[bob_column]) == ("B-REBUTTAL", "O")
    assert (the[alice], the[bob_column]) == ("O", "B-CLAIM")
    assert {row[alice] for row in conll_rows(body, "news-homes")} == {"O"}


def test_doccano_round_trip_keeps_document_labels(api: Api, source: int) -> None:
    exported = api.export(source, "doccano", layers="gold")
    target = api.new_project("doccano copy")
    api.import_file(target, exported, "doccano.jsonl", "doccano", layer="gold")
    after = layers_of(api.export_native(target))
    assert only(after, "gold", keep=("document_labels",)) == only(
        expected_layers(), "gold", keep=("document_labels",)
    )


def test_labelstudio_keeps_a_suggested_relation_between_two_recognisers(api: Api) -> None:
    t = TEXT_RENTS
    record = {
        "id": "news-rents",
        "text": t,
        "annotations": [
            {
                "layer": "suggestions",
                "spans": [
                    suggestion(t, "f", "FIGURE", "4.75%", 0.9),
                    span(t, "c", "CLAIM", "rents would rise", recogniser="claims", recogniser_version="0.3"),
                ],
                "relations": [rel("f", "c", "SUPPORTS")],
            }
        ],
    }
    source = api.new_project("Source")
    api.import_file(source, jsonl([record]), "s.jsonl", "native")
    target = api.new_project("Label Studio copy")
    api.import_file(target, api.export(source, "labelstudio"), "tasks.json", "labelstudio")
    assert layers_of(api.export_native(target)) == layers_of(api.export_native(source))
