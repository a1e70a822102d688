"""Races where a row disappears or appears between a write's first read and its write: each
must end in the answer the API documents (404, 409, 200 for a known article), never a
database exception (a 500).

Real threads, each with its own connection. The first writer runs inside a transaction it
holds open (``Held``) until the second has reached the point where it waits for the first
(a row lock on PostgreSQL; on SQLite the one write lock, taken when the transaction
begins, so the second reads only after the first has committed). Then the first commits
and the second finishes: what it answers is asserted.
"""

import threading
import time
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection, transaction

from annotator.annotations import services as annotation_services
from annotator.annotations.models import DocumentLabel, Relation, Span
from annotator.annotations.rejecting import suggestion_reject
from annotator.annotations.review import suggestion_accept
from annotator.annotations.services import (
    document_label_create,
    document_label_delete,
    document_label_update,
    relation_create,
    relation_delete,
    span_create,
    span_delete,
    span_update,
    state_set,
)
from annotator.articles.models import Article, ArticleTombstone
from annotator.articles.services import ArticleInput, article_delete, article_update, articles_add
from annotator.common.errors import DomainError
from annotator.projects.models import Label, LabelKind, Membership, Role
from annotator.projects.services import label_create, label_delete, member_add, member_set_role
from tests.conftest import World, client_for, make_user
from tests.factories import suggestion_create

pytestmark = pytest.mark.django_db(transaction=True)

# How long the second writer is given to reach its wait where it cannot be seen (SQLite).
SETTLE_SECONDS = 0.5


def outcome_of(call: Callable[[], Any]) -> str:
    """'ok', an HTTP status ('404'), or the name of the exception the call raised."""
    try:
        result = call()
    except DomainError as exc:
        return type(exc).__name__
    except Exception as exc:  # a database error is exactly what these tests look for
        return f"{type(exc).__module__}.{type(exc).__name__}: {exc}"
    status = getattr(result, "status_code", None)
    return str(status) if status is not None else "ok"


class Held:
    """``work`` run in a thread, inside a transaction left open until ``commit()``."""

    def __init__(self, work: Callable[[], Any]) -> None:
        self.outcome = ""
        self._done = threading.Event()
        self._release = threading.Event()
        self._thread = threading.Thread(target=self._run, args=(work,))
        self._thread.start()
        assert self._done.wait(30), "the first writer did not get its write done"
        assert self.outcome == "ok" or self.outcome.startswith("2"), self.outcome

    def _run(self, work: Callable[[], Any]) -> None:
        try:
            with transaction.atomic():
                self.outcome = outcome_of(work)
                self._done.set()
                self._release.wait(30)
        finally:
            self._done.set()
            connection.close()

    def commit(self) -> None:
        self._release.set()
        self._thread.join(30)


class Second:
    """``call`` run in a thread of its own, started at once; ``outcome()`` waits for it."""

    def __init__(self, call: Callable[[], Any]) -> None:
        self._outcome = ""
        self._thread = threading.Thread(target=self._run, args=(call,))
        self._thread.start()

    def _run(self, call: Callable[[], Any]) -> None:
        try:
            self._outcome = outcome_of(call)
        finally:
            connection.close()

    def outcome(self) -> str:
        self._thread.join(60)
        assert not self._thread.is_alive(), "the second writer never finished"
        return self._outcome


def waiting_for_a_lock() -> None:
    """Return once another connection waits for a lock (PostgreSQL) or after a moment."""
    if connection.vendor != "postgresql":
        time.sleep(SETTLE_SECONDS)
        return
    deadline = time.monotonic() + 10
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
            time.sleep(0.02)
    raise AssertionError("the second writer never waited for the first")


def race(first: Callable[[], Any], second: Callable[[], Any]) -> str:
    """Hold ``first``'s write uncommitted, start ``second``, let it wait, commit; its outcome."""
    held = Held(first)
    other = Second(second)
    waiting_for_a_lock()
    held.commit()
    return other.outcome()


def a_span(world: World, start: int = 0, end: int = 3, label: str = "CLAIM") -> Span:
    return span_create(actor=world.annotator, article_id=world.article.pk, start=start, end=end, label=label)


