"""A researcher's session, end to end over HTTP: token, projects, articles, annotations,
an import job, streamed exports and the dataset conversions."""

import json
from pathlib import Path
from typing import Any

import pytest
from annotator_client import NotFound, PermissionDenied, StaleVersion

from annotator.annotations.models import Span
from tests.conftest import TRICKY_TEXT, World


def test_from_token_to_a_pandas_frame_of_the_gold_layer(world: World, connect: Any, tmp_path: Path) -> None:
    pytest.importorskip("pandas", reason="the pandas extra is not installed")
    admin = connect(world.admin)
    project = world.project.pk
    # admin: articles in batches, a gold span over an emoji-bearing text (code points)
    added = admin.add_articles(
        project, [{"external_id": f"n{i}", "text": f"Rents rose {i}%."} for i in range(3)]
    )
    assert sum(len(a["articles"]) for a in added) == 3
    start = TRICKY_TEXT.index("4.75%")
    span = admin.add_span(world.article.pk, start, start + 5, "FIGURE", layer="gold")
    assert span["text"] == "4.75%" and span["version"] >= 1

    researcher = connect(world.researcher)
    assert [p["id"] for p in researcher.projects()] == [project]
    listed = list(researcher.articles(project, page_size=2))  # pages fetched lazily
    assert len(listed) == 4 and "text" not in listed[0]
    articles, spans = researcher.to_pandas(project, layer="gold")
    assert sorted(articles["external_id"]) == ["a1", "n0", "n1", "n2"]
    gold = spans[spans["layer"] == "gold"]
    assert gold[["start", "end", "label", "text"]].values.tolist() == [[start, start + 5, "FIGURE", "4.75%"]]
    row = articles[articles["external_id"] == "a1"].iloc[0]
    assert row["text"][start : start + 5] == "4.75%"  # code points, as Python slices them


def test_a_hugging_face_dataset_and_a_spacy_docbin_keep_code_point_spans(world: World, connect: Any) -> None:
    admin = connect(world.admin)
    start = TRICKY_TEXT.index("£1,400")
    admin.add_span(world.article.pk, start, start + 6, "FIGURE", layer="gold")
    datasets = pytest.importorskip("datasets", reason="the hf extra (datasets) is not installed")
    dataset = connect(world.researcher).to_hf_dataset(world.project.pk)
    assert isinstance(dataset, datasets.Dataset) and dataset.num_rows == 1
    item = dataset[0]
    assert item["spans"] == [{"start": start, "end": start + 6, "label": "FIGURE"}]
    assert item["text"][start : start + 6] == "£1,400"
    spacy = pytest.importorskip("spacy", reason="the spacy extra is not installed")
    docbin = connect(world.researcher).to_spacy(world.project.pk)
    (doc,) = docbin.get_docs(spacy.blank("en").vocab)
    assert [(s.start_char, s.end_char, s.label_) for s in doc.spans["sc"]] == [(start, start + 6, "FIGURE")]
    assert [list(s) for s in doc.user_data["annotator_spans"]] == [[start, start + 6, "FIGURE"]]


def test_a_stale_write_raises_with_the_current_version(world: World, connect: Any) -> None:
    annotator = connect(world.annotator)
    span = annotator.add_span(world.article.pk, 0, 3, "CLAIM")
    moved = annotator.update_span(span["id"], span["version"], end=12)
    assert moved["end"] == 12 and moved["version"] == span["version"] + 1
    with pytest.raises(StaleVersion) as stale:
        annotator.update_span(span["id"], span["version"], end=5)  # the version read before
    assert stale.value.status == 412 and stale.value.current_version == moved["version"]
    assert Span.objects.get(pk=span["id"]).end == 12  # nothing changed
    annotator.delete_span(span["id"], stale.value.current_version)
    assert not Span.objects.filter(pk=span["id"]).exists()


def test_errors_map_the_api_error_body(world: World, connect: Any) -> None:
    with pytest.raises(NotFound) as missing:
        connect(world.outsider).project(world.project.pk)
    assert missing.value.code == "not_found"
    with pytest.raises(PermissionDenied):
        connect(world.researcher).add_articles(world.project.pk, [{"text": "x"}])


def test_an_import_uploads_and_waits_for_its_job_then_the_export_streams(
    world: World, connect: Any, tmp_path: Path
) -> None:
    lines = [{"id": f"i{i}", "text": f"Prices fell {i}%.", "annotations": []} for i in range(5)]
    source = tmp_path / "batch.jsonl"
    source.write_text("".join(json.dumps(line) + "\n" for line in lines), "utf-8")
    admin = connect(world.admin)
    job = admin.import_file(world.project.pk, source, on_error="abort")
    assert job["status"] == "succeeded" and job["result"]["articles_created"] == 5
    stream = admin.export(world.project.pk, layers="gold")
    ids = [record["id"] for record in stream]
    assert sorted(ids) == ["a1", "i0", "i1", "i2", "i3", "i4"]
    assert stream.cursor and stream.cursor.startswith(f"{world.project.pk}-")
    assert list(admin.export(world.project.pk, since=stream.cursor)) == []  # nothing changed since


def test_preannotation_as_a_job_then_the_agreement_report_and_the_review_queue(
    world: World, connect: Any
) -> None:
    admin = connect(world.admin)
    job = admin.preannotate(world.project.pk, ["figures"])
    assert job["status"] == "succeeded" and job["kind"] == "preannotate" and job["result"]["created"] >= 2
    report = connect(world.researcher).agreement(world.project.pk)
    assert isinstance(report, dict) and report  # the report's figures: docs/agreement.md
    queue = list(admin.review_queue(world.project.pk))
    assert isinstance(queue, list)


def test_an_export_job_waits_and_its_file_downloads(world: World, connect: Any, tmp_path: Path) -> None:
    researcher = connect(world.researcher)
    job = researcher.export_job(world.project.pk, format="native", layers=["gold"])
    manifest = job["result"]
    assert job["status"] == "succeeded" and manifest["counts"]["articles"] == 1
    target = tmp_path / "export.jsonl"
    researcher.download_export(world.project.pk, job["id"], target)
    (line,) = target.read_text("utf-8").splitlines()
    assert json.loads(line)["text"] == TRICKY_TEXT
