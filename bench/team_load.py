"""Load test: a team working in one project at once, played by locust (bench/_locust_team.py).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator CELERY_BROKER_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python -m bench.team_load [--annotators 25,50,100,200] [--seconds 60] [--web 2]

The production shape on this machine: a fresh PostgreSQL benchmark database, gunicorn with
``--web`` uvicorn workers serving annotator.asgi (DEBUG=0), 2 Celery worker processes on Redis.
The project ("argument" preset, overlap assignment, 2 annotators per article) holds 2,000
articles, 200 annotators, 3 reviewers and 2 researchers, each with a token. A pre-annotation
job over every article and an import of 500 more run while the team works. For each number of
annotators locust runs headless for ``--seconds`` (after a 10 s ramp-up); then every write the
clients were told succeeded is looked up in the database (lost writes), and the table gives
requests/s, p50/p95/p99 per endpoint and errors. Targets (issue 19): with 100 annotators,
span writes p95 under 150 ms, no 5xx, no lost write; the knee is the first N whose span-write
p95 passes 500 ms.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench.support.database import fresh_database
from bench.support.paths import BENCH_DIR, ROOT
from bench.support.report import print_grid
from bench.support.server import gunicorn
from bench.support.text import make_text

ARTICLES = 2000
PEOPLE = {"annotators": 200, "reviewers": 3, "researchers": 2}
SPAN_P95_MS = 150.0
KNEE_MS = 500.0


def populate() -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from annotator.accounts.services import token_create
    from annotator.articles.services import ArticleInput, articles_add
    from annotator.projects.models import Role
    from annotator.projects.services import member_add, project_create, project_update

    users = get_user_model().objects
    admin = users.create_user("load-admin")
    project = project_create(creator=admin, name="Load", description="bench/team_load.py", preset="argument")
    project_update(actor=admin, project_id=project.pk, assignment="overlap", annotators_per_article=2)
    rng = random.Random(19)
    for first in range(0, ARTICLES, 500):
        items = [
            ArticleInput(external_id=f"a{n}", text=make_text(rng, 1500), title=f"Article {n}")
            for n in range(first, first + 500)
        ]
        articles_add(actor=admin, project_id=project.pk, items=items)
    people: dict[str, Any] = {"project": project.pk, "admin": token_create(user=admin, name="load")[1]}
    roles = {"annotators": Role.ANNOTATOR, "reviewers": Role.REVIEWER, "researchers": Role.RESEARCHER}
    for group, count in PEOPLE.items():
        people[group] = []
        for n in range(count):
            user = users.create_user(f"load-{group[:-1]}-{n}")
            member_add(actor=admin, project_id=project.pk, username=user.username, role=roles[group])
            people[group].append(token_create(user=user, name="load")[1])
    return people


def start_background_jobs(port: int, people: dict[str, Any]) -> None:
    """A pre-annotation job over the project and an import of 500 articles, while the team works."""
    import httpx

    headers = {"Authorization": f"Bearer {people['admin']}"}
    base, project = f"http://127.0.0.1:{port}/api/v1/projects/{people['project']}", people["project"]
    httpx.post(
        f"{base}/preannotate/", json={"recognisers": ["figures"]}, headers=headers, timeout=30
    ).raise_for_status()
    rng = random.Random(project)
    lines = "\n".join(
        json.dumps({"external_id": f"late{n}", "text": make_text(rng, 1500)}) for n in range(500)
    )
    files = {"file": ("late.jsonl", lines.encode(), "application/x-ndjson")}
    httpx.post(
        f"{base}/imports/", files=files, data={"format": "native"}, headers=headers, timeout=60
    ).raise_for_status()


def celery_workers(env: dict[str, str]) -> subprocess.Popen[bytes]:
    log = open(BENCH_DIR / "celery.log", "wb")  # noqa: SIM115 (kept open for the process)
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "--app", "annotator", "worker", "--concurrency", "2", "--loglevel", "WARNING",
         "--without-mingle", "--without-gossip"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip


def run_locust(
    port: int, people_file: Path, annotators: int, seconds: int, env: dict[str, str]
) -> dict[str, Any]:
    prefix = BENCH_DIR / f"load-{annotators}"
    acked = BENCH_DIR / f"load-{annotators}-acked.json"
    users = annotators + 5
    child_env = dict(
        env, LOAD_PEOPLE=str(people_file), LOAD_ACKED=str(acked), LOAD_ANNOTATORS=str(annotators),
        LOAD_REVIEWERS="3", LOAD_RESEARCHERS="2",
    )  # fmt: skip
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "_locust_team.py"), "--headless",
         "--host", f"http://127.0.0.1:{port}", "--users", str(users), "--spawn-rate", str(max(1, users // 10)),
         "--run-time", f"{seconds + 10}s", "--csv", str(prefix), "--only-summary", "--loglevel", "WARNING"],
        cwd=ROOT, env=child_env, check=False, stdout=subprocess.DEVNULL, stderr=open(f"{prefix}.log", "wb"),  # noqa: SIM115
    )  # fmt: skip
    stats = list(csv.DictReader(open(f"{prefix}_stats.csv")))  # noqa: SIM115
    failures = list(csv.DictReader(open(f"{prefix}_failures.csv")))  # noqa: SIM115
    return {
        "stats": stats,
        "failures": failures,
        "acked": json.loads(acked.read_text()) if acked.exists() else [],
    }


def lost_writes(acked: list[dict[str, Any]]) -> int:
    from annotator.annotations.models import Relation, Span

    spans = {a["id"] for a in acked if a["kind"] == "span"}
    relations = {a["id"] for a in acked if a["kind"] == "relation"}
    found = Span.objects.filter(pk__in=spans).count() + Relation.objects.filter(pk__in=relations).count()
    return len(spans) + len(relations) - found


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.team_load", description=__doc__.split("\n\n")[0])
    parser.add_argument("--annotators", default="25,50,100,200", help="comma-separated team sizes")
    parser.add_argument("--seconds", type=int, default=60, help="measured seconds per team size")
    parser.add_argument("--web", type=int, default=2, help="gunicorn (uvicorn) worker processes")
    args = parser.parse_args(argv)
    sizes = [int(n) for n in args.annotators.split(",")]
    if any(n > PEOPLE["annotators"] for n in sizes):
        raise SystemExit(f"at most {PEOPLE['annotators']} annotators")
    with fresh_database("load") as (db, env):
        if db.vendor != "postgresql" or not os.environ.get("CELERY_BROKER_URL", "").startswith("redis"):
            print(
                "note: the targets are for PostgreSQL and Redis (DATABASE_URL, CELERY_BROKER_URL)", flush=True
            )
        people = populate()
        people_file = BENCH_DIR / "load-people.json"
        people_file.write_text(json.dumps(people))
        workers = celery_workers(env)
        rows: list[tuple[str, ...]] = []
        verdicts: list[str] = []
        try:
            with gunicorn(env, workers=args.web, threads=1, token=people["admin"], asgi=True) as port:
                start_background_jobs(port, people)
                for n in sizes:
                    began = time.monotonic()
                    result = run_locust(port, people_file, n, args.seconds, env)
                    lost = lost_writes(result["acked"])
                    server_errors = sum(
                        int(f["Occurrences"]) for f in result["failures"] if "50" in f["Error"]
                    )
                    for s in result["stats"]:
                        if s["Name"] == "Aggregated" or int(s["Request Count"]) == 0:
                            continue
                        rows.append(
                            (
                                str(n),
                                s["Name"],
                                f"{float(s['Requests/s']):.1f}",
                                s["50%"],
                                s["95%"],
                                s["99%"],
                                s["Failure Count"],
                            )
                        )
                    total = next(s for s in result["stats"] if s["Name"] == "Aggregated")
                    span = next((s for s in result["stats"] if s["Name"] == "span create"), None)
                    span_p95 = float(span["95%"]) if span else float("nan")
                    rows.append(
                        (
                            str(n),
                            "ALL",
                            f"{float(total['Requests/s']):.1f}",
                            total["50%"],
                            total["95%"],
                            total["99%"],
                            total["Failure Count"],
                        )
                    )
                    verdicts.append(
                        f"{n} annotators: span write p95 {span_p95:.0f} ms, {server_errors} 5xx, "
                        f"{lost} lost of {len(result['acked'])} acknowledged writes ({time.monotonic() - began:.0f} s)"
                    )
        finally:
            workers.terminate()
            workers.wait(timeout=30)
    print_grid(
        [f"team load: {ARTICLES:,} articles, overlap k=2; {db.vendor}; gunicorn {args.web} uvicorn workers + 2 Celery workers; "
         f"{args.seconds} s per size (ms)"],
        [("annotators", "endpoint", "req/s", "p50", "p95", "p99", "failures"), *rows],
    )  # fmt: skip
    for line in verdicts:
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
