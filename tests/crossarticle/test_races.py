"""Cross-article relations under concurrent writers (real threads; see tests/domain/test_races):
an end that vanishes meanwhile is a 404, the reverse of a symmetric relation written meanwhile
a 409, and two writers joining the same pair from either side do not deadlock."""

import pytest

from annotator.annotations.crossarticle import article_delete_with_links
from annotator.annotations.models import Relation, Span
from annotator.annotations.services import relation_create, span_create, span_delete
from tests.conftest import add_article
from tests.domain.race_helpers import race

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def ends(world):
    first = add_article(world.admin, world.project, "The minister said prices would fall.", "first")
    second = add_article(world.admin, world.project, "The union said prices would not fall.", "second")

    def span(article, text, label):
        start = article.text.index(text)
        return span_create(
            actor=world.annotator, article_id=article.pk, start=start, end=start + len(text), label=label
        )

    claim = span(first, "prices would fall", "CLAIM")
    other_claim = span(second, "prices would not fall", "CLAIM")
    rebuttal = span(second, "The union said", "REBUTTAL")
    return world, first, second, claim, other_claim, rebuttal


def link(world, article, source, target, label):
    return lambda: relation_create(
        actor=world.annotator, article_id=article.pk, source_id=source.pk, target_id=target.pk, label=label
    )


def test_relation_to_a_span_of_another_article_being_deleted_is_404(ends):
    world, _first, second, claim, _, rebuttal = ends
    answer = race(
        lambda: span_delete(actor=world.annotator, span_id=claim.pk, expected_version=1),
        link(world, second, rebuttal, claim, "REBUTS"),
    )
    assert answer == "NotFound"
    assert not Relation.objects.exists()


def test_relation_from_a_span_being_deleted_is_404(ends):
    world, _first, second, claim, _, rebuttal = ends
    answer = race(
        lambda: span_delete(actor=world.annotator, span_id=rebuttal.pk, expected_version=1),
        link(world, second, rebuttal, claim, "REBUTS"),
    )
    assert answer == "NotFound"
    assert not Relation.objects.exists()


def test_relation_into_an_article_being_deleted_is_404(ends):
    world, first, second, claim, _, rebuttal = ends
    answer = race(
        lambda: article_delete_with_links(actor=world.admin, article=first),
        link(world, second, rebuttal, claim, "REBUTS"),
    )
    assert answer == "NotFound"
    assert not Relation.objects.exists() and not Span.objects.filter(pk=claim.pk).exists()


def test_the_reverse_of_a_symmetric_relation_made_meanwhile_is_409(ends):
    world, first, second, claim, other_claim, _ = ends
    # Each side locks both articles in id order: the second waits, then finds the first's.
    answer = race(
        link(world, first, claim, other_claim, "SAME_CLAIM"),
        link(world, second, other_claim, claim, "SAME_CLAIM"),
    )
    assert answer == "Conflict"
    assert Relation.objects.count() == 1
