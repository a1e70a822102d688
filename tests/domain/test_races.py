"""Races on spans, relations, document labels, states and articles (deleted, edited or posted
twice at once) end in the documented 404, 409, 412 or 200, never a 500. Machinery: race_helpers.py."""

import threading
from typing import Any

import pytest
from django.db import connection

from annotator.annotations.models import DocumentLabel, Relation, Span
from annotator.annotations.services import (
    document_label_create,
    document_label_delete,
    document_label_update,
    relation_create,
    relation_delete,
    span_delete,
    span_update,
    state_set,
)
from annotator.articles.models import Article, ArticleTombstone
from annotator.articles.services import ArticleInput, article_delete, article_update, articles_add
from annotator.projects.models import LabelKind
from annotator.projects.services import label_create
from tests.conftest import World, client_for
from tests.domain.race_helpers import a_span, outcome_of, race

pytestmark = pytest.mark.django_db(transaction=True)

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
