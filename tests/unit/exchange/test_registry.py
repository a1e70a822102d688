"""The format registry: what each format can do, and its writers. No database."""

import io
import json
import zipfile
from typing import Any

import pytest

from annotator.exchange.formats import registry
from annotator.exchange.formats.records import SCHEMA_VERSION


def line(external_id: str = "a1", layers: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """One export line object, as the export's reader builds it."""
    return {
        "schema": SCHEMA_VERSION,
        "id": external_id,
        "article_id": 1,
        "title": "",
        "source_url": "",
        "published_at": None,
        "meta": {},
        "text": "Rents rose 4.75%.",
        "text_sha256": "0" * 64,
        "offsets": "codepoint",
        "annotations": layers
        if layers is not None
        else [
            {
                "layer": "gold",
                "spans": [
                    {
                        "id": 7,
                        "start": 11,
                        "end": 16,
                        "label": "FIGURE",
                        "text": "4.75%",
                        "created_by": "rev",
                        "created_at": None,
                        "updated_at": None,
                        "provenance": {"origin": "manual"},
                    }
                ],
                "relations": [],
                "document_labels": [],
            }
        ],
    }


def test_the_format_lists_keep_their_order():
    assert registry.IMPORT_FORMATS == ("native", "doccano", "labelstudio", "conll", "brat")
    assert registry.STREAM_FORMATS == ("native", "doccano", "labelstudio", "conll")
    assert registry.FILE_FORMATS == ("native", "doccano", "labelstudio", "conll", "brat")


def test_each_format_names_its_file():
    assert registry.EXTENSIONS == {
        "native": "jsonl",
        "doccano": "jsonl",
        "labelstudio": "json",
        "conll": "conll",
        "brat": "zip",
    }
    assert registry.CONTENT_TYPES["native"] == "application/x-ndjson"
    assert registry.CONTENT_TYPES["labelstudio"] == "application/json"
    assert registry.CONTENT_TYPES["conll"] == "text/plain"
    assert registry.CONTENT_TYPES["brat"] == "application/zip"


def test_which_formats_carry_one_layer_and_which_say_an_article_was_deleted():
    assert [f.name for f in registry.FORMATS.values() if f.layers == registry.ONE] == ["doccano", "brat"]
    assert [f.name for f in registry.FORMATS.values() if f.tombstones] == ["native"]


def test_readers():
    assert registry.get("brat").read_json is None
    assert registry.get("brat").read_pair is not None
    assert registry.get("brat").pair_suffix == ".ann"
    assert registry.get("conll").importable and registry.get("conll").read_lines is not None
    record = registry.get("native").read_json({"text": "Hello", "id": "h"})  # type: ignore[misc]
    assert (record.text, record.external_id) == ("Hello", "h")


def test_an_unknown_format_is_a_key_error():
    with pytest.raises(KeyError):
        registry.get("csv")


def test_native_writes_one_line_per_object():
    out = io.BytesIO()
    registry.get("native").write([line("a"), line("b")], out, list)
    rows = [json.loads(row) for row in out.getvalue().splitlines()]
    assert [row["id"] for row in rows] == ["a", "b"]


@pytest.mark.parametrize("objects, expected", [([], b"[\n]\n"), ([line()], None)])
def test_labelstudio_writes_one_json_array(objects: list[dict[str, Any]], expected: bytes | None):
    out = io.BytesIO()
    registry.get("labelstudio").write(objects, out, list)
    if expected is not None:
        assert out.getvalue() == expected
    tasks = json.loads(out.getvalue())
    assert len(tasks) == len(objects)


def test_doccano_writes_the_one_layer():
    data = b"".join(registry.get("doccano").stream([line()], list))  # type: ignore[misc]
    row = json.loads(data)
    assert row["text"] == "Rents rose 4.75%."
    assert [(e["start_offset"], e["end_offset"], e["label"]) for e in row["entities"]] == [(11, 16, "FIGURE")]


def test_conll_asks_for_its_columns_once():
    asked = []

    def columns() -> list[str]:
        asked.append(1)
        return ["gold", "annotator:alice"]

    data = b"".join(registry.get("conll").stream([line()], columns)).decode()  # type: ignore[misc]
    assert asked == [1]
    assert "gold" in data.splitlines()[0] and "alice" in data.splitlines()[0]
    assert "B-FIGURE" in data


def test_brat_writes_a_zip_with_safe_unique_names():
    out = io.BytesIO()
    registry.get("brat").write([line("x/1"), line("x 1"), line("..")], out, list)
    with zipfile.ZipFile(io.BytesIO(out.getvalue())) as archive:
        names = archive.namelist()
        assert names == ["x_1.txt", "x_1.ann", "x_1-2.txt", "x_1-2.ann", "article.txt", "article.ann"]
        assert archive.read("x_1.txt").decode() == "Rents rose 4.75%."
        assert "FIGURE 11 16\t4.75%" in archive.read("x_1.ann").decode()
