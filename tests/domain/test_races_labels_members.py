"""Races on labels, members and suggestions end in the documented 404 or 409, never a 500."""

import threading
from typing import Any

import pytest
from django.db import connection

from annotator.annotations import services as annotation_services
from annotator.annotations.models import Span
from annotator.annotations.rejecting import suggestion_reject
from annotator.annotations.review import suggestion_accept
from annotator.annotations.services import span_create
from annotator.projects.models import Label, LabelKind, Membership, Role
from annotator.projects.services import label_create, label_delete, member_add, member_set_role
from tests.conftest import World, client_for, make_user
from tests.domain.race_helpers import Second, outcome_of, race
from tests.factories import suggestion_create

pytestmark = pytest.mark.django_db(transaction=True)

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
