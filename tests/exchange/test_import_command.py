"""manage.py import_articles: the import service from the command line."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from annotator.annotations.models import Span
from annotator.articles.models import Article
from tests.conftest import World

TEXT = "The council said rents rose 4.75% last year."


def write(tmp_path: Path, *lines: dict[str, object]) -> Path:
    path = tmp_path / "batch.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    return path


def test_the_command_imports_prints_the_report_and_shows_progress(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gold = {"layer": "gold", "spans": [{"start": 28, "end": 33, "label": "FIGURE", "text": "4.75%"}]}
    path = write(
        tmp_path, {"id": "c1", "text": TEXT, "annotations": [gold]}, {"id": "c2", "text": "Another."}
    )
    call_command("import_articles", str(world.project.pk), str(path))
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert (report["articles_created"], report["spans_created"], report["written"]) == (2, 1, True)
    assert "2 records read, 0 with errors (of at most 2)" in err
    article = Article.objects.get(project=world.project, external_id="c1")
    assert list(Span.objects.filter(article=article).values_list("text", flat=True)) == ["4.75%"]


def test_the_command_writes_nothing_and_exits_1_when_a_line_fails(
    world: World, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = {"layer": "gold", "spans": [{"start": 0, "end": 999, "label": "FIGURE"}]}
    path = write(tmp_path, {"id": "c1", "text": TEXT}, {"id": "c2", "text": TEXT, "annotations": [bad]})
    with pytest.raises(SystemExit) as exited:
        call_command("import_articles", str(world.project.pk), str(path))
    assert exited.value.code == 1
    out, err = capsys.readouterr()
    report = json.loads(out)
    assert (report["articles_created"], report["written"], report["error_count"]) == (0, False, 1)
    assert report["errors"][0]["line"] == 2 and "nothing was written" in err
    assert not Article.objects.filter(project=world.project, external_id__in=["c1", "c2"]).exists()


def test_the_command_refuses_an_unknown_project(world: World, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="No project"):
        call_command("import_articles", "no such project", str(write(tmp_path, {"text": TEXT})))
