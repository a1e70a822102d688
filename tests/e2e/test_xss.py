"""User-written text (project names, article text and titles, label names, guidelines,
comments) is shown as text on every page that shows it, never run or parsed as HTML."""

from dataclasses import dataclass

import pytest
from playwright.sync_api import Page, expect

from annotator.accounts.services import token_create
from annotator.annotations.services import span_create
from annotator.articles.services import ArticleInput, articles_add
from annotator.projects.services import label_create, project_update
from annotator.workflow.comments import comment_create
from tests.conftest import World
from tests.e2e.conftest import BrowserLog, screenshot, signed_in

IMG = "<img src=x onerror=window.__xss=1>"
SCRIPT = "<script>window.__xss=1</script>"
NAME = f"Budget {IMG} week {SCRIPT}"
TITLE = f"Rates {SCRIPT}"
TEXT = f"The minister said {IMG} rates of 4.75% were fair. {SCRIPT} Critics said they were not."
LABEL = f"{IMG}{SCRIPT}"
GUIDELINES = f"Mark every claim.\n\n{IMG}\n\nAnd {SCRIPT} too."


@dataclass
class Hostile:
    project_id: int
    article_id: int


@pytest.fixture
def hostile(world: World) -> Hostile:
    admin = world.users["admin"]
    project_update(
        actor=admin, project_id=world.project.pk, name=NAME, description=TEXT, guidelines=GUIDELINES
    )
    label_create(actor=admin, project_id=world.project.pk, kind="span", name=LABEL, hotkey="k")
    article = articles_add(
        actor=admin,
        project_id=world.project.pk,
        items=[ArticleInput(text=TEXT, external_id="xss-1", title=TITLE)],
    ).articles[0]
    # A span over each payload in the annotator's layer: the review page lists span texts.
    for payload in (IMG, SCRIPT):
        start = TEXT.index(payload)
        span_create(
            actor=world.users["annotator"],
            article_id=article.pk,
            start=start,
            end=start + len(payload),
            label=LABEL,
        )
    # And a comment on the article: the review page shows every thread.
    comment_create(actor=world.users["reviewer"], article_id=article.pk, body=f"Look: {IMG} {SCRIPT}")
    return Hostile(project_id=world.project.pk, article_id=article.pk)


def assert_nothing_ran(page: Page) -> None:
    """No payload ran, and none became an element (a <script> put in by innerHTML would not
    run, so its element is looked for too)."""
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    expect(page.locator("img[src=x]")).to_have_count(0)
    expect(page.locator("#root script")).to_have_count(0)


def test_the_projects_list_shows_the_name_as_text(
    page: Page, world: World, hostile: Hostile, browser_log: BrowserLog
) -> None:
    signed_in(page, world.users["admin"])
    projects = page.get_by_role("list", name="Your projects")
    expect(projects.get_by_role("link", name=NAME, exact=True)).to_be_visible()
    expect(projects.get_by_text(TEXT, exact=True)).to_be_visible()  # the description
    assert_nothing_ran(page)
    screenshot(page, "projects")
    browser_log.assert_clean()


def test_the_project_home_shows_name_guidelines_labels_and_titles_as_text(
    page: Page, world: World, hostile: Hostile, browser_log: BrowserLog
) -> None:
    signed_in(page, world.users["admin"], next_path=f"/projects/{hostile.project_id}")
    expect(page.get_by_role("heading", level=1)).to_have_text(NAME)
    expect(page.get_by_text(TEXT, exact=True)).to_be_visible()
    guidelines = page.get_by_role("region", name="Guidelines")
    for part in (IMG, f"And {SCRIPT} too."):
        expect(guidelines).to_contain_text(part)
    expect(page.get_by_role("region", name="Labels")).to_contain_text(LABEL)
    expect(page.get_by_role("region", name="Articles").get_by_role("link", name=TITLE)).to_be_visible()
    assert_nothing_ran(page)
    screenshot(page, "project-home")
    browser_log.assert_clean()


def test_the_annotate_page_shows_text_title_name_and_label_as_text(
    page: Page, world: World, hostile: Hostile, browser_log: BrowserLog
) -> None:
    path = f"/projects/{hostile.project_id}/articles/{hostile.article_id}"
    signed_in(page, world.users["annotator"], next_path=path)
    expect(page.get_by_test_id("article-text")).to_have_text(TEXT)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("link", name=f"← {NAME}")).to_be_visible()
    expect(page.locator(f'button[data-label="{LABEL}"]')).to_contain_text(LABEL)
    assert_nothing_ran(page)
    screenshot(page, "annotate")
    browser_log.assert_clean()


def test_the_review_page_shows_text_spans_labels_and_comments_as_text(
    page: Page, world: World, hostile: Hostile, browser_log: BrowserLog
) -> None:
    path = f"/projects/{hostile.project_id}/articles/{hostile.article_id}/review"
    signed_in(page, world.users["reviewer"], next_path=path)
    expect(page.locator(".breadcrumb").get_by_role("link", name=NAME, exact=True)).to_be_visible()
    expect(page.get_by_role("heading", name=TITLE, exact=True)).to_be_visible()
    expect(page.get_by_label("All comments")).to_contain_text(f"Look: {IMG} {SCRIPT}")
    # The annotator's layer: its text with the spans marked, and the list of its spans.
    layer = page.locator(".review-layer").filter(has=page.locator("ol.review-list"))
    expect(layer.locator(".review-text")).to_have_text(TEXT)
    for payload in (IMG, SCRIPT):
        expect(layer.locator("ol.review-list")).to_contain_text(f"{LABEL} “{payload}”")
    assert_nothing_ran(page)
    screenshot(page, "review")
    browser_log.assert_clean()


def test_the_tokens_page_shows_token_names_as_text(page: Page, world: World, browser_log: BrowserLog) -> None:
    token_create(user=world.users["researcher"], name=LABEL)
    signed_in(page, world.users["researcher"], next_path="/tokens")
    expect(page.get_by_role("table").get_by_role("rowheader", name=LABEL, exact=True)).to_be_visible()
    assert_nothing_ran(page)
    screenshot(page, "tokens")
    browser_log.assert_clean()


# The project's admin pages: the breadcrumb names the project; the labels page lists the label.
@pytest.mark.parametrize(
    "page_path", ["settings", "labels", "members", "import", "preannotate", "progress", "export"]
)
def test_the_admin_pages_show_the_name_as_text(
    page: Page, world: World, hostile: Hostile, browser_log: BrowserLog, page_path: str
) -> None:
    signed_in(page, world.users["admin"], next_path=f"/projects/{hostile.project_id}/{page_path}")
    expect(page.locator(".breadcrumb").get_by_role("link", name=NAME, exact=True)).to_be_visible()
    if page_path == "labels":
        expect(page.get_by_text(LABEL, exact=True).first).to_be_visible()
    assert_nothing_ran(page)
    screenshot(page, f"admin-{page_path}")
    browser_log.assert_clean()
