"""Cross-article relations in exports: native JSONL names the other end by article, in both
articles' lines (incoming_relations mirrors it), and in both articles' incremental pulls; the
other formats leave them out and the manifest says how many."""

from typing import Any

import pytest

from annotator.exchange.exporting import ExportStream, export_filters, export_plan
from tests.exchange.test_export import layer, pull

# Exports read through the "snapshot" connection: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "snapshot"])


@pytest.fixture
def linked(pair):
    claim = pair.span("annotator", pair.first, "inflation would fall", "CLAIM")
    rebuttal = pair.span("annotator", pair.second, "inflation would not fall", "REBUTTAL")
    near = pair.span("annotator", pair.second, "55 NHS trusts", "FIGURE")
    local = pair.span("annotator", pair.second, "The union leader", "CLAIM")
    rel = pair.relate("annotator", pair.second, rebuttal["id"], claim["id"], "REBUTS").json()
    assert pair.relate("annotator", pair.second, near["id"], local["id"], "SUPPORTS").status_code == 201
    return pair, claim, rebuttal, rel, local


def test_native_export_names_the_other_article(linked):
    pair, claim, rebuttal, rel, local = linked
    client = pair.world.client("researcher")
    records, cursor = pull(client, pair.world.project.pk)
    by_id = {r["id"]: r for r in records}
    second = layer(by_id["second"], "annotator", "annotator")
    crossing = [r for r in second["relations"] if r["id"] == rel["id"]]
    assert [(r["from"], r["to"], r["label"]) for r in crossing] == [
        (rebuttal["id"], {"article": "first", "span": claim["id"]}, "REBUTS")
    ]
    assert [r["to"] for r in second["relations"] if r["id"] != rel["id"]] == [local["id"]]
    first = layer(by_id["first"], "annotator", "annotator")
    assert first["relations"] == []
    assert first["incoming_relations"] == [
        {
            "id": rel["id"],
            "from": {"article": "second", "span": rebuttal["id"]},
            "to": claim["id"],
            "label": "REBUTS",
        }
    ]
    assert "incoming_relations" not in second
    # Deleting the relation changes both articles: both come back in the next pull.
    annotator = pair.world.client("annotator")
    gone = annotator.delete(f"/api/v1/relations/{rel['id']}/", HTTP_IF_MATCH=f'"{rel["version"]}"')
    assert gone.status_code == 204
    records, _ = pull(client, pair.world.project.pk, cursor)
    assert sorted(r["id"] for r in records) == ["first", "second"]
    assert "incoming_relations" not in layer({r["id"]: r for r in records}["first"], "annotator", "annotator")


def test_a_new_cross_article_relation_is_in_both_pulls(pair):
    client = pair.world.client("researcher")
    claim = pair.span("annotator", pair.first, "inflation would fall", "CLAIM")
    other = pair.span("annotator", pair.second, "inflation would not fall", "CLAIM")
    _, cursor = pull(client, pair.world.project.pk)
    assert pair.relate("annotator", pair.first, claim["id"], other["id"], "SAME_CLAIM").status_code == 201
    records, _ = pull(client, pair.world.project.pk, cursor)
    assert sorted(r["id"] for r in records) == ["first", "second"]


def manifest_of(pair: Any, **params: str) -> dict[str, Any]:
    plan = export_plan(
        actor=pair.world.admin, project_id=pair.world.project.pk, filters=export_filters(params)
    )
    stream = ExportStream(plan)
    body = b"".join(stream)
    stream.close()
    return {"body": body.decode(), **stream.manifest()}


@pytest.mark.parametrize(
    "params",
    [
        {"format": "doccano", "layers": "annotator"},
        {"format": "conll", "layers": "annotator"},
    ],
)
def test_other_formats_leave_them_out_and_say_so(linked, params):
    pair, *_ = linked
    manifest = manifest_of(pair, **params)
    assert manifest["counts"]["left_out"] == {"cross_article_relations": 1}
    assert manifest["body"]


def test_native_manifest_has_nothing_left_out(linked):
    pair, *_ = linked
    assert "left_out" not in manifest_of(pair)["counts"]
