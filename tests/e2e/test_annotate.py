"""The annotation workspace in a real browser: mouse and keys in, offsets checked through the API.

The article is tests/conftest.py's TRICKY_TEXT (a ZWJ family emoji, another emoji, CRLF, a
combining accent), so a span after them has different UTF-16 and code point offsets: the
offsets the API stores must be Python's ``str.index``, which counts code points.
"""

from typing import Any

from django.contrib.auth.models import User
from playwright.sync_api import Browser, Page, expect

from annotator.annotations.models import DocumentLabel, Layer, Relation, Span, SuggestionStatus
from annotator.annotations.services import span_create
from annotator.projects.models import Label
from annotator.projects.services import label_create
from tests.conftest import TRICKY_TEXT, World, add_article
from tests.e2e.conftest import VIEWPORT, BrowserLog, screenshot, signed_in
from tests.factories import relation_suggestion_create, suggestion_create

# Where the words of TRICKY_TEXT are, as the browser sees them: rectangles of a DOM Range over
# the n-th occurrence of a string inside the article's text (it may cross segment elements).
RECT_OF = """([needle, nth]) => {
  const root = document.querySelector('[data-testid="article-text"]');
  const nodes = [];
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  let text = '';
  for (let n = walker.nextNode(); n; n = walker.nextNode()) { nodes.push([n, text.length]); text += n.data; }
  let at = -1;
  for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
  if (at < 0) return null;
  const locate = (offset) => {
    for (let i = nodes.length - 1; i >= 0; i--) {
      const [node, start] = nodes[i];
      if (offset >= start) return [node, offset - start];
    }
  };
  const range = document.createRange();
  range.setStart(...locate(at));
  range.setEnd(...locate(at + needle.length));
  const rects = [...range.getClientRects()].filter((r) => r.width > 0);
  const first = rects[0], last = rects[rects.length - 1];
  return { x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 1, y2: last.top + last.height / 2 };
}"""


def drag_over(page: Page, needle: str, nth: int = 0) -> None:
    """Select ``needle`` in the article with the mouse, as a person does: press, drag, release."""
    box: dict[str, float] | None = page.evaluate(RECT_OF, [needle, nth])
    assert box is not None, f"{needle!r} is not in the article text"
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=4)
    page.mouse.up()


def click_on(page: Page, needle: str) -> None:
    box = page.evaluate(RECT_OF, [needle, 0])
    assert box is not None, needle
    page.mouse.click((box["x1"] + box["x2"]) / 2, box["y1"])


def saved(page: Page) -> None:
    expect(page.get_by_test_id("save-status")).to_have_text("Saved")


def own_spans(world: World, user: User) -> list[tuple[int, int, str, str]]:
    rows = Span.objects.filter(article=world.article, layer=Layer.ANNOTATOR, annotator=user)
    return sorted(rows.values_list("start", "end", "label__name", "text"))


def open_article(page: Page, world: World, user: User, article_id: int | None = None) -> Page:
    path = f"/projects/{world.project.pk}/articles/{article_id or world.article.pk}"
    signed_in(page, user, next_path=path)
    expect(page.get_by_test_id("article-text")).to_be_visible()
    return page


