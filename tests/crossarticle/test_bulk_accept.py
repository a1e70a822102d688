"""Bulk accepting and rejecting suggestions that cross articles: two bulk accepts from either
end of a pair never deadlock (real threads on PostgreSQL), and a rejected cross-article
suggestion is marked changed in both its articles, so an incremental pull of either sees it."""

import contextlib
import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from annotator.annotations import review
from annotator.annotations.models import Layer, Origin, Relation, Span, SuggestionStatus
from annotator.annotations.rejecting import relation_suggestion_reject
from annotator.annotations.review import suggestions_bulk
from annotator.articles.models import ArticleChange
from tests.conftest import World, add_article
from tests.domain.race_helpers import Second
from tests.factories import suggestion_create

pytestmark = pytest.mark.django_db(transaction=True)

FIRST = "The minister said fares would rise. Officials denied that fares would fall."
SECOND = "The union said fares would fall. Drivers insisted that fares would rise."


def crossing(world: World) -> tuple[Any, Any, Relation, Relation]:
    """Articles A and B, each with a CLAIM suggestion and a REBUTS suggestion to the other's."""
    a = add_article(world.admin, world.project, FIRST, "a")
    b = add_article(world.admin, world.project, SECOND, "b")
    labels = {lab.name: lab for lab in world.project.labels.all()}

    def suggest(article: Any, text: str, label: str) -> Span:
        start = article.text.index(text)
        return suggestion_create(
            article=article,
            label=labels[label],
            start=start,
            end=start + len(text),
            recogniser="test",
            recogniser_version="1",
            score=0.9,
        )

    claim_a, rebut_a = suggest(a, "fares would rise", "CLAIM"), suggest(a, "Officials denied", "REBUTTAL")
    claim_b, rebut_b = suggest(b, "fares would fall", "CLAIM"), suggest(b, "Drivers insisted", "REBUTTAL")

    def rebuts(source: Span, target: Span) -> Relation:
        return Relation.objects.create(
            article=source.article,
            label=labels["REBUTS"],
            source=source,
            target=target,
            layer=Layer.SUGGESTION,
            origin=Origin.SUGGESTED,
            recogniser="test",
            recogniser_version="1",
            score=0.9,
            suggestion_status=SuggestionStatus.PENDING,
        )

    return a, b, rebuts(rebut_a, claim_b), rebuts(rebut_b, claim_a)


def test_two_bulk_accepts_from_either_end_do_not_deadlock(world: World, monkeypatch: Any) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so threads cannot race there")
    a, b, _, _ = crossing(world)
    # Each accept waits (a little) for the other before it reaches its other article: without
    # locking both articles up front, each would hold its own and wait for the other's.
    meet = threading.Barrier(2, timeout=2)
    real_other_end = review._other_end

    def other_end_after_meeting(acc: Any, article_id: int) -> Any:
        if article_id != acc.article.pk:
            # Broken: the other accept is queued behind our locks, which is the point.
            with contextlib.suppress(threading.BrokenBarrierError):
                meet.wait()
        return real_other_end(acc, article_id)

    monkeypatch.setattr(review, "_other_end", other_end_after_meeting)

    def accept(article_id: int) -> Callable[[], Any]:
        return lambda: suggestions_bulk(actor=world.annotator, article_id=article_id, action="accept")

    accepts = [Second(accept(a.pk)), Second(accept(b.pk))]
    assert [s.outcome() for s in accepts] == ["ok", "ok"]
    mine = Relation.objects.filter(layer=Layer.ANNOTATOR, annotator=world.annotator)
    assert mine.count() == 2 and all(r.source.article_id != r.target.article_id for r in mine)
    assert not Relation.objects.filter(
        layer=Layer.SUGGESTION, suggestion_status=SuggestionStatus.PENDING
    ).exists()


def test_a_rejected_cross_article_suggestion_changes_both_articles(world: World) -> None:
    a, b, a_to_b, _ = crossing(world)

    def stamp(article: Any) -> int:
        return ArticleChange.objects.get(article=article, part="suggestion").seq

    before = stamp(a), stamp(b)
    relation_suggestion_reject(actor=world.annotator, suggestion_id=a_to_b.pk)
    assert stamp(a) > before[0] and stamp(b) > before[1]
    # Rejecting B's claim in bulk rejects A's relation suggestion to it: A's record changes too.
    middle = stamp(a), stamp(b)
    result = suggestions_bulk(actor=world.annotator, article_id=b.pk, action="reject")
    assert result["relations"] == 1 and stamp(a) > middle[0] and stamp(b) > middle[1]
