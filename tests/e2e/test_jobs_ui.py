"""Jobs started from the browser and run by a real Celery worker (tests/jobs' worker process,
on the configured broker and the test database): an import whose progress bar finishes, one
whose per-line errors show in a table, and pre-annotation whose suggestions reach the
annotator's workspace."""

import json

import pytest
from playwright.sync_api import Page, expect

from annotator.annotations.models import Layer, Span
from annotator.articles.models import Article
from tests.conftest import World
from tests.e2e.conftest import BrowserLog, screenshot, signed_in

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
