"""Shared fixtures: one project with a member of every role, and clients for each."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.cache import cache
from rest_framework.test import APIClient

from annotator.accounts.services import token_create
from annotator.articles.models import Article
from annotator.articles.services import ArticleInput, articles_add
from annotator.projects.models import Membership, Project
from annotator.projects.services import project_create

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


def make_user(username: str, **extra: Any) -> User:
    return get_user_model().objects.create_user(username=username, password="pw-" + username, **extra)


def client_for(user: User | None) -> APIClient:
    client = APIClient()
    if user is not None:
        _, key = token_create(user=user, name="test")
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


@dataclass
class World:
    project: Project
    users: dict[str, User]  # by role, plus "outsider" (member of another project)
    other_project: Project
    article: Article
    other_article: Article

    def client(self, role: str) -> APIClient:
        return client_for(self.users[role])


def add_article(user: User, project: Project, text: str, external_id: str) -> Article:
    added = articles_add(
        actor=user, project_id=project.pk, items=[ArticleInput(text=text, external_id=external_id)]
    )
    return added.articles[0]


def build_world(make: Callable[[str], User] = make_user) -> World:
    """Two projects: one with a member of every role, one run by an outsider."""
    users = {role: make(role) for role in ROLES}
    project = project_create(creator=users["admin"], name="Argument", preset="argument")
    for role in ROLES[1:]:
        Membership.objects.create(project=project, user=users[role], role=role)
    users["outsider"] = make("outsider")
    other = project_create(creator=users["outsider"], name="Other", preset="argument")
    return World(
        project=project,
        users=users,
        other_project=other,
        article=add_article(users["admin"], project, TRICKY_TEXT, "a1"),
        other_article=add_article(users["outsider"], other, "Other text 42%.", "o1"),
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
