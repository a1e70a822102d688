"""/ws/projects/{id}/ with Channels' WebsocketCommunicator against the real ASGI application and
the configured channel layer (the SQLite spool on the defaults, Redis in CI's second run):
who may connect, who receives which write (blind annotation), presence, jobs, membership."""

from collections.abc import Awaitable, Callable
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client

from annotator.accounts.services import token_create
from annotator.annotations.services import relation_create, relation_delete, span_create
from annotator.asgi import application
from annotator.projects.models import Membership
from annotator.projects.services import member_remove
from annotator.workflow.comments import comment_create
from tests.conftest import World, add_article, build_world

pytestmark = pytest.mark.django_db(transaction=True)
WAIT = 3.0  # seconds an expected event may take (the spool polls every 30 ms)
QUIET = 0.4  # seconds of silence that count as "nothing came"


@pytest.fixture
def world(transactional_db: None) -> World:
    return build_world(extra_annotators=("ann2",))


def run(scenario: Callable[[], Awaitable[None]]) -> None:
    async_to_sync(scenario)()


def session_headers(user: Any, origin: str = "http://localhost") -> list[tuple[bytes, bytes]]:
    client = Client()
    client.force_login(user)
    cookie = client.cookies["sessionid"].value
    return [(b"cookie", f"sessionid={cookie}".encode()), (b"origin", origin.encode())]


async def connect(world: World, headers: list[tuple[bytes, bytes]], project: int | None = None):
    pid = project or world.project.pk
    socket = WebsocketCommunicator(application, f"/ws/projects/{pid}/", headers=headers)
    connected, _ = await socket.connect(timeout=WAIT)
    if connected:
        hello = await socket.receive_json_from(timeout=WAIT)
        assert hello["type"] == "hello"
    return socket, connected


async def as_user(world: World, name: str):
    user = world.users[name] if name in world.users else getattr(world, name)
    socket, connected = await connect(world, await database_sync_to_async(session_headers)(user))
    assert connected, name
    return socket


async def next_of(socket: WebsocketCommunicator, kind: str) -> dict[str, Any]:
    """The next event of this type (presence and the like may come between)."""
    while True:
        event = await socket.receive_json_from(timeout=WAIT)
        if event["type"] == kind:
            return event


async def nothing_of(socket: WebsocketCommunicator, prefix: str) -> None:
    """No event whose type starts with ``prefix`` arrives within QUIET seconds."""
    while not await socket.receive_nothing(timeout=QUIET):
        event = await socket.receive_json_from()
        assert not event["type"].startswith(prefix), event


def test_strangers_are_refused_at_the_handshake(world):
    async def scenario():
        _, connected = await connect(world, [])
        assert not connected  # anonymous
        outsider = await database_sync_to_async(session_headers)(world.outsider)
        _, connected = await connect(world, outsider)
        assert not connected  # not a member
        reviewer_elsewhere = await database_sync_to_async(session_headers)(
            world.reviewer, "https://evil.example"
        )
        _, connected = await connect(world, reviewer_elsewhere)
        assert not connected  # a member's cookie, sent by another site's page
        _, connected = await connect(world, [(b"authorization", b"Bearer not-a-token")])
        assert not connected

    run(scenario)


def test_a_token_opens_it_without_an_origin(world):
    _, key = token_create(user=world.researcher, name="script")

    async def scenario():
        socket, connected = await connect(world, [(b"authorization", f"Bearer {key}".encode())])
        assert connected
        await socket.disconnect()

    run(scenario)


