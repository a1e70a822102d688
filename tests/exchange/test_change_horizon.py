"""Incremental pulls on PostgreSQL's transaction-id change clock (issue 19).

Writes stamp their changes with their transaction's id and take no shared lock, so
transactions commit in any order; a pull reads up to its snapshot's horizon (the oldest open
transaction). These tests pull while 20 writers write and check, change by change, that
every committed change lands in exactly the pull whose interval holds its stamp, and that a
writer whose transaction stays open holds the horizon back until it commits.
"""

import itertools
import json
import random
import threading
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

import psycopg
import pytest
from django.db import connection, connections, transaction

from annotator.annotations import history
from annotator.annotations.models import Span
from annotator.annotations.services import span_create, span_delete, span_update
from annotator.articles.models import ArticleChange, ArticleTombstone
from annotator.common.db import change_stamps_restart
from annotator.common.errors import DomainError
from annotator.exchange.exporting import ExportFilters, ExportStream, export_plan
from annotator.projects.services import member_add
from tests.conftest import World, add_article, build_world, make_user

pytestmark = [
    pytest.mark.django_db(transaction=True, databases=["default", "snapshot"]),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="the transaction-id change clock is PostgreSQL's"
    ),
]

TEXT = "The minister said inflation was 4.75%. But critics said the tax cost £1,400 per household. " * 2
WRITERS = 20
OPS_PER_WRITER = 12

Change = tuple[int, int, str]  # (stamp, article id, part)


@pytest.fixture
def world(transactional_db: None) -> World:
    return build_world()


@pytest.fixture
def committed(monkeypatch: pytest.MonkeyPatch) -> list[Change]:
    """Every change the span services commit, with its stamp (recorded once it commits)."""
    found: list[Change] = []
    lock = threading.Lock()
    real = history.changes_mark

    def spy(*, project_id: int, parts: Iterable[tuple[int, str]], **extra: Any) -> int:
        parts = list(parts)
        seq = real(project_id=project_id, parts=parts, **extra)

        def record() -> None:
            with lock:
                found.extend((seq, article, part) for article, part in parts)

        transaction.on_commit(record)
        return seq

    monkeypatch.setattr(history, "changes_mark", spy)
    return found


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


def stamp(cursor: str) -> int:
    return int(cursor.rpartition("-")[2].lstrip("x"))


def writer(user: Any, article_ids: list[int], seed: int, errors: list[BaseException]) -> None:
    rng = random.Random(seed)
    try:
        for _ in range(OPS_PER_WRITER):
            article_id = rng.choice(article_ids)
            mine = list(
                Span.objects.filter(article_id=article_id, annotator=user).values_list("pk", "version")
            )
            op = rng.random()
            try:
                if op < 0.5 or not mine:
                    start = rng.randrange(0, len(TEXT) - 10)
                    span_create(
                        actor=user,
                        article_id=article_id,
                        label=rng.choice(["CLAIM", "FIGURE"]),
                        start=start,
                        end=start + rng.randrange(1, 10),
                    )
                elif op < 0.75:
                    pk, version = rng.choice(mine)
                    span_update(
                        actor=user, span_id=pk, expected_version=version, start=0, end=rng.randrange(1, 20)
                    )
                else:
                    pk, version = rng.choice(mine)
                    span_delete(actor=user, span_id=pk, expected_version=version)
            except DomainError:
                pass  # a duplicate span: the writer goes on
    except BaseException as exc:  # pragma: no cover - reported by the test
        errors.append(exc)
    finally:
        connections.close_all()


