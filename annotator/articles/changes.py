"""Change tracking for incremental exports.

Every write to an article or its annotations ends by calling ``changes_mark``: it takes the
project's next ``change_seq`` and stamps the parts of the articles it changed with it. The
UPDATE that takes the number locks the project row until the transaction commits, so
numbers are handed out in commit order: a snapshot that sees ``change_seq == N`` sees every
change numbered N or less, and none numbered more. An export cursor is that N.
Call it last in a transaction, so the project row is held for as short a time as possible.
"""

from collections.abc import Collection, Iterable

from django.db import connection

from annotator.articles.models import ArticleChange, ArticleTombstone
from annotator.common.bulk import insert_rows
from annotator.projects.models import Project

ARTICLE_PART = "article"  # created or metadata edited
GOLD_PART = "gold"
SUGGESTION_PART = "suggestion"


def layer_part(layer: str, annotator_id: int | None) -> str:
    """The part name of a layer: "gold", "suggestion" or "annotator:<user id>"."""
    return f"annotator:{annotator_id}" if annotator_id is not None else layer


def next_seq(project_id: int) -> int:
    """Take the project's next change number; holds the project row until commit."""
    table = connection.ops.quote_name(Project._meta.db_table)
    with connection.cursor() as cursor:
        # One statement (UPDATE ... RETURNING, PostgreSQL and SQLite >= 3.35 alike) instead of
        # an update and a read: this runs in every annotation write.
        cursor.execute(
            f"UPDATE {table} SET change_seq = change_seq + 1 WHERE id = %s RETURNING change_seq",  # noqa: S608 (the table name is the model's, quoted)  # nosec B608
            [project_id],
        )
        row = cursor.fetchone()
    if row is None:
        raise LookupError(f"project {project_id} does not exist")
    return int(row[0])


def changes_mark(
    *, project_id: int, parts: Iterable[tuple[int, str]], new_articles: Collection[int] = ()
) -> int:
    """Stamp each (article id, part) with one new change number, returned.

    ``new_articles`` were created in this transaction: each gets its "article" stamp alone,
    which puts it into every incremental pull whatever layers it selects, and as a plain
    insert (nothing stamped it before). An import's many new articles are written far faster."""
    seq = next_seq(project_id)
    fresh = [(project_id, a, ARTICLE_PART, seq) for a in sorted(new_articles)]
    insert_rows(ArticleChange, ("project_id", "article_id", "part", "seq"), fresh)
    rows = [
        ArticleChange(project_id=project_id, article_id=a, part=p, seq=seq)
        for a, p in set(parts)
        if a not in new_articles
    ]
    ArticleChange.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["article", "part"], update_fields=["seq"], batch_size=1000
    )
    return seq


def tombstones_add(*, project_id: int, articles: Iterable[tuple[int, str]]) -> int:
    """Record deleted articles (id, external id) so incremental exports report them."""
    seq = next_seq(project_id)
    ArticleTombstone.objects.bulk_create(
        [
            ArticleTombstone(project_id=project_id, article_pk=pk, external_id=ext, seq=seq)
            for pk, ext in articles
        ],
        batch_size=1000,
    )
    return seq
