"""The Webhooks page in a real browser: an admin is told why a loopback URL is refused, then
(with private addresses allowed, as on a closed network) registers a receiver, sees its secret
once, pings it and sees the signed delivery succeed, redelivers it, and turns the webhook off."""

import hashlib
import hmac
import json
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from annotator.webhooks.models import Webhook
from tests.conftest import World
from tests.e2e.conftest import BrowserLog, screenshot, signed_in
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_admin_registers_pings_and_redelivers(
    page: Page,
    live_server: Any,
    world: World,
    receiver: Receiver,
    settings: Any,
    eager_jobs: None,  # no worker runs beside the live server: deliveries go inline
    browser_log: BrowserLog,
) -> None:
    pid = world.project.pk
    signed_in(page, world.admin, next_path=f"/projects/{pid}/webhooks")
    expect(page.get_by_text("No webhooks yet.")).to_be_visible()
    url = page.get_by_label("Receiver URL (http or https, a public address)")
    url.fill(f"http://localhost:{receiver.port}/hook")
    page.get_by_role("button", name="Add webhook").click()
    expect(page.locator(".field-error", has_text="of localhost is loopback")).to_be_visible()

    settings.WEBHOOK_ALLOW_PRIVATE = True
    page.get_by_label("member.added").uncheck()
    page.get_by_label("member.removed").uncheck()
    page.get_by_role("button", name="Add webhook").click()
    secret_box = page.get_by_role("region", name="Webhook secret")
    expect(secret_box).to_be_visible()
    webhook = Webhook.objects.get(project=world.project)
    expect(secret_box.get_by_label("Secret")).to_have_text(webhook.secret)
    assert "member.added" not in webhook.events and "article.submitted" in webhook.events
    page.get_by_role("button", name="I have copied it").click()
    expect(secret_box).to_have_count(0)

    page.get_by_role("button", name="Ping").click()
    deliveries = page.get_by_role("table", name="Deliveries of the webhook")
    expect(deliveries.get_by_text("succeeded")).to_be_visible()
    expect(deliveries.get_by_text("HTTP 200 in").first).to_be_visible()
    headers, body = receiver.requests[0]
    signed = "sha256=" + hmac.new(webhook.secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["x-annotator-signature"] == signed and json.loads(body)["event"] == "ping"

    deliveries.get_by_role("button", name="Redeliver").click()
    expect(deliveries.get_by_text("succeeded")).to_have_count(2)
    assert len(receiver.requests) == 2
    page.get_by_role("button", name="Turn off").click()
    expect(page.get_by_role("button", name="Turn on")).to_be_visible()
    screenshot(page, "webhooks")
    assert not Webhook.objects.get(pk=webhook.pk).active
    browser_log.assert_clean(allow_http=[(400, "POST", f"/api/v1/projects/{pid}/webhooks/")])
