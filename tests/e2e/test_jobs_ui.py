"""Jobs started from the browser and run by a real Celery worker (tests/jobs' worker process,
on the configured broker and the test database): an import whose progress bar finishes, one
whose per-line errors show in a table, and pre-annotation whose suggestions reach the
annotator's workspace."""

import json

import pytest
from playwright.sync_api import Page, expect

from annotator.annotations.models import Layer, Span
from annotator.articles.models import Article
from annotator.projects.models import Project
from tests.conftest import World
from tests.e2e.conftest import BrowserLog, screenshot, signed_in
from tests.e2e.test_annotate import drag_over, saved

# The worker fixtures of tests/jobs (a `celery worker` process reading a queue of its own).
from tests.jobs.conftest import celery_worker_process, worker  # noqa: F401

pytestmark = pytest.mark.usefixtures("worker")

TEXT = "The council 👩‍👩‍👧 said rents rose 4.75%.\r\nTenants said £1,400 a month was too much."


def jsonl(n: int, *, bad_line: int | None = None) -> bytes:
    lines = []
    for i in range(n):
        record: dict[str, object] = {"id": f"doc-{i}", "title": f"Rents {i}", "text": f"{TEXT} ({i})"}
        if i + 1 == bad_line:
            del record["text"]
        lines.append(json.dumps(record, ensure_ascii=False))
    return "\n".join(lines).encode()


def upload(page: Page, data: bytes, name: str = "articles.jsonl") -> None:
    page.get_by_label("File").set_input_files({"name": name, "mimeType": "application/jsonl", "buffer": data})
    page.get_by_role("button", name="Start import").click()


def test_an_import_shows_its_progress_bar_finish_and_the_articles_arrive(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    signed_in(page, world.users["admin"], next_path=f"/projects/{world.project.pk}/import")
    upload(page, jsonl(300))
    bar = page.get_by_role("progressbar", name="Import progress")
    expect(bar).to_have_attribute("aria-valuenow", "100", timeout=60_000)
    expect(page.get_by_role("status").filter(has_text="Imported: 300 of 300 records written")).to_be_visible()
    screenshot(page, "import")
    assert Article.objects.filter(project=world.project, external_id__startswith="doc-").count() == 300
    browser_log.assert_clean()


def test_an_import_with_a_bad_line_lists_it_and_writes_nothing(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    signed_in(page, world.users["admin"], next_path=f"/projects/{world.project.pk}/import")
    upload(page, jsonl(20, bad_line=7))
    errors = page.get_by_role("table", name="Errors")
    expect(errors).to_be_visible(timeout=60_000)
    row = errors.locator("tbody tr").first
    expect(row.locator("td").nth(0)).to_have_text("7")
    expect(row.locator("td").nth(1)).to_have_text("text")
    screenshot(page, "import-errors")
    assert not Article.objects.filter(project=world.project, external_id__startswith="doc-").exists()
    browser_log.assert_clean()


def test_pre_annotation_from_the_browser_reaches_the_workspace(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    signed_in(page, world.users["admin"], next_path=f"/projects/{world.project.pk}/preannotate")
    page.get_by_role("checkbox", name="figures").check()
    page.get_by_label("Articles").select_option("all")
    page.get_by_role("button", name="Start", exact=True).click()
    bar = page.get_by_role("progressbar")
    expect(bar).to_have_attribute("aria-valuenow", "100", timeout=60_000)
    screenshot(page, "preannotate")
    made = Span.objects.filter(article=world.article, layer=Layer.SUGGESTION, recogniser="figures")
    assert {"4.75%", "£1,400", "55 NHS trusts"} <= set(made.values_list("text", flat=True))
    # The annotator sees them as suggestions to accept or reject.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login*")
    signed_in(
        page, world.users["annotator"], next_path=f"/projects/{world.project.pk}/articles/{world.article.pk}"
    )
    expect(page.locator("[data-suggestion-id]")).to_have_count(made.count())
    browser_log.assert_clean()


# The streaming export reads its snapshot on a connection of its own ("snapshot").
@pytest.mark.django_db(transaction=True, databases=["default", "snapshot"])
def test_a_newcomers_day_in_the_browser(page: Page, world: World, browser_log: BrowserLog) -> None:
    """The issue's "done when": create a project, import articles, run pre-annotation, annotate
    with the keyboard, download an export: all through the app, checked in the export file."""
    admin = world.users["admin"]
    signed_in(page, admin)
    page.get_by_label("Name").fill("Newsroom")
    page.get_by_label("Preset").select_option("argument")
    page.get_by_role("button", name="Create project").click()
    page.get_by_role("link", name="Newsroom", exact=True).first.click()
    project = Project.objects.get(name="Newsroom")
    page.wait_for_url(f"**/projects/{project.pk}")

    page.get_by_role("link", name="Import", exact=True).click()
    upload(page, jsonl(3))
    expect(page.get_by_role("progressbar", name="Import progress")).to_have_attribute(
        "aria-valuenow", "100", timeout=60_000
    )

    page.goto(f"/projects/{project.pk}/preannotate")
    page.get_by_role("checkbox", name="figures").check()
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page.get_by_role("progressbar")).to_have_attribute("aria-valuenow", "100", timeout=60_000)

    # The admin annotates too: the queue's first article, a CLAIM by mouse and key, the
    # first suggestion accepted with Enter, then submit and next with Shift+Enter.
    page.goto(f"/projects/{project.pk}")
    page.get_by_role("button", name="Start annotating").click()
    expect(page.get_by_test_id("article-text")).to_be_visible()
    drag_over(page, "rents rose 4.75%")
    page.keyboard.press("c")
    saved(page)
    page.locator("[data-suggestion-id] button.link").first.click()
    page.keyboard.press("Enter")
    saved(page)
    first = page.url
    page.keyboard.press("Shift+Enter")
    page.wait_for_url(lambda url: url != first and "/articles/" in url)

    page.goto(f"/projects/{project.pk}/export")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download", exact=True).click()
    with open(download.value.path(), encoding="utf-8") as exported:
        lines = [json.loads(line) for line in exported if line.strip()]
    assert [line["id"] for line in lines] == ["doc-0", "doc-1", "doc-2"]
    (own,) = [
        a for a in lines[0]["annotations"] if a["layer"] == "annotator" and a["annotator"] == admin.username
    ]
    labels = sorted((s["label"], s["text"], s["provenance"]["origin"]) for s in own["spans"])
    assert ("CLAIM", "rents rose 4.75%", "manual") in labels
    assert [origin for *_, origin in labels].count("accepted") == 1
    assert own["state"] == "submitted"
    screenshot(page, "export")
    browser_log.assert_clean()