# --- a PATCH racing a DELETE --------------------------------------------------------------


def test_patch_of_a_span_being_deleted_is_404(world: World) -> None:
    span = a_span(world)
    client = client_for(world.annotator)
    answer = race(
        lambda: span_delete(actor=world.annotator, span_id=span.pk, expected_version=1),
        lambda: client.patch(f"/api/v1/spans/{span.pk}/", {"end": 5}, format="json", HTTP_IF_MATCH='"1"'),
    )
    assert answer == "404"
    assert not Span.objects.filter(pk=span.pk).exists()


def test_delete_of_a_span_being_deleted_is_404(world: World) -> None:
    span = a_span(world)
    client = client_for(world.annotator)
    answer = race(
        lambda: span_delete(actor=world.annotator, span_id=span.pk, expected_version=1),
        lambda: client.delete(f"/api/v1/spans/{span.pk}/", HTTP_IF_MATCH='"1"'),
    )
    assert answer == "404"


def test_patch_of_a_relation_being_deleted_is_404(world: World) -> None:
    source, target = a_span(world, 0, 3, "FIGURE"), a_span(world, 5, 9)
    relation = relation_create(
        actor=world.annotator,
        article_id=world.article.pk,
        source_id=source.pk,
        target_id=target.pk,
        label="SUPPORTS",
    )
    client = client_for(world.annotator)
    answer = race(
        lambda: relation_delete(actor=world.annotator, relation_id=relation.pk, expected_version=1),
        lambda: client.patch(
            f"/api/v1/relations/{relation.pk}/", {"label": "REBUTS"}, format="json", HTTP_IF_MATCH='"1"'
        ),
    )
    assert answer == "404"
    assert not Relation.objects.filter(pk=relation.pk).exists()


def test_relation_to_a_span_being_deleted_is_404(world: World) -> None:
    source, target = a_span(world, 0, 3, "FIGURE"), a_span(world, 5, 9)
    answer = race(
        lambda: span_delete(actor=world.annotator, span_id=target.pk, expected_version=1),
        lambda: relation_create(
            actor=world.annotator,
            article_id=world.article.pk,
            source_id=source.pk,
            target_id=target.pk,
            label="SUPPORTS",
        ),
    )
    assert answer == "NotFound"


def test_document_label_change_while_it_is_removed_is_404(world: World) -> None:
    for name in ("OPINION", "NEWS"):
        label_create(actor=world.admin, project_id=world.project.pk, kind=LabelKind.DOCUMENT, name=name)
    marked = document_label_create(actor=world.annotator, article_id=world.article.pk, label="OPINION")
    answer = race(
        lambda: document_label_delete(actor=world.annotator, document_label_id=marked.pk, expected_version=1),
        lambda: document_label_update(
            actor=world.annotator, document_label_id=marked.pk, expected_version=1, label="NEWS"
        ),
    )
    assert answer == "NotFound"


def test_document_label_set_twice_at_once_is_one_label_and_a_409(world: World) -> None:
    label_create(actor=world.admin, project_id=world.project.pk, kind=LabelKind.DOCUMENT, name="OPINION")

    def mark() -> DocumentLabel:
        return document_label_create(actor=world.annotator, article_id=world.article.pk, label="OPINION")

    assert race(mark, mark) == "Conflict"
    assert DocumentLabel.objects.filter(article=world.article).count() == 1


# --- writes to an article being deleted ---------------------------------------------------


def test_span_change_in_an_article_being_deleted_is_404(world: World) -> None:
    span = a_span(world)
    article = Article.objects.get(pk=world.article.pk)
    answer = race(
        lambda: article_delete(actor=world.admin, article=article),
        lambda: span_update(actor=world.annotator, span_id=span.pk, expected_version=1, end=5),
    )
    assert answer == "NotFound"


def test_state_of_an_article_being_deleted_is_404(world: World) -> None:
    article = Article.objects.get(pk=world.article.pk)
    answer = race(
        lambda: article_delete(actor=world.admin, article=article),
        lambda: state_set(
            actor=world.annotator, article_id=world.article.pk, status="submitted", expected_version=None
        ),
    )
    assert answer == "NotFound"


