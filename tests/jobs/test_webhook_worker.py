"""Webhooks through a real worker and broker: an import finished on the worker and an article
submitted over the API reach an integrator's receiver, signed, without anyone calling the
delivery by hand."""

import hashlib
import hmac
import json
from typing import Any

import pytest

from tests.conftest import add_article, client_for
from tests.jobs.conftest import Team, Worker, wait_for
from tests.jobs.test_exchange_worker import lines, upload, wait
from tests.webhooks.receiver import Receiver

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True, databases=["default", "snapshot"])]

# The receiver listens on loopback: the worker must be allowed to call it.
WORKER_ENV = {"ANNOTATOR_WEBHOOK_ALLOW_PRIVATE": "1"}


def test_an_integrator_gets_signed_events(
    worker: Worker, team: Team, receiver: Receiver, settings: Any
) -> None:
    settings.WEBHOOK_ALLOW_PRIVATE = True
    admin = client_for(team.admin)
    created = admin.post(
        f"/api/v1/projects/{team.project.pk}/webhooks/",
        {
            "url": f"http://127.0.0.1:{receiver.port}/hooks",
            "events": ["import.finished", "article.submitted"],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    secret = created.json()["secret"].encode()

    job = wait(admin, upload(admin, team.project.pk, lines(3)).json()["id"])
    assert job["status"] == "succeeded", job
    article = add_article(team.admin, team.project, "A claim to submit.", "submit-me")
    submitted = client_for(team.annotator).put(
        f"/api/v1/articles/{article.pk}/state/", {"status": "submitted"}, format="json"
    )
    assert submitted.status_code == 200, submitted.json()

    wait_for(lambda: len(receiver.requests) >= 2, timeout=30, what="two webhook deliveries")
    payloads = {}
    for headers, body in receiver.requests:
        expected = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(headers["x-annotator-signature"], expected)
        payload = json.loads(body)
        assert payload["id"] == headers["x-annotator-delivery"] and payload["project"] == team.project.pk
        payloads[payload["event"]] = payload["data"]
    assert (
        payloads["import.finished"]["job"] == job["id"]
        and payloads["import.finished"]["status"] == "succeeded"
    )
    assert payloads["article.submitted"]["external_id"] == "submit-me"
    assert payloads["article.submitted"]["annotator"] == team.annotator.username
    listed = admin.get(f"/api/v1/webhooks/{created.json()['id']}/deliveries/").json()
    assert sorted(d["status"] for d in listed["results"]) == ["succeeded", "succeeded"]
