"""Benchmark the argument graph endpoint.

    .venv/bin/python -m bench.graph [--articles 10000] [--spans 100000] [--relations 30000]

A fresh benchmark database (``<name>_graph_bench`` beside a PostgreSQL ``DATABASE_URL``, else
SQLite under var/bench/), one "argument" project of ``--articles`` articles with ``--spans``
gold spans (CLAIM, REBUTTAL, FIGURE, a third of them with a speaker) and ``--relations`` gold
relations: two thirds within an article (SUPPORTS, REBUTS), one third SAME_CLAIM between
claims of different articles. Then GET /api/v1/projects/{id}/graph/ as a researcher, in-process
through the whole view (JSON, then GraphML): time to the first byte, time to the last, bytes,
queries. Targets (issue 16, PostgreSQL): first byte under 0.5 s, whole under 5 s.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Iterator
from typing import Any, cast

from bench.support.database import analyze, fresh_database
from bench.support.report import Row, code_version, print_table
from bench.support.text import make_text

FIRST_BYTE_S = 0.5
WHOLE_S = 5.0
LABELS = ("CLAIM", "REBUTTAL", "FIGURE")
SPEAKERS = ("Minister", "Union leader", "Health Secretary", "Opposition")


def populate(articles: int, spans: int, relations: int) -> tuple[int, int]:
    """The project and a researcher's id; rows inserted in bulk (no history)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from annotator.annotations.models import RELATION_FIELDS, SPAN_FIELDS, Layer, Relation, Span
    from annotator.articles.models import Article
    from annotator.articles.services import ArticleInput, articles_add
    from annotator.common.bulk import insert_rows
    from annotator.projects.models import Label
    from annotator.projects.services import member_add, project_create

    users = get_user_model()
    admin = users.objects.create_user("bench-admin")
    researcher = users.objects.create_user("bench-researcher")
    project = project_create(creator=admin, name="Graph", preset="argument")
    member_add(actor=admin, project_id=project.pk, username=researcher.username, role="researcher")
    labels = dict(Label.objects.filter(project=project).values_list("name", "pk"))
    rng = random.Random(16)
    per_article = max(1, spans // articles)
    chars = per_article * 60
    for begin in range(0, articles, 1000):
        items = [
            ArticleInput(text=make_text(rng, chars), external_id=f"a{i}")
            for i in range(begin, min(articles, begin + 1000))
        ]
        articles_add(actor=admin, project_id=project.pk, items=items)
    now = timezone.now()
    with transaction.atomic():
        rows: list[tuple[Any, ...]] = []
        texts = Article.objects.filter(project=project).order_by("pk").values_list("pk", "text")
        for article_id, text in texts.iterator(chunk_size=1000):
            for p in range(per_article):
                start, end = p * 55, p * 55 + 40
                name = LABELS[p % 3]
                attributes = {"speaker": rng.choice(SPEAKERS)} if name != "FIGURE" and p % 2 == 0 else {}
                rows.append(
                    (article_id, labels[name], Layer.GOLD, None, admin.pk, "manual", "", "", None, "",
                     attributes, 1, now, now, start, end, text[start:end])
                )  # fmt: skip
            if len(rows) > 50_000:
                insert_rows(Span, SPAN_FIELDS, rows)
                rows = []
        insert_rows(Span, SPAN_FIELDS, rows)
        by_article: dict[int, dict[str, list[int]]] = {}
        for pk, article_id, label_id in (
            Span.objects.filter(article__project=project)
            .order_by("pk")
            .values_list("pk", "article_id", "label_id")
        ):
            by_article.setdefault(article_id, {}).setdefault(str(label_id), []).append(pk)
        ids = sorted(by_article)
        claim, rebuttal, figure = (str(labels[n]) for n in LABELS)
        rel_rows: list[tuple[Any, ...]] = []
        local = relations * 2 // 3
        seen: set[tuple[int, int, int]] = set()
        while len(rel_rows) < relations:
            article_id = rng.choice(ids)
            mine = by_article[article_id]
            if len(rel_rows) < local:
                name, sources = (
                    ("SUPPORTS", mine[figure]) if len(rel_rows) % 2 else ("REBUTS", mine[rebuttal])
                )
                target, target_article = rng.choice(mine[claim]), article_id
            else:
                name, sources = "SAME_CLAIM", mine[claim]
                target_article = rng.choice(ids)
                if target_article == article_id:
                    continue
                target = rng.choice(by_article[target_article][claim])
            source = rng.choice(sources)
            key = (min(source, target), max(source, target), labels[name])
            if key in seen:
                continue
            seen.add(key)
            rel_rows.append(
                (article_id, labels[name], Layer.GOLD, None, admin.pk, "manual", "", "", None, "", {}, 1, now,
                 now, source, target)
            )  # fmt: skip
        insert_rows(Relation, RELATION_FIELDS, rel_rows)
    return project.pk, researcher.pk


def measure(project_id: int, user_id: int, form: str) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.http import StreamingHttpResponse
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(get_user_model().objects.get(pk=user_id))
    with CaptureQueriesContext(connection) as queries:
        began = time.perf_counter()
        response = client.get(f"/api/v1/projects/{project_id}/graph/", {"layer": "gold", "format": form})
        assert response.status_code == 200, response
        chunks = cast(Iterator[bytes], cast(StreamingHttpResponse, response).streaming_content)
        size = len(next(chunks))
        first = time.perf_counter() - began
        for chunk in chunks:
            size += len(chunk)
        whole = time.perf_counter() - began
    return {"first": first, "whole": whole, "bytes": size, "queries": len(queries)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.graph", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--spans", type=int, default=100_000)
    parser.add_argument("--relations", type=int, default=30_000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args(argv)
    with fresh_database("graph", keep=args.keep) as (db, _env):
        started = time.perf_counter()
        project_id, researcher_id = populate(args.articles, args.spans, args.relations)
        print(f"populated in {time.perf_counter() - started:.1f} s", flush=True)
        analyze(db)
        big = args.articles >= 10_000 and db.vendor == "postgresql"
        rows: list[Row] = []
        missed = False
        for form in ("json", "graphml", "json"):
            run = measure(project_id, researcher_id, form)
            missed |= run["first"] >= FIRST_BYTE_S or run["whole"] >= WHOLE_S
            rows += [
                (f"graph, format={form}: first byte", f"{run['first']:.3f} s", f"< {FIRST_BYTE_S} s",
                 run["first"] < FIRST_BYTE_S if big else None),
                ("  whole", f"{run['whole']:.2f} s", f"< {WHOLE_S:.0f} s", run["whole"] < WHOLE_S if big else None),
                ("  bytes / queries", f"{run['bytes']:,} / {run['queries']}", "fixed queries", None),
            ]  # fmt: skip
        print_table(
            [
                f"graph: {args.articles:,} articles, {args.spans:,} gold spans, {args.relations:,} relations "
                "(a third SAME_CLAIM across articles)",
                f"database {db.vendor}; code {code_version('annotator/exchange')}",
            ],
            rows,
        )
        return 1 if big and missed else 0


if __name__ == "__main__":
    sys.exit(main())
