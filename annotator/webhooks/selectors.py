"""Webhook reads, for project admins only: a webhook's secret and its deliveries' bodies say
what happens in the project, so other roles do not even see that webhooks exist (403)."""

from django.contrib.auth.models import User
from django.db.models import Count, Prefetch, Q, QuerySet

from annotator.common.errors import NotFound
from annotator.projects.access import membership_get, require_admin
from annotator.webhooks.models import Delivery, DeliveryAttempt, Webhook


def webhook_list(*, actor: User, project_id: int) -> QuerySet[Webhook]:
    """The project's webhooks, oldest first, each with its count of failed deliveries."""
    require_admin(membership_get(user=actor, project_id=project_id), "see webhooks")
    return (
        Webhook.objects.filter(project_id=project_id)
        .annotate(failed_deliveries=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)))
        .order_by("pk")
    )


def webhook_get(*, actor: User, webhook_id: int) -> Webhook:
    """One webhook of a project the caller administers; 404 to non-members, 403 to other roles."""
    project_id = Webhook.objects.filter(pk=webhook_id).values_list("project_id", flat=True).first()
    if project_id is None:
        raise NotFound("Webhook not found.")
    return webhook_list(actor=actor, project_id=project_id).get(pk=webhook_id)


def delivery_list(*, actor: User, webhook_id: int, status: str | None = None) -> QuerySet[Delivery]:
    """A webhook's deliveries, newest first, with their attempts (oldest first)."""
    webhook = webhook_get(actor=actor, webhook_id=webhook_id)
    deliveries = Delivery.objects.filter(webhook=webhook)
    if status:
        deliveries = deliveries.filter(status=status)
    attempts = Prefetch("attempt_rows", queryset=DeliveryAttempt.objects.order_by("number"))
    return deliveries.prefetch_related(attempts).order_by("-created_at", "-pk")
