"""The round-trip tests' source file, their API driver (Api) and the comparisons of exported layers."""

import io
import json
from dataclasses import dataclass
from typing import Any

from rest_framework.test import APIClient

from annotator.jobs.runner import run_job
from tests.conftest import streamed

ANNOTATOR = "alice"
NOTE = "ONS figure\nchecked by 👩\u200d🔬"  # brat carries it as two AnnotatorNotes lines
DOCUMENT_LABELS = ("ECONOMY", "HEALTH")  # the "argument" preset has none: created per project


# A ZWJ family, a flag, CRLF line breaks, a span across a line break.
TEXT_RENTS = (
    "Ministers 👨\u200d👩\u200d👧\u200d👦 insisted on Tuesday that rents would rise by only 4.75% this year.\r\n"
    "Shelter 🇬🇧 said that was wrong: the average family would pay £1,400 more.\r\n"
    "In total 55 NHS trusts had warned of staff leaving."
)
# A combining accent (e + U+0301), emoji inside spans, spans sharing a start and an end.
TEXT_CAFES = (
    "The cafe\u0301 owners' group 😤 claimed that seven million people had stopped eating out.\r\n"
    "Economists disputed this, saying footfall 📉 fell by just 2.1% in the year to March."
)
# A tag-sequence flag (Scotland: astral tag characters) first, LF line breaks.
TEXT_HOMES = (
    "🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f Holyrood said 12,000 homes would be "
    "built by 2026.\nThe opposition said only 3,500 had planning permission."
)


# --- building the source file -------------------------------------------------------------


def at(text: str, needle: str) -> tuple[int, int]:
    """The code-point range of ``needle``, which must occur exactly once in ``text``."""
    assert text.count(needle) == 1, f"{needle!r} must occur once"
    start = text.index(needle)
    return start, start + len(needle)


def span(text: str, key: str, label: str, needle: str, **provenance: Any) -> dict[str, Any]:
    start, end = at(text, needle)
    item: dict[str, Any] = {"id": key, "start": start, "end": end, "label": label, "text": needle}
    if provenance:
        item["provenance"] = provenance
    return item


def suggestion(text: str, key: str, label: str, needle: str, score: float, **extra: Any) -> dict[str, Any]:
    return span(
        text, key, label, needle, recogniser="figures", recogniser_version="1.2", score=score, **extra
    )


def rel(source: str, target: str, label: str) -> dict[str, str]:
    return {"from": source, "to": target, "label": label}


