"""Benchmark the agreement report.

    .venv/bin/python -m bench.agreement [--articles 10000] [--annotators 3] [--spans 10] [--chars 3000]

It creates a fresh benchmark database (var/bench/agreement.sqlite3, or ``<name>_agreement_bench``
beside a PostgreSQL ``DATABASE_URL``), fills one project with ``--articles`` news-like articles of
about ``--chars`` code points, each submitted by ``--annotators`` annotators with ``--spans`` spans
and 2 relations each (most shared, some longer or relabelled), then computes the full report
(exact and overlap matching, token-level kappa included) in a fresh process, as the API does, and
prints its time, peak memory (the process's maximum resident set) and number of queries. Target
(issue 15): 10,000 x 3 x (10 spans + 2 relations) in under 10 s and 500 MB on PostgreSQL; the
exit status is 1 when it misses it there.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import time
from typing import Any

from bench.support.database import analyze, fresh_database
from bench.support.paths import ROOT
from bench.support.report import Row, code_version, print_table
from bench.support.text import make_text

TARGET_S = 10.0
TARGET_MB = 500.0
LABELS = ("CLAIM", "FIGURE", "REBUTTAL")


def populate(articles: int, annotators: int, spans: int, chars: int) -> tuple[int, int]:
    """The project and its reviewer's id; spans and relations inserted in bulk (no history)."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from annotator.annotations.models import (
        RELATION_FIELDS,
        SPAN_FIELDS,
        STATE_FIELDS,
        ArticleState,
        Layer,
        Relation,
        Span,
    )
    from annotator.articles.models import Article
    from annotator.articles.services import ArticleInput, articles_add
    from annotator.common.bulk import insert_rows
    from annotator.projects.models import Label
    from annotator.projects.services import member_add, project_create

    users = get_user_model()
    admin = users.objects.create_user("bench-admin")
    project = project_create(creator=admin, name="Agreement", preset="argument")
    people = [users.objects.create_user(f"bench-ann{i}") for i in range(annotators)]
    for person in people:
        member_add(actor=admin, project_id=project.pk, username=person.username, role="annotator")
    reviewer = users.objects.create_user("bench-reviewer")
    member_add(actor=admin, project_id=project.pk, username=reviewer.username, role="reviewer")
    labels = dict(Label.objects.filter(project=project).values_list("name", "pk"))
    rng = random.Random(15)
    for begin in range(0, articles, 1000):
        items = [
            ArticleInput(text=make_text(rng, chars), external_id=f"a{i}")
            for i in range(begin, min(articles, begin + 1000))
        ]
        articles_add(actor=admin, project_id=project.pk, items=items)
    texts = Article.objects.filter(project=project).order_by("pk").values_list("pk", "text")
    now = timezone.now()
    step = max(1, chars // (spans + 1))
    with transaction.atomic():
        span_rows: list[tuple[Any, ...]] = []
        state_rows: list[tuple[Any, ...]] = []
        for n, (article_id, text) in enumerate(texts.iterator(chunk_size=1000)):
            for a, person in enumerate(people):
                state_rows.append((article_id, person.pk, "submitted", 1, now, now))
                for p in range(spans):
                    start, end = p * step, min(len(text), p * step + 40)
                    if (n + p + a) % 7 == 0:
                        end = min(len(text), end + 6)  # this annotator marked a longer span
                    name = LABELS[p % 3] if (n + p * a) % 11 else LABELS[(p + 1) % 3]
                    span_rows.append(
                        (article_id, labels[name], Layer.ANNOTATOR, person.pk, person.pk, "manual", "", "", None,
                         "", {}, 1, now, now, start, end, text[start:end])
                    )  # fmt: skip
            if len(span_rows) > 50_000:
                insert_rows(Span, SPAN_FIELDS, span_rows)
                span_rows = []
        insert_rows(Span, SPAN_FIELDS, span_rows)
        insert_rows(ArticleState, STATE_FIELDS, state_rows)
        layer_spans: dict[tuple[int, int], list[int]] = {}
        for pk, article_id, annotator_id in (
            Span.objects.filter(article__project=project)
            .order_by("start")
            .values_list("pk", "article_id", "annotator_id")
        ):
            layer_spans.setdefault((article_id, annotator_id), []).append(pk)
        relation_rows: list[tuple[Any, ...]] = [
            (article_id, labels[name], Layer.ANNOTATOR, annotator_id, annotator_id, "manual", "", "", None, "",
             {}, 1, now, now, ids[i], ids[i + 1])
            for (article_id, annotator_id), ids in layer_spans.items()
            for i, name in ((0, "SUPPORTS"), (2, "REBUTS"))
            if len(ids) > i + 1
        ]  # fmt: skip
        insert_rows(Relation, RELATION_FIELDS, relation_rows)
    return project.pk, reviewer.pk


def measure(project_id: int, user_id: int, match: str) -> dict[str, Any]:
    """One report, in this (fresh) process: seconds, peak resident memory, queries."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from annotator.agreement.service import project_agreement

    user = get_user_model().objects.get(pk=user_id)
    connection.ensure_connection()
    with CaptureQueriesContext(connection) as queries:
        began, cpu = time.perf_counter(), time.process_time()
        report = project_agreement(actor=user, project_id=project_id, params={"match": match})
        took, cpu = time.perf_counter() - began, time.process_time() - cpu
    return {
        "seconds": took,
        "cpu_seconds": cpu,  # this process's own CPU time: what the machine's other load disturbs least
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "queries": len(queries),
        "articles": report["articles"],
        "spans": report["spans"]["count"],
        "relations": report["relations"]["count"],
        "alpha_unitized": report["spans"]["alpha_unitized"],
        "span_f1": report["spans"]["f1"]["micro"],
        "token_kappa": report["spans"]["token_kappa"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.agreement", description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--annotators", type=int, default=3)
    parser.add_argument("--spans", type=int, default=10)
    parser.add_argument("--chars", type=int, default=3000)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--measure", nargs=3, metavar=("PROJECT", "USER", "MATCH"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.measure:  # the child process
        print(json.dumps(measure(int(args.measure[0]), int(args.measure[1]), args.measure[2])))
        return 0
    with fresh_database("agreement", keep=args.keep) as (db, env):
        started = time.perf_counter()
        project_id, reviewer_id = populate(args.articles, args.annotators, args.spans, args.chars)
        print(f"populated in {time.perf_counter() - started:.1f} s", flush=True)
        analyze(db)
        runs = {}
        for match in ("exact", "overlap"):
            child = subprocess.run(
                [sys.executable, "-m", "bench.agreement", "--measure", str(project_id), str(reviewer_id), match],
                cwd=ROOT, env=env, check=True, capture_output=True, text=True,
            )  # fmt: skip
            runs[match] = json.loads(child.stdout.strip().splitlines()[-1])
        big = args.articles >= 10_000 and db.vendor == "postgresql"
        rows: list[Row] = []
        for match, run in runs.items():
            ok = run["seconds"] < TARGET_S and run["rss_mb"] < TARGET_MB
            rows += [
                (f"full report, match={match}", f"{run['seconds']:.2f} s", f"< {TARGET_S:.0f} s", ok if big else None),
                ("  CPU time of the process (not the database's)", f"{run['cpu_seconds']:.2f} s", "", None),
                ("  peak memory (max RSS of the process)", f"{run['rss_mb']:.0f} MB", f"< {TARGET_MB:.0f} MB", None),
                ("  queries", str(run["queries"]), "fixed", None),
                ("  articles / spans / relations", f"{run['articles']:,} / {run['spans']:,} / {run['relations']:,}", "", None),
                ("  unitizing alpha / span F1 / token kappa",
                 " / ".join("-" if run[k] is None else f"{run[k]:.3f}" for k in ("alpha_unitized", "span_f1", "token_kappa")), "", None),
            ]  # fmt: skip
        print_table(
            [
                f"agreement: {args.articles:,} articles of ~{args.chars:,} chars x {args.annotators} annotators "
                f"x ({args.spans} spans + 2 relations)",
                f"database {db.vendor}; code {code_version('annotator/agreement')}",
            ],
            rows,
        )
        missed = any(r["seconds"] >= TARGET_S or r["rss_mb"] >= TARGET_MB for r in runs.values())
        return 1 if big and missed else 0


if __name__ == "__main__":
    sys.exit(main())
