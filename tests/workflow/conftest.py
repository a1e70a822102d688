"""A project of three annotators (annotator, ann2, ann3) and six articles, for the workflow."""

import pytest

from annotator.articles.models import Article
from annotator.articles.services import ArticleInput, articles_add
from tests.conftest import World, build_world

EXTRA = ("ann2", "ann3")


@pytest.fixture
def team(db: None) -> World:
    world = build_world(extra_annotators=EXTRA)
    items = [
        ArticleInput(text=f"Claim number {i}: prices rose {i}%.", external_id=f"t{i}") for i in range(2, 7)
    ]
    articles_add(actor=world.admin, project_id=world.project.pk, items=items)
    return world


def article_ids(world: World) -> list[int]:
    return list(Article.objects.filter(project=world.project).order_by("pk").values_list("pk", flat=True))
