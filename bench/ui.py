"""Benchmark the annotate page in a real browser: first render and label actions.

    .venv/bin/python -m bench.ui [--chars 50000] [--spans 500] [--relations 0] [--loads 10] [--actions 30]
    .venv/bin/python -m bench.ui --chars 100000 --spans 2000 --relations 500   (the arcs' issue)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator .venv/bin/python -m bench.ui

It never touches development data: on SQLite it uses ``var/bench/ui.sqlite3``; when
``DATABASE_URL`` names a PostgreSQL database ``<name>`` it creates (and afterwards drops)
``<name>_ui_bench`` on the same server. Its other files (static root, secret key) are under
``var/bench/ui/``. Setup goes through the services in-process (not measured): a project with
the "argument" preset, an annotator with a password, and one article of about ``--chars``
code points with ``--spans`` spans in the annotator's layer, spread over the text, and
``--relations`` relations between random spans of it (REBUTS and SUPPORTS from a REBUTTAL or
FIGURE to a CLAIM at most 40 spans away, as the schema allows), drawn as arcs. Then it
collects the built app (frontend/dist: ``make frontend`` first) and serves ``annotator.wsgi``
with gunicorn as ``manage.py serve`` does (DEBUG=0, whitenoise), signs in through the login
form of Debian's chromium (Playwright, headless) and measures, in the page itself:

1. first render of ``/projects/{pid}/articles/{aid}``: from the start of the navigation
   until ``[data-testid="article-text"]`` holds every span (its segments' ``data-spans``) and
   a frame has been drawn (requestAnimationFrame, then the task after it); the first visit after
   signing in, then ``--loads`` reloads (the bundle is cached from the login page either way);
2. ``--actions`` label actions: select a word of unlabelled text (a DOM Range, then the
   pointerup/mouseup a mouse would send), press the label's key; from the keydown to the new
   span in the text (a segment's ``data-spans`` naming a new id; ``[data-span-id]`` elements
   count too), to the frame that draws it (the first frame from the keydown on whose first
   requestAnimationFrame callback finds the span in the DOM; painted = the task that callback
   posts), and (apart) to ``[data-testid="save-status"]`` reading "Saved" again, with the POST's
   own duration. The key is pressed at a random point of a frame, eight frames after the
   selection. Afterwards it checks that each action saved one span of the label over the word
   selected;
3. with ``--relations``: the arcs (first render until the first arc is drawn) and scrolling:
   the page scrolled 120 px a frame for 180 frames, each frame's interval from
   requestAnimationFrame; a frame over 25 ms is counted as dropped (one missed vsync at 60 Hz).

``--profile`` adds two label actions and a reload, not timed: one under the CPU profiler (the functions
with the most self time; readable names need an unminified build, ``npx vite build --minify
false``) and one under Chromium's timeline trace (time in style, layout, paint).

Targets (the UI issues; exit status 1 when one is missed): first render p95 < 500 ms; no dropped
frame while scrolling; a label action within one frame (issue 16), which is two rows:

- "span drawn by the first frame after the key": the frames are placed on the vsync grid
  (requestAnimationFrame's argument, the frame's vsync time, in the eight frames before the key);
  an action passes when at most one vsync lies between its keydown and the end of the frame that
  draws the span (its rAF, then the task after it): the span is on screen in the first frame
  the display shows after the key, wherever in a frame the key landed (the bench presses it at a
  random point of one). Target: 95% of the actions. Chromium's real frame pacing, nothing unlocked.
- "its work": keydown -> span in the DOM, plus that frame's own rendering (rAF -> the task after
  it: style, layout, paint), i.e. "keydown -> span painted" less the wait for the vsync (and any
  task the page runs in between, which the first row catches). Target: p95 < 16 ms.

"keydown -> span painted" (p95 < 16 ms was the target before) includes that wait, up to one frame
interval wherever the key lands, so even a page doing no work would miss it; it stays as a row.
Unlocking the frame rate instead was tried and rejected (``python -m bench.ui_raf``): in headless
Chromium 156 ``--disable-gpu-vsync --disable-frame-rate-limit`` leave rAF at 16.7 ms (they act
on a display's vsync, which headless has not); adding ``--run-all-compositor-stages-before-draw``
unlocks it (0.2 ms), but the compositor then draws frames without pause (nearly two cores with
the page idle) and the end of a frame's paint moves by up to 20 ms: on two cores it measures
that load, not the page (bench/README.md).
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.support.database import bench_database, bench_env
from bench.support.paths import BENCH_DIR, ROOT
from bench.support.report import Row, code_version, print_table
from bench.support.server import gunicorn
from bench.support.text import make_text
from bench.ui_page import (
    ACTION_DONE_JS,
    ACTION_RESULT_JS,
    ARM_ACTION_JS,
    FIRST_RENDER_JS,
    SCROLL_JS,
    js,
)
from bench.ui_profile import print_profile

VAR_DIR = BENCH_DIR / "ui"
FRONTEND_INDEX = ROOT / "frontend" / "dist" / "index.html"
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package (never `playwright install`: no network)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking"]
VIEWPORT = {"width": 1280, "height": 900}
FIRST_RENDER_P95_MS = 500.0
LABEL_ACTION_P95_MS = 16.0  # one frame at 60 Hz
FIRST_FRAME_SHARE = 0.95
DROPPED_FRAME_MS = 25.0
RELATION_WINDOW = 40  # a relation joins spans at most this many spans apart
LABELS = ("CLAIM", "REBUTTAL", "FIGURE")
WARM_UP_ACTIONS = 3


# --- setup (in-process, not measured) -------------------------------------------------------


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


# --- measuring --------------------------------------------------------------------------------


@dataclass
class Load:
    text_ms: float  # the container is in the page
    spans_ms: float  # ... holding every span
    paint_ms: float  # ... and a frame showing them has been drawn
    article_get_ms: float  # GET /api/v1/articles/{id}/ as the browser timed it
    dom_content_loaded_ms: float
    arcs_ms: float | None = None  # the first arc drawn


@dataclass
class Action:
    element_ms: float
    frame_ms: float  # requestAnimationFrame of the frame that draws it
    paint_ms: float  # ... and the task after that frame
    saved_ms: float
    post_ms: float | None
    vsyncs: int  # vsyncs from the keydown to the end of that frame (0 or 1: the first frame)
    phase_ms: float  # the keydown's place in its frame interval
    vsync_ms: float  # the frame interval

    @property
    def work_ms(self) -> float:
        """The action's own time, without waiting for a frame: keydown to the span in the DOM,
        plus that frame's rendering (its rAF callbacks, style, layout, paint)."""
        return self.element_ms + self.paint_ms - self.frame_ms