def source_records() -> list[dict[str, Any]]:
    """Three native records; every offset comes from the text."""
    t1, t2, t3 = TEXT_RENTS, TEXT_CAFES, TEXT_HOMES
    return [
        {
            "id": "news-rents",
            "title": "Rents to rise 4.75%",
            "text": t1,
            "annotations": [
                {
                    "layer": "gold",
                    "spans": [
                        span(t1, "c", "CLAIM", "rents would rise by only 4.75% this year"),
                        span(t1, "f1", "FIGURE", "4.75%"),  # nested in the claim
                        # overlaps the claim's end, crosses CRLF and holds a flag
                        span(t1, "r", "REBUTTAL", "this year.\r\nShelter 🇬🇧 said that was wrong"),
                        {**span(t1, "f2", "FIGURE", "£1,400"), "attributes": {"note": NOTE}},
                        span(t1, "f3", "FIGURE", "55 NHS trusts"),
                    ],
                    "relations": [rel("f1", "c", "SUPPORTS"), rel("r", "c", "REBUTS")],
                    "document_labels": ["ECONOMY"],
                },
                {
                    "layer": "annotator",
                    "annotator": ANNOTATOR,
                    "state": "submitted",
                    "spans": [
                        span(
                            t1,
                            "c",
                            "CLAIM",
                            "Ministers 👨\u200d👩\u200d👧\u200d👦 insisted on Tuesday that rents would rise by only 4.75%",
                        ),
                        span(t1, "f", "FIGURE", "4.75%"),
                    ],
                    "relations": [rel("f", "c", "SUPPORTS")],
                    "document_labels": ["ECONOMY", "HEALTH"],
                },
                {
                    "layer": "suggestions",
                    "spans": [
                        suggestion(t1, "s1", "FIGURE", "4.75%", 0.93, status="accepted"),
                        suggestion(t1, "s2", "FIGURE", "£1,400", 0.88),
                        suggestion(t1, "s3", "FIGURE", "55 NHS trusts", 0.61),
                        span(
                            t1,
                            "s4",
                            "CLAIM",
                            "rents would rise",
                            recogniser="claims",
                            recogniser_version="0.3",
                            score=0.42,
                        ),
                    ],
                },
            ],
        },
        {
            "id": "news-cafes",
            "text": t2,
            "annotations": [
                {
                    "layer": "gold",
                    "spans": [
                        span(
                            t2,
                            "c",
                            "CLAIM",
                            "cafe\u0301 owners' group 😤 claimed that seven million people had stopped eating out",
                        ),
                        span(t2, "f1", "FIGURE", "seven million people"),
                        span(t2, "r", "REBUTTAL", "footfall 📉 fell by just 2.1%"),
                        span(t2, "f2", "FIGURE", "2.1%"),  # shares the rebuttal's end
                    ],
                    "relations": [rel("f1", "c", "SUPPORTS"), rel("r", "c", "REBUTS")],
                    "document_labels": ["ECONOMY"],
                },
                {
                    "layer": "annotator",
                    "annotator": ANNOTATOR,
                    "state": "in_progress",
                    "spans": [span(t2, "r", "REBUTTAL", "Economists disputed this")],
                },
                {
                    "layer": "suggestions",
                    "spans": [
                        suggestion(t2, "s1", "FIGURE", "2.1%", 0.97),
                        suggestion(t2, "s2", "FIGURE", "seven million people", 0.5, status="rejected"),
                    ],
                },
            ],
        },
        {
            "id": "news-homes",
            "text": t3,
            "annotations": [
                {
                    "layer": "gold",
                    "spans": [
                        span(t3, "c", "CLAIM", "12,000 homes would be built by 2026"),
                        span(t3, "f1", "FIGURE", "12,000 homes"),
                        span(t3, "r", "REBUTTAL", "only 3,500 had planning permission"),
                        span(t3, "f2", "FIGURE", "3,500"),
                    ],
                    "relations": [rel("f1", "c", "SUPPORTS"), rel("r", "c", "REBUTS")],
                },
                {"layer": "suggestions", "spans": [suggestion(t3, "s1", "FIGURE", "3,500", 0.75)]},
            ],
        },
    ]


