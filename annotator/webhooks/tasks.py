"""Celery entry point of webhook deliveries: a thin wrapper around services.delivery_attempt."""

from typing import Any

from celery import Task, shared_task

from annotator.webhooks import services


@shared_task(
    name="annotator.webhooks.deliver",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    soft_time_limit=30,
    time_limit=60,
    ignore_result=True,
    max_retries=None,
)
def deliver_task(self: Task[Any, None], delivery_id: int) -> None:
    """Make the due attempt of delivery ``delivery_id``; schedule the next one after a failure."""
    wait = services.delivery_attempt(delivery_id)
    # An eager call (tests) would retry inline at once; tests call the attempts themselves.
    if wait is not None and not self.request.is_eager:
        raise self.retry(countdown=wait)


@shared_task(name="annotator.webhooks.resend_lost", acks_late=True, ignore_result=True, time_limit=120)
def resend_lost_task() -> int:
    """Queue again the pending deliveries whose messages were lost (run by beat)."""
    return services.deliveries_resend_lost()
