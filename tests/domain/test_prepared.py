"""annotator.common.prepared: a read compiled once answers each later call with that call's
values (ints, lists of any length, branches picked by a bool), on whichever database the
suite uses."""

from typing import Any

import pytest
from django.db.models import QuerySet

from annotator.articles.models import Article
from annotator.common.prepared import LIST_KEPT, Prepared
from tests.conftest import World, add_article


def _after(*, project: int, after: int, skip: list[int], newest_first: bool) -> QuerySet[Any, Any]:
    found = Article.objects.filter(project_id=project, pk__gt=after).exclude(pk__in=skip)
    return found.order_by("-pk" if newest_first else "pk").values_list("pk", "external_id")


def test_each_call_sends_its_own_values(world: World) -> None:
    for i in range(4):
        add_article(world.admin, world.project, f"Text {i}.", f"p{i}")
    ids = list(Article.objects.filter(project=world.project).order_by("pk").values_list("pk", flat=True))
    read = Prepared(_after)
    project = world.project.pk

    def first(after: int, skip: list[int], newest_first: bool = False) -> int | None:
        row = read.first(project=project, after=after, skip=skip, newest_first=newest_first)
        return None if row is None else row[0]

    assert first(0, []) == ids[0]
    assert first(ids[0], []) == ids[1]  # the same shape again: the new value, not the first one
    assert first(0, [ids[0]]) == ids[1]
    assert first(0, [ids[0], ids[1], ids[2]]) == ids[3]
    assert first(0, [ids[1], ids[0]]) == ids[2]
    assert first(0, [], newest_first=True) == ids[-1]
    assert first(0, [ids[-1]], newest_first=True) == ids[-2]
    assert first(ids[-1], []) is None
    assert read.first(project=world.other_project.pk, after=0, skip=[], newest_first=False) == (
        world.other_article.pk,
        world.other_article.external_id,
    )


def test_a_long_list_is_answered_but_its_shape_not_kept(world: World) -> None:
    read = Prepared(_after)
    many = list(range(10**9, 10**9 + LIST_KEPT + 1))
    assert read.first(project=world.project.pk, after=0, skip=many, newest_first=False) == (
        world.article.pk,
        world.article.external_id,
    )
    assert read.first(project=world.project.pk, after=0, skip=many[:2], newest_first=False) is not None
    assert len(read._compiled) == 1  # the short list's shape only


def test_a_value_the_build_leaves_out_is_refused() -> None:
    def careless(*, project: int, unused: int) -> QuerySet[Any, Any]:
        return Article.objects.filter(project_id=project).values_list("pk")

    with pytest.raises(AssertionError, match="unused"):
        Prepared(careless).first(project=1, unused=2)