def test_state_set_twice_at_once_is_one_state_and_a_412(world: World) -> None:
    def submit() -> Any:
        return state_set(
            actor=world.annotator, article_id=world.article.pk, status="submitted", expected_version=0
        )

    assert race(submit, submit) == "StaleVersion"


def test_article_edited_while_it_is_deleted_is_404_and_stays_deleted(world: World) -> None:
    first, second = Article.objects.get(pk=world.article.pk), Article.objects.get(pk=world.article.pk)
    answer = race(
        lambda: article_delete(actor=world.admin, article=first),
        lambda: article_update(actor=world.admin, article=second, title="Edited"),
    )
    assert answer == "NotFound"
    assert not Article.objects.filter(pk=world.article.pk).exists()


def test_article_deleted_twice_at_once_is_404_and_one_tombstone(world: World) -> None:
    first, second = Article.objects.get(pk=world.article.pk), Article.objects.get(pk=world.article.pk)
    answer = race(
        lambda: article_delete(actor=world.admin, article=first),
        lambda: article_delete(actor=world.admin, article=second),
    )
    assert answer == "NotFound"
    assert ArticleTombstone.objects.filter(article_pk=world.article.pk).count() == 1


# --- the same article posted twice at once ------------------------------------------------


def test_same_external_id_posted_twice_at_once_is_201_then_200(world: World) -> None:
    body = {"external_id": "race-1", "text": "Posted twice at the same moment."}
    client = client_for(world.admin)
    answer = race(
        lambda: articles_add(
            actor=world.admin,
            project_id=world.project.pk,
            items=[ArticleInput(text=body["text"], external_id="race-1")],
        ),
        lambda: client.post(f"/api/v1/projects/{world.project.pk}/articles/", body, format="json"),
    )
    assert answer == "200"  # the documented answer for an article already there, same text
    assert Article.objects.filter(project=world.project, external_id="race-1").count() == 1


def test_same_external_id_with_other_text_posted_at_once_is_409(world: World) -> None:
    client = client_for(world.admin)
    answer = race(
        lambda: articles_add(
            actor=world.admin,
            project_id=world.project.pk,
            items=[ArticleInput(external_id="race-2", text="One text.")],
        ),
        lambda: client.post(
            f"/api/v1/projects/{world.project.pk}/articles/",
            [{"external_id": "race-2", "text": "Another text."}, {"external_id": "race-3", "text": "New."}],
            format="json",
        ),
    )
    assert answer == "409"
    assert not Article.objects.filter(external_id="race-3").exists()  # all or nothing


def test_many_posts_of_one_article_at_once_one_201_the_rest_200(world: World) -> None:
    body = {"external_id": "race-4", "text": "Everyone posts this one."}
    barrier = threading.Barrier(4)
    answers: list[str] = []

    def post() -> None:
        try:
            client = client_for(world.admin)
            barrier.wait(10)
            answers.append(
                outcome_of(
                    lambda: client.post(f"/api/v1/projects/{world.project.pk}/articles/", body, format="json")
                )
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=post) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(answers) == ["200", "200", "200", "201"], answers
    assert Article.objects.filter(project=world.project, external_id="race-4").count() == 1


# --- labels and members -------------------------------------------------------------------


def test_label_created_twice_at_once_is_one_label_and_a_409(world: World) -> None:
    def create() -> Label:
        return label_create(actor=world.admin, project_id=world.project.pk, kind=LabelKind.SPAN, name="NEW")

    assert race(create, create) == "Conflict"
    assert Label.objects.filter(project=world.project, name="NEW").count() == 1


def test_label_deleted_twice_at_once_is_a_404(world: World) -> None:
    label = label_create(actor=world.admin, project_id=world.project.pk, kind=LabelKind.SPAN, name="NEW")
    again = Label.objects.get(pk=label.pk)
    answer = race(
        lambda: label_delete(actor=world.admin, label=label),
        lambda: label_delete(actor=world.admin, label=again),
    )
    assert answer == "NotFound"


