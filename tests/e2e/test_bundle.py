"""The live server serves the built app: its index for the app's paths, its assets under /static/."""

import re

from playwright.sync_api import Page

from tests.e2e.conftest import FRONTEND_DIST, BrowserLog


def test_the_built_index_and_its_assets_are_served(page: Page, browser_log: BrowserLog) -> None:
    built = (FRONTEND_DIST / "index.html").read_text()
    assets = re.findall(r'(?:src|href)="(/static/[^"]+)"', built)
    assert any(a.endswith(".js") for a in assets) and any(a.endswith(".css") for a in assets), assets
    for path in ("/", "/login", "/projects/1/articles/2"):
        answer = page.request.get(path)
        assert answer.status == 200 and answer.text() == built, path
    for asset in assets:
        answer = page.request.get(asset)
        assert answer.status == 200, asset
        kind = "javascript" if asset.endswith(".js") else "css"
        assert kind in answer.headers["content-type"], (asset, answer.headers["content-type"])
        assert answer.body() == (FRONTEND_DIST / asset.removeprefix("/static/")).read_bytes()
    # And the browser runs it: the app draws its login form into #root.
    page.goto("/")
    page.get_by_role("button", name="Sign in").wait_for()
    browser_log.assert_clean()
