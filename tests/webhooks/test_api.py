"""The webhook endpoints, end to end over the API: register (the secret once), refuse, change,
list deliveries with attempts, ping and redeliver to a real receiver, and the events that the
domain publishes (submitted, adjudicated, jobs ended)."""

import hashlib
import hmac
import json
from typing import Any

import pytest

from annotator.annotations.services import state_set
from annotator.jobs.models import Job, JobStatus
from annotator.jobs.runner import fail_if_stale
from annotator.webhooks import services
from annotator.webhooks.models import Delivery, Webhook
from tests.conftest import make_user
from tests.webhooks.receiver import Receiver

PUBLIC = "http://93.184.216.34/hook"  # a public literal: no lookup in this closed network


def hooks_url(world: Any) -> str:
    return f"/api/v1/projects/{world.project.pk}/webhooks/"


def register(world: Any, api: Any, url: str, events: list[str], **extra: Any) -> Any:
    return api("admin").post(hooks_url(world), {"url": url, "events": events, **extra}, format="json")


def test_the_secret_is_answered_once(world: Any, api: Any) -> None:
    r = register(world, api, PUBLIC, ["article.submitted", "job.failed"])
    assert r.status_code == 201, r.json()
    created = r.json()
    assert len(created["secret"]) == 64 and created["active"] is True
    assert created["events"] == ["article.submitted", "job.failed"]
    listed = api("admin").get(hooks_url(world)).json()
    assert [h["id"] for h in listed] == [created["id"]] and "secret" not in listed[0]
    detail = api("admin").get(f"/api/v1/webhooks/{created['id']}/").json()
    assert "secret" not in detail and detail["url"] == PUBLIC
    assert Webhook.objects.get(pk=created["id"]).secret == created["secret"]


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1:8000/x", "loopback"),
        ("http://localhost/x", "loopback"),
        ("http://[::ffff:127.0.0.1]/x", "loopback"),
        ("http://10.0.0.5/x", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("ftp://93.184.216.34/x", "only http and https"),
        ("http://user:pw@93.184.216.34/x", "credentials"),
    ],
)
def test_refused_urls_are_a_400_naming_why(world: Any, api: Any, url: str, why: str) -> None:
    r = register(world, api, url, ["member.added"])
    assert r.status_code == 400
    assert why in r.json()["errors"]["url"][0]
    assert not Webhook.objects.exists()


def test_bad_events_are_a_400(world: Any, api: Any) -> None:
    for events in ([], ["article.deleted"], "member.added"):
        r = register(world, api, PUBLIC, events)  # type: ignore[arg-type]
        assert r.status_code == 400 and "events" in r.json()["errors"]
    assert not Webhook.objects.exists()


def test_patch_changes_and_reactivates(world: Any, api: Any) -> None:
    hook_id = register(world, api, PUBLIC, ["member.added"]).json()["id"]
    Webhook.objects.filter(pk=hook_id).update(active=False, disabled_reason="Deactivated: failing.")
    r = api("admin").patch(
        f"/api/v1/webhooks/{hook_id}/", {"events": ["member.removed"], "active": True}, format="json"
    )
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["events"] == ["member.removed"] and body["active"] and body["disabled_reason"] == ""
    refused = api("admin").patch(f"/api/v1/webhooks/{hook_id}/", {"url": "http://localhost/"}, format="json")
    assert refused.status_code == 400 and Webhook.objects.get(pk=hook_id).url == PUBLIC
    assert api("admin").delete(f"/api/v1/webhooks/{hook_id}/").status_code == 204
    assert not Webhook.objects.exists()


