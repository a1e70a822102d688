"""The Speakers page in a real browser: a reviewer makes a speaker from a spelling in use,
gives it a second spelling and renames it; the graph then names that speaker on both spans."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from annotator.annotations.models import Span
from annotator.annotations.services import span_create
from tests.conftest import World, add_article, build_world
from tests.e2e.conftest import BrowserLog, screenshot, signed_in

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Mr Barclay said waiting lists fell. The Health Secretary said more nurses were hired."


@pytest.fixture
def spelled(transactional_db: None) -> tuple[World, list[int]]:
    world = build_world()
    article = add_article(world.admin, world.project, TEXT, "first")
    ids = []
    for words, speaker in (
        ("waiting lists fell", "Mr Barclay"),
        ("more nurses were hired", "the Health Secretary"),
    ):
        start = TEXT.index(words)
        span = span_create(
            actor=world.reviewer,
            article_id=article.pk,
            start=start,
            end=start + len(words),
            label="CLAIM",
            layer="gold",
        )
        Span.objects.filter(pk=span.pk).update(attributes={"speaker": speaker})
        ids.append(span.pk)
    return world, ids


def test_a_reviewer_merges_two_spellings(
    page: Page, live_server: Any, spelled, browser_log: BrowserLog
) -> None:
    world, ids = spelled
    pid = world.project.pk
    signed_in(page, world.reviewer, next_path=f"/projects/{pid}/speakers")
    page.get_by_label("Speaker of Mr Barclay").select_option(label="New speaker “Mr Barclay”")
    expect(page.get_by_label("Name of Mr Barclay")).to_be_visible()
    page.get_by_label("Speaker of the Health Secretary").select_option(label="Mr Barclay")
    expect(page.get_by_text("Spellings: Mr Barclay · the Health Secretary")).to_be_visible()
    page.get_by_label("Name of Mr Barclay").fill("Steve Barclay")
    page.get_by_role("button", name="Rename").click()
    expect(page.get_by_text("Spellings: Mr Barclay · Steve Barclay · the Health Secretary")).to_be_visible()
    screenshot(page, "speakers")
    graph = page.request.get(f"/api/v1/projects/{pid}/graph/?layer=gold").json()
    assert {n["id"]: n["speaker"] for n in graph["nodes"]} == {
        ids[0]: "Steve Barclay",
        ids[1]: "Steve Barclay",
    }
    browser_log.assert_clean()


def test_a_researcher_reads_without_editing(page: Page, live_server: Any, spelled) -> None:
    world, _ = spelled
    signed_in(page, world.researcher, next_path=f"/projects/{world.project.pk}/speakers")
    expect(page.get_by_role("row", name="Mr Barclay")).to_be_visible()
    expect(page.get_by_role("combobox")).to_have_count(0)
    expect(page.get_by_role("button", name="Add speaker")).to_have_count(0)
