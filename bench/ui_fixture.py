"""bench/ui.py's data, set up through the services in-process (not measured): one long article
with spans spread over it and relations between them, and an annotator who signs in."""

from __future__ import annotations

import random
import secrets
import time
from dataclasses import dataclass
from typing import Any

from bench.support.text import make_text

RELATION_WINDOW = 40  # a relation joins spans at most this many spans apart
LABELS = ("CLAIM", "REBUTTAL", "FIGURE")


@dataclass
class Fixture:
    project_id: int
    article_id: int
    chars: int
    spans: int
    username: str
    password: str
    token: str  # for gunicorn's readiness check
    hotkey: str  # the key of the label the actions apply
    seconds: float
    relations: int = 0


def populate(*, chars: int, spans: int, label: str, relations: int = 0) -> Fixture:
    from django.contrib.auth import get_user_model

    from annotator.accounts.services import token_create
    from annotator.annotations.services import relation_create, span_create
    from annotator.articles.services import ArticleInput, articles_add
    from annotator.projects.models import Label, Role
    from annotator.projects.services import member_add, project_create

    started = time.perf_counter()
    users = get_user_model().objects
    admin = users.create_user("bench-ui-admin")
    password = secrets.token_urlsafe(12)
    annotator = users.create_user("bench-ui-annotator", password=password)
    project = project_create(creator=admin, name="Bench UI", description="bench/ui.py", preset="argument")
    member_add(actor=admin, project_id=project.pk, username=annotator.username, role=Role.ANNOTATOR)
    _, key = token_create(user=annotator, name="bench-ui")
    text = make_text(random.Random(20261201), chars)
    article = articles_add(
        actor=admin,
        project_id=project.pk,
        items=[ArticleInput(text=text, external_id="bench-ui-1", title="A long article")],
    ).articles[0]
    # One span of one to three words every len/spans code points, word-aligned; what lies
    # between them stays unlabelled for the measured actions.
    word_starts = [0] + [n + 1 for n, ch in enumerate(text) if ch == " "]
    step = len(text) / spans
    made = 0
    w = 0
    ids: list[int] = []
    for n in range(spans):
        target = int(n * step)
        while w < len(word_starts) - 1 and word_starts[w] < target:
            w += 1
        start = word_starts[w]
        last = min(w + 1 + n % 3, len(word_starts) - 1)
        end = word_starts[last] - 1 if last > w else len(text)
        span = span_create(
            actor=annotator, article_id=article.pk, start=start, end=end, label=LABELS[n % len(LABELS)]
        )
        ids.append(span.pk)
        made += 1
    linked = link_random(annotator, article.pk, ids, relations, relation_create)
    hotkey = Label.objects.get(project=project, name=label).hotkey
    if not hotkey:
        raise SystemExit(f"label {label} has no key")
    return Fixture(
        project_id=project.pk,
        article_id=article.pk,
        chars=len(text),
        spans=made,
        username=annotator.username,
        password=password,
        token=key,
        hotkey=hotkey,
        seconds=time.perf_counter() - started,
        relations=linked,
    )


def link_random(annotator: Any, article_id: int, ids: list[int], count: int, relation_create: Any) -> int:
    """``count`` distinct relations from random REBUTTAL / FIGURE spans (LABELS' order: the n-th
    span's label is LABELS[n % 3]) to a CLAIM at most RELATION_WINDOW spans away."""
    rng = random.Random(20261204)
    sources = [n for n in range(len(ids)) if n % len(LABELS) != 0]
    done: set[tuple[int, int]] = set()
    for _ in range(count * 20):
        if len(done) >= count:
            break
        n = rng.choice(sources)
        claims = [
            m for m in range(max(0, n - RELATION_WINDOW), min(len(ids), n + RELATION_WINDOW)) if m % 3 == 0
        ]
        m = rng.choice(claims)
        if (n, m) in done:
            continue
        name = "REBUTS" if LABELS[n % len(LABELS)] == "REBUTTAL" else "SUPPORTS"
        relation_create(
            actor=annotator, article_id=article_id, source_id=ids[n], target_id=ids[m], label=name
        )
        done.add((n, m))
    if len(done) < count:
        raise SystemExit(f"could make only {len(done)} of {count} relations: add spans")
    return len(done)
