"""Deliveries to a real receiver on loopback: signed bodies, retries with backoff, rebinding."""

import hashlib
import hmac
import json
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from annotator.webhooks import services
from annotator.webhooks.models import Delivery, Webhook
from tests.conftest import build_cast
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.django_db


def _webhook(settings: Any, url: str, events: list[str]) -> Webhook:
    settings.WEBHOOK_ALLOW_PRIVATE = True
    cast = build_cast()
    return services.webhook_create(actor=cast.admin, project_id=cast.project.pk, url=url, events=events)


def test_a_loopback_receiver_gets_signed_deliveries(
    settings: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    webhook = _webhook(settings, f"http://localhost:{receiver.port}/hook?x=1", ["member.added"])
    with django_capture_on_commit_callbacks(execute=False):
        assert services.emit(webhook.project_id, "member.added", {"user": "ann"}) == 1
        assert services.emit(webhook.project_id, "export.finished", {}) == 0
    delivery = Delivery.objects.get(webhook=webhook)
    assert services.delivery_attempt(delivery.pk) is None
    headers, body = receiver.requests[0]
    expected = "sha256=" + hmac.new(webhook.secret.encode(), body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["x-annotator-signature"], expected)
    assert headers["x-annotator-event"] == "member.added"
    assert headers["host"] == f"localhost:{receiver.port}"
    payload = json.loads(body)
    assert payload["event"] == "member.added" and payload["project"] == webhook.project_id
    assert payload["id"] == headers["x-annotator-delivery"] == str(delivery.uid)
    assert payload["data"] == {"user": "ann"} and payload["created_at"]
    delivery.refresh_from_db()
    attempt = delivery.attempt_rows.get()
    assert (
        delivery.status == "succeeded" and attempt.status_code == 200 and len(attempt.response_body) == 1024
    )
    # A second message for the same delivery sends nothing again.
    assert services.delivery_attempt(delivery.pk) is None and len(receiver.requests) == 1


def test_a_failing_receiver_gets_retries_with_backoff_then_is_deactivated(
    settings: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    receiver.status = 500
    webhook = _webhook(settings, f"http://127.0.0.1:{receiver.port}/", ["job.failed"])
    with django_capture_on_commit_callbacks(execute=False):
        services.emit(webhook.project_id, "job.failed", {"job": 1})
    delivery = Delivery.objects.get()
    waits = []
    for _ in range(5):
        Delivery.objects.filter(pk=delivery.pk).update(next_retry_at=timezone.now())
        waits.append(services.delivery_attempt(delivery.pk))
    assert waits == [60, 300, 900, 1800, 3600]
    assert len(receiver.requests) == 5  # five attempts over 1 h 51 min, the same delivery id
    assert len({h["x-annotator-delivery"] for h, _ in receiver.requests}) == 1
    rows = list(delivery.attempt_rows.order_by("number"))
    assert [r.status_code for r in rows] == [500] * 5 and all(r.next_retry_at for r in rows)
    # Not due yet: a duplicate message does nothing.
    assert services.delivery_attempt(delivery.pk) is None and len(receiver.requests) == 5
    # Failing for a day turns it off with a reason.
    Webhook.objects.filter(pk=webhook.pk).update(failing_since=timezone.now() - timedelta(hours=25))
    Delivery.objects.filter(pk=delivery.pk).update(next_retry_at=timezone.now())
    assert services.delivery_attempt(delivery.pk) is None
    webhook.refresh_from_db()
    assert (
        not webhook.active and "24 hours" in webhook.disabled_reason and "HTTP 500" in webhook.disabled_reason
    )


def test_refused_at_delivery_too(
    settings: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    webhook = _webhook(settings, f"http://127.0.0.1:{receiver.port}/", ["member.added"])
    settings.WEBHOOK_ALLOW_PRIVATE = False
    with django_capture_on_commit_callbacks(execute=False):
        services.emit(webhook.project_id, "member.added", {})
    delivery = Delivery.objects.get()
    assert services.delivery_attempt(delivery.pk) == 60
    assert receiver.requests == []
    assert "loopback" in delivery.attempt_rows.get().error


def test_registration_refuses_private_addresses(settings: Any) -> None:
    from annotator.common.errors import InvalidInput

    cast = build_cast()
    with pytest.raises(InvalidInput) as caught:
        services.webhook_create(
            actor=cast.admin, project_id=cast.project.pk, url="http://localhost/x", events=["member.added"]
        )
    assert "loopback" in caught.value.fields["url"][0]


def test_dns_rebinding_connects_to_the_first_checked_address(settings: Any) -> None:
    """The resolver answers a public address, then 127.0.0.1: the request goes to the first."""
    import httpx

    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(204)

    answers = iter([["93.184.216.34"], ["127.0.0.1"], ["127.0.0.1"]])
    resolver = lambda host, port: next(answers)  # noqa: E731
    cast = build_cast()
    webhook = services.webhook_create(
        actor=cast.admin,
        project_id=cast.project.pk,
        url="https://hooks.example/in",
        events=["member.added"],
        resolver=lambda h, p: ["93.184.216.34"],
    )
    delivery = Delivery.objects.create(
        webhook=webhook, event="member.added", uid="00000000-0000-4000-8000-000000000001", body="{}"
    )
    services.delivery_attempt(delivery.pk, resolver=resolver, transport=httpx.MockTransport(handler))
    assert len(seen) == 1
    assert str(seen[0].url) == "https://93.184.216.34/in"  # the checked address, default port
    assert seen[0].headers["host"] == "hooks.example"
    assert seen[0].extensions["sni_hostname"] == "hooks.example"


def test_member_added_and_removed_queue_deliveries(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from annotator.projects.models import Membership
    from annotator.projects.services import member_add, member_remove
    from tests.conftest import make_user

    webhook = _webhook(settings, "http://127.0.0.1:9/", ["member.added", "member.removed"])
    make_user("newcomer")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        member_add(
            actor=webhook.project.memberships.get(role="admin").user,
            project_id=webhook.project_id,
            username="newcomer",
            role="annotator",
        )
    assert callbacks and Delivery.objects.get().event == "member.added"
    member = Membership.objects.get(user__username="newcomer")
    with django_capture_on_commit_callbacks(execute=True):
        member_remove(
            actor=webhook.project.memberships.get(role="admin").user,
            project_id=webhook.project_id,
            membership_id=member.pk,
        )
    assert sorted(Delivery.objects.values_list("event", flat=True)) == ["member.added", "member.removed"]
    assert json.loads(Delivery.objects.get(event="member.removed").body)["data"] == {
        "user": "newcomer",
        "role": "annotator",
    }
