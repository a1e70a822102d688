"""The Graph page in a real browser: two articles whose gold layer holds a SAME_CLAIM pair and
a REBUTS across the articles; the page draws the spans, the speakers and the edges (read
through the page's test hook, since a canvas can't be queried), a click on a span shows it and
links to it in its article, the filters live in the URL, and an annotator sees their own layer."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from annotator.annotations.models import Span
from tests.conftest import World, add_article
from tests.crossarticle.conftest import FIRST, SECOND, Pair
from tests.e2e.conftest import BrowserLog, screenshot, signed_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def argued(world: World) -> tuple[Pair, dict[str, dict]]:
    pair = Pair(
        world=world,
        first=add_article(world.admin, world.project, FIRST, "first"),
        second=add_article(world.admin, world.project, SECOND, "second"),
    )
    claim = pair.span("reviewer", pair.first, "inflation would fall", "CLAIM", layer="gold")
    quoted = pair.span("reviewer", pair.second, "inflation would not fall", "CLAIM", layer="gold")
    rebuttal = pair.span("reviewer", pair.second, "citing 55 NHS trusts", "REBUTTAL", layer="gold")
    Span.objects.filter(pk=claim["id"]).update(attributes={"speaker": "Minister"})
    Span.objects.filter(pk=rebuttal["id"]).update(attributes={"speaker": "Union"})
    for article, source, target, label in [
        (pair.first, claim, quoted, "SAME_CLAIM"),
        (pair.second, rebuttal, claim, "REBUTS"),
    ]:
        assert pair.relate("reviewer", article, source["id"], target["id"], label).status_code == 201
    return pair, dict(claim=claim, quoted=quoted, rebuttal=rebuttal)


def summary(page: Page) -> Any:
    return page.get_by_test_id("graph-summary")


def test_the_graph_shows_a_cross_article_rebuttal(
    page: Page, live_server: Any, argued: tuple[Pair, dict[str, dict]], browser_log: BrowserLog
) -> None:
    pair, s = argued
    pid = pair.world.project.pk
    signed_in(page, pair.world.reviewer, next_path=f"/projects/{pid}/graph")
    shown = summary(page)
    expect(shown).to_have_attribute("data-spans", "3")
    expect(shown).to_have_attribute("data-speakers", "2")
    expect(shown).to_have_attribute("data-relations", "2")
    expect(shown).to_have_attribute("data-cross-article", "2")
    expect(shown).to_have_attribute("data-clusters", "1")
    expect(shown).not_to_have_attribute("data-drawn-ms", "")
    drawn = page.evaluate("window.__graph")
    assert drawn["byLabel"] == {"SAME_CLAIM": 1, "REBUTS": 1}
    assert set(drawn["onScreen"]) == {f"s{s[k]['id']}" for k in ("claim", "quoted", "rebuttal")}
    legend = page.get_by_role("list", name="Legend")
    expect(legend).to_contain_text("REBUTS (1)")
    expect(legend).to_contain_text("speaker")
    screenshot(page, "graph")

    # A click on the rebuttal shows its text, its speaker and a link to it in its article.
    at = drawn["onScreen"][f"s{s['rebuttal']['id']}"]
    box = page.get_by_role("img", name="Argument graph").bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + at["x"], box["y"] + at["y"])
    selected = page.get_by_test_id("graph-selected")
    expect(selected).to_contain_text("citing 55 NHS trusts")
    expect(selected).to_contain_text("said by Union")
    link = selected.get_by_role("link", name="Open in its article")
    expect(link).to_have_attribute(
        "href", f"/projects/{pid}/articles/{pair.second.pk}?span={s['rebuttal']['id']}"
    )

    # Filters live in the URL and reach the API: the Minister's span and what joins it.
    page.get_by_label("Speaker").fill("Union")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url(f"**/projects/{pid}/graph?speaker=Union")
    expect(shown).to_have_attribute("data-relations", "1")
    expect(shown).to_have_attribute("data-spans", "2")

    link_before = page.url
    page.goto(link_before)  # a reload keeps the filter
    expect(page.get_by_label("Speaker")).to_have_value("Union")
    browser_log.assert_clean()


def test_an_annotator_sees_their_own_layer_only(
    page: Page, live_server: Any, argued: tuple[Pair, dict[str, dict]]
) -> None:
    pair, _ = argued
    pid = pair.world.project.pk
    pair.span("annotator", pair.first, "The minister said", "CLAIM")
    signed_in(page, pair.world.annotator, next_path=f"/projects/{pid}/graph")
    expect(summary(page)).to_have_attribute("data-spans", "1")
    expect(page.get_by_label("Layer")).to_have_count(0)
    expect(
        page.get_by_role("navigation", name="Project administration").get_by_role("link", name="Graph")
    ).to_be_visible()