def test_mouse_and_key_make_spans_whose_offsets_are_pythons(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    annotator = world.users["annotator"]
    open_article(page, world, annotator)
    drag_over(page, "4.75%")
    page.keyboard.press("f")  # FIGURE's key in the argument preset
    saved(page)
    # Half a word after an astral emoji and a CRLF: snapped to the whole word.
    drag_over(page, "ritic")
    page.keyboard.press("c")
    saved(page)
    figure = TRICKY_TEXT.index("4.75%")
    critics = TRICKY_TEXT.index("critics")
    assert own_spans(world, annotator) == [
        (figure, figure + 5, "FIGURE", "4.75%"),
        (critics, critics + 7, "CLAIM", "critics"),
    ]
    # Both are drawn over their text and listed; what the browser drew is what the server stored.
    drawn = page.locator('[data-testid="article-text"] [data-spans]')
    expect(drawn.filter(has_text="4.75%")).to_have_count(1)
    expect(drawn.filter(has_text="critics")).to_have_count(1)
    expect(page.locator("[data-span-id]")).to_have_count(2)
    screenshot(page, "annotate")
    browser_log.assert_clean()


def test_relabel_delete_undo_redo(page: Page, world: World, browser_log: BrowserLog) -> None:
    annotator = world.users["annotator"]
    open_article(page, world, annotator)
    drag_over(page, "55 NHS trusts")
    page.keyboard.press("f")
    saved(page)
    start = TRICKY_TEXT.index("55 NHS trusts")
    page.keyboard.press("Escape")
    click_on(page, "NHS")
    page.keyboard.press("c")  # relabel the selected span
    saved(page)
    assert own_spans(world, annotator) == [(start, start + 13, "CLAIM", "55 NHS trusts")]
    page.keyboard.press("Backspace")
    saved(page)
    assert own_spans(world, annotator) == []
    page.keyboard.press("Control+z")  # undo the delete: the span comes back, relabelled
    saved(page)
    assert own_spans(world, annotator) == [(start, start + 13, "CLAIM", "55 NHS trusts")]
    page.keyboard.press("Control+z")  # undo the relabel
    saved(page)
    assert own_spans(world, annotator) == [(start, start + 13, "FIGURE", "55 NHS trusts")]
    page.keyboard.press("Control+Shift+z")  # redo it
    saved(page)
    assert own_spans(world, annotator) == [(start, start + 13, "CLAIM", "55 NHS trusts")]
    browser_log.assert_clean()


def test_a_relation_by_key_and_click_within_the_schema(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    annotator = world.users["annotator"]
    open_article(page, world, annotator)
    drag_over(page, "inflation was 4.75%")
    page.keyboard.press("c")
    saved(page)
    drag_over(page, "the cafe\u0301 tax cost")
    page.keyboard.press("r")
    saved(page)
    # The REBUTTAL is selected (just made): REBUTS' key, then the CLAIM it answers.
    page.keyboard.press("b")
    expect(page.get_by_role("status")).to_contain_text("Linking REBUTTAL")
    click_on(page, "inflation")
    saved(page)
    (relation,) = Relation.objects.filter(layer=Layer.ANNOTATOR, annotator=annotator)
    assert (relation.label.name, relation.source.label.name, relation.target.label.name) == (
        "REBUTS",
        "REBUTTAL",
        "CLAIM",
    )
    expect(page.locator("[data-relation-id]")).to_have_count(1)
    screenshot(page, "annotate-relation")
    browser_log.assert_clean()


def test_accept_and_reject_suggestions(page: Page, world: World, browser_log: BrowserLog) -> None:
    figure = Label.objects.get(project=world.project, name="FIGURE")
    start = TRICKY_TEXT.index("£1,400")
    accepted = suggestion_create(
        article=world.article, label=figure, start=start, end=start + 6, recogniser="figures",
        recogniser_version="1.0", score=0.95,
    )  # fmt: skip
    start = TRICKY_TEXT.index("55 NHS")
    rejected = suggestion_create(
        article=world.article, label=figure, start=start, end=start + 2, recogniser="figures",
        recogniser_version="1.0", score=0.6,
    )  # fmt: skip
    annotator = world.users["annotator"]
    open_article(page, world, annotator)
    expect(page.locator("[data-suggestion-id]")).to_have_count(2)
    screenshot(page, "annotate-suggestions")
    page.locator(f'[data-suggestion-id="{accepted.pk}"] button.link').click()
    page.keyboard.press("Enter")
    saved(page)
    page.locator(f'[data-suggestion-id="{rejected.pk}"] button.link').click()
    page.keyboard.press("x")
    saved(page)
    (span,) = Span.objects.filter(layer=Layer.ANNOTATOR, annotator=annotator)
    assert (span.text, span.source_suggestion_id, span.origin) == ("£1,400", accepted.pk, "accepted")
    statuses = dict(Span.objects.filter(layer=Layer.SUGGESTION).values_list("pk", "suggestion_status"))
    assert statuses == {accepted.pk: SuggestionStatus.ACCEPTED, rejected.pk: SuggestionStatus.REJECTED}
    expect(page.locator("[data-suggestion-id]")).to_have_count(0)
    expect(page.locator("[data-span-id]")).to_have_count(1)
    browser_log.assert_clean()


def test_submit_and_next_in_one_key(page: Page, world: World, browser_log: BrowserLog) -> None:
    annotator = world.users["annotator"]
    second = add_article(world.users["admin"], world.project, "A second article: rents rose 3%.", "a2")
    open_article(page, world, annotator)
    page.keyboard.press("Shift+Enter")
    page.wait_for_url(f"**/projects/{world.project.pk}/articles/{second.pk}")
    expect(page.get_by_test_id("article-text")).to_contain_text("A second article")
    response = page.request.get(f"/api/v1/articles/{world.article.pk}/")
    assert response.json()["state"]["status"] == "submitted"
    browser_log.assert_clean()


def test_two_people_editing_one_span_the_second_is_told_and_nothing_is_lost(
    browser: Browser, page: Page, world: World, live_server: Any, browser_log: BrowserLog
) -> None:
    annotator = world.users["annotator"]  # in two browser contexts, as on two computers
    start = TRICKY_TEXT.index("55 NHS trusts")
    span = span_create(
        actor=annotator, article_id=world.article.pk, start=start, end=start + 13, label="FIGURE"
    )
    open_article(page, world, annotator)
    other_context = browser.new_context(base_url=live_server.url, viewport=VIEWPORT)  # type: ignore[arg-type]
    try:
        other = other_context.new_page()
        open_article(other, world, annotator)
        # The first one relabels the span to CLAIM; the second, still at the old version, to REBUTTAL.
        click_on(page, "NHS")
        page.keyboard.press("c")
        saved(page)
        click_on(other, "NHS")
        other.keyboard.press("r")
        alert = other.get_by_role("alert")
        expect(alert).to_contain_text("someone changed this article at the same time")
        expect(alert).to_contain_text("relabel FIGURE to REBUTTAL")
        span.refresh_from_db()
        assert (span.label.name, span.version) == ("CLAIM", 2)  # the first change stands
        # The second page reloaded the layer: it now shows the first person's CLAIM.
        expect(other.locator(f'[data-span-id="{span.pk}"]')).to_contain_text("CLAIM")
        screenshot(other, "annotate-conflict")
    finally:
        other_context.close()
    browser_log.assert_clean()


def test_an_unsaved_change_waits_offline_and_is_saved_when_the_server_answers(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    annotator = world.users["annotator"]
    open_article(page, world, annotator)
    # The server cannot be reached for span writes: the change stays queued, visibly.
    page.route("**/api/v1/articles/*/spans/", lambda route: route.abort("internetdisconnected"))
    drag_over(page, "4.75%")
    page.keyboard.press("f")
    expect(page.get_by_test_id("save-status")).to_contain_text("Offline: 1 change(s) waiting")
    assert own_spans(world, annotator) == []
    page.unroute("**/api/v1/articles/*/spans/")
    page.get_by_role("button", name="Retry now").click()
    saved(page)
    start = TRICKY_TEXT.index("4.75%")
    assert own_spans(world, annotator) == [(start, start + 5, "FIGURE", "4.75%")]
    # The aborted attempts are the only failed requests.
    assert all("spans" in f for f in browser_log.failed_requests), browser_log.failed_requests
    browser_log.failed_requests.clear()
    browser_log.assert_clean()


def test_user_text_is_shown_as_text_in_the_workspace(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    hostile = 'Rents <img src=x onerror="window.__xss=1"> rose <script>window.__xss=1</script> 4%.'
    article = add_article(world.users["admin"], world.project, hostile, "xss")
    Label.objects.filter(project=world.project, name="CLAIM").update(
        name="<img src=x onerror=window.__xss=2>"
    )
    open_article(page, world, world.users["annotator"], article.pk)
    expect(page.get_by_test_id("article-text")).to_have_text(hostile)
    expect(page.locator('[data-label="<img src=x onerror=window.__xss=2>"]')).to_be_visible()
    assert page.evaluate("window.__xss") is None
    assert page.locator("img[src=x]").count() == 0 and page.locator("main script").count() == 0
    browser_log.assert_clean()


def test_accept_all_above_a_score_and_document_label_toggles(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    figure = Label.objects.get(project=world.project, name="FIGURE")
    label_create(actor=world.users["admin"], project_id=world.project.pk, kind="document", name="ECONOMY")
    for needle, score in (("4.75%", 0.95), ("£1,400", 0.92), ("55 NHS", 0.5)):
        start = TRICKY_TEXT.index(needle)
        suggestion_create(
            article=world.article, label=figure, start=start, end=start + len(needle), recogniser="figures",
            recogniser_version="1.0", score=score,
        )  # fmt: skip
    annotator = world.users["annotator"]
    open_article(page, world, annotator)
    page.get_by_label("Accept all scoring at least").fill("0.9")
    page.get_by_role("button", name="Accept all").click()
    saved(page)
    expect(page.locator("[data-suggestion-id]")).to_have_count(1)  # 0.5 stays pending
    assert [t for *_, t in own_spans(world, annotator)] == ["4.75%", "£1,400"]
    page.get_by_role("checkbox", name="ECONOMY").check()
    saved(page)
    labels = DocumentLabel.objects.filter(article=world.article, layer=Layer.ANNOTATOR, annotator=annotator)
    assert list(labels.values_list("label__name", flat=True)) == ["ECONOMY"]
    page.get_by_role("checkbox", name="ECONOMY").uncheck()
    saved(page)
    assert not labels.exists()
    browser_log.assert_clean()


def test_the_help_overlay_lists_the_keys_and_esc_closes_it(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    open_article(page, world, world.users["annotator"])
    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Keyboard shortcuts")
    expect(dialog).to_be_visible()
    for text in ("undo / redo", "submit and go to the next article", "label CLAIM", "link with REBUTS"):
        expect(dialog).to_contain_text(text)
    screenshot(page, "annotate-help")
    page.keyboard.press("Escape")
    expect(dialog).to_have_count(0)
    browser_log.assert_clean()


def test_leaving_with_a_change_not_saved_asks_first(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    open_article(page, world, world.users["annotator"])
    page.route("**/api/v1/articles/*/spans/", lambda route: route.abort("internetdisconnected"))
    drag_over(page, "4.75%")
    page.keyboard.press("f")
    expect(page.get_by_test_id("save-status")).to_contain_text("waiting")
    asked: list[str] = []

    def on_dialog(dialog: Any) -> None:
        asked.append(dialog.type)
        dialog.dismiss()  # stay on the page

    page.on("dialog", on_dialog)
    page.close(run_before_unload=True)
    page.wait_for_timeout(300)  # the dialog arrives asynchronously after close()
    assert asked == ["beforeunload"]
    browser_log.failed_requests.clear()  # the aborted span writes


def test_nested_and_crossing_spans_stay_visible_and_clickable(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    annotator = world.users["annotator"]
    text = TRICKY_TEXT
    outer_start = text.index("inflation")
    inner_start = text.index("4.75%")
    outer = span_create(
        actor=annotator, article_id=world.article.pk, start=outer_start, end=inner_start + 5, label="CLAIM"
    )
    inner = span_create(
        actor=annotator, article_id=world.article.pk, start=inner_start, end=inner_start + 5, label="FIGURE"
    )
    crossing_end = text.index("critics") + 7
    crossing = span_create(
        actor=annotator, article_id=world.article.pk, start=inner_start, end=crossing_end, label="REBUTTAL"
    )
    open_article(page, world, annotator)
    # Every span is drawn: some segment of the text names each of them.
    for span in (outer, inner, crossing):
        expect(page.locator(f'[data-testid="article-text"] [data-spans~="{span.pk}"]').first).to_be_visible()
    # A click on "4.75%" selects the innermost span there; clicking again reaches the others.
    panel = page.get_by_role("region", name="Selected span")
    chosen = []
    for _ in range(3):
        click_on(page, "4.75%")
        chosen.append(panel.get_by_role("heading").inner_text())
    assert sorted(chosen) == ["Span: CLAIM", "Span: FIGURE", "Span: REBUTTAL"], chosen
    assert chosen[0] == "Span: FIGURE"  # the shortest first
    screenshot(page, "annotate-overlaps")
    browser_log.assert_clean()


def test_a_relation_suggestion_accepted_brings_its_spans_and_one_rejected_goes(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    labels = {label.name: label for label in Label.objects.filter(project=world.project)}

    def suggest(needle: str, label: str) -> Span:
        start = TRICKY_TEXT.index(needle)
        return suggestion_create(
            article=world.article, label=labels[label], start=start, end=start + len(needle),
            recogniser="rebuttals", recogniser_version="1.0", score=0.9,
        )  # fmt: skip

    claim = suggest("inflation was 4.75%", "CLAIM")
    rebuttal = suggest("the cafe\u0301 tax cost", "REBUTTAL")
    figure = suggest("£1,400", "FIGURE")
    kept = relation_suggestion_create(
        label=labels["REBUTS"], source=rebuttal, target=claim, recogniser="rebuttals", recogniser_version="1.0",
        score=0.8,
    )  # fmt: skip
    dropped = relation_suggestion_create(
        label=labels["SUPPORTS"], source=figure, target=claim, recogniser="rebuttals", recogniser_version="1.0",
        score=0.4,
    )  # fmt: skip
    annotator = world.users["annotator"]
    open_article(page, world, annotator)
    expect(page.locator("[data-relation-suggestion-id]")).to_have_count(2)
    page.locator(f'[data-relation-suggestion-id="{dropped.pk}"]').get_by_role("button", name="Reject").click()
    saved(page)
    page.locator(f'[data-relation-suggestion-id="{kept.pk}"]').get_by_role("button", name="Accept").click()
    saved(page)
    (relation,) = Relation.objects.filter(layer=Layer.ANNOTATOR, annotator=annotator)
    assert (relation.label.name, relation.source.text, relation.target.text) == (
        "REBUTS",
        "the cafe\u0301 tax cost",
        "inflation was 4.75%",
    )
    assert {s for *_, s in own_spans(world, annotator)} == {"inflation was 4.75%", "the cafe\u0301 tax cost"}
    statuses = dict(Relation.objects.filter(layer=Layer.SUGGESTION).values_list("pk", "suggestion_status"))
    assert statuses == {kept.pk: SuggestionStatus.ACCEPTED, dropped.pk: SuggestionStatus.REJECTED}
    expect(page.locator("[data-relation-id]")).to_have_count(1)
    expect(page.locator("[data-relation-suggestion-id]")).to_have_count(0)
    browser_log.assert_clean()
