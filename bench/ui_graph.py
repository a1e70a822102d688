"""Benchmark the Graph page in a real browser: first render of a large argument graph.

    .venv/bin/python -m bench.ui_graph [--spans 5000] [--articles 50] [--relations 1500] [--loads 5]

A fresh benchmark database (``bench.support.database.fresh_database``, tag ``ui_graph``) filled by
``bench.graph.populate`` (gold spans with speakers, relations within and across articles,
SAME_CLAIM clusters), the built app collected and served by gunicorn as ``bench.ui`` does,
and Debian's chromium signed in as the project's researcher. Measured in the page: from the
start of the navigation to ``/projects/{pid}/graph`` until Cytoscape has drawn its first frame
(the page's ``data-drawn-ms``, read from ``performance.now()`` in Cytoscape's first ``render``
event), the first visit, then ``--loads`` reloads. Target (issue 16): under 2 s for 5,000 nodes
(exit status 1 when missed).
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time

from bench.support.database import fresh_database
from bench.support.paths import BENCH_DIR, ROOT
from bench.support.report import Row, code_version, print_table
from bench.support.server import gunicorn
from bench.ui import FRONTEND_INDEX, cut, dist
from bench.ui_measure import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, sign_in

FIRST_RENDER_S = 2.0
VAR_DIR = BENCH_DIR / "ui_graph"


def researcher_login(user_id: int) -> tuple[str, str, str]:
    """The researcher's username, a fresh password, and an API token (gunicorn's readiness check)."""
    import secrets

    from django.contrib.auth import get_user_model

    from annotator.accounts.services import token_create

    user = get_user_model().objects.get(pk=user_id)
    password = secrets.token_urlsafe(12)
    user.set_password(password)
    user.save(update_fields=["password"])
    _, key = token_create(user=user, name="bench-ui-graph")
    return user.username, password, key


def measure(
    base: str, path: str, username: str, password: str, loads: int
) -> tuple[str, list[dict], list[str]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(base_url=base, viewport=VIEWPORT)  # type: ignore[arg-type]
        context.set_default_timeout(60_000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        sign_in(page, username, password)
        results = []
        for _ in range(loads + 1):  # the first is the cold one
            page.goto(path)
            page.wait_for_function("() => window.__graph && window.__graph.drawnMs !== null")
            results.append(
                page.evaluate(
                    """() => {
                      const nav = performance.getEntriesByType("navigation")[0];
                      const get = performance.getEntriesByType("resource")
                        .filter((e) => new URL(e.name).pathname.endsWith("/graph/"));
                      return {drawn: window.__graph.drawnMs, created: window.__graph.createdMs, spans: window.__graph.spans,
                              speakers: window.__graph.speakers, relations: window.__graph.relations,
                              get: get.length ? get[0].duration : -1, dcl: nav.domContentLoadedEventEnd};
                    }"""
                )
            )
        version = browser.version
        browser.close()
        return version, results, errors


def main(argv: list[str] | None = None) -> int:
    from bench.graph import populate

    parser = argparse.ArgumentParser(prog="python -m bench.ui_graph", description=__doc__.split("\n\n")[0])
    parser.add_argument("--spans", type=int, default=5000, help="span nodes in the graph")
    parser.add_argument("--articles", type=int, default=50)
    parser.add_argument("--relations", type=int, default=1500)
    parser.add_argument("--loads", type=int, default=5, help="reloads to time after the first visit")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")
    if not FRONTEND_INDEX.is_file():
        raise SystemExit(f"{FRONTEND_INDEX} is missing: run `make frontend` first")
    os.environ["ANNOTATOR_VAR_DIR"] = str(VAR_DIR)
    with fresh_database("ui_graph", keep=args.keep) as (db, env):
        env.update(ANNOTATOR_VAR_DIR=str(VAR_DIR))
        (VAR_DIR / "static").mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        started = time.perf_counter()
        project_id, researcher_id = populate(args.articles, args.spans, args.relations)
        username, password, token = researcher_login(researcher_id)
        print(f"populated in {time.perf_counter() - started:.1f} s", flush=True)
        from django.db import connections

        connections.close_all()
        with gunicorn(env, workers=2, threads=4, token=token) as port:
            browser_version, loads, errors = measure(
                f"http://127.0.0.1:{port}", f"/projects/{project_id}/graph", username, password, args.loads
            )
    if errors:
        print("errors in the page:", *errors[:10], sep="\n  ")
    cold, warm = loads[0], loads[1:]
    drawn = [x["drawn"] for x in warm]
    rows: list[Row] = [
        ("first render, first visit (navigation -> graph drawn)", f"{cold['drawn']:.1f} ms", "", None),
        (
            f"first render, reload x{len(warm)} (navigation -> graph drawn)",
            dist(drawn),
            f"p95 < {FIRST_RENDER_S * 1000:.0f} ms",
            cut(drawn, 95) < FIRST_RENDER_S * 1000,
        ),
        ("  of which: DOMContentLoaded", dist([x["dcl"] for x in warm]), "", None),
        ("  of which: GET .../graph/", dist([x["get"] for x in warm]), "", None),
        ("  navigation -> Cytoscape created", dist([x["created"] for x in warm]), "", None),
        ("  Cytoscape created -> first frame", dist([x["drawn"] - x["created"] for x in warm]), "", None),
    ]
    header = [
        f"bench/ui_graph at {code_version('annotator', 'api', 'frontend/src')}: {db.vendor} ({db.describe()}), "
        f"{cold['spans']} span nodes, {cold['speakers']} speakers, {cold['relations']} relations, "
        f"{args.articles} articles",
        f"gunicorn 2 workers x 4 threads, DEBUG=0; chromium {browser_version} headless "
        f"{VIEWPORT['width']}x{VIEWPORT['height']}; {os.cpu_count()} CPUs, Python {platform.python_version()}",
    ]
    print_table(header, rows)
    return 0 if all(ok is not False for *_, ok in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
