"""Mirroring a project by repeated incremental pulls while annotators keep writing.

Writers in threads (each with its own database connection) create, relabel and delete spans
and relations, set states, and add and delete articles. Meanwhile a reader pulls
``since=<last cursor>`` again and again and applies each record to a mirror. When the writers
stop, one more pull must make the mirror equal a full export: no change missed, none
applied out of order. Every pulled record must be internally consistent (one snapshot):
no relation pointing at a span that is not in the record.
"""

import json
import random
import threading
from typing import Any

import pytest
from django.db import connections

from annotator.annotations.models import Span
from annotator.annotations.services import relation_create, span_create, span_delete, span_update, state_set
from annotator.articles.services import article_delete
from annotator.common.errors import DomainError
from annotator.exchange.exporting import ExportFilters, ExportStream, export_plan
from tests.conftest import World, add_article, build_world

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "snapshot"])

TEXT = "The minister said inflation was 4.75%. But critics 🙄 said the tax cost £1,400 per household. " * 3
OPS_PER_WRITER = 40


@pytest.fixture
def world(transactional_db: None) -> World:
    return build_world()


def pull(world: World, since: str) -> tuple[list[dict[str, Any]], str]:
    plan = export_plan(
        actor=world.users["researcher"], project_id=world.project.pk, filters=ExportFilters(since=since)
    )
    stream = ExportStream(plan)
    try:
        body = b"".join(stream).decode()
    finally:
        stream.close()
    return [json.loads(line) for line in body.splitlines()], stream.cursor


def check_consistent(record: dict[str, Any]) -> None:
    for layer in record.get("annotations", []):
        ids = {span["id"] for span in layer["spans"]}
        for relation in layer["relations"]:
            assert relation["from"] in ids and relation["to"] in ids, (record["id"], layer, relation)
        for span in layer["spans"]:
            assert record["text"][span["start"] : span["end"]] == span["text"]


def writer(world: World, role: str, article_ids: list[int], seed: int, errors: list[BaseException]) -> None:
    rng = random.Random(seed)
    user = world.users[role]
    layer = "gold" if role == "reviewer" else "annotator"
    try:
        for _ in range(OPS_PER_WRITER):
            article_id = rng.choice(article_ids)
            mine = list(
                Span.objects.filter(
                    article_id=article_id,
                    layer=layer,
                    **({"annotator": user} if layer == "annotator" else {}),
                ).values_list("pk", "version", "label__name")
            )
            op = rng.random()
            try:
                if op < 0.45 or not mine:
                    start = rng.randrange(0, len(TEXT) - 10)
                    label = rng.choice(["CLAIM", "FIGURE"])
                    span_create(
                        actor=user,
                        article_id=article_id,
                        layer=layer,
                        label=label,
                        start=start,
                        end=start + rng.randrange(1, 10),
                    )
                elif op < 0.6:
                    claims = [pk for pk, _, name in mine if name == "CLAIM"]
                    figures = [pk for pk, _, name in mine if name == "FIGURE"]
                    if claims and figures:
                        relation_create(
                            actor=user,
                            article_id=article_id,
                            source_id=rng.choice(figures),
                            target_id=rng.choice(claims),
                            label="SUPPORTS",
                        )
                elif op < 0.8:
                    pk, version, _ = rng.choice(mine)
                    span_delete(actor=user, span_id=pk, expected_version=version)
                elif op < 0.9:
                    pk, version, _ = rng.choice(mine)
                    span_update(
                        actor=user, span_id=pk, expected_version=version, start=0, end=rng.randrange(1, 20)
                    )
                else:
                    state_set(
                        actor=user,
                        article_id=article_id,
                        status=rng.choice(["in_progress", "submitted"]),
                        expected_version=None,
                    )
            except DomainError:
                pass  # a duplicate, a stale version, a relation whose labels no longer fit: writers race
    except BaseException as exc:  # pragma: no cover - reported by the test
        errors.append(exc)
    finally:
        connections.close_all()


def churner(world: World, errors: list[BaseException]) -> None:
    """An admin who adds articles and deletes some of them again."""
    try:
        for n in range(8):
            article = add_article(
                world.users["admin"], world.project, f"Late article {n}. {TEXT}", f"late-{n}"
            )
            if n % 2:
                article_delete(actor=world.users["admin"], article=article)
    except BaseException as exc:  # pragma: no cover
        errors.append(exc)
    finally:
        connections.close_all()


def test_repeated_pulls_mirror_the_project_under_concurrent_writes(world: World) -> None:
    articles = [
        add_article(world.users["admin"], world.project, f"{n}. {TEXT}", f"art-{n}") for n in range(4)
    ]
    ids = [a.pk for a in articles]
    mirror: dict[str, dict[str, Any]] = {}

    def apply(records: list[dict[str, Any]]) -> None:
        for record in records:
            if record.get("deleted"):
                mirror.pop(record["id"], None)
            else:
                check_consistent(record)
                mirror[record["id"]] = record

    records, cursor = pull(world, "")
    apply(records)
    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=writer, args=(world, role, ids, seed, errors))
        for seed, role in enumerate(["annotator", "reviewer", "admin"])
    ]
    threads.append(threading.Thread(target=churner, args=(world, errors)))
    for thread in threads:
        thread.start()
    pulls = 0
    while any(t.is_alive() for t in threads):
        records, cursor = pull(world, cursor)
        apply(records)
        pulls += 1
    for thread in threads:
        thread.join()
    assert not errors, errors
    records, cursor = pull(world, cursor)
    apply(records)

    full, _ = pull(world, "")
    assert mirror == {r["id"]: r for r in full}
    assert {r["id"] for r in full} >= {"art-0", "late-0"} and "late-1" not in mirror
    assert pull(world, cursor) == ([], cursor)  # nothing more: no change is handed out twice
    assert pulls >= 2  # the reader really pulled while the writers wrote
    assert Span.objects.filter(article__project=world.project).count() > 10