def sign_in(page: Any, username: str, password: str) -> None:
    """Through the login form, as a user would (the session cookie then rides every request)."""
    page.goto("/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Sign out").wait_for()


def measure(
    base: str, fx: Fixture, *, loads: int, actions: int, profile: bool = False
) -> tuple[str, list[Load], list[Action], list[str], list[float]]:
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(base_url=base, viewport=VIEWPORT)  # type: ignore[arg-type]
        context.set_default_timeout(30_000)
        context.add_init_script(js(FIRST_RENDER_JS, expected=fx.spans))
        page = context.new_page()
        errors: list[str] = []
        # (Chromium's "Failed to load resource" lines are answers >= 400, such as the signed-out
        # /me/ check before signing in: not errors of the page.)
        page.on(
            "console",
            lambda m: (
                errors.append(m.text)
                if m.type == "error" and not m.text.startswith("Failed to load resource")
                else None
            ),
        )
        page.on("pageerror", lambda e: errors.append(str(e)))

        sign_in(page, fx.username, fx.password)

        path = f"/projects/{fx.project_id}/articles/{fx.article_id}"
        results: list[Load] = []
        for _ in range(loads + 1):  # the first is the cold one
            page.goto(path)
            page.wait_for_function("() => window.__uiBench && window.__uiBench.paintAt !== null")
            got = page.evaluate(
                """(articlePath) => {
                  const s = window.__uiBench;
                  const nav = performance.getEntriesByType("navigation")[0];
                  const get = performance.getEntriesByType("resource")
                    .filter((e) => new URL(e.name).pathname === articlePath);
                  return {text: s.textAt, spans: s.spansAt, paint: s.paintAt, arcs: s.arcsAt,
                          get: get.length ? get[0].duration : -1, dcl: nav.domContentLoadedEventEnd};
                }""",
                f"/api/v1/articles/{fx.article_id}/",
            )
            if fx.relations:  # the arcs are drawn in a frame after the text
                page.wait_for_function("() => window.__uiBench.arcsAt !== null")
                got["arcs"] = page.evaluate("() => window.__uiBench.arcsAt")
            results.append(Load(got["text"], got["spans"], got["paint"], got["get"], got["dcl"], got["arcs"]))

        timed: list[Action] = []
        words: list[str] = []
        for n in range(WARM_UP_ACTIONS + actions):
            page.evaluate(js(ARM_ACTION_JS), n)
            page.keyboard.press(fx.hotkey)
            page.wait_for_function(ACTION_DONE_JS, timeout=10_000)
            got = page.evaluate(ACTION_RESULT_JS)
            words.append(got["word"])
            if n >= WARM_UP_ACTIONS:
                timed.append(
                    Action(
                        got["element"],
                        got["frame"],
                        got["paint"],
                        got["saved"],
                        got["post"],
                        got["vsyncs"],
                        got["phase"],
                        got["vsyncMs"],
                    )
                )
        frames = page.evaluate(SCROLL_JS) if fx.relations else []
        if profile:
            words.extend(print_profile(page, fx.hotkey, len(words), VAR_DIR / "label-action-trace.json"))
        if errors:
            print("console errors in the page:", *errors[:10], sep="\n  ")
        version = browser.version
        browser.close()
        return version, results, timed, words, frames
    finally:
        playwright.stop()


