"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live_server.

The server is the test process's own (a thread serving the real WSGI app, /static/ through
Django's StaticFilesHandler from STATICFILES_DIRS, which holds the built frontend/dist), so
rows made here with the domain services are what the browser sees. Tests use transactional
databases (``transactional_db``, which ``world`` below takes) because the server thread has
its own connection and would not see rows inside the test's transaction.

Fixtures: ``browser`` (one chromium for this package), ``page`` (a fresh context per test,
1280x900, ``base_url`` = the live server, so ``page.goto("/login")`` works), ``browser_log``
(what went wrong in that page: console errors, uncaught exceptions, requests that failed,
answers >= 400), ``world`` (tests/conftest.py's World, committed). Helpers: ``signed_in``,
``screenshot``, ``cookie``. A failing test leaves ``FAILED-<test>.png`` in SCREENSHOT_DIR.
"""

import os
import re
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from playwright.sync_api import Browser, ConsoleMessage, Page, Request, Response, expect, sync_playwright

from tests.conftest import World, build_world

ROOT = Path(__file__).resolve().parents[2]
# CI keeps this folder as an artifact (README.md names it); var/ is ignored by git.
SCREENSHOT_DIR = ROOT / "var" / "e2e-screenshots"
FRONTEND_DIST = ROOT / "frontend" / "dist"
# Debian's package, not Playwright's download (the network is closed: never `playwright install`).
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",  # chromium's sandbox refuses to run as root, which CI is
    "--disable-background-networking",  # no update checks or field trials: there is no network
]
VIEWPORT = {"width": 1280, "height": 900}
# Two shared cores run the suite, the server thread and chromium: generous, but a broken page
# still fails in seconds rather than minutes.
TIMEOUT_MS = 15_000
# Signed out, the app asks /me/ who is there: that answer is expected, not an error.
SIGNED_OUT_ANSWERS = {(401, "GET", "/api/v1/me/"), (403, "GET", "/api/v1/me/")}

expect.set_options(timeout=TIMEOUT_MS)


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    """One headless chromium for the tests of this package (not the session; see below)."""
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: apt-get install chromium (.ci/run does) to run the browser tests"
        if _in_ci():
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    # Playwright's sync API runs its asyncio loop in this thread and leaves it marked running
    # between calls, so Django's async-safety check would refuse every ORM call the tests and
    # pytest-django's flush make in this thread ("SynchronousOnlyOperation"). Nothing here is
    # really async (the ORM runs on this thread alone, the live server on its own threads), so
    # the check is switched off, but only while Playwright runs: from the first browser test
    # to the last of this package. That is why the browser is package-scoped, not session-
    # scoped: the loop (and the switch) must not outlive tests/e2e into the rest of the suite.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        playwright = sync_playwright().start()
        try:
            chromium = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
            )
            try:
                yield chromium
            finally:
                chromium.close()
        finally:
            playwright.stop()


@pytest.fixture(scope="package")
def built_app() -> None:
    """The browser tests drive the built bundle; without it they fail (never skip) and say so."""
    index = FRONTEND_DIST / "index.html"
    if not index.is_file():
        pytest.fail(
            f"{index} is missing: the browser tests drive the built web app. "
            "Run `make frontend` (npm ci + vite build), then the tests again.",
            pytrace=False,
        )
    # settings.py lists frontend/dist only if it existed when the settings were loaded.
    dirs = [Path(d[1] if isinstance(d, tuple) else d).resolve() for d in settings.STATICFILES_DIRS]
    if FRONTEND_DIST.resolve() not in dirs:
        pytest.fail(
            "frontend/dist was built after Django's settings were loaded, so it is not in "
            "STATICFILES_DIRS and /static/ would not serve the bundle: run pytest again.",
            pytrace=False,
        )
    # This run's screenshots only: a stale FAILED-*.png from an earlier run would mislead.
    for old in SCREENSHOT_DIR.glob("*.png"):
        old.unlink()


@dataclass
class BrowserLog:
    """What went wrong in one page, for ``assert_clean``."""

    console_errors: list[str] = field(default_factory=list)  # console.error and uncaught exceptions
    failed_requests: list[str] = field(default_factory=list)  # no answer at all (refused, aborted)
    http_errors: list[tuple[int, str, str]] = field(default_factory=list)  # (status, method, path)
    aborted: list[str] = field(default_factory=list)  # cancelled by the page or a navigation: fine

    def assert_clean(self, *, allow_http: Iterable[tuple[int, str, str]] = ()) -> None:
        """No console error, no failed request, no answer >= 400 but those allowed (and the
        signed-out /me/ check). Chromium's own "Failed to load resource" console lines are
        left out: they repeat the answers in http_errors, which the test can allow."""
        allowed = SIGNED_OUT_ANSWERS | set(allow_http)
        unexpected = [answer for answer in self.http_errors if answer not in allowed]
        assert not self.console_errors, f"console errors: {self.console_errors}"
        assert not self.failed_requests, f"failed requests: {self.failed_requests}"
        assert not unexpected, f"unexpected error answers (status, method, path): {unexpected}"


@pytest.fixture
def browser_log() -> BrowserLog:
    return BrowserLog()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    setattr(item, f"rep_{report.when}", report)  # the page fixture screenshots a failed test
    return report


@pytest.fixture
def page(
    request: pytest.FixtureRequest,
    browser: Browser,
    built_app: None,
    live_server: Any,
    browser_log: BrowserLog,
) -> Iterator[Page]:
    """A fresh browser context (no cookies) on the live server, its log in ``browser_log``."""
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)  # type: ignore[arg-type]
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            browser_log.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def on_failed(failed: Request) -> None:
        # An aborted request (the app's AbortController on unmount, a navigation) is no failure.
        into = browser_log.aborted if failed.failure == "net::ERR_ABORTED" else browser_log.failed_requests
        into.append(f"{failed.method} {failed.url}: {failed.failure}")

    def on_response(response: Response) -> None:
        if response.status >= 400:
            path = urlsplit(response.url).path
            browser_log.http_errors.append((response.status, response.request.method, path))

    tab.on("console", on_console)
    tab.on("pageerror", lambda error: browser_log.console_errors.append(f"uncaught: {error}"))
    tab.on("requestfailed", on_failed)
    tab.on("response", on_response)
    try:
        yield tab
    finally:
        call_report = getattr(request.node, "rep_call", None)
        if call_report is not None and call_report.failed:
            screenshot(tab, "FAILED-" + re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name))
        context.close()


@pytest.fixture
def world(transactional_db: None) -> World:
    """tests/conftest.py's two projects and a member of every role, committed for the server
    thread to see. Passwords are "pw-<username>": admin, reviewer, annotator, researcher,
    outsider."""
    return build_world()


def cookie(page: Page, name: str) -> dict[str, Any] | None:
    """The browser's cookie of this name for the live server, or None."""
    found = [c for c in page.context.cookies() if c.get("name") == name]
    return dict(found[0]) if found else None


def signed_in(page: Page, user: User, *, password: str | None = None, next_path: str = "/") -> Page:
    """Sign ``user`` in through the real login form and wait until the app shows them;
    the page is then on ``next_path``."""
    page.goto(f"/login?next={quote(next_path)}")
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(password if password is not None else f"pw-{user.username}")
    with page.expect_response(
        lambda r: urlsplit(r.url).path == "/api/v1/auth/session/" and r.request.method == "POST"
    ) as answer:
        page.get_by_role("button", name="Sign in").click()
    assert answer.value.status == 200, f"sign-in answered {answer.value.status}: {answer.value.text()}"
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    expect(page.locator(".topbar .who")).to_have_text(user.username)
    page.wait_for_url(lambda url: urlsplit(url).path == next_path.split("?")[0])
    return page


def screenshot(page: Page, name: str) -> Path:
    """Save the whole page as SCREENSHOT_DIR/<name>.png (CI keeps the folder); returns the path."""
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOT_DIR / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
