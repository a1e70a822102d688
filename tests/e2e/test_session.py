"""Signing in and out through the app's login form, and the CSRF token on the session."""

from urllib.parse import urlsplit

from playwright.sync_api import Page, expect

from tests.conftest import World
from tests.e2e.conftest import BrowserLog, cookie, screenshot, signed_in

SESSION = "/api/v1/auth/session/"
WRONG = "Unable to log in with the given username and password."


def _path(page: Page) -> str:
    return urlsplit(page.url).path


def test_a_page_of_the_app_sends_a_signed_out_visitor_to_the_login_form(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    page.goto(f"/projects/{world.project.pk}")
    page.wait_for_url("**/login?next=*")
    assert urlsplit(page.url).query == f"next=%2Fprojects%2F{world.project.pk}"
    expect(page.get_by_role("heading", name="Sign in to annotator")).to_be_visible()
    expect(page.get_by_role("button", name="Sign in")).to_be_disabled()  # nothing typed yet
    screenshot(page, "login")
    browser_log.assert_clean()


def test_wrong_password_shows_the_error_then_the_right_one_signs_in_and_out(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    annotator = world.users["annotator"]
    page.goto("/login")
    page.get_by_label("Username").fill(annotator.username)
    page.get_by_label("Password").fill("not-the-password")
    with page.expect_response(lambda r: urlsplit(r.url).path == SESSION) as answer:
        page.get_by_role("button", name="Sign in").click()
    assert answer.value.status == 400
    expect(page.get_by_role("alert")).to_have_text(WRONG)
    assert _path(page) == "/login"
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    screenshot(page, "login-wrong-password")

    # The right password: the alert goes, the app lands on the projects page with the topbar.
    page.get_by_label("Password").fill(f"pw-{annotator.username}")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".topbar .who")).to_have_text(annotator.username)
    page.wait_for_url(lambda url: urlsplit(url).path == "/")
    expect(page.get_by_role("alert")).to_have_count(0)
    assert page.request.get("/api/v1/me/").json()["username"] == annotator.username
    session = cookie(page, "sessionid")
    assert session is not None and session["httpOnly"], session  # scripts never read the session

    # Reloading keeps the session (the cookie, not the app's memory, holds it).
    page.reload()
    expect(page.locator(".topbar .who")).to_have_text(annotator.username)

    with page.expect_response(lambda r: urlsplit(r.url).path == SESSION) as answer:
        page.get_by_role("button", name="Sign out").click()
    assert answer.value.request.method == "DELETE" and answer.value.status == 204
    page.wait_for_url("**/login*")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    assert page.request.get("/api/v1/me/").status in (401, 403)
    browser_log.assert_clean(allow_http=[(400, "POST", SESSION)])


def test_sign_in_returns_to_the_page_asked_for(page: Page, world: World, browser_log: BrowserLog) -> None:
    signed_in(page, world.users["admin"], next_path="/tokens")
    assert _path(page) == "/tokens"
    browser_log.assert_clean()


def test_the_session_needs_the_csrf_token_and_the_app_sends_it(
    page: Page, world: World, browser_log: BrowserLog
) -> None:
    user = world.users["reviewer"]
    credentials = {"username": user.username, "password": f"pw-{user.username}"}
    page.goto("/login")
    # The app's page sets the token cookie; the app must be able to read it (not HttpOnly).
    csrf = cookie(page, "csrftoken")
    assert csrf is not None and not csrf["httpOnly"] and csrf["value"], csrf

    # A sign-in from the page without X-CSRFToken is refused and signs nobody in.
    refused = page.evaluate(
        """async (body) => {
            const r = await fetch("/api/v1/auth/session/", {method: "POST", credentials: "same-origin",
                headers: {"Content-Type": "application/json"}, body: JSON.stringify(body)});
            return {status: r.status, body: await r.text()};
        }""",
        credentials,
    )
    # (Django's csrf_protect answers this with its HTML 403 page, not the API's JSON error.)
    assert refused["status"] == 403 and "CSRF" in refused["body"], refused
    assert cookie(page, "sessionid") is None

    # The form's sign-in carries the cookie's token as X-CSRFToken.
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password").fill(credentials["password"])
    with page.expect_request(lambda r: urlsplit(r.url).path == SESSION and r.method == "POST") as sent:
        page.get_by_role("button", name="Sign in").click()
    headers = sent.value.all_headers()
    assert headers.get("x-csrftoken") == csrf["value"], headers
    assert sent.value.response() is not None and sent.value.response().status == 200  # type: ignore[union-attr]
    expect(page.locator(".topbar .who")).to_have_text(user.username)

    # Signing in rotates the token: the old one no longer passes an unsafe request on the session...
    rotated = cookie(page, "csrftoken")
    assert rotated is not None and rotated["value"] != csrf["value"]
    stale = page.evaluate(
        """async (token) => (await fetch("/api/v1/tokens/", {method: "POST", credentials: "same-origin",
            headers: {"Content-Type": "application/json", "X-CSRFToken": token},
            body: JSON.stringify({name: "stale"})})).status""",
        csrf["value"],
    )
    assert stale == 403
    # ...and the app sends the new one: signing out works.
    with page.expect_request(lambda r: urlsplit(r.url).path == SESSION and r.method == "DELETE") as sent:
        page.get_by_role("button", name="Sign out").click()
    assert sent.value.all_headers().get("x-csrftoken") == rotated["value"]
    assert sent.value.response().status == 204  # type: ignore[union-attr]
    page.wait_for_url("**/login*")
    browser_log.assert_clean(allow_http=[(403, "POST", SESSION), (403, "POST", "/api/v1/tokens/")])