def test_writes_reach_those_who_may_read_the_layer_and_no_one_else(world):
    article = world.article

    async def scenario():
        reviewer = await as_user(world, "reviewer")
        own = await as_user(world, "annotator")
        other = await as_user(world, "ann2")
        span = await database_sync_to_async(span_create)(
            actor=world.annotator, article_id=article.pk, start=0, end=3, label="CLAIM"
        )
        for socket in (reviewer, own):
            event = await next_of(socket, "span.created")
            assert (event["id"], event["article"], event["start"], event["end"]) == (
                span.pk,
                article.pk,
                0,
                3,
            )
            assert (event["label"], event["layer"], event["version"], event["actor"]) == (
                "CLAIM",
                "annotator",
                1,
                "annotator",
            )
        await nothing_of(other, "span.")  # blind annotation: another annotator hears nothing
        # Gold: reviewers and admins, never annotators.
        await database_sync_to_async(span_create)(
            actor=world.reviewer, article_id=article.pk, start=4, end=8, label="CLAIM", layer="gold"
        )
        assert (await next_of(reviewer, "span.created"))["layer"] == "gold"
        await nothing_of(own, "span.")
        await nothing_of(other, "span.")
        for socket in (reviewer, own, other):
            await socket.disconnect()

    run(scenario)


def test_comments_follow_the_threads_rules(world):
    async def scenario():
        reviewer = await as_user(world, "reviewer")
        other = await as_user(world, "ann2")
        span = await database_sync_to_async(span_create)(
            actor=world.annotator, article_id=world.article.pk, start=0, end=3, label="CLAIM"
        )
        await database_sync_to_async(comment_create)(
            actor=world.annotator, article_id=world.article.pk, body="Is this a claim?", span=span.pk
        )
        assert (await next_of(reviewer, "comment.created"))["body"] == "Is this a claim?"
        await nothing_of(other, "comment.")  # on the annotator's own layer: theirs and the reviewers'
        await database_sync_to_async(comment_create)(
            actor=world.reviewer, article_id=world.article.pk, body="Read the guidelines, all."
        )
        assert (await next_of(other, "comment.created"))["body"] == "Read the guidelines, all."
        for socket in (reviewer, other):
            await socket.disconnect()

    run(scenario)


def test_presence_is_announced_to_those_who_see_the_article(world):
    async def scenario():
        reviewer = await as_user(world, "reviewer")
        annotator = await as_user(world, "annotator")
        await annotator.send_json_to({"type": "presence", "article": world.article.pk})
        seen = await next_of(reviewer, "presence")
        assert seen == {"type": "presence", "article": world.article.pk, "state": "open", "user": "annotator"}
        # A newcomer learns who is already there.
        late = await as_user(world, "ann2")
        assert (await next_of(late, "presence"))["user"] == "annotator"
        # An article of another project (or none) is refused, and nobody is told.
        await annotator.send_json_to({"type": "presence", "article": world.other_article.pk})
        assert (await next_of(annotator, "error"))["detail"] == "article: not found."
        await annotator.disconnect()
        left = await next_of(reviewer, "presence")
        while left["state"] == "open":  # the annotator's answer to the newcomer came first
            left = await next_of(reviewer, "presence")
        assert (left["state"], left["user"]) == ("left", "annotator")
        for socket in (reviewer, late):
            await socket.disconnect()

    run(scenario)


def test_a_removed_member_is_disconnected(world):
    async def scenario():
        annotator = await as_user(world, "annotator")
        membership = await database_sync_to_async(Membership.objects.get)(
            user=world.annotator, project=world.project
        )
        await database_sync_to_async(member_remove)(
            actor=world.admin, project_id=world.project.pk, membership_id=membership.pk
        )
        closed = await annotator.receive_output(timeout=WAIT)
        assert closed == {"type": "websocket.close", "code": 4403}

    run(scenario)


def test_a_jobs_progress_and_end_are_pushed_to_every_member(world):
    import tests.jobs.kinds  # noqa: F401 - registers test_ok
    from annotator.jobs.models import Job
    from annotator.jobs.runner import run_job

    async def scenario():
        annotator = await as_user(world, "annotator")
        job = await database_sync_to_async(Job.objects.create)(
            project=world.project, kind="test_ok", created_by=world.admin, params={"n": 2}
        )
        await database_sync_to_async(run_job)(job.pk, redelivered=False)
        finished = await next_of(annotator, "job.finished")
        assert (finished["id"], finished["kind"], finished["status"]) == (job.pk, "test_ok", "succeeded")
        await annotator.disconnect()

    run(scenario)


