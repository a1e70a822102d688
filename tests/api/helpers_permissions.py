"""A populated project for the permission and mass-assignment tests, and a snapshot of every
domain row so a test can assert that a refused request (or any GET) changed nothing.

The scene is built once per test module inside an outer transaction that is rolled back at
the end (``scene_once``); each test runs in a savepoint inside it (pytest-django's ``db``),
so every test sees the same fresh rows. Tests must not mutate the Scene's Python objects.

Project A (``world.project``) holds objects in every layer: the annotator's own, a second
annotator's, the reviewer's own, gold and suggestions (two spans and a relation joining them). Project B (``world.other_project``,
administered by "outsider") holds objects whose ids A's members try to use.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Model
from rest_framework.test import APIClient

from annotator.accounts.models import ApiToken
from annotator.accounts.services import token_create
from annotator.annotations import services as annotations
from annotator.annotations.models import (
    AnnotationEvent,
    ArticleState,
    DocumentLabel,
    Relation,
    Span,
    Speaker,
    SpeakerSpelling,
)
from annotator.articles.models import Article, ArticleChange, ArticleTombstone, Assignment
from annotator.jobs.models import Job
from annotator.preannotation.models import RecommenderModel
from annotator.projects.models import Label, LabelKind, Membership, Project
from annotator.projects.services import label_create
from annotator.webhooks.models import Delivery, Webhook
from annotator.workflow.models import ArticleReview, Comment
from tests import factories
from tests.conftest import TRICKY_TEXT, World, add_article, client_for
from tests.conftest import build_world as conftest_build_world

ROLES = ("admin", "reviewer", "annotator", "researcher")
CALLERS = (*ROLES, "outsider", "anonymous")


def at(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


@dataclass
class Scene:
    world: World
    users: dict[str, User]
    labels: dict[str, Label]  # project A's labels by name
    other_labels: dict[str, Label]  # project B's labels by name
    spans: dict[str, Span]
    relations: dict[str, Relation]
    doclabels: dict[str, DocumentLabel]
    memberships: dict[str, Membership]  # project A's, by username
    job: Job
    other_job: Job
    export_job: Job  # a finished export of project A, its file in storage
    other_membership: Membership  # outsider's admin membership of B
    second_article: Article  # another article of A
    admin_spare_token: ApiToken
    assignment: Assignment  # the annotator's, of the article (project A stays "open")
    other_assignment: Assignment  # of B's article, to outsider
    # Threads: on the annotator's span (by the annotator), on annotator2's span (by annotator2),
    # on the article by the reviewer, on the gold claim by the reviewer, and one in project B.
    comments: dict[str, Comment]

    @property
    def project(self) -> Project:
        return self.world.project

    @property
    def other_project(self) -> Project:
        return self.world.other_project

    @property
    def article(self) -> Article:
        return self.world.article

    @property
    def other_article(self) -> Article:
        return self.world.other_article

    def client(self, caller: str) -> APIClient:
        return client_for(None if caller == "anonymous" else self.users[caller])


def make_user(username: str) -> User:
    # No password: hashing one costs more than all the rest of a test, and tokens need none.
    return get_user_model().objects.create_user(username=username)


def build_world() -> World:
    """conftest's world (built outside a test) with a second annotator in project A."""
    return conftest_build_world(make=make_user, extra_annotators=("annotator2",))


@contextmanager
def scene_once(django_db_blocker: Any) -> Iterator[Scene]:
    """Build the scene in a transaction that is rolled back when the module is done."""
    with django_db_blocker.unblock(), transaction.atomic():
        scene = build_scene(build_world())
        try:
            yield scene
        finally:
            default_storage.delete((scene.export_job.result or {})["file"])
            transaction.set_rollback(True)


def _span(actor: User, article: Article, part: str, label: str, layer: str = "annotator") -> Span:
    start, end = at(article.text, part)
    return annotations.span_create(
        actor=actor, article_id=article.pk, start=start, end=end, label=label, layer=layer
    )


