"""The collaboration loop in a real browser: an admin sets two annotators per article, two
annotators work through their queues, a reviewer merges what both marked, takes one version
of a disagreement into gold, adds a span to gold in place with a key, comments and marks the
article adjudicated, and a researcher exports the gold layer with its adjudication provenance
and reads the page without controls."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from annotator.articles.services import ArticleInput, articles_add
from annotator.projects.services import member_add, project_create
from tests.conftest import World, make_user
from tests.e2e.conftest import TIMEOUT_MS, VIEWPORT, BrowserLog, screenshot, signed_in
from tests.e2e.test_annotate import drag_over, saved

# The export at the end reads through the "snapshot" connection.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "snapshot"])

TEXT = "Ministers said rents rose 4.75% last year. Tenants' groups called that figure misleading."


@contextmanager
def person(browser: Browser, live_server: Any, user: User, path: str) -> Iterator[Page]:
    """Another person at their own browser (a context of their own), signed in on ``path``."""
    context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)  # type: ignore[arg-type]
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield signed_in(context.new_page(), user, next_path=path)
    finally:
        context.close()


def annotate_through_the_queue(page: Page, project_id: int, figure: str) -> None:
    """Start from the project home, mark the claim and a figure, submit; the queue is then empty."""
    page.get_by_role("button", name="Start annotating").click()
    page.wait_for_url(f"**/projects/{project_id}/articles/*")
    expect(page.get_by_test_id("article-text")).to_have_text(TEXT)
    drag_over(page, "rents rose 4.75% last year")
    page.keyboard.press("c")
    saved(page)
    drag_over(page, figure)
    page.keyboard.press("f")
    saved(page)
    expect(page.get_by_test_id("article-status")).to_have_text("in progress")
    page.keyboard.press("Shift+Enter")
    page.wait_for_url(f"**/projects/{project_id}?done=1")
    expect(page.get_by_text("No more articles waiting for you")).to_be_visible()
    expect(page.get_by_test_id("count-done")).to_have_text("1")


def test_two_annotators_a_reviewer_and_a_researcher(
    page: Page, browser: Browser, live_server: Any, world: World, browser_log: BrowserLog
) -> None:
    admin, reviewer, researcher = world.admin, world.reviewer, world.researcher
    second = make_user("ann2")
    project = project_create(creator=admin, name="Housing", preset="argument")
    for user, role in (
        (world.annotator, "annotator"),
        (second, "annotator"),
        (reviewer, "reviewer"),
        (researcher, "researcher"),
    ):
        member_add(actor=admin, project_id=project.pk, username=user.username, role=role)
    (article,) = articles_add(
        actor=admin,
        project_id=project.pk,
        items=[ArticleInput(text=TEXT, external_id="rents", title="Rents")],
    ).articles
    pid = project.pk

    # The admin: two annotators per article, each sees only theirs.
    with person(browser, live_server, admin, f"/projects/{pid}/assignment") as desk:
        desk.get_by_role(
            "radio", name="Overlap: each article goes to k annotators, who see only theirs"
        ).check()
        desk.get_by_label("Annotators per article (k)").fill("2")
        desk.get_by_role("button", name="Save settings").click()
        expect(desk.get_by_role("status")).to_have_text("Saved.")
        screenshot(desk, "assignment")

    # Two annotators, each through their own queue: both get the article (k = 2).
    with person(browser, live_server, world.annotator, f"/projects/{pid}") as first:
        annotate_through_the_queue(first, pid, "4.75%")
    with person(browser, live_server, second, f"/projects/{pid}") as other:
        annotate_through_the_queue(other, pid, "4.75")

    # The reviewer: the review queue, merge with m = 2, one version of the disagreement into gold.
    signed_in(page, reviewer, next_path=f"/projects/{pid}/review")
    row = page.get_by_role("row").filter(has_text="Rents")
    expect(row).to_contain_text("ann2 (submitted), annotator (submitted)")
    expect(row).to_contain_text("33%")  # of three span keys, the claim is in both layers
    row.get_by_role("link", name="Rents").click()
    page.wait_for_url(f"**/projects/{pid}/articles/{article.pk}/review")
    page.get_by_role("button", name="Merge all with at least 2").click()
    expect(page.get_by_role("status").filter(has_text="Added")).to_have_text(
        "Added 1 spans, 0 relations, 0 document labels; 1 disagreements left."
    )
    gold = page.get_by_role("list", name="Spans of Gold")
    expect(gold).to_contain_text("CLAIM “rents rose 4.75% last year”")
    expect(gold).to_contain_text("from ann2, annotator by reviewer")
    page.get_by_role("button", name="Take FIGURE “4.75” of ann2 into gold").click()
    expect(gold).to_contain_text("FIGURE “4.75”")
    expect(gold.locator("li")).to_have_count(2)
    # Gold is edited in place, with the annotate page's keys: a rebuttal neither annotator marked.
    drag_over(page, "called that figure misleading")
    page.keyboard.press("r")
    saved(page)
    expect(gold).to_contain_text("REBUTTAL “called that figure misleading”")
    page.get_by_label("New comment", exact=True).fill(
        "The figure is 4.75 without the sign in the source table."
    )
    page.get_by_role("button", name="Comment", exact=True).click()
    expect(page.get_by_label("All comments")).to_contain_text("without the sign")
    page.get_by_role("button", name="Mark adjudicated").click()
    expect(page.get_by_test_id("review-status")).to_have_text("adjudicated")
    screenshot(page, "adjudication")
    browser_log.assert_clean()

    # The researcher: the gold export carries the adjudication; the page has no controls.
    with person(browser, live_server, researcher, f"/projects/{pid}/articles/{article.pk}/review") as reader:
        expect(reader.get_by_role("list", name="Spans of Gold").locator("li")).to_have_count(3)
        expect(reader.get_by_role("button", name="Mark adjudicated")).to_have_count(0)
        expect(reader.get_by_role("button", name="To gold")).to_have_count(0)
        answer = reader.request.get(
            f"/api/v1/projects/{pid}/export.jsonl?layers=gold&review_status=adjudicated&comments=1"
        )
        assert answer.status == 200, answer.text()
        (line,) = [json.loads(x) for x in answer.text().splitlines() if x]
        (layer,) = line["annotations"]
        provenance = {s["text"]: s["provenance"] for s in layer["spans"]}
        assert provenance == {
            "rents rose 4.75% last year": {
                "origin": "adjudicated",
                "from": ["ann2", "annotator"],
                "by": "reviewer",
            },
            "4.75": {"origin": "adjudicated", "from": ["ann2"], "by": "reviewer"},
            "called that figure misleading": {"origin": "manual"},
        }
        assert [c["body"] for c in line["comments"]] == [
            "The figure is 4.75 without the sign in the source table."
        ]
