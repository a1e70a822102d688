"""insert_rows: plain value tuples in, the same values out, on every database, through COPY
where the driver has it (psycopg) and through multi-row INSERTs (forced here, and sqlite3's)."""

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from annotator.annotations.models import SPAN_FIELDS, Layer, Span
from annotator.articles.models import Article
from annotator.common import bulk, db
from annotator.common.bulk import insert_rows
from annotator.common.db import bulk_writes, reserve_ids
from annotator.exchange.importing.writing import ARTICLE_FIELDS  # the columns an import writes
from tests.conftest import World, add_article

WHEN = dt.datetime(2024, 2, 29, 23, 59, 58, 123456, tzinfo=dt.UTC)


def article_row(world: World, n: int, **values: Any) -> tuple[Any, ...]:
    row = {
        "project_id": world.project.pk,
        "external_id": f"bulk-{n:04d}",
        "title": f"Title {n}",
        "source_url": "",
        "published_at": None,
        "meta": {},
        "text": f"Text number {n} 👩‍👩‍👧",
        "text_sha256": "0" * 64,
        "created_at": WHEN,
        "updated_at": WHEN,
        **values,
    }
    return tuple(row[name] for name in ARTICLE_FIELDS)


@pytest.fixture(params=["driver's choice", "INSERTs", "sent without waiting"])
def path(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    if request.param == "INSERTs":
        monkeypatch.setattr(db, "bulk_loader", lambda cursor: None)
    if request.param == "sent without waiting":  # psycopg's pipeline; sqlite3 runs them at once
        with bulk_writes():
            yield str(request.param)
    else:
        yield str(request.param)


def stored(model: Any, **lookup: Any) -> Any:
    return model.objects.filter(**lookup).order_by("pk")


def test_values_round_trip_with_json_dates_times_and_nulls(world: World, path: str) -> None:
    meta = {"nested": {"list": [1, 2.5, None, True, "ü"]}, "emoji": "📈", "n": 1}
    later = dt.datetime(2025, 1, 1, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    rows = [
        article_row(world, 1, meta=meta, published_at=dt.date(2024, 3, 1), title='It\'s a "quote" % %s'),
        article_row(world, 2, meta={}, source_url="https://example.org/a?b=1&c=%20", updated_at=later),
    ]
    insert_rows(Article, ARTICLE_FIELDS, rows)
    first, second = stored(Article, external_id__startswith="bulk-")
    assert (first.external_id, first.meta, first.published_at) == ("bulk-0001", meta, dt.date(2024, 3, 1))
    assert first.title == 'It\'s a "quote" % %s' and first.text == "Text number 1 👩‍👩‍👧"
    assert first.created_at == WHEN and first.updated_at == WHEN
    assert (second.meta, second.published_at, second.source_url) == (
        {},
        None,
        "https://example.org/a?b=1&c=%20",
    )
    assert second.updated_at == later  # the same instant, whatever the zone it was given in

    user = world.users["annotator"]
    label = world.project.labels.get(name="CLAIM")
    common = {"article_id": world.article.pk, "label_id": label.pk, "created_at": WHEN, "updated_at": WHEN}
    own: dict[str, Any] = {
        "layer": Layer.ANNOTATOR,
        "annotator_id": user.pk,
        "created_by_id": None,
        "origin": "imported",
    }
    own |= {"recogniser": "", "recogniser_version": "", "score": None, "suggestion_status": ""}
    own |= {"attributes": {}, "version": 1, "start": 0, "end": 3, "text": "The"}
    suggestion: dict[str, Any] = {"layer": Layer.SUGGESTION, "annotator_id": None, "created_by_id": user.pk}
    suggestion |= {"origin": "suggested", "recogniser": "cues", "recogniser_version": "0.1", "score": 0.25}
    suggestion |= {"suggestion_status": "pending", "attributes": {"why": ["cue"]}, "version": 1}
    suggestion |= {"start": 4, "end": 12, "text": "minister"}
    span_rows = [tuple({**common, **values}[name] for name in SPAN_FIELDS) for values in (own, suggestion)]
    before = Span.objects.count()
    insert_rows(Span, SPAN_FIELDS, span_rows)
    mine, suggested = stored(Span, article_id=world.article.pk, text__in=["The", "minister"])
    assert Span.objects.count() == before + 2
    assert (mine.annotator_id, mine.created_by_id, mine.score, mine.attributes) == (user.pk, None, None, {})
    assert (suggested.annotator_id, suggested.created_by_id, suggested.score) == (None, user.pk, 0.25)
    assert (suggested.attributes, suggested.recogniser, suggested.text) == (
        {"why": ["cue"]},
        "cues",
        "minister",
    )


def test_more_rows_than_one_statement_keep_their_values(world: World, path: str) -> None:
    shared: dict[str, Any] = {"shared": True}  # one object in many rows
    count = bulk.MAX_ROWS_PER_STATEMENT * 2 + 37  # two full statements and a shorter one
    rows = [
        article_row(world, n, meta=shared if n % 2 else {"n": n}, published_at=dt.date(2024, 1, 1 + n % 28))
        for n in range(count)
    ]
    with CaptureQueriesContext(connection) as queries:
        insert_rows(Article, ARTICLE_FIELDS, rows)
    if path == "INSERTs" or connection.vendor == "sqlite":  # sqlite3 has no COPY and no pipeline
        # The full batches in one executemany (Django logs it once, "<n> times: ..."), the last alone.
        assert len(queries) == 2, queries
        assert queries[0]["sql"].startswith("2 times: INSERT INTO") and queries[1]["sql"].startswith("INSERT")
    else:  # COPY and the pipeline (psycopg) bypass Django's query log
        assert len(queries) == 0, queries
    found = list(
        stored(Article, external_id__startswith="bulk-").values_list("external_id", "meta", "published_at")
    )
    assert found == [
        (f"bulk-{n:04d}", shared if n % 2 else {"n": n}, dt.date(2024, 1, 1 + n % 28)) for n in range(count)
    ]


def test_no_rows_is_no_query(world: World) -> None:
    with CaptureQueriesContext(connection) as queries:
        insert_rows(Article, ARTICLE_FIELDS, [])
    assert len(queries) == 0


def test_a_row_of_the_wrong_length_is_refused_before_anything_is_written(world: World, path: str) -> None:
    rows = [article_row(world, 1), article_row(world, 2)[:-1]]
    with pytest.raises(ValueError, match="9 values for 10 fields"):
        insert_rows(Article, ARTICLE_FIELDS, rows)
    assert not Article.objects.filter(external_id__startswith="bulk-").exists()


def test_reserved_ids_are_distinct_ascending_and_never_given_to_a_later_row(world: World) -> None:
    first, second = reserve_ids(Article, 3), reserve_ids(Article, 2)
    assert first == sorted(first) and second == sorted(second) and first[-1] < second[0]
    assert len(set(first + second)) == 5
    later = add_article(world.users["admin"], world.project, "A later text.", "later")
    assert later.pk > second[-1]
    assert not Article.objects.filter(pk__in=first + second).exists()


def test_no_ids_is_no_query(world: World) -> None:
    with CaptureQueriesContext(connection) as queries:
        assert reserve_ids(Span, 0) == []
    assert len(queries) == 0


def test_rows_with_reserved_ids_may_point_to_each_other_when_sent_together(world: World, path: str) -> None:
    article_id, span_id = reserve_ids(Article, 1)[0], reserve_ids(Span, 1)[0]
    label = world.project.labels.get(name="CLAIM")
    insert_rows(Article, ("id", *ARTICLE_FIELDS), [(article_id, *article_row(world, 1, text="Prices rose."))])
    span = {"article_id": article_id, "label_id": label.pk, "layer": Layer.GOLD, "annotator_id": None}
    span |= {"created_by_id": None, "origin": "imported", "recogniser": "", "recogniser_version": ""}
    span |= {"score": None, "suggestion_status": "", "attributes": {}, "version": 1, "created_at": WHEN}
    span |= {"updated_at": WHEN, "start": 0, "end": 6, "text": "Prices"}
    insert_rows(Span, ("id", *SPAN_FIELDS), [(span_id, *(span[name] for name in SPAN_FIELDS))])
    # A read waits for what was sent before it.
    assert Span.objects.get(pk=span_id).article.external_id == "bulk-0001"


@pytest.mark.django_db(transaction=True)
def test_a_row_breaking_a_foreign_key_fails_the_transaction_and_nothing_stays(world: World) -> None:
    # PostgreSQL checks it as the insert ends (bulk_writes makes the checks immediate);
    # SQLite at commit. Either way the error reaches the caller and the rows are gone.
    row = article_row(world, 1)
    with pytest.raises(IntegrityError), transaction.atomic(), bulk_writes():
        insert_rows(Article, ARTICLE_FIELDS, [row])
        insert_rows(Article, ARTICLE_FIELDS, [(10**9, *row[1:])])  # no such project
    assert not Article.objects.filter(external_id="bulk-0001").exists()
    with transaction.atomic(), bulk_writes():  # the connection is fine for the next one
        insert_rows(Article, ARTICLE_FIELDS, [row])
    assert Article.objects.filter(external_id="bulk-0001").count() == 1


def broken_foreign_key_fails(world: World, *, inside: bool) -> str:
    """Where a row pointing to no project fails, written inside bulk_writes() or after it in
    the same transaction: at the statement (on a pipeline, at the next read), or at commit."""
    row = article_row(world, 1)
    broken = (10**9, *row[1:])  # no such project
    where = "statement"
    try:
        with transaction.atomic():
            with bulk_writes():
                if inside:
                    insert_rows(Article, ARTICLE_FIELDS, [broken])
                    Article.objects.exists()  # a read waits for what was sent before it
            if not inside:
                insert_rows(Article, ARTICLE_FIELDS, [broken])
                Article.objects.exists()
            where = "commit"
    except IntegrityError:
        return where
    return "nowhere"


@pytest.mark.django_db(transaction=True)
def test_a_broken_foreign_key_inside_bulk_writes_fails_at_the_statement_where_there_is_a_pipeline(
    world: World,
) -> None:
    # PostgreSQL: bulk_writes makes the checks immediate, so an import's errors come while it
    # still sends. SQLite runs each statement as sent and keeps Django's deferred checks.
    expected = "statement" if connection.vendor == "postgresql" else "commit"
    assert broken_foreign_key_fails(world, inside=True) == expected
    assert not Article.objects.filter(external_id="bulk-0001").exists()


@pytest.mark.django_db(transaction=True)
def test_after_bulk_writes_a_broken_foreign_key_fails_at_commit_again(world: World) -> None:
    # The transaction's other writes keep Django's foreign keys, deferred to commit.
    assert broken_foreign_key_fails(world, inside=False) == "commit"
    assert not Article.objects.filter(external_id="bulk-0001").exists()


@pytest.mark.django_db(transaction=True)
def test_bulk_writes_belongs_inside_a_transaction(world: World) -> None:
    with pytest.raises(AssertionError, match="inside the caller's transaction"), bulk_writes():
        pass
