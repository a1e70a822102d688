"""Change tracking for incremental exports.

Every write to an article or its annotations ends by calling ``changes_mark``: it stamps the
parts of the articles it changed with the database's change stamp (common.db.change_stamp).
An export takes its snapshot's horizon (common.db.change_horizon): every change stamped at
or below it is visible in that snapshot, and none stamped at or below it can still commit.
A pull since cursor C with horizon H sends the parts stamped in (C, H'], H' being the newest
stamp at or below H, and its cursor is H': consecutive pulls cover consecutive intervals, so
no change is missed and none is sent twice.

On PostgreSQL the stamp is the writing transaction's id, which locks nothing; on SQLite it is
the project's change_seq counter, whose row lock SQLite's single writer holds anyway.
Call ``changes_mark`` last in a transaction, after every check that may still fail.
"""

from collections.abc import Collection, Iterable

from annotator.articles.models import ArticleChange, ArticleTombstone
from annotator.common.bulk import insert_rows
from annotator.common.db import change_stamp

ARTICLE_PART = "article"  # created or metadata edited
GOLD_PART = "gold"
SUGGESTION_PART = "suggestion"


def layer_part(layer: str, annotator_id: int | None) -> str:
    """The part name of a layer: "gold", "suggestion" or "annotator:<user id>"."""
    return f"annotator:{annotator_id}" if annotator_id is not None else layer


def changes_mark(
    *, project_id: int, parts: Iterable[tuple[int, str]], new_articles: Collection[int] = ()
) -> int:
    """Stamp each (article id, part) with the transaction's change stamp, returned.

    ``new_articles`` were created in this transaction: each gets its "article" stamp alone,
    which puts it into every incremental pull whatever layers it selects, and as a plain
    insert (nothing stamped it before). An import's many new articles are written far faster."""
    seq = change_stamp(project_id)
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
    seq = change_stamp(project_id)
    ArticleTombstone.objects.bulk_create(
        [
            ArticleTombstone(project_id=project_id, article_pk=pk, external_id=ext, seq=seq)
            for pk, ext in articles
        ],
        batch_size=1000,
    )
    return seq