def check_spans(fx: Fixture, words: list[str], label: str) -> int:
    """Every label action saved one span of ``label`` over the word it selected."""

    from annotator.annotations.models import Span

    made = Span.objects.filter(article_id=fx.article_id).select_related("label").order_by("id")[fx.spans :]
    got = Counter((span.label.name, span.text) for span in made)
    want = Counter((label, word) for word in words)
    if got != want:
        raise SystemExit(f"the label actions did not save what was selected: {got - want} / {want - got}")
    return len(words)


# --- report -----------------------------------------------------------------------------------


def cut(values: list[float], q: int) -> float:
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


def dist(values: list[float]) -> str:
    return f"p50 {cut(values, 50):.1f}  p95 {cut(values, 95):.1f}  max {max(values):.1f} ms"


def report_rows(loads: list[Load], actions: list[Action], frames: list[float]) -> list[Row]:
    cold, warm = loads[0], loads[1:]
    arcs_rows: list[Row] = []
    if frames:
        dropped = sum(1 for gap in frames if gap > DROPPED_FRAME_MS)
        arcs_rows = [
            ("  first arc drawn", dist([x.arcs_ms for x in warm if x.arcs_ms is not None]), "", None),
            (
                f"scrolling with arcs, {len(frames)} frames: frame interval",
                dist(frames),
                f"no frame > {DROPPED_FRAME_MS:.0f} ms",
                dropped == 0,
            ),
            ("  frames dropped (> 25 ms)", str(dropped), "", None),
        ]
    paint = [x.paint_ms for x in warm]
    to_paint = [a.paint_ms for a in actions]
    posts = [a.post_ms for a in actions if a.post_ms is not None]
    return [
        ("first render, first visit (navigation -> spans painted)", f"{cold.paint_ms:.1f} ms", "", None),
        (
            f"first render, reload x{len(warm)} (navigation -> spans painted)",
            dist(paint),
            f"p95 < {FIRST_RENDER_P95_MS:.0f} ms",
            cut(paint, 95) < FIRST_RENDER_P95_MS,
        ),
        ("  of which: DOMContentLoaded", dist([x.dom_content_loaded_ms for x in warm]), "", None),
        ("  of which: GET article (text + spans)", dist([x.article_get_ms for x in warm]), "", None),
        ("  text container in the page", dist([x.text_ms for x in warm]), "", None),
        ("  every span element in the page", dist([x.spans_ms for x in warm]), "", None),
        *arcs_rows,
        (
            f"label action x{len(actions)}: keydown -> new span element",
            dist([a.element_ms for a in actions]),
            "",
            None,
        ),
        (
            f"label action x{len(actions)}: keydown -> its frame (rAF)",
            dist([a.frame_ms for a in actions]),
            "",
            None,
        ),
        (f"label action x{len(actions)}: keydown -> span painted", dist(to_paint), "", None),
        *label_action_targets(actions),
        (f'label action x{len(actions)}: keydown -> "Saved"', dist([a.saved_ms for a in actions]), "", None),
        ("  of which: POST .../spans/ (browser's timing)", dist(posts) if posts else "not seen", "", None),
    ]


