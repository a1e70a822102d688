"""Webhook writes (register, change, delete, redeliver, ping), the event fan-out (``emit``) and
the delivery of one attempt (``delivery_attempt``) that the Celery task calls."""

import functools
import json
import logging
import secrets
import uuid
from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from annotator.common.errors import InvalidInput, NotFound
from annotator.exchange.services import EXPORT, IMPORT
from annotator.jobs.pushes import JOB_ENDED
from annotator.preannotation.recognisers.crosslinks import NAME as CLAIM_LINKS
from annotator.preannotation.services import PREANNOTATE
from annotator.projects.access import membership_get, require_admin
from annotator.webhooks import sender
from annotator.webhooks.addresses import RefusedURL, Resolver, resolve_target, system_resolver
from annotator.webhooks.models import EVENTS, PING, Delivery, DeliveryAttempt, Webhook
from annotator.webhooks.selectors import webhooks_administered

# Seconds to wait after attempt n (1-based) fails: 1m, 5m, 15m, 30m, 60m, then hourly.
BACKOFF = (60, 300, 900, 1800, 3600)
MAX_ATTEMPTS = 8
DISABLE_AFTER = timedelta(hours=24)
# A pending delivery this late for its attempt lost its message (broker down, worker lost).
LOST_AFTER = timedelta(minutes=10)

log = logging.getLogger(__name__)


def allow_private() -> bool:
    return bool(getattr(settings, "WEBHOOK_ALLOW_PRIVATE", False))


def backoff_seconds(attempt: int) -> int:
    """The wait after failed attempt ``attempt`` (1-based)."""
    return BACKOFF[min(attempt, len(BACKOFF)) - 1]


def _clean_url(url: object, resolver: Resolver) -> str:
    if not isinstance(url, str) or not url.strip() or len(url) > 2000:
        raise InvalidInput(
            "url: an http(s) URL is required.", fields={"url": ["An http(s) URL is required."]}
        )
    try:
        resolve_target(url.strip(), allow_private=allow_private(), resolver=resolver)
    except RefusedURL as error:
        message = f"Refused: {error}."
        raise InvalidInput(f"url: {message}", fields={"url": [message]}) from None
    return url.strip()


def _clean_events(events: object) -> list[str]:
    if not isinstance(events, list) or not events or not all(isinstance(e, str) for e in events):
        raise InvalidInput(
            "events: a non-empty list of events.", fields={"events": ["A non-empty list of events."]}
        )
    unknown = sorted(set(events) - set(EVENTS))
    if unknown:
        message = f"Unknown events: {', '.join(unknown)}. Known: {', '.join(EVENTS)}."
        raise InvalidInput(f"events: {message}", fields={"events": [message]})
    return [e for e in EVENTS if e in events]


def _webhook_for_admin(actor: User, webhook_id: int, action: str) -> Webhook:
    webhook = (
        webhooks_administered(actor=actor, webhook_id=webhook_id, action=action).select_for_update().first()
    )
    if webhook is None:  # deleted since the check
        raise NotFound("Webhook not found.")
    return webhook


@transaction.atomic
def webhook_create(
    *,
    actor: User,
    project_id: int,
    url: object,
    events: object,
    active: bool = True,
    resolver: Resolver = system_resolver,
) -> Webhook:
    """Register a webhook with a fresh secret; the URL must pass the address rule now."""
    require_admin(membership_get(user=actor, project_id=project_id), "manage webhooks")
    return Webhook.objects.create(
        project_id=project_id,
        url=_clean_url(url, resolver),
        events=_clean_events(events),
        active=bool(active),
        secret=secrets.token_hex(32),
    )


@transaction.atomic
def webhook_update(
    *, actor: User, webhook_id: int, changes: Mapping[str, Any], resolver: Resolver = system_resolver
) -> Webhook:
    """Change url, events or active; turning it on again clears the failure record."""
    webhook = _webhook_for_admin(actor, webhook_id, "manage webhooks")
    if "url" in changes:
        webhook.url = _clean_url(changes["url"], resolver)
    if "events" in changes:
        webhook.events = _clean_events(changes["events"])
    if "active" in changes:
        webhook.active = bool(changes["active"])
        if webhook.active:
            webhook.disabled_reason, webhook.failing_since = "", None
    webhook.save()
    return webhook


@transaction.atomic
def webhook_delete(*, actor: User, webhook_id: int) -> None:
    """Delete a webhook and its deliveries."""
    _webhook_for_admin(actor, webhook_id, "manage webhooks").delete()


def _body(delivery_uid: str, event: str, project_id: int, data: Mapping[str, Any]) -> str:
    payload = {
        "event": event,
        "id": delivery_uid,
        "created_at": timezone.now().isoformat(),
        "project": project_id,
        "data": dict(data),
    }
    return json.dumps(payload, separators=(",", ":"), default=str)


def _enqueue(delivery_id: int) -> None:
    transaction.on_commit(functools.partial(_send_message, delivery_id))


def _send_message(delivery_id: int) -> None:
    from annotator.webhooks.tasks import deliver_task

    # A broker that is down must not fail the write that caused the event (this runs in its
    # commit): the delivery stays pending and deliveries_resend_lost sends it later.
    try:
        deliver_task.delay(delivery_id)
    except Exception:
        log.warning("webhooks: could not queue delivery %s; the sweep will", delivery_id, exc_info=True)


