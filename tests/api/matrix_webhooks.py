"""Permission rows of webhooks: project admins only; other roles get 403, non-members 404."""

from annotator.webhooks.models import Delivery, Webhook
from tests.api.helpers_permissions import Scene
from tests.api.matrix import (
    ADMIN_ONLY_200,
    ADMIN_ONLY_201,
    ADMIN_ONLY_202,
    ADMIN_ONLY_204,
    V1,
    Path,
    Row,
    project,
)

PUBLIC = "http://93.184.216.34/hook"


def a_webhook(s: Scene) -> Webhook:
    """A webhook of project A with one delivery (made afresh for each row; rolled back)."""
    webhook = Webhook.objects.create(project=s.project, url=PUBLIC, events=["member.added"], secret="s" * 64)
    Delivery.objects.create(webhook=webhook, event="member.added", uid="0" * 32, body="{}")
    return webhook


def hook(suffix: str = "") -> Path:
    return lambda s: f"{V1}/webhooks/{a_webhook(s).pk}/{suffix}"


def redeliver(s: Scene) -> str:
    webhook = a_webhook(s)
    return f"{V1}/webhooks/{webhook.pk}/deliveries/{webhook.deliveries.get().pk}/redeliver/"


ROWS = [
    Row("webhooks", "get", lambda s: f"{project(s)}webhooks/", ADMIN_ONLY_200),
    Row(
        "webhook-add",
        "post",
        lambda s: f"{project(s)}webhooks/",
        ADMIN_ONLY_201,
        body=lambda s: {"url": PUBLIC, "events": ["article.submitted"]},
    ),
    Row("webhook-get", "get", hook(), ADMIN_ONLY_200),
    Row("webhook-patch", "patch", hook(), ADMIN_ONLY_200, body=lambda s: {"active": False}),
    Row("webhook-delete", "delete", hook(), ADMIN_ONLY_204),
    Row("webhook-deliveries", "get", hook("deliveries/"), ADMIN_ONLY_200),
    Row("webhook-redeliver", "post", redeliver, ADMIN_ONLY_202),
    Row("webhook-ping", "post", hook("ping/"), ADMIN_ONLY_202),
]

COVERED = {"webhook-list", "webhook-detail", "delivery-list", "delivery-redeliver", "webhook-ping"}