def jsonl(records: list[dict[str, Any]]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


# --- the API --------------------------------------------------------------------------------


@dataclass
class Api:
    client: APIClient

    def new_project(self, name: str) -> int:
        """A project with the argument preset, the document labels and alice as annotator."""
        response = self.client.post("/api/v1/projects/", {"name": name, "preset": "argument"}, format="json")
        assert response.status_code == 201, response.json()
        pid = int(response.json()["id"])
        for label in DOCUMENT_LABELS:
            response = self.client.post(
                f"/api/v1/projects/{pid}/labels/", {"kind": "document", "name": label}, format="json"
            )
            assert response.status_code == 201, response.json()
        response = self.client.post(
            f"/api/v1/projects/{pid}/members/", {"username": ANNOTATOR, "role": "annotator"}, format="json"
        )
        assert response.status_code == 201, response.json()
        return pid

    def run(self, job: dict[str, Any]) -> dict[str, Any]:
        """What a worker does with the job's message, here in the test process."""
        run_job(job["id"], redelivered=False)
        body: dict[str, Any] = self.client.get(f"/api/v1/jobs/{job['id']}/").json()
        assert body["status"] == "succeeded", body
        return body

    def import_file(self, pid: int, data: bytes, name: str, fmt: str, **fields: str) -> dict[str, Any]:
        handle = io.BytesIO(data)
        handle.name = name
        response = self.client.post(
            f"/api/v1/projects/{pid}/imports/", {"file": handle, "format": fmt, **fields}, format="multipart"
        )
        assert response.status_code == 202, response.json()
        result: dict[str, Any] = self.run(response.json())["result"]
        assert result["written"] and result["error_count"] == 0, result
        return result

    def export(self, pid: int, fmt: str, layers: str = "all") -> bytes:
        response = self.client.get(f"/api/v1/projects/{pid}/export.jsonl", {"format": fmt, "layers": layers})
        assert response.status_code == 200, response
        return streamed(response)

    def export_native(self, pid: int) -> list[dict[str, Any]]:
        return [json.loads(line) for line in self.export(pid, "native").decode("utf-8").splitlines() if line]

    def export_brat(self, pid: int) -> bytes:
        response = self.client.post(
            f"/api/v1/projects/{pid}/exports/", {"format": "brat", "layers": ["gold"]}, format="json"
        )
        assert response.status_code == 202, response.json()
        job = self.run(response.json())
        download = self.client.get(f"/api/v1/projects/{pid}/exports/{job['id']}/download")
        assert download.status_code == 200
        return streamed(download)


# --- comparing ------------------------------------------------------------------------------


SpanKey = tuple[int, int, str, str]  # start, end, label, text
Layers = dict[tuple[str, str], dict[str, Any]]  # (article id, layer name) -> its content


def layer_name(layer: dict[str, Any]) -> str:
    return f"annotator:{layer['annotator']}" if layer["layer"] == "annotator" else str(layer["layer"])


def layers_of(records: list[dict[str, Any]], *, with_states: bool = True) -> Layers:
    """Per article and layer: spans, relations (by their ends' range and label), document labels,
    state; empty layers are left out, so a format that writes them and one that does not compare."""
    out: Layers = {}
    for record in records:
        for layer in record["annotations"]:
            by_id = {s["id"]: (s["start"], s["end"], s["label"]) for s in layer["spans"]}
            content: dict[str, Any] = {
                "spans": {(s["start"], s["end"], s["label"], s["text"]) for s in layer["spans"]},
                "relations": {(by_id[r["from"]], by_id[r["to"]], r["label"]) for r in layer["relations"]},
                "document_labels": sorted(layer["document_labels"]),
            }
            if with_states and layer.get("state") not in (None, "not_started"):
                content["state"] = layer["state"]
            if any(content.values()):
                out[(record["id"], layer_name(layer))] = content
    return out


def only(layers: Layers, name: str, *, keep: tuple[str, ...] = ("spans", "relations")) -> Layers:
    return {
        key: {k: v for k, v in content.items() if k in keep}
        for key, content in layers.items()
        if key[1] == name
    }


def scores(records: list[dict[str, Any]]) -> dict[tuple[str, int, int, str], float]:
    return {
        (record["id"], s["start"], s["end"], s["label"]): s["provenance"]["score"]
        for record in records
        for layer in record["annotations"]
        if layer["layer"] == "suggestions"
        for s in layer["spans"]
    }


def created(result: dict[str, Any]) -> int:
    keys = ("articles_created", "spans_created", "relations_created", "document_labels_created", "states_set")
    return sum(result[k] for k in keys)


def expected_layers() -> Layers:
    """What the source file says, in the shape ``layers_of`` gives."""
    records = source_records()
    for record in records:
        for layer in record["annotations"]:
            layer.setdefault("relations", [])
            layer.setdefault("document_labels", [])
    return layers_of(records)


def assert_reimport_changes_nothing(
    api: Api, pid: int, data: bytes, name: str, fmt: str, **fields: str
) -> None:
    before = api.export_native(pid)
    result = api.import_file(pid, data, name, fmt, **fields)
    assert created(result) == 0, result
    assert result["articles_unchanged"] == 3 and not result["labels_created"], result
    assert api.export_native(pid) == before


def notes(records: list[dict[str, Any]]) -> dict[tuple[str, str, str], Any]:
    """Span attributes by (article id, layer, span text), where there are any."""
    return {
        (record["id"], layer_name(layer), s["text"]): s["attributes"]
        for record in records
        for layer in record["annotations"]
        for s in layer["spans"]
        if s.get("attributes")
    }


def utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")