def deliveries_resend_lost() -> int:
    """Queue again every pending delivery overdue by LOST_AFTER (its message was never sent or
    was lost); returns how many. Idempotent: an attempt not due or not pending does nothing."""
    overdue = timezone.now() - LOST_AFTER
    lost = list(
        Delivery.objects.filter(status=Delivery.Status.PENDING, next_retry_at__lt=overdue).values_list(
            "pk", flat=True
        )[:1000]
    )
    for delivery_id in lost:
        _send_message(delivery_id)
    return len(lost)


def _deliver(webhook: Webhook, event: str, data: Mapping[str, Any]) -> Delivery:
    uid = str(uuid.uuid4())
    delivery = Delivery.objects.create(
        webhook=webhook,
        event=event,
        uid=uid,
        body=_body(uid, event, webhook.project_id, data),
        next_retry_at=timezone.now(),
    )
    _enqueue(delivery.pk)
    return delivery


@transaction.atomic
def emit(project_id: int, event: str, data: Mapping[str, Any]) -> int:
    """Queue one delivery of ``event`` to each active webhook of the project subscribed to it."""
    count = 0
    for webhook in Webhook.objects.filter(project_id=project_id, active=True):
        if event in webhook.events:
            _deliver(webhook, event, data)
            count += 1
    return count


# Kinds whose end (succeeded, failed or cancelled: data["status"] says) is a webhook event.
JOB_FINISHED = {
    IMPORT: "import.finished",
    EXPORT: "export.finished",
    PREANNOTATE: "preannotation.finished",
    CLAIM_LINKS: "preannotation.finished",
}


def webhook_events(event: str, data: Mapping[str, Any]) -> list[str]:
    """The webhook events a published domain event means (none for most)."""
    if event != JOB_ENDED:
        return [event] if event in EVENTS else []
    names = [JOB_FINISHED[data["kind"]]] if data.get("kind") in JOB_FINISHED else []
    if data.get("status") == "failed":
        names.append("job.failed")
    return names


def on_event(project_id: int, event: str, data: Mapping[str, Any]) -> int:
    """The subscriber of annotator.common.events: queue the deliveries a domain event means."""
    return sum(emit(project_id, name, data) for name in webhook_events(event, data))


@transaction.atomic
def webhook_ping(*, actor: User, webhook_id: int) -> Delivery:
    """Send a ``ping`` event now, whatever the webhook subscribes to (even inactive)."""
    webhook = _webhook_for_admin(actor, webhook_id, "manage webhooks")
    return _deliver(webhook, PING, {"webhook": webhook.pk})


@transaction.atomic
def delivery_redeliver(*, actor: User, webhook_id: int, delivery_id: int) -> Delivery:
    """Send a delivery's event again as a new delivery (new id) with the same data."""
    webhook = _webhook_for_admin(actor, webhook_id, "manage webhooks")
    original = Delivery.objects.filter(webhook=webhook, pk=delivery_id).first()
    if original is None:
        raise NotFound("Delivery not found.")
    return _deliver(webhook, original.event, json.loads(original.body).get("data", {}))


def delivery_attempt(
    delivery_id: int, *, resolver: Resolver = system_resolver, transport: Any = None
) -> int | None:
    """Make the next attempt of a pending delivery; the seconds until the next one, or None.

    Idempotent under redelivery: a delivery not pending, or not yet due, is left alone.
    """
    delivery = Delivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None or delivery.status != Delivery.Status.PENDING:
        return None
    now = timezone.now()
    if delivery.next_retry_at and delivery.next_retry_at > now + timedelta(seconds=5):
        return None
    webhook = delivery.webhook
    outcome = sender.send(
        url=webhook.url,
        secret=webhook.secret,
        event=delivery.event,
        delivery_uid=str(delivery.uid),
        body=delivery.body.encode(),
        allow_private=allow_private(),
        resolver=resolver,
        transport=transport,
    )
    return _record(delivery.pk, outcome)


@transaction.atomic
def _record(delivery_id: int, outcome: sender.Outcome) -> int | None:
    delivery = Delivery.objects.select_for_update().filter(pk=delivery_id).first()
    webhook = Webhook.objects.select_for_update().filter(pk=delivery.webhook_id).first() if delivery else None
    if delivery is None or webhook is None:  # the webhook was deleted while the request was out
        return None
    now = timezone.now()
    delivery.attempts += 1
    wait: int | None = None
    if outcome.ok:
        delivery.status, delivery.next_retry_at = Delivery.Status.SUCCEEDED, None
        webhook.failing_since = None
    else:
        webhook.failing_since = webhook.failing_since or now
        if webhook.active and now - webhook.failing_since >= DISABLE_AFTER:
            webhook.active = False
            last = outcome.error or f"HTTP {outcome.status_code}"
            webhook.disabled_reason = (
                f"Deactivated at {now:%Y-%m-%d %H:%M} UTC: every delivery failed for 24 hours (last: {last})."
            )
        if delivery.attempts < MAX_ATTEMPTS and webhook.active:
            wait = backoff_seconds(delivery.attempts)
            delivery.next_retry_at = now + timedelta(seconds=wait)
        else:
            delivery.status, delivery.next_retry_at = Delivery.Status.FAILED, None
    DeliveryAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        status_code=outcome.status_code,
        duration_ms=outcome.duration_ms,
        error=outcome.error,
        response_body=outcome.response_body[: sender.BODY_LIMIT],
        next_retry_at=delivery.next_retry_at,
    )
    delivery.save()
    webhook.save()
    return wait
