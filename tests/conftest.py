"""Shared fixtures and the one builder of test people and projects (``build_cast``,
``build_world``): one project with a member of every role, and clients for each."""

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.cache import cache
from rest_framework.test import APIClient

from annotator.accounts.services import token_create
from annotator.articles.models import Article
from annotator.articles.services import ArticleInput, articles_add
from annotator.celery import app as celery_app
from annotator.projects.models import Project
from annotator.projects.services import member_add, project_create

ROLES = ("admin", "reviewer", "annotator", "researcher")
# Emoji (astral, ZWJ family), a combining mark, CRLF, a tab and a double space.
TRICKY_TEXT = (
    "The minister 👩‍👩‍👧 said inflation was 4.75%.\r\n"
    "But critics 🙄 said the cafe\u0301 tax cost £1,400\tper  household.\r\n"
    "55 NHS trusts disagreed."
)


@pytest.fixture(autouse=True)
def _fast_passwords_and_fresh_throttles(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    cache.clear()  # login throttling counts per test, not across the suite
    # Pushes of the tests' writes never reach a development server's pages on this machine.
    layer = settings.CHANNEL_LAYERS["default"]
    config = dict(layer.get("CONFIG", {}))
    if "path" in config:
        config["path"] = str(Path(config["path"]).with_name("test-live-events.sqlite3"))
    else:
        config["prefix"] = "annotator-test"
    settings.CHANNEL_LAYERS = {"default": {**layer, "CONFIG": config}}


def make_user(username: str, **extra: Any) -> User:
    return get_user_model().objects.create_user(username=username, password="pw-" + username, **extra)


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        _, key = token_create(user=user, name="test")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@dataclass
class Cast:
    """The people of a test and their projects: ``project`` has a member of every role in
    ROLES (plus any extra annotators); ``other_project`` is run by "outsider", who is in no
    other project."""

    project: Project
    users: dict[str, User]  # by role (and extra annotators by name), plus "outsider"
    other_project: Project

    def client(self, role: str) -> APIClient:
        return client_for(self.users[role])

    @property
    def admin(self) -> User:
        return self.users["admin"]

    @property
    def reviewer(self) -> User:
        return self.users["reviewer"]

    @property
    def annotator(self) -> User:
        return self.users["annotator"]

    @property
    def researcher(self) -> User:
        return self.users["researcher"]

    @property
    def outsider(self) -> User:
        return self.users["outsider"]


@dataclass
class World(Cast):
    """A Cast with an article in each project."""

    article: Article
    other_article: Article


def add_article(user: User, project: Project, text: str, external_id: str) -> Article:
    added = articles_add(
        actor=user, project_id=project.pk, items=[ArticleInput(text=text, external_id=external_id)]
    )
    return added.articles[0]


def build_cast(*, make: Callable[[str], User] = make_user, extra_annotators: Sequence[str] = ()) -> Cast:
    """The one builder of test people: users made by ``make`` (given the role or name), two
    "argument" projects, and memberships added through the service as an admin would."""
    users = {role: make(role) for role in ROLES}
    admin = users["admin"]
    project = project_create(creator=admin, name="Argument", preset="argument")
    for name in extra_annotators:
        users[name] = make(name)
    members = [(role, role) for role in ROLES[1:]] + [(name, "annotator") for name in extra_annotators]
    for key, role in members:
        member_add(actor=admin, project_id=project.pk, username=users[key].username, role=role)
    users["outsider"] = make("outsider")
    other = project_create(creator=users["outsider"], name="Other", preset="argument")
    return Cast(project=project, users=users, other_project=other)


def build_world(*, make: Callable[[str], User] = make_user, extra_annotators: Sequence[str] = ()) -> World:
    """``build_cast``'s people and projects, with an article in each project."""
    cast = build_cast(make=make, extra_annotators=extra_annotators)
    return World(
        project=cast.project,
        users=cast.users,
        other_project=cast.other_project,
        article=add_article(cast.admin, cast.project, TRICKY_TEXT, "a1"),
        other_article=add_article(cast.outsider, cast.other_project, "Other text 42%.", "o1"),
    )


@pytest.fixture
def world(db: None) -> World:
    return build_world()


@pytest.fixture
def api(world: World) -> Callable[[str], APIClient]:
    return world.client


def streamed(response: Any) -> bytes:
    """The whole body of a streaming response (StreamingHttpResponse, FileResponse)."""
    assert response.streaming, "expected a streaming response"
    return b"".join(response.streaming_content)


def result_of(job: Any) -> dict[str, Any]:
    """A finished job's result (a job that has none fails the test here, not with a TypeError)."""
    assert job.result is not None, f"job {job.pk} ({job.status}) has no result: {job.error}"
    return dict(job.result)


@pytest.fixture
def receiver() -> Iterator[Any]:
    """A webhook receiver on loopback (tests/webhooks/receiver.py), answering 200."""
    from tests.webhooks.receiver import Receiver

    started = Receiver(200)
    yield started
    started.server.shutdown()


@pytest.fixture
def eager_jobs() -> Iterator[None]:
    """Celery tasks run inside the call that queues them (no worker beside the live server)."""
    before = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    try:
        yield
    finally:
        celery_app.conf.task_always_eager = before
