"""Live updates in two real browsers: the app served as production serves it (annotator.asgi
under uvicorn, in a thread of the test process, static files through Django's ASGI handler).
Two reviewers on one article's gold page see each other there; one marks a span with the
mouse and a key, the other sees it drawn within a second, without reloading. An annotator on
the same article sees neither (blind annotation)."""

import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import uvicorn
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from playwright.sync_api import Browser, BrowserContext, Page, expect

from annotator.asgi import application
from tests.conftest import World, build_world
from tests.e2e.conftest import TIMEOUT_MS, VIEWPORT, screenshot, signed_in
from tests.e2e.test_annotate import drag_over, saved

pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def asgi_server(built_app: None, transactional_db: None) -> Iterator[str]:
    port = free_port()
    config = uvicorn.Config(
        ASGIStaticFilesHandler(application), host="127.0.0.1", port=port, lifespan="off", log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="asgi-test-server", daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the ASGI server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture
def contexts(asgi_server: str) -> Iterator[list[BrowserContext]]:
    """The browser contexts a test opens (``open_page``), closed afterwards."""
    made: list[BrowserContext] = []
    yield made
    for context in made:
        context.close()


def open_page(browser: Browser, base: str, contexts: list[BrowserContext], user: Any, path: str) -> Page:
    context = browser.new_context(base_url=base, viewport=VIEWPORT)  # type: ignore[arg-type]
    context.set_default_timeout(TIMEOUT_MS)
    contexts.append(context)
    page = context.new_page()
    signed_in(page, user, next_path=path)
    expect(page.get_by_test_id("article-text")).to_be_visible()
    return page


def test_two_reviewers_see_each_other_and_each_others_spans(
    browser: Browser, asgi_server: str, contexts: list[BrowserContext]
) -> None:
    world: World = build_world()
    gold = f"/projects/{world.project.pk}/articles/{world.article.pk}/gold"
    mine = f"/projects/{world.project.pk}/articles/{world.article.pk}"
    first = open_page(browser, asgi_server, contexts, world.reviewer, gold)
    second = open_page(browser, asgi_server, contexts, world.admin, gold)
    annotator = open_page(browser, asgi_server, contexts, world.annotator, mine)

    # Presence: each sees the other (and the annotator, who has the article open too).
    expect(first.get_by_role("list", name="Also here: admin, annotator")).to_be_visible()
    expect(second.get_by_role("list", name="Also here: annotator, reviewer")).to_be_visible()

    drag_over(first, "4.75%")
    first.keyboard.press("f")  # FIGURE
    saved(first)
    began = time.monotonic()
    drawn = second.locator('[data-testid="article-text"] [data-spans]').filter(has_text="4.75%")
    expect(drawn).to_have_count(1, timeout=5_000)
    took = time.monotonic() - began
    assert took < 1.0, f"the other reviewer saw the span after {took:.2f} s"
    screenshot(second, "live-gold")
    # The annotator's own layer has nothing of it; their page did not change.
    expect(annotator.locator('[data-testid="article-text"] [data-spans]')).to_have_count(0)

    # The edit the second reviewer makes next carries the version the push brought.
    second.locator("[data-span-id]").first.click()
    second.keyboard.press("Delete")
    saved(second)
    expect(first.locator('[data-testid="article-text"] [data-spans]')).to_have_count(0, timeout=5_000)

    # Leaving: the badge goes.
    second.close()
    expect(first.get_by_role("list", name="Also here: annotator")).to_be_visible()


def test_a_reviewer_watching_adjudication_sees_an_annotators_span_appear(
    browser: Browser, asgi_server: str, contexts: list[BrowserContext]
) -> None:
    world: World = build_world()
    review = f"/projects/{world.project.pk}/articles/{world.article.pk}/review"
    reviewer = browser.new_context(base_url=asgi_server, viewport=VIEWPORT)  # type: ignore[arg-type]
    contexts.append(reviewer)
    watching = reviewer.new_page()
    signed_in(watching, world.reviewer, next_path=review)
    expect(watching.get_by_role("heading", name="Adjudication")).to_be_visible()
    annotator = open_page(
        browser,
        asgi_server,
        contexts,
        world.annotator,
        f"/projects/{world.project.pk}/articles/{world.article.pk}",
    )

    drag_over(annotator, "4.75%")
    annotator.keyboard.press("f")
    saved(annotator)
    expect(watching.get_by_role("list", name="Spans of annotator")).to_contain_text(
        "FIGURE “4.75%”", timeout=5_000
    )
