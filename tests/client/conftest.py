"""The client's tests: annotator_client over real HTTP against pytest-django's live server.

The server thread needs committed rows, so ``world`` takes ``transactional_db``. Jobs run
eagerly inside the request that starts them (Celery's always-eager mode), so a queued job
has finished by the time the client polls it."""

from collections.abc import Iterator
from typing import Any

import pytest
from annotator_client import Client

from annotator.accounts.services import token_create
from tests.conftest import World, build_world


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Exports read through the "snapshot" connection, from the live server's thread.
    mark = pytest.mark.django_db(transaction=True, databases=["default", "snapshot"])
    for item in items:
        if "tests/client/" in str(item.fspath):
            item.add_marker(mark)


@pytest.fixture
def world(transactional_db: None) -> World:
    return build_world()


def token_for(user: Any) -> str:
    return token_create(user=user, name="client-test")[1]


@pytest.fixture
def connect(live_server: Any, eager_jobs: None) -> Iterator[Any]:
    """``connect(user)``: a Client for that user, on the live server, progress bars off."""
    made: list[Client] = []

    def make(user: Any) -> Client:
        client = Client(live_server.url, token_for(user), progress=False)
        made.append(client)
        return client

    yield make
    for client in made:
        client.close()
