"""Security headers on the web app, the API docs and the API: a Content-Security-Policy with
no inline script or style and no other origin, no framing, a same-origin referrer; and pages
that need nothing the policy refuses."""

from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from rest_framework.test import APIClient

from tests.conftest import World


def policy(response: Any) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = (part.split() for part in header.split(";") if part.strip())
    return {name: values for name, *values in directives}


def assert_secure_headers(response: Any) -> None:
    csp = policy(response)
    for directive in ("script-src", "style-src", "connect-src", "img-src", "font-src", "default-src"):
        sources = csp.get(directive, csp["default-src"])
        assert "'self'" in sources, (directive, sources)
        # Nothing inline, nothing evaluated, no other origin (data: only for images).
        assert not {"'unsafe-inline'", "'unsafe-eval'", "*", "http:", "https:"} & set(sources)
        assert all(s in ("'self'", "data:") for s in sources), (directive, sources)
    assert "data:" not in csp["script-src"] and "data:" not in csp["style-src"]
    assert csp["object-src"] == ["'none'"] and csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


class InlineFinder(HTMLParser):
    """What in a page a strict policy would block: inline script and style, event handler
    attributes, and anything loaded from another origin."""

    def __init__(self) -> None:
        super().__init__()
        self.blocked: list[str] = []
        self.loads: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        for name, _ in attrs:
            if name == "style" or name.startswith("on"):
                self.blocked.append(f"<{tag} {name}=...>")
        if tag == "style":
            self.blocked.append("<style>")
        if tag == "script":
            kind = named.get("type") or "text/javascript"
            self._in_script = not named.get("src") and "json" not in kind
        for name in ("src", "href"):
            value = named.get(name)
            if value and (tag != "a" or name != "href"):
                self.loads.append(value)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.blocked.append(f"inline <script>: {data.strip()[:60]}")


def assert_needs_only_own_files(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    assert finder.blocked == []
    for url in finder.loads:
        parts = urlsplit(url)
        assert parts.scheme in ("", "data") and not parts.netloc, url
    return finder.loads


def test_inline_finder_sees_what_a_policy_blocks() -> None:
    finder = InlineFinder()
    finder.feed('<style>a{}</style><p style="x" onclick="y"><script>go()</script>')
    finder.feed('<script type="application/json">{"data": 1}</script><script src="/a.js"></script>')
    assert len(finder.blocked) == 4 and finder.loads == ["/a.js"]


@pytest.mark.parametrize("path", ["/", "/login", "/projects/1"])
def test_the_web_app(db: None, path: str) -> None:
    response = APIClient().get(path)
    assert response.status_code == 200
    assert_secure_headers(response)
    assert_needs_only_own_files(response.content.decode())


def test_the_api_docs_page_and_its_script(db: None) -> None:
    client = APIClient()
    page = client.get("/api/docs/")
    assert page.status_code == 200
    assert_secure_headers(page)
    loads = assert_needs_only_own_files(page.content.decode())
    scripts = [url for url in loads if "script" in urlsplit(url).query]
    assert len(scripts) == 1, loads
    script = client.get(scripts[0])
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle(" in script.content
    assert b"validator.swagger.io" not in script.content and b'"validatorUrl": null' in script.content
    for asset in loads:
        if asset.startswith("/static/"):
            assert "drf_spectacular_sidecar" in asset or asset.startswith("/static/frontend/"), asset


def test_api_responses(world: World) -> None:
    ok = world.client("annotator").get("/api/v1/me/")
    assert ok.status_code == 200
    assert_secure_headers(ok)
    refused = APIClient().get("/api/v1/me/")
    assert refused.status_code in (401, 403)
    assert_secure_headers(refused)
