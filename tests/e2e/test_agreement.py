"""The Agreement page in a real browser: three annotators with known layers; the page shows
the figures the API computed, the pairwise heatmap and the per-label bars, links the hardest
article to its adjudication page, and keeps an annotator out."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from tests.api.test_agreement import mark_layer, submit
from tests.conftest import World, add_article, build_world
from tests.e2e.conftest import BrowserLog, screenshot, signed_in

pytestmark = pytest.mark.django_db(transaction=True)

T1 = "The minister said prices rose 4.75%. Unions said that is false."
T2 = "Inflation hit 4.75% in May, the statistics office said."


@pytest.fixture
def three(transactional_db: None) -> World:
    """annotator and ann2 agree on the claim and figure of the first article and rebut with
    different stretches; ann3 marks only the claim; on the second, annotator and ann2 agree."""
    world = build_world(extra_annotators=("ann2", "ann3"))
    first = add_article(world.admin, world.project, T1, "first")
    second = add_article(world.admin, world.project, T2, "second")
    one, two, three = world.annotator, world.users["ann2"], world.users["ann3"]
    claim, figure = ("prices rose 4.75%", "CLAIM"), ("4.75%", "FIGURE")
    mark_layer(one, first, [claim, figure, ("that is false", "REBUTTAL")], rebuts=True)
    mark_layer(two, first, [claim, figure, ("Unions said that is false", "REBUTTAL")], rebuts=True)
    mark_layer(three, first, [claim])
    for user in (one, two):
        mark_layer(user, second, [figure])
    for user in (one, two, three):
        submit(user, first)
    for user in (one, two):
        submit(user, second)
    return world


def shown(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.3f}"


def test_the_page_shows_what_the_api_computed(
    page: Page, live_server: Any, three: World, browser_log: BrowserLog
) -> None:
    pid = three.project.pk
    signed_in(page, three.reviewer, next_path=f"/projects/{pid}/agreement")
    report = page.request.get(f"/api/v1/projects/{pid}/agreement/").json()
    assert report["annotators"] == ["ann2", "ann3", "annotator"] and report["articles"] == 2

    figures = page.get_by_role("list", name="Headline figures")
    expected = {
        "alpha_unitized": report["spans"]["alpha_unitized"],
        "span_f1_micro": report["spans"]["f1"]["micro"],
        "span_f1_macro": report["spans"]["f1"]["macro"],
        "token_kappa": report["spans"]["token_kappa"],
        "relation_f1": report["relations"]["f1"]["micro"],
    }
    for key, value in expected.items():
        expect(figures.locator(f'[data-figure="{key}"] .value')).to_have_text(shown(value))
    # A null figure shows n/a and why; a definition is one click away.
    cohen = figures.locator('[data-figure="doc_cohen"]')
    expect(cohen.locator(".value")).to_have_text("n/a")
    cohen.get_by_text("Definition").click()
    expect(cohen.get_by_text("Kappa of exactly two coders")).to_be_visible()

    # The heatmap has a cell per pair, labelled with the pair's span F1.
    heatmap = page.get_by_role("figure", name="Span F1 between annotators")
    expect(heatmap.locator("svg")).to_be_visible()
    for pair in report["pairs"]:
        if pair["span_f1"] is not None:
            expect(heatmap.locator("svg text", has_text=shown(pair["span_f1"])).first).to_be_visible()
    # The per-label bars: one bar per span label.
    bars = page.get_by_role("figure", name="Spans: F1")
    expect(bars.locator("svg")).to_be_visible()
    for label in report["spans"]["per_label"]:
        expect(bars.locator("svg text", has_text=label).first).to_be_visible()
    screenshot(page, "agreement")

    # Filters live in the URL and reach the API.
    page.get_by_label("Span matching").select_option("overlap")
    page.wait_for_url(f"**/projects/{pid}/agreement?match=overlap")
    overlap = page.request.get(f"/api/v1/projects/{pid}/agreement/?match=overlap").json()
    expect(figures.locator('[data-figure="span_f1_micro"] .value')).to_have_text(
        shown(overlap["spans"]["f1"]["micro"])
    )

    # The hardest article opens its adjudication page.
    hardest = report["hardest_articles"][0]
    page.get_by_role("link", name=hardest["title"] or hardest["external_id"]).click()
    page.wait_for_url(f"**/projects/{pid}/articles/{hardest['article']}/review")
    browser_log.assert_clean()


def test_an_annotator_is_told_the_page_is_not_theirs(page: Page, live_server: Any, three: World) -> None:
    pid = three.project.pk
    signed_in(page, three.annotator, next_path=f"/projects/{pid}/agreement")
    expect(page.get_by_role("alert")).to_contain_text("you are annotator")
    expect(page.get_by_role("list", name="Headline figures")).to_have_count(0)