def test_me_says_whether_this_server_pushes(world):
    from django.test import AsyncClient

    sync = Client()
    sync.force_login(world.reviewer)
    assert sync.get("/api/v1/me/").json()["live"] is False  # WSGI: no /ws/ here

    async def scenario():
        client = AsyncClient()
        await client.aforce_login(world.reviewer)
        assert (await client.get("/api/v1/me/")).json()["live"] is True

    run(scenario)


def test_claim_links_suggestions_are_pushed_like_other_suggestions(world):
    from tests.conftest import add_article
    from tests.domain.test_claim_links import CLAIM_A, CLAIM_B, suggest
    from tests.domain.test_claim_links import run as run_claim_links

    a = add_article(world.admin, world.project, f'Helena Varga said "{CLAIM_A}" on Monday.', "a")
    b = add_article(world.admin, world.project, f'"{CLAIM_B}," the chair said.', "b")
    suggest(world, a, CLAIM_A, "CLAIM")
    suggest(world, b, CLAIM_B, "CLAIM")

    async def scenario():
        annotator = await as_user(world, "annotator")
        await database_sync_to_async(run_claim_links)(world)
        pushed = await next_of(annotator, "suggestions.changed")
        assert set(pushed["articles"]) <= {a.pk, b.pk} and pushed["articles"]
        await annotator.disconnect()

    run(scenario)


def test_under_overlap_an_annotator_hears_only_of_articles_assigned_to_them(world):
    from annotator.articles.models import Assignment
    from annotator.preannotation.suggestions import suggestions_changed
    from tests.conftest import add_article

    mine = add_article(world.admin, world.project, "The minister said prices would fall.", "mine")
    theirs = add_article(world.admin, world.project, "The union said prices would rise.", "theirs")
    world.project.assignment = "overlap"
    world.project.save(update_fields=["assignment"])
    Assignment.objects.create(project=world.project, article=mine, annotator=world.annotator)

    async def scenario():
        annotator = await as_user(world, "annotator")
        other = await as_user(world, "ann2")  # assigned nothing
        reviewer = await as_user(world, "reviewer")
        await database_sync_to_async(suggestions_changed)(world.project.pk, [mine.pk, theirs.pk])
        assert (await next_of(annotator, "suggestions.changed"))["articles"] == [mine.pk]
        assert (await next_of(reviewer, "suggestions.changed"))["articles"] == sorted([mine.pk, theirs.pk])
        await nothing_of(other, "suggestions.")
        for socket in (annotator, other, reviewer):
            await socket.disconnect()

    run(scenario)


def test_a_relation_across_articles_names_both_articles(world):
    """The other article's open pages list it too (incoming relations): its event names both."""
    other_article = add_article(world.admin, world.project, "The union said so.", "other")

    async def scenario():
        reviewer = await as_user(world, "reviewer")
        claim = await database_sync_to_async(span_create)(
            actor=world.annotator, article_id=world.article.pk, start=0, end=3, label="CLAIM"
        )
        rebuttal = await database_sync_to_async(span_create)(
            actor=world.annotator, article_id=other_article.pk, start=0, end=9, label="REBUTTAL"
        )
        relation = await database_sync_to_async(relation_create)(
            actor=world.annotator,
            article_id=other_article.pk,
            source_id=rebuttal.pk,
            target_id=claim.pk,
            label="REBUTS",
        )
        created = await next_of(reviewer, "relation.created")
        assert created["article"] == other_article.pk
        assert created["articles"] == [other_article.pk, world.article.pk]
        await database_sync_to_async(relation_delete)(
            actor=world.annotator, relation_id=relation.pk, expected_version=1
        )
        deleted = await next_of(reviewer, "relation.deleted")
        assert deleted["articles"] == [other_article.pk, world.article.pk]
        await reviewer.disconnect()

    run(scenario)
