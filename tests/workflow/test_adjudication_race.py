"""Two reviewers adjudicating one article at once, on PostgreSQL with real threads: one
writes the gold rows, the other finds them there; no duplicate, no error."""

import threading

import pytest
from django.db import connection

from annotator.annotations.models import Layer, Span
from annotator.annotations.services import span_create, state_set
from annotator.workflow.gold import article_adjudicate
from tests.conftest import build_world


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_once_write_gold_once() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so threads cannot race there")
    world = build_world(extra_annotators=("ann2", "reviewer2"))
    from annotator.projects.models import Membership

    Membership.objects.filter(project=world.project, user=world.users["reviewer2"]).update(role="reviewer")
    article = world.article
    for who in ("annotator", "ann2"):
        span_create(actor=world.users[who], article_id=article.pk, start=0, end=5, label="CLAIM")
        state_set(actor=world.users[who], article_id=article.pk, status="submitted", expected_version=None)
    barrier = threading.Barrier(2)
    added: list[int] = []
    errors: list[BaseException] = []

    def adjudicate(name: str) -> None:
        try:
            barrier.wait()
            plan = article_adjudicate(actor=world.users[name], article_id=article.pk, min_agreement=2)
            added.append(len(plan.spans))
        except BaseException as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=adjudicate, args=(n,)) for n in ("reviewer", "reviewer2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    assert sorted(added) == [0, 1]
    assert Span.objects.filter(article=article, layer=Layer.GOLD).count() == 1