def test_ping_and_redeliver_reach_a_receiver_signed(
    world: Any, api: Any, settings: Any, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE = True
    created = register(world, api, f"http://127.0.0.1:{receiver.port}/in", ["member.added"]).json()
    with django_capture_on_commit_callbacks(execute=False):
        ping = api("admin").post(f"/api/v1/webhooks/{created['id']}/ping/")
    assert ping.status_code == 202 and ping.json()["event"] == "ping" and ping.json()["status"] == "pending"
    services.delivery_attempt(ping.json()["id"])
    headers, body = receiver.requests[0]
    signed = "sha256=" + hmac.new(created["secret"].encode(), body, hashlib.sha256).hexdigest()
    assert headers["x-annotator-signature"] == signed and json.loads(body)["event"] == "ping"

    deliveries = api("admin").get(f"/api/v1/webhooks/{created['id']}/deliveries/").json()
    assert deliveries["count"] == 1
    first = deliveries["results"][0]
    assert first["status"] == "succeeded" and first["status_code"] == 200 and first["attempts"] == 1
    assert first["delivery"] == json.loads(body)["id"] and len(first["attempt_list"]) == 1
    assert len(first["attempt_list"][0]["response_body"]) == 1024  # kept to 1 KB

    with django_capture_on_commit_callbacks(execute=False):
        again = api("admin").post(f"/api/v1/webhooks/{created['id']}/deliveries/{first['id']}/redeliver/")
    assert again.status_code == 202 and again.json()["delivery"] != first["delivery"]
    services.delivery_attempt(again.json()["id"])
    assert len(receiver.requests) == 2
    assert json.loads(receiver.requests[1][1])["data"] == json.loads(body)["data"]
    failed_only = api("admin").get(f"/api/v1/webhooks/{created['id']}/deliveries/?status=failed").json()
    assert failed_only["count"] == 0
    bad = api("admin").get(f"/api/v1/webhooks/{created['id']}/deliveries/?status=lost")
    assert bad.status_code == 400


def test_another_webhooks_delivery_is_not_found(
    world: Any, api: Any, django_capture_on_commit_callbacks: Any
) -> None:
    one = register(world, api, PUBLIC, ["member.added"]).json()["id"]
    two = register(world, api, PUBLIC, ["member.added"]).json()["id"]
    with django_capture_on_commit_callbacks(execute=False):
        delivery = api("admin").post(f"/api/v1/webhooks/{one}/ping/").json()["id"]
    r = api("admin").post(f"/api/v1/webhooks/{two}/deliveries/{delivery}/redeliver/")
    assert r.status_code == 404 and Delivery.objects.count() == 1


def _events(webhook_id: int) -> list[tuple[str, dict[str, Any]]]:
    rows = Delivery.objects.filter(webhook_id=webhook_id).order_by("pk")
    return [(d.event, json.loads(d.body)["data"]) for d in rows]


def test_submitting_and_adjudicating_are_announced(
    world: Any, api: Any, django_capture_on_commit_callbacks: Any
) -> None:
    hook = register(world, api, PUBLIC, ["article.submitted", "article.adjudicated"]).json()["id"]
    article = world.article
    with django_capture_on_commit_callbacks(execute=True):
        state_set(
            actor=world.users["annotator"], article_id=article.pk, status="in_progress", expected_version=None
        )
        r = api("annotator").put(
            f"/api/v1/articles/{article.pk}/state/",
            {"status": "submitted"},
            format="json",
            HTTP_IF_MATCH='"1"',
        )
        assert r.status_code == 200, r.json()
        review = f"/api/v1/articles/{article.pk}/review/"
        put = api("reviewer").put(review, {"status": "needs_discussion"}, format="json", HTTP_IF_MATCH='"0"')
        assert put.status_code == 200, put.json()
        put = api("reviewer").put(review, {"status": "adjudicated"}, format="json", HTTP_IF_MATCH='"1"')
        assert put.status_code == 200, put.json()
        # The same verdict again, by another reviewer: not a second event.
        put = api("admin").put(review, {"status": "adjudicated"}, format="json", HTTP_IF_MATCH='"2"')
        assert put.status_code == 200, put.json()
    ref = {"article": article.pk, "external_id": article.external_id, "title": article.title}
    assert _events(hook) == [
        ("article.submitted", {**ref, "annotator": "annotator"}),
        ("article.adjudicated", {**ref, "reviewer": "reviewer"}),
    ]


def test_a_failed_job_is_announced_as_finished_and_failed(
    world: Any, api: Any, django_capture_on_commit_callbacks: Any
) -> None:
    hook = register(world, api, PUBLIC, ["import.finished", "job.failed", "export.finished"]).json()["id"]
    job = Job.objects.create(
        project=world.project, kind="import", status=JobStatus.RUNNING, created_by=world.users["admin"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert fail_if_stale(job.pk)  # never beat: its worker is lost
    (finished, first), (failed, second) = _events(hook)
    assert (finished, failed) == ("import.finished", "job.failed") and first == second
    assert first["job"] == job.pk and first["kind"] == "import" and first["status"] == "failed"
    assert first["error"].startswith("worker lost") and first["started_by"] == "admin"


def test_a_lost_message_is_sent_by_the_sweep(
    world: Any,
    api: Any,
    settings: Any,
    receiver: Receiver,
    monkeypatch: Any,
    django_capture_on_commit_callbacks: Any,
    eager_jobs: None,  # once the broker is back, the sweep's message is delivered inline
) -> None:
    """The broker refuses the message after the write commits: the write still succeeds, the
    delivery stays pending, and the beat sweep sends it once it is overdue."""
    from datetime import timedelta

    from django.utils import timezone

    from annotator.webhooks.tasks import deliver_task

    settings.WEBHOOK_ALLOW_PRIVATE = True
    hook = register(world, api, f"http://127.0.0.1:{receiver.port}/", ["member.added"]).json()["id"]

    def broker_down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("broker down")

    with monkeypatch.context() as patched, django_capture_on_commit_callbacks(execute=True):
        patched.setattr(deliver_task, "delay", broker_down)
        r = api("admin").post(
            f"/api/v1/projects/{world.project.pk}/members/",
            {"username": make_user("newbie").username, "role": "annotator"},
            format="json",
        )
    assert r.status_code == 201, r.json()
    delivery = Delivery.objects.get(webhook_id=hook)
    assert delivery.status == "pending" and receiver.requests == []
    assert services.deliveries_resend_lost() == 0  # not overdue yet
    Delivery.objects.filter(pk=delivery.pk).update(next_retry_at=timezone.now() - timedelta(minutes=11))
    assert services.deliveries_resend_lost() == 1
    delivery.refresh_from_db()
    assert delivery.status == "succeeded" and len(receiver.requests) == 1
