"""``client.sync``: a local mirror kept current with incremental pulls, in a SQLite file or a
folder of JSONL; a second call fetches only what changed, deletions are applied, and an
interrupted sync resumes."""

from pathlib import Path
from typing import Any

import pytest
from annotator_client import open_mirror

from annotator.articles.models import Article
from annotator.common.db import change_clock
from tests.conftest import World


class Interrupted(Exception):
    pass


def seed(client: Any, project: int, count: int) -> None:
    client.add_articles(
        project, [{"external_id": f"s{i}", "text": f"Sales rose {i}%."} for i in range(count)]
    )


def ids(path: Path) -> list[str]:
    with open_mirror(path) as mirror:
        return sorted(record["id"] for record in mirror.records())


@pytest.mark.parametrize("name", ["mirror.sqlite", "mirror"])
def test_a_second_sync_fetches_only_what_changed_and_applies_deletions(
    world: World, connect: Any, tmp_path: Path, name: str
) -> None:
    admin, path = connect(world.admin), tmp_path / name
    seed(admin, world.project.pk, 4)
    first = connect(world.researcher).sync(world.project.pk, path)
    assert first["updated"] == 5 and first["deleted"] == 0 and first["articles"] == 5
    assert ids(path) == ["a1", "s0", "s1", "s2", "s3"]

    again = connect(world.researcher).sync(world.project.pk, path)
    assert (again["updated"], again["deleted"], again["articles"]) == (0, 0, 5)

    s1 = Article.objects.get(project=world.project, external_id="s1")
    admin.add_span(s1.pk, 0, 5, "CLAIM", layer="gold")
    admin.delete_article(Article.objects.get(project=world.project, external_id="s2").pk)
    third = connect(world.researcher).sync(world.project.pk, path)
    assert (third["updated"], third["deleted"], third["articles"]) == (1, 1, 4)
    with open_mirror(path) as mirror:
        records = {r["id"]: r for r in mirror.records()}
        assert mirror.cursor() == third["cursor"]
    assert sorted(records) == ["a1", "s0", "s1", "s3"]
    gold = next(entry for entry in records["s1"]["annotations"] if entry["layer"] == "gold")
    assert [(s["start"], s["end"], s["label"]) for s in gold["spans"]] == [(0, 5, "CLAIM")]


@pytest.mark.parametrize("name", ["mirror.sqlite", "mirror"])
def test_a_mirror_whose_cursor_the_server_no_longer_continues_is_rebuilt_whole(
    world: World, connect: Any, tmp_path: Path, name: str
) -> None:
    admin, path = connect(world.admin), tmp_path / name
    seed(admin, world.project.pk, 3)
    connect(world.researcher).sync(world.project.pk, path)
    # The cursor as one made before the server counted changes the way it does now (the
    # other change clock), as after an upgrade; meanwhile an article goes and one changes.
    pid = world.project.pk
    with open_mirror(path) as mirror:
        mirror.commit(f"{pid}-5" if change_clock() else f"{pid}-x5", mirror.settings())
    admin.delete_article(Article.objects.get(project=world.project, external_id="s0").pk)
    admin.add_span(
        Article.objects.get(project=world.project, external_id="s1").pk, 0, 5, "CLAIM", layer="gold"
    )
    result = connect(world.researcher).sync(world.project.pk, path)
    assert (result["updated"], result["deleted"], result["articles"]) == (3, 1, 3)
    assert ids(path) == ["a1", "s1", "s2"]
    with open_mirror(path) as mirror:
        assert mirror.cursor() == result["cursor"]
        s1 = next(r for r in mirror.records() if r["id"] == "s1")
    assert any(entry["layer"] == "gold" and entry["spans"] for entry in s1["annotations"])
    again = connect(world.researcher).sync(world.project.pk, path)
    assert (again["updated"], again["deleted"], again["articles"]) == (0, 0, 3)


@pytest.mark.parametrize("name", ["mirror.db", "mirror"])
def test_an_interrupted_sync_keeps_what_it_applied_and_the_next_one_finishes(
    world: World, connect: Any, tmp_path: Path, name: str
) -> None:
    seed(connect(world.admin), world.project.pk, 9)
    path, seen = tmp_path / name, []

    def stop_after_three(record: dict[str, Any]) -> None:
        seen.append(record["id"])
        if len(seen) == 3:
            raise Interrupted

    researcher = connect(world.researcher)
    with pytest.raises(Interrupted):
        researcher.sync(world.project.pk, path, on_record=stop_after_three)
    with open_mirror(path) as mirror:
        assert mirror.cursor() is None  # the pull did not complete: no cursor moved
        assert sorted(r["id"] for r in mirror.records()) == sorted(seen)  # but what came is kept

    resumed = researcher.sync(world.project.pk, path)
    assert resumed["articles"] == 10 and ids(path) == sorted(["a1", *(f"s{i}" for i in range(9))])
    assert researcher.sync(world.project.pk, path)["updated"] == 0


def test_a_mirror_refuses_another_project_or_layer_selection(
    world: World, connect: Any, tmp_path: Path
) -> None:
    researcher, path = connect(world.researcher), tmp_path / "m.sqlite"
    researcher.sync(world.project.pk, path, layers="gold")
    with pytest.raises(Exception, match="mirrors"):
        researcher.sync(world.project.pk, path, layers="all")
