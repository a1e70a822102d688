"""Relations drawn in the text and linking across articles, in a real browser.

Two articles of the "argument" project (REBUTS may cross articles): the annotator selects the
rebuttal in one, links it by the keyboard to the claim in the other with REBUTS, sees the
in-article arcs and the cross-article marker, and follows the marker (by the keyboard) to the
other article, where the claim is selected.
"""

import re

from playwright.sync_api import Page, expect

from annotator.annotations.models import Relation
from annotator.annotations.services import relation_create, span_create
from tests.conftest import World, add_article
from tests.e2e.conftest import BrowserLog, screenshot, signed_in
from tests.e2e.test_annotate import click_on, saved

CLAIM_TEXT = "The Bank will cut rates to 4.75% in May, the governor said."
REBUTTAL_TEXT = "Economists doubt that: inflation is still 3.1%, so no cut is likely before autumn."


def test_cross_article_rebuts_by_keyboard_arc_marker_and_follow(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    admin, annotator = world.users["admin"], world.users["annotator"]
    claimed = add_article(admin, world.project, CLAIM_TEXT, "claims-1")
    rebutted = add_article(admin, world.project, REBUTTAL_TEXT, "rebuttals-1")
    claim = span_create(actor=annotator, article_id=claimed.pk, start=0, end=39, label="CLAIM")
    figure_at = REBUTTAL_TEXT.index("3.1%")
    rebuttal = span_create(
        actor=annotator, article_id=rebutted.pk, start=23, end=len(REBUTTAL_TEXT) - 1, label="REBUTTAL"
    )
    doubt = span_create(actor=annotator, article_id=rebutted.pk, start=0, end=21, label="CLAIM")
    figure = span_create(
        actor=annotator, article_id=rebutted.pk, start=figure_at, end=figure_at + 4, label="FIGURE"
    )
    # In-article relations, drawn as arcs: FIGURE supports the doubt, the rebuttal rebuts it.
    relation_create(
        actor=annotator, article_id=rebutted.pk, source_id=figure.pk, target_id=doubt.pk, label="SUPPORTS"
    )
    relation_create(
        actor=annotator, article_id=rebutted.pk, source_id=rebuttal.pk, target_id=doubt.pk, label="REBUTS"
    )

    signed_in(page, annotator, next_path=f"/projects/{world.project.pk}/articles/{rebutted.pk}")
    text = page.get_by_test_id("article-text")
    expect(text).to_be_visible()
    arcs = page.get_by_test_id("arcs")
    expect(arcs.locator("[data-arc-label=SUPPORTS] path")).to_have_count(1)
    expect(arcs.locator("[data-arc-label=REBUTS] path")).to_have_count(1)
    expect(arcs.locator("[data-arc-label=SUPPORTS] text")).to_have_text("SUPPORTS")

    # Select the rebuttal, L opens the search, type, ↓ to the claim, b (REBUTS) links them.
    click_on(page, "so no cut")
    expect(page.get_by_role("region", name="Selected span")).to_contain_text("REBUTTAL")
    page.keyboard.press("l")
    dialog = page.get_by_role("dialog", name="Link to another article")
    expect(dialog).to_be_visible()
    found = dialog.get_by_role("listbox", name="Spans found").get_by_role("option")
    page.keyboard.type("bank rates")
    expect(found).to_have_count(1)
    expect(found).to_contain_text("claims-1")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("b")
    expect(dialog).to_be_hidden()
    saved(page)
    made = Relation.objects.get(source=rebuttal, target=claim)
    assert made.label.name == "REBUTS"

    # The marker on the rebuttal names the other article and the label; Enter follows it.
    marker = page.get_by_role("button", name=re.compile(r"REBUTS a span in .claims-1"))
    expect(marker).to_be_visible()
    screenshot(page, "cross-article-arcs")
    marker.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"/articles/{claimed.pk}\?span={claim.pk}$"))
    expect(page.get_by_role("region", name="Selected span")).to_contain_text("CLAIM")
    expect(page.locator("[data-testid=article-text] .seg.selected").first).to_contain_text("The Bank")
    # ... and the claim carries the incoming marker back to the rebuttal's article.
    back = page.get_by_role("button", name=re.compile(r"REBUTS from a span in .rebuttals-1"))
    expect(back).to_be_visible()
    back.click()
    page.wait_for_url(re.compile(rf"/articles/{rebutted.pk}\?span={rebuttal.pk}$"))
    expect(page.get_by_role("region", name="Selected span")).to_contain_text("REBUTTAL")
    browser_log.assert_clean()