def label_action_targets(actions: list[Action]) -> list[Row]:
    """The label action's target, one frame: the span drawn by the first frame after the key
    (at most one vsync between the keydown and the end of the frame that draws it), in 95% of
    the actions; and the action's own work (no wait for a frame) p95 under one frame."""
    n = len(actions)
    first = sum(1 for a in actions if a.vsyncs <= 1)
    counts = Counter(a.vsyncs for a in actions)
    spread = ", ".join(f"{k}: {counts[k]}" for k in sorted(counts))
    work = [a.work_ms for a in actions]
    return [
        (
            f"label action x{n}: span drawn by the first frame after the key",
            f"{first} of {n} (vsyncs from keydown to painted: {spread})",
            f">= {math.ceil(FIRST_FRAME_SHARE * n)} of {n}",
            first >= math.ceil(FIRST_FRAME_SHARE * n),
        ),
        (
            f"label action x{n}: its work (keydown -> span in the DOM, + its frame's rendering)",
            dist(work),
            f"p95 < {LABEL_ACTION_P95_MS:.0f} ms",
            cut(work, 95) < LABEL_ACTION_P95_MS,
        ),
        (
            "  keydown's place in its frame interval",
            f"{dist([a.phase_ms for a in actions])} (frame interval {statistics.median(a.vsync_ms for a in actions):.1f} ms)",
            "",
            None,
        ),
    ]


# --- main -------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.ui", description=__doc__.split("\n\n")[0])
    parser.add_argument("--chars", type=int, default=50_000, help="code points in the article")
    parser.add_argument("--spans", type=int, default=500, help="spans on the article")
    parser.add_argument("--relations", type=int, default=0, help="relations between random spans (arcs)")
    parser.add_argument("--loads", type=int, default=10, help="warm first renders to time")
    parser.add_argument("--actions", type=int, default=30, help="label actions to time")
    parser.add_argument("--label", default="CLAIM", help="the label the actions apply (by its key)")
    parser.add_argument("--profile", action="store_true", help="print a CPU profile of one more label action")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args(argv)
    if args.spans < 1 or args.loads < 1 or args.actions < 1 or args.chars < args.spans * 20:
        raise SystemExit("--spans, --loads and --actions must be positive, --chars at least 20 per span")
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")
    if not FRONTEND_INDEX.is_file():
        raise SystemExit(f"{FRONTEND_INDEX} is missing: run `make frontend` first")

    db = bench_database(os.environ.get("DATABASE_URL", ""), "ui")
    version = code_version("annotator", "api", "frontend/src")
    env = bench_env(db)
    env.update(ANNOTATOR_VAR_DIR=str(VAR_DIR))
    shutil.rmtree(VAR_DIR, ignore_errors=True)
    (VAR_DIR / "static").mkdir(parents=True, exist_ok=True)
    print(f"benchmark database: {db.vendor}, {db.describe()} (created fresh)", flush=True)
    db.create()
    try:
        started = time.perf_counter()
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"]):
            subprocess.run([sys.executable, "manage.py", *command, "-v", "0"], cwd=ROOT, env=env, check=True)
        print(f"migrated and collected static files in {time.perf_counter() - started:.1f} s", flush=True)
        os.environ.update(env)
        import django

        django.setup()
        from django.db import connection, connections

        fx = populate(chars=args.chars, spans=args.spans, label=args.label, relations=args.relations)
        print(
            f"created an article of {fx.chars:,} code points with {fx.spans} spans and "
            f"{fx.relations} relations in {fx.seconds:.1f} s"
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT sqlite_version()" if db.vendor == "sqlite" else "SHOW server_version")
            db_version = cursor.fetchone()[0]
        connections.close_all()

        with gunicorn(env, workers=2, threads=4, token=fx.token) as port:
            browser_version, loads, actions, words, frames = measure(
                f"http://127.0.0.1:{port}", fx, loads=args.loads, actions=args.actions, profile=args.profile
            )
        made = check_spans(fx, words, args.label)

        vendor = "SQLite" if db.vendor == "sqlite" else "PostgreSQL"
        header = [
            f"bench/ui at {version}: {vendor} {db_version} ({db.describe()}), one article of "
            f"{fx.chars:,} code points with {fx.spans} spans and {fx.relations} relations, "
            f"label {args.label} (key {fx.hotkey!r})",
            f"gunicorn as manage.py serve runs it (2 workers x 4 threads, DEBUG=0, whitenoise); "
            f"chromium {browser_version} headless {VIEWPORT['width']}x{VIEWPORT['height']}; "
            f"{os.cpu_count()} CPUs, Python {platform.python_version()}",
            "times from the page's own clock (performance.now); painted = requestAnimationFrame, then the task after it; "
            "vsyncs from rAF's frame times; each key pressed at a random point of a frame",
            f"check: the {made} label actions saved {made} {args.label} spans, each over the word selected",
        ]
        rows = report_rows(loads, actions, frames)
        print_table(header, rows)
        return 0 if all(ok is not False for *_, ok in rows) else 1
    finally:
        if args.keep:
            print(f"kept {db.describe()}")
        else:
            db.drop()


if __name__ == "__main__":
    sys.exit(main())
