"""Two writers holding the same version: exactly one wins, the other gets StaleVersion,
and the winner's change is what is stored. Runs with real transactions and threads."""

import threading

import pytest
from django.db import connection

from annotator.annotations.models import AnnotationEvent, Span
from annotator.annotations.services import span_create, span_update
from annotator.common.errors import StaleVersion


@pytest.mark.django_db(transaction=True)
def test_concurrent_updates_with_same_version(world):
    annotator = world.users["annotator"]
    span = span_create(actor=annotator, article_id=world.article.pk, start=0, end=3, label="CLAIM")
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def writer(name: str, end: int) -> None:
        try:
            barrier.wait(timeout=10)
            span_update(actor=annotator, span_id=span.pk, expected_version=1, end=end)
            outcomes[name] = "ok"
        except StaleVersion:
            outcomes[name] = "stale"
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(f"w{end}", end)) for end in (5, 9)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(outcomes.values()) == ["ok", "stale"], outcomes
    winner_end = 5 if outcomes["w5"] == "ok" else 9
    stored = Span.objects.get(pk=span.pk)
    assert (stored.end, stored.version) == (winner_end, 2)
    assert AnnotationEvent.objects.filter(action="span.update", object_id=span.pk).count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_creates_respect_overlap_policy(world):
    world.project.allow_overlapping_spans = False
    world.project.save()
    annotator = world.users["annotator"]
    barrier = threading.Barrier(4)
    results: list[str] = []

    def writer(start: int) -> None:
        try:
            barrier.wait(timeout=10)
            span_create(
                actor=annotator, article_id=world.article.pk, start=start, end=start + 10, label="CLAIM"
            )
            results.append("ok")
        except Exception as exc:  # the kind of refusal is asserted below
            results.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(s,)) for s in (0, 2, 4, 6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(results) == ["Conflict", "Conflict", "Conflict", "ok"], results
    assert Span.objects.filter(article=world.article).count() == 1
