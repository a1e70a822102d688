"""annotator.common.db: each backend's own SQL, run here on whichever database the suite uses
(SQLite by default, PostgreSQL with DATABASE_URL); reserve_ids and bulk_writes are tested
with insert_rows in test_bulk.py."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import CharField
from django.db.models.functions import Cast

from annotator.articles.models import Article
from annotator.common import db
from tests.conftest import World


@pytest.mark.parametrize(
    "when",
    [
        dt.datetime(2026, 11, 23, 10, 0, 0, 500000, tzinfo=dt.UTC),
        dt.datetime(2024, 2, 29, 23, 59, 58, 123456, tzinfo=dt.UTC),
        dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),  # no fraction of a second
        dt.datetime(2026, 1, 2, 5, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=2))),  # stored in UTC
    ],
)
def test_a_timestamp_read_as_the_databases_text_becomes_iso_8601_with_its_offset(
    world: World, when: dt.datetime
) -> None:
    Article.objects.filter(pk=world.article.pk).update(created_at=when)
    raw = Article.objects.filter(pk=world.article.pk).values_list(
        Cast("created_at", output_field=CharField()), flat=True
    )[0]
    iso = db.iso_timestamps()(raw)
    assert iso is not None and iso.endswith("+00:00") and "T" in iso
    assert dt.datetime.fromisoformat(iso) == when


def test_a_missing_timestamp_stays_missing() -> None:
    for backend in db._BACKENDS.values():
        assert backend.iso_timestamp(None) is None


def test_each_backend_reads_its_own_text() -> None:
    postgresql, sqlite = db._BACKENDS["postgresql"], db._BACKENDS["sqlite"]
    assert postgresql.iso_timestamp("2026-11-23 10:00:00.5+00") == "2026-11-23T10:00:00.5+00:00"
    assert postgresql.iso_timestamp("2026-11-23 10:00:00+05:30") == "2026-11-23T10:00:00+05:30"
    assert sqlite.iso_timestamp("2026-11-23 10:00:00.5") == "2026-11-23T10:00:00.5+00:00"


def test_the_backend_of_the_connection_is_in_the_table_and_others_are_refused_by_name() -> None:
    assert db._backend(connection) is db._BACKENDS[connection.vendor]

    class Other:
        vendor = "oracle"

    with pytest.raises(NotImplementedError, match="oracle"):
        db._backend(Other())  # type: ignore[arg-type]
