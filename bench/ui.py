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
import shutil
import statistics
import subprocess
import sys
import time
from collections import Counter

from bench.support.database import bench_database, bench_env
from bench.support.paths import ROOT
from bench.support.report import Row, code_version, print_table
from bench.support.server import gunicorn
from bench.ui_fixture import Fixture, populate
from bench.ui_measure import CHROMIUM, VAR_DIR, VIEWPORT, Action, Load, measure

FRONTEND_INDEX = ROOT / "frontend" / "dist" / "index.html"
FIRST_RENDER_P95_MS = 500.0
LABEL_ACTION_P95_MS = 16.0  # one frame at 60 Hz
FIRST_FRAME_SHARE = 0.95
DROPPED_FRAME_MS = 25.0


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
