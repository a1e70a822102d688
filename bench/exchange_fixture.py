"""bench/exchange.py's data: synthetic projects bulk-inserted in-process (bench/synth.py; not
measured) and the tokens of the users who export and import."""

from __future__ import annotations

import time
from dataclasses import dataclass

from bench import synth

SMALL_ARTICLES = 1000


@dataclass
class Fixture:
    small_project: int
    mid_project: int | None  # --mid-articles, between the small and the big one (None: none)
    mid_articles: int
    big_project: int
    import_project: int
    big_articles: int
    spans: int  # both projects
    big_spans: int
    big_relations: int
    researcher_token: str  # exports
    admin_token: str  # imports, jobs, the article list
    annotator: str  # the username the import file's annotator layer names
    seconds: float


def populate(*, articles: int, mid_articles: int) -> Fixture:
    from django.contrib.auth import get_user_model

    from annotator.accounts.services import token_create
    from annotator.projects.models import Role
    from annotator.projects.services import member_add, project_create

    started = time.perf_counter()
    users = get_user_model().objects
    admin = users.create_user("bench-admin")  # no password: the bench uses tokens
    annotator = users.create_user("bench-annotator")
    researcher = users.create_user("bench-researcher")
    projects = []
    for name in ("Exchange small", "Exchange mid", "Exchange big", "Exchange import"):
        project = project_create(creator=admin, name=name, description="bench/exchange.py", preset="argument")
        member_add(actor=admin, project_id=project.pk, username=annotator.username, role=Role.ANNOTATOR)
        member_add(actor=admin, project_id=project.pk, username=researcher.username, role=Role.RESEARCHER)
        projects.append(project)
    small, mid, big, target = projects
    small_counts = synth.populate_db(
        small, annotator, SMALL_ARTICLES, created_by=admin, prefix="small", seed=1
    )
    print(f"  {SMALL_ARTICLES:,} articles in {time.perf_counter() - started:.1f} s", flush=True)
    mid_spans = 0
    if mid_articles:
        mid_counts = synth.populate_db(mid, annotator, mid_articles, created_by=admin, prefix="mid", seed=3)
        mid_spans = mid_counts.spans
        print(f"  + {mid_articles:,} articles in {time.perf_counter() - started:.1f} s", flush=True)
    counts = synth.populate_db(big, annotator, articles, created_by=admin, prefix="big", seed=2)
    _, researcher_key = token_create(user=researcher, name="bench")
    _, admin_key = token_create(user=admin, name="bench")
    return Fixture(
        small_project=small.pk,
        mid_project=mid.pk if mid_articles else None,
        mid_articles=mid_articles,
        big_project=big.pk,
        import_project=target.pk,
        big_articles=counts.articles,
        spans=small_counts.spans + mid_spans + counts.spans,
        big_spans=counts.spans,
        big_relations=counts.relations,
        researcher_token=researcher_key,
        admin_token=admin_key,
        annotator=annotator.username,
        seconds=time.perf_counter() - started,
    )