def test_twenty_writers_and_a_puller_miss_nothing_and_repeat_nothing(
    world: World, committed: list[Change]
) -> None:
    admin, pid = world.users["admin"], world.project.pk
    ids = [add_article(admin, world.project, f"{n}. {TEXT}", f"art-{n}").pk for n in range(10)]
    users = [make_user(f"writer{n}") for n in range(WRITERS)]
    for user in users:
        member_add(actor=admin, project_id=pid, username=user.username, role="annotator")
    mirror: dict[int, dict[str, Any]] = {}
    first, cursor = pull(world, "")
    mirror.update((r["article_id"], r) for r in first)
    pulls: list[tuple[int, int, set[int]]] = []  # (since, cursor, articles) of each pull

    def pull_once() -> None:
        nonlocal cursor
        records, new = pull(world, cursor)
        assert stamp(new) >= stamp(cursor)  # the horizon never goes back
        pulls.append((stamp(cursor), stamp(new), {r["article_id"] for r in records}))
        mirror.update((r["article_id"], r) for r in records)
        cursor = new

    errors: list[BaseException] = []
    threads = [
        threading.Thread(target=writer, args=(user, ids, seed, errors)) for seed, user in enumerate(users)
    ]
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        pull_once()
    for thread in threads:
        thread.join()
    assert not errors, errors
    pull_once()
    assert pull(world, cursor) == ([], cursor)  # all caught up: nothing comes twice

    # The mirror holds every span exactly as last written.
    full, _ = pull(world, "")
    assert mirror == {r["article_id"]: r for r in full}
    spans = {
        (s["start"], s["end"], s["label"])
        for record in mirror.values()
        for layer in record["annotations"]
        for s in layer["spans"]
    }
    assert spans == set(
        Span.objects.filter(article__project_id=pid).values_list("start", "end", "label__name")
    )

    by_part: dict[tuple[int, str], list[int]] = defaultdict(list)
    for seq, article, part in committed:
        by_part[article, part].append(seq)
    assert len(committed) > WRITERS * OPS_PER_WRITER // 2  # the writers really wrote
    assert len(pulls) >= 3  # and the reader really pulled meanwhile
    for (_, until, _), (later_since, _, _) in itertools.pairwise(pulls):
        assert later_since == until  # consecutive pulls cover consecutive intervals
    for seq, article, part in committed:
        # No change missed: it is in the one pull whose interval holds its stamp, unless a
        # later change of the same part replaced its stamp before that pull was taken.
        holding = [p for p in pulls if p[0] < seq <= p[1]]
        assert len(holding) == 1, (seq, pulls)
        _, until, articles = holding[0]
        assert article in articles or any(s > until for s in by_part[article, part]), (seq, article)
    for since, until, articles in pulls:
        # Nothing sent twice: each article a pull sends has a change stamped in its interval.
        fresh = {article for seq, article, _ in committed if since < seq <= until}
        assert articles <= fresh, (since, until, articles - fresh)


def test_an_open_writer_holds_the_horizon_back_until_it_commits(world: World) -> None:
    admin = world.users["admin"]
    slow_article = add_article(admin, world.project, TEXT, "slow")
    fast_article = add_article(admin, world.project, TEXT + " Fast.", "fast")
    _, cursor = pull(world, "")
    wrote, release = threading.Event(), threading.Event()
    errors: list[BaseException] = []

    def slow_writer() -> None:
        try:
            with transaction.atomic():
                span_create(
                    actor=world.users["annotator"], article_id=slow_article.pk, label="CLAIM", start=0, end=3
                )
                wrote.set()
                assert release.wait(30)
        except BaseException as exc:  # pragma: no cover - reported by the test
            errors.append(exc)
        finally:
            connections.close_all()

    thread = threading.Thread(target=slow_writer)
    thread.start()
    try:
        assert wrote.wait(30)
        # A writer that started after the slow one commits at once; its stamp is above the
        # open transaction's, so it waits with it: a pull now sends neither.
        span_create(
            actor=world.users["reviewer"],
            article_id=fast_article.pk,
            layer="gold",
            label="CLAIM",
            start=0,
            end=3,
        )
        records, held = pull(world, cursor)
        assert records == [] and held == cursor
    finally:
        release.set()
        thread.join()
    assert not errors, errors
    records, after = pull(world, held)
    assert {r["id"] for r in records} == {"slow", "fast"} and after != held
    assert pull(world, after) == ([], after)


def test_a_transaction_open_in_another_database_does_not_hold_pulls_back(world: World) -> None:
    _, cursor = pull(world, "")
    settings = connection.settings_dict
    elsewhere = psycopg.connect(
        host=settings["HOST"], port=settings["PORT"] or 5432, user=settings["USER"], dbname="postgres"
    )
    try:
        elsewhere.execute(
            "SELECT pg_current_xact_id()"
        )  # an open transaction with an id, older than the write
        span_create(
            actor=world.users["annotator"], article_id=world.article.pk, label="CLAIM", start=0, end=3
        )
        records, _ = pull(world, cursor)
        assert [r["id"] for r in records] == ["a1"]
    finally:
        elsewhere.close()


def test_stamps_restarted_by_the_migration_stay_in_full_pulls_only(world: World) -> None:
    span_create(actor=world.users["annotator"], article_id=world.article.pk, label="CLAIM", start=0, end=3)
    tables = [ArticleChange._meta.db_table, ArticleTombstone._meta.db_table]
    change_stamps_restart(connection, tables)
    assert set(ArticleChange.objects.values_list("seq", flat=True)) == {0}
    full, cursor = pull(world, "")
    assert [r["id"] for r in full] == ["a1"] and full[0]["annotations"]
    assert pull(world, cursor) == ([], cursor)
    span_create(actor=world.users["annotator"], article_id=world.article.pk, label="FIGURE", start=4, end=9)
    assert [r["id"] for r in pull(world, cursor)[0]] == ["a1"]