def test_label_deleted_while_a_span_using_it_is_written_is_a_409(world: World, monkeypatch) -> None:
    """The span's writer has not committed when the label goes: the database refuses the
    span at commit (its foreign key), and that is a 409, not a 500."""
    if connection.vendor == "sqlite":
        pytest.skip("SQLite lets one writer in at a time: the label cannot go while the span is written")
    label = label_create(actor=world.admin, project_id=world.project.pk, kind=LabelKind.SPAN, name="NEW")
    written, go_on = threading.Event(), threading.Event()
    real_changed = annotation_services.changed

    def wait_then_changed(*args: Any, **kwargs: Any) -> None:
        # The span is inserted; its change stamp (which holds the project row) comes next.
        written.set()
        go_on.wait(30)
        real_changed(*args, **kwargs)

    monkeypatch.setattr(annotation_services, "changed", wait_then_changed)
    writer = Second(
        lambda: span_create(actor=world.annotator, article_id=world.article.pk, start=0, end=3, label="NEW")
    )
    assert written.wait(30)
    deleted = outcome_of(lambda: label_delete(actor=world.admin, label=label))
    go_on.set()
    answers = {deleted, writer.outcome()}
    # Whichever the database refuses, it is a 409: the label in use, or the span's label gone.
    assert "Conflict" in answers and answers <= {"ok", "Conflict"}, answers
    assert Span.objects.filter(label_id=label.pk).count() == Label.objects.filter(pk=label.pk).count()


def test_member_added_twice_at_once_is_one_membership_and_a_409(world: World) -> None:
    newcomer = make_user("newcomer")

    def add() -> Membership:
        return member_add(
            actor=world.admin, project_id=world.project.pk, username=newcomer.username, role="annotator"
        )

    assert race(add, add) == "Conflict"
    assert Membership.objects.filter(project=world.project, user=newcomer).count() == 1


def test_two_admins_demoting_each_other_at_once_leave_one_admin(world: World) -> None:
    second_admin = make_user("second-admin")
    theirs = member_add(
        actor=world.admin, project_id=world.project.pk, username=second_admin.username, role="admin"
    )
    mine = Membership.objects.get(project=world.project, user=world.admin)
    answer = race(
        lambda: member_set_role(
            actor=world.admin, project_id=world.project.pk, membership_id=theirs.pk, role="annotator"
        ),
        lambda: member_set_role(
            actor=second_admin, project_id=world.project.pk, membership_id=mine.pk, role="annotator"
        ),
    )
    assert answer in ("Conflict", "Forbidden")
    assert Membership.objects.filter(project=world.project, role=Role.ADMIN).count() == 1


def test_role_change_of_a_member_being_removed_is_404(world: World) -> None:
    member = Membership.objects.get(project=world.project, user=world.annotator)
    client = client_for(world.admin)
    url = f"/api/v1/projects/{world.project.pk}/members/{member.pk}/"
    answer = race(
        lambda: client_for(world.admin).delete(url),
        lambda: client.patch(url, {"role": "reviewer"}, format="json"),
    )
    assert answer == "404"


# --- suggestions --------------------------------------------------------------------------


def test_accept_racing_reject_of_one_suggestion_is_a_409(world: World) -> None:
    suggestion = suggestion_create(
        article=world.article,
        label=world.project.labels.get(name="FIGURE"),
        start=0,
        end=3,
        recogniser="test",
        recogniser_version="1",
    )
    answer = race(
        lambda: suggestion_reject(actor=world.reviewer, suggestion_id=suggestion.pk),
        lambda: suggestion_accept(actor=world.annotator, suggestion_id=suggestion.pk),
    )
    assert answer == "Conflict"
    assert not Span.objects.filter(source_suggestion=suggestion).exists()


def test_two_accepts_of_one_suggestion_make_one_span(world: World) -> None:
    suggestion = suggestion_create(
        article=world.article,
        label=world.project.labels.get(name="FIGURE"),
        start=0,
        end=3,
        recogniser="test",
        recogniser_version="1",
    )

    def accept() -> Any:
        return suggestion_accept(actor=world.annotator, suggestion_id=suggestion.pk)

    assert race(accept, accept) == "ok"  # the second finds it accepted and hands back its span
    assert Span.objects.filter(source_suggestion=suggestion).count() == 1
