"""bench/api.py's data: a project with an annotator's token and its articles, set up through
the services in-process (not measured)."""

import random
import time
from dataclasses import dataclass
from typing import Any

from bench.support.text import make_text

LABELS = ("CLAIM", "REBUTTAL", "FIGURE")
SPAN_STEP = 12  # the n-th benchmark span is [n * SPAN_STEP, n * SPAN_STEP + 8): no duplicates


@dataclass
class Fixture:
    project_id: int
    token: str  # the annotator's Bearer token
    span_article: int  # receives the measured span creations
    detail_article: int  # carries ``detail_spans`` spans
    warm_article: int  # receives warm-up span creations
    scratch_article: int  # receives in-process span creations (query counts, profile)
    empty_article: int  # no spans: detail query count baseline
    articles: int
    seconds: float


def populate(*, articles: int, spans: int, detail_spans: int, text_chars: int) -> Fixture:
    """A project with the "argument" preset, an admin, an annotator and ``articles`` articles."""
    from django.contrib.auth import get_user_model

    from annotator.accounts.services import token_create
    from annotator.annotations.services import span_create
    from annotator.articles.models import Article
    from annotator.articles.services import ArticleInput, articles_add
    from annotator.projects.models import Role
    from annotator.projects.services import member_add, project_create

    if articles < 5:
        raise SystemExit("--articles must be at least 5")
    started = time.perf_counter()
    users = get_user_model().objects
    admin = users.create_user("bench-admin")  # no password: the bench uses tokens
    annotator = users.create_user("bench-annotator")
    project = project_create(creator=admin, name="Bench", description="bench/api.py", preset="argument")
    member_add(actor=admin, project_id=project.pk, username=annotator.username, role=Role.ANNOTATOR)
    _, key = token_create(user=annotator, name="bench")

    rng = random.Random(20260101)
    span_chars = max(text_chars, (spans + 20) * SPAN_STEP, (detail_spans + 1) * SPAN_STEP)
    batch = 1000  # articles_add takes at most this many per call
    for first in range(0, articles, batch):
        items = [
            ArticleInput(
                text=make_text(rng, span_chars if n < 5 else text_chars),
                external_id=f"bench-{n:06d}",
                title=f"Bench article {n}",
                source_url=f"https://news.example.org/{n}",
                meta={"section": rng.choice(["politics", "economy", "health"]), "n": n},
            )
            for n in range(first, min(first + batch, articles))
        ]
        articles_add(actor=admin, project_id=project.pk, items=items)
    ids = list(Article.objects.filter(project=project).order_by("id").values_list("id", flat=True)[:5])
    fixture = Fixture(
        project_id=project.pk,
        token=key,
        span_article=ids[0],
        detail_article=ids[1],
        warm_article=ids[2],
        scratch_article=ids[3],
        empty_article=ids[4],
        articles=articles,
        seconds=0.0,
    )
    for n in range(detail_spans):
        span_create(
            actor=annotator,
            article_id=fixture.detail_article,
            start=n * SPAN_STEP,
            end=n * SPAN_STEP + 8,
            label=LABELS[n % 3],
        )
    fixture.seconds = time.perf_counter() - started
    return fixture


def span_body(n: int) -> dict[str, Any]:
    return {"start": n * SPAN_STEP, "end": n * SPAN_STEP + 8, "label": LABELS[n % 3]}