def _relation(actor: User, source: Span, target: Span, label: str) -> Relation:
    return annotations.relation_create(
        actor=actor, article_id=source.article_id, source_id=source.pk, target_id=target.pk, label=label
    )


def _suggestion(article: Article, label: Label, part: str) -> Span:
    start, end = at(article.text, part)
    return factories.suggestion_create(
        article=article,
        label=label,
        start=start,
        end=end,
        recogniser="figures",
        recogniser_version="1",
        score=0.7,
    )


def build_scene(world: World) -> Scene:
    users = dict(world.users)
    admin, reviewer, annotator = users["admin"], users["reviewer"], users["annotator"]
    outsider = users["outsider"]
    project, other = world.project, world.other_project
    article, other_article = world.article, world.other_article

    users["newbie"] = make_user("newbie")  # a user in no project, for "add member"

    for actor, proj in ((admin, project), (outsider, other)):
        label_create(actor=actor, project_id=proj.pk, kind=LabelKind.RELATION, name="LINKS")
        label_create(actor=actor, project_id=proj.pk, kind=LabelKind.DOCUMENT, name="RELEVANT")
        label_create(actor=actor, project_id=proj.pk, kind=LabelKind.DOCUMENT, name="OFFTOPIC")
    label_create(actor=admin, project_id=project.pk, kind=LabelKind.SPAN, name="SPARE")  # unused
    labels = {lab.name: lab for lab in Label.objects.filter(project=project)}
    other_labels = {lab.name: lab for lab in Label.objects.filter(project=other)}

    spans = {
        "ann_claim": _span(annotator, article, "The minister", "CLAIM"),
        "ann_figure": _span(annotator, article, "4.75%", "FIGURE"),
        "ann2": _span(users["annotator2"], article, "critics", "CLAIM"),
        "reviewer_own": _span(reviewer, article, "inflation", "CLAIM"),
        "gold_claim": _span(reviewer, article, "The minister", "CLAIM", layer="gold"),
        "gold_figure": _span(reviewer, article, "4.75%", "FIGURE", layer="gold"),
        "other": _span(outsider, other_article, "Other", "CLAIM"),
        "other_figure": _span(outsider, other_article, "42%", "FIGURE"),
    }
    start, end = at(TRICKY_TEXT, "55 NHS trusts")
    spans["suggestion"] = factories.suggestion_create(
        article=article,
        label=labels["FIGURE"],
        start=start,
        end=end,
        recogniser="figures",
        recogniser_version="1",
        score=0.9,
    )
    # A suggested link: the "55 NHS trusts" figure supports the claim "disagreed" (both
    # suggested too); and the same shape in B, whose ids A's members try to use.
    spans["suggestion_claim"] = _suggestion(article, labels["CLAIM"], "disagreed")
    spans["other_suggestion"] = _suggestion(other_article, other_labels["FIGURE"], "42%")
    spans["other_suggestion_claim"] = _suggestion(other_article, other_labels["CLAIM"], "Other text")
    relations = {
        "ann": _relation(annotator, spans["ann_figure"], spans["ann_claim"], "SUPPORTS"),
        "gold": _relation(reviewer, spans["gold_figure"], spans["gold_claim"], "SUPPORTS"),
        "other": _relation(outsider, spans["other_figure"], spans["other"], "SUPPORTS"),
        "suggestion": factories.relation_suggestion_create(
            label=labels["SUPPORTS"],
            source=spans["suggestion"],
            target=spans["suggestion_claim"],
            recogniser="figures",
            recogniser_version="1",
            score=0.8,
        ),
        "other_suggestion": factories.relation_suggestion_create(
            label=other_labels["SUPPORTS"],
            source=spans["other_suggestion"],
            target=spans["other_suggestion_claim"],
            recogniser="figures",
            recogniser_version="1",
            score=0.8,
        ),
    }
    doclabels = {
        "ann": annotations.document_label_create(actor=annotator, article_id=article.pk, label="RELEVANT"),
        "gold": annotations.document_label_create(
            actor=reviewer, article_id=article.pk, label="RELEVANT", layer="gold"
        ),
        "other": annotations.document_label_create(
            actor=outsider, article_id=other_article.pk, label="RELEVANT"
        ),
    }
    # Someone else's state exists; the callers' own do not yet (so PUT needs no If-Match).
    annotations.state_set(
        actor=users["annotator2"], article_id=article.pk, status="in_progress", expected_version=0
    )
    comments = {
        "ann": _comment(annotator, spans["ann_claim"], "Is this the claim?"),
        "ann2": _comment(users["annotator2"], spans["ann2"], "Unsure about this one."),
        "review": Comment.objects.create(
            project=project, article=article, author=reviewer, body="Read the guidelines on figures."
        ),
        "gold": _comment(reviewer, spans["gold_claim"], "Taken from two layers."),
        "other": _comment(outsider, spans["other"], "In project B."),
    }
    spare_token, _ = token_create(user=admin, name="spare")
    export_file = default_storage.save(f"exports/{project.pk}/matrix.jsonl", ContentFile(b"{}\n"))
    export_job = Job.objects.create(
        project=project,
        kind="export",
        status="succeeded",
        created_by=admin,
        result={"file": export_file, "format": "native", "cursor": f"{project.pk}-1", "sha256": ""},
    )
    return Scene(
        world=world,
        users=users,
        labels=labels,
        other_labels=other_labels,
        spans=spans,
        relations=relations,
        doclabels=doclabels,
        memberships={m.user.username: m for m in Membership.objects.filter(project=project)},
        job=Job.objects.create(project=project, kind="integrity_check", created_by=admin),
        other_job=Job.objects.create(project=other, kind="integrity_check", created_by=outsider),
        export_job=export_job,
        other_membership=Membership.objects.get(project=other, user=outsider),
        second_article=add_article(admin, project, "A second article about 3% growth.", "a2"),
        admin_spare_token=spare_token,
        assignment=Assignment.objects.create(project=project, article=article, annotator=annotator),
        other_assignment=Assignment.objects.create(project=other, article=other_article, annotator=outsider),
        comments=comments,
    )


