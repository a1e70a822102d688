"""What bench/ui.py measures in Debian's chromium (Playwright, headless): first renders of the
annotate page, label actions and, with relations, scrolling past the arcs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench.support.paths import BENCH_DIR
from bench.ui_fixture import Fixture
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
CHROMIUM = Path("/usr/bin/chromium")  # Debian's package (never `playwright install`: no network)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking"]
VIEWPORT = {"width": 1280, "height": 900}
WARM_UP_ACTIONS = 3


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
