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
    return _with_failures(Webhook.objects.filter(project_id=project_id)).order_by("pk")


def webhooks_administered(*, actor: User, webhook_id: int, action: str) -> QuerySet[Webhook]:
    """The webhook ``webhook_id`` as a queryset, once the caller is checked to administer its
    project: 404 (the webhook "not found") to non-members, 403 to other roles. The one access
    rule of a single webhook, for reads and (locked by the caller) writes."""
    project_id = Webhook.objects.filter(pk=webhook_id).values_list("project_id", flat=True).first()
    if project_id is None:
        raise NotFound("Webhook not found.")
    membership = membership_get(user=actor, project_id=project_id, not_found="Webhook not found.")
    require_admin(membership, action)
    return Webhook.objects.filter(pk=webhook_id, project_id=project_id)


def webhook_get(*, actor: User, webhook_id: int) -> Webhook:
    """One webhook of a project the caller administers, with its count of failed deliveries."""
    found = _with_failures(webhooks_administered(actor=actor, webhook_id=webhook_id, action="see webhooks"))
    webhook = found.first()
    if webhook is None:  # deleted since the check
        raise NotFound("Webhook not found.")
    return webhook


def _with_failures(webhooks: QuerySet[Webhook]) -> QuerySet[Webhook]:
    return webhooks.annotate(
        failed_deliveries=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED))
    )


def delivery_list(*, actor: User, webhook_id: int, status: str | None = None) -> QuerySet[Delivery]:
    """A webhook's deliveries, newest first, with their attempts (oldest first)."""
    webhook = webhook_get(actor=actor, webhook_id=webhook_id)
    deliveries = Delivery.objects.filter(webhook=webhook)
    if status:
        deliveries = deliveries.filter(status=status)
    attempts = Prefetch("attempt_rows", queryset=DeliveryAttempt.objects.order_by("number"))
    return deliveries.prefetch_related(attempts).order_by("-created_at", "-pk")
