"""An admin's script manages webhooks through the client: register (the secret once), ping a
receiver on loopback, read the deliveries, redeliver, change and delete; other roles are refused."""

import hashlib
import hmac
from typing import Any

import pytest
from annotator_client import InvalidInput, PermissionDenied

from tests.conftest import World
from tests.webhooks.receiver import Receiver


def test_an_admin_script_manages_a_webhook(
    world: World, connect: Any, receiver: Receiver, settings: Any
) -> None:
    admin = connect(world.admin)
    project = world.project.pk
    with pytest.raises(InvalidInput, match="loopback"):
        admin.add_webhook(project, f"http://127.0.0.1:{receiver.port}/", ["job.failed"])
    settings.WEBHOOK_ALLOW_PRIVATE = True
    created = admin.add_webhook(project, f"http://127.0.0.1:{receiver.port}/", ["job.failed"])
    assert [h["id"] for h in admin.webhooks(project)] == [created["id"]]

    ping = admin.ping_webhook(created["id"])  # eager tasks: delivered before the answer
    (delivered,) = list(admin.deliveries(created["id"]))
    assert delivered["id"] == ping["id"] and delivered["status"] == "succeeded"
    _, body = receiver.requests[0]
    signature = receiver.requests[0][0]["x-annotator-signature"]
    assert signature == "sha256=" + hmac.new(created["secret"].encode(), body, hashlib.sha256).hexdigest()
    admin.redeliver(created["id"], ping["id"])
    assert len(receiver.requests) == 2 and len(list(admin.deliveries(created["id"], status="succeeded"))) == 2

    assert admin.update_webhook(created["id"], active=False)["active"] is False
    with pytest.raises(PermissionDenied):
        connect(world.reviewer).webhooks(project)
    admin.delete_webhook(created["id"])
    assert admin.webhooks(project) == []
