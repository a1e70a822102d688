from django.db import models

from annotator.common.models import TimestampedModel
from annotator.projects.models import Project

EVENTS = (
    "article.submitted",
    "article.adjudicated",
    "import.finished",
    "export.finished",
    "preannotation.finished",
    "job.failed",
    "member.added",
    "member.removed",
)
# The one event sent only by hand (POST .../ping/), whatever the webhook subscribes to.
PING = "ping"


class Webhook(TimestampedModel):
    """An admin's subscription of ``url`` to some of a project's events."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="webhooks")
    url = models.URLField(max_length=2000)
    events = models.JSONField(default=list)
    active = models.BooleanField(default=True)
    secret = models.CharField(max_length=128)
    # Why it was turned off by the server (failing for a day); empty when the admin did it.
    disabled_reason = models.TextField(blank=True, default="")
    # Start of the current run of failures; None after a success.
    failing_since = models.DateTimeField(null=True, blank=True)


class Delivery(models.Model):
    """One event sent (or to be sent) to one webhook; its attempts are DeliveryAttempt rows."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=64)
    # The body, exactly as signed and sent on every attempt (its "id" is the delivery's uid).
    uid = models.UUIDField(unique=True)
    body = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_retry_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["webhook", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.event} {self.uid}"


class DeliveryAttempt(models.Model):
    """One HTTP request of a delivery: what came back (at most 1 KB of body) and when next."""

    delivery = models.ForeignKey(Delivery, on_delete=models.CASCADE, related_name="attempt_rows")
    number = models.PositiveIntegerField()
    status_code = models.PositiveIntegerField(null=True, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, default="")
    response_body = models.CharField(max_length=1024, blank=True, default="")
    next_retry_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["delivery", "number"], name="webhook_attempt_unique")]

    def __str__(self) -> str:
        return f"attempt {self.number} of delivery {self.delivery_id}"