def _comment(author: User, span: Span, body: str) -> Comment:
    """A thread on ``span``, readable as its layer is (workflow.models.Comment)."""
    return Comment.objects.create(
        project_id=span.article.project_id,
        article_id=span.article_id,
        span=span,
        author=author,
        body=body,
        layer=span.layer,
        layer_annotator_id=span.annotator_id,
    )


# --- snapshots ----------------------------------------------------------------------------

SNAPSHOT_MODELS: tuple[type[Model], ...] = (
    User,
    ApiToken,
    Project,
    Membership,
    Label,
    Label.allowed_sources.through,
    Label.allowed_targets.through,
    Article,
    Span,
    Relation,
    DocumentLabel,
    ArticleState,
    AnnotationEvent,
    ArticleChange,
    ArticleTombstone,
    Job,
    RecommenderModel,
    Assignment,
    ArticleReview,
    Comment,
    Speaker,
    SpeakerSpelling,
    Webhook,
    Delivery,
)
# Authenticating with a token touches its last_used_at (at most every few minutes): that is
# bookkeeping of the credential, not a change to anything the API serves.
IGNORED_FIELDS: dict[type[Model], set[str]] = {ApiToken: {"last_used_at"}}


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row (every field: versions, updated_at, ...) of the domain and account tables."""
    state = {}
    for model in SNAPSHOT_MODELS:
        ignored = IGNORED_FIELDS.get(model, set())
        rows = model._default_manager.order_by("pk").values()
        state[model._meta.label] = [{k: v for k, v in row.items() if k not in ignored} for row in rows]
    return state


def diff(before: dict[str, list[dict[str, Any]]], after: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Which tables changed, for readable assertion messages."""
    return [name for name in before if before[name] != after[name]]
