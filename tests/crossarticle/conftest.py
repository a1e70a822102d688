"""Two related articles in the "argument" project: a claim quoted in one, rebutted in the other."""

from dataclasses import dataclass
from typing import Any

import pytest

from tests.conftest import World, add_article

FIRST = "The minister said inflation would fall to 4.75% by spring."
SECOND = "The union leader said inflation would not fall, citing 55 NHS trusts."


@dataclass
class Pair:
    world: World
    first: Any
    second: Any

    def span(self, role: str, article: Any, text: str, label: str, layer: str = "annotator") -> dict:
        start = article.text.index(text)
        r = self.world.client(role).post(
            f"/api/v1/articles/{article.pk}/spans/",
            {"start": start, "end": start + len(text), "label": label, "layer": layer},
            format="json",
        )
        assert r.status_code == 201, r.json()
        return r.json()

    def relate(self, role: str, article: Any, source: int, target: int, label: str) -> Any:
        return self.world.client(role).post(
            f"/api/v1/articles/{article.pk}/relations/",
            {"from": source, "to": target, "label": label},
            format="json",
        )


@pytest.fixture
def pair(world: World) -> Pair:
    return Pair(
        world=world,
        first=add_article(world.admin, world.project, FIRST, "first"),
        second=add_article(world.admin, world.project, SECOND, "second"),
    )
