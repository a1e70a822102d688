"""Fields a caller may not set change nothing, and GET requests write nothing.

Unknown or read-only fields in a body are ignored (the server decides owner, layer, project,
ids, versions, text and provenance) or the request is refused; either way the database shows
what the server decided, never what the caller sent.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from annotator.annotations.models import AnnotationEvent, ArticleState, DocumentLabel, Relation, Span
from annotator.articles.models import Article
from annotator.common.text import sha256_hex
from annotator.jobs.models import Job
from annotator.projects.models import Label, Membership, Project
from tests.api.helpers_permissions import CALLERS, Scene, at, diff, scene_once, snapshot

V1 = "/api/v1"
IF_MATCH_1: dict[str, Any] = {"HTTP_IF_MATCH": '"1"'}


@pytest.fixture(scope="module")
def _scene(django_db_setup, django_db_blocker) -> Iterator[Scene]:
    with scene_once(django_db_blocker) as built:
        yield built


@pytest.fixture
def scene(_scene: Scene, db: None) -> Scene:
    """The module's scene; this test's changes are rolled back after it."""
    return _scene


def spans_url(s: Scene) -> str:
    return f"{V1}/articles/{s.article.pk}/spans/"


def refused_and_unchanged(response: Any, status: int, before: dict) -> None:
    assert response.status_code == status, response.content[:300]
    assert diff(before, snapshot()) == []


# --- spans ------------------------------------------------------------------------------------


def forged_fields(s: Scene) -> dict[str, Any]:
    """Everything about an annotation that the server, not the caller, decides."""
    return {
        "annotator": s.users["annotator2"].pk,
        "article": s.other_article.pk,
        "project": s.other_project.pk,
        "id": 987654,
        "version": 42,
        "text": "HACKED",
        "created_by": s.users["admin"].pk,
        "origin": "accepted",
        "suggestion_status": "accepted",
        "recogniser": "forged",
        "recogniser_version": "9",
        "score": 1.0,
        # provenance is the server's: ignored whole, with the recogniser's version under the
        # deprecated key (``version``) as under the current one.
        "provenance": {
            "origin": "accepted",
            "recogniser": "forged",
            "recogniser_version": "9",
            "version": "9",
        },
        "source_suggestion": s.spans["suggestion"].pk,
        "attributes": {"forged": True},
        "created_at": "2000-01-01T00:00:00Z",
    }


def assert_server_decided(span: Span, s: Scene, owner: str, layer: str = "annotator") -> None:
    assert span.article_id == s.article.pk
    assert span.layer == layer
    assert span.annotator_id == (s.users[owner].pk if layer == "annotator" else None)
    assert span.text == s.article.text[span.start : span.end]
    assert span.pk != 987654
    assert (span.origin, span.suggestion_status, span.recogniser, span.score) == ("manual", "", "", None)
    assert span.source_suggestion_id is None
    assert span.attributes == {}


@pytest.mark.parametrize("caller", ["annotator", "reviewer", "admin"])
def test_span_create_ignores_owner_article_ids_text_and_provenance(scene: Scene, caller: str) -> None:
    s = scene
    start, end = at(s.article.text, "£1,400")
    body = {"start": start, "end": end, "label": "FIGURE", **forged_fields(s)}
    other_spans = Span.objects.filter(article=s.other_article).count()
    response = s.client(caller).post(spans_url(s), body, format="json")
    assert response.status_code == 201, response.json()
    span = Span.objects.get(pk=response.json()["id"])
    assert_server_decided(span, s, owner=caller)
    assert (span.version, span.created_by_id) == (1, s.users[caller].pk)
    assert Span.objects.filter(article=s.other_article).count() == other_spans
    assert response.json()["annotator"] == caller and response.json()["text"] == "£1,400"


@pytest.mark.parametrize(
    ("caller", "layer", "status"),
    [
        ("annotator", "gold", 403),
        ("researcher", "gold", 403),
        ("researcher", "annotator", 403),
        ("annotator", "suggestion", 403),
        ("admin", "suggestion", 403),
        ("annotator", "bogus", 400),
        ("reviewer", "", 400),
    ],
)
def test_span_create_in_a_layer_the_caller_may_not_write(
    scene: Scene, caller: str, layer: str, status: int
) -> None:
    s = scene
    client = s.client(caller)
    before = snapshot()
    body = {"start": 0, "end": 3, "label": "CLAIM", "layer": layer}
    refused_and_unchanged(client.post(spans_url(s), body, format="json"), status, before)


def test_reviewer_naming_another_annotator_still_writes_own_layer(scene: Scene) -> None:
    s = scene
    body = {
        "start": 0,
        "end": 3,
        "label": "CLAIM",
        "layer": "annotator",
        "annotator": s.users["annotator"].pk,
    }
    response = s.client("reviewer").post(spans_url(s), body, format="json")
    assert response.status_code == 201
    assert Span.objects.get(pk=response.json()["id"]).annotator_id == s.users["reviewer"].pk


@pytest.mark.parametrize(
    ("caller", "key"),
    [("annotator", "ann_claim"), ("reviewer", "gold_claim"), ("reviewer", "reviewer_own"), ("admin", "ann2")],
)
def test_span_patch_ignores_layer_owner_article_ids_text_and_provenance(
    scene: Scene, caller: str, key: str
) -> None:
    s = scene
    original = s.spans[key]
    body = {**forged_fields(s), "layer": "gold" if original.layer != "gold" else "annotator"}
    body["end"] = original.end - 1
    response = s.client(caller).patch(f"{V1}/spans/{original.pk}/", body, format="json", **IF_MATCH_1)
    assert response.status_code == 200, response.json()
    span = Span.objects.get(pk=original.pk)
    assert (span.layer, span.annotator_id) == (original.layer, original.annotator_id)
    assert (span.article_id, span.created_by_id) == (original.article_id, original.created_by_id)
    assert span.version == 2
    assert (span.start, span.end) == (original.start, original.end - 1)
    assert span.text == s.article.text[span.start : span.end]
    assert (span.origin, span.suggestion_status, span.recogniser, span.attributes) == ("manual", "", "", {})


def test_span_patch_cannot_accept_a_suggestion_by_setting_its_status(scene: Scene) -> None:
    s = scene
    client = s.client("annotator")
    before = snapshot()
    body = {"suggestion_status": "accepted", "layer": "annotator", "annotator": s.users["annotator"].pk}
    response = client.patch(f"{V1}/spans/{s.spans['suggestion'].pk}/", body, format="json", **IF_MATCH_1)
    refused_and_unchanged(response, 403, before)


# --- relations, document labels, state ----------------------------------------------------------


def test_relation_create_ignores_layer_owner_and_article(scene: Scene) -> None:
    s = scene
    body = {
        "from": s.spans["ann_claim"].pk,
        "to": s.spans["ann_figure"].pk,
        "label": "LINKS",
        "layer": "gold",
        "annotator": s.users["annotator2"].pk,
        "article": s.other_article.pk,
        "version": 9,
        "created_by": s.users["admin"].pk,
    }
    response = s.client("annotator").post(f"{V1}/articles/{s.article.pk}/relations/", body, format="json")
    assert response.status_code == 201, response.json()
    rel = Relation.objects.get(pk=response.json()["id"])
    assert (rel.layer, rel.annotator_id, rel.article_id) == (
        "annotator",
        s.users["annotator"].pk,
        s.article.pk,
    )
    assert (rel.version, rel.created_by_id) == (1, s.users["annotator"].pk)


def test_relation_patch_cannot_move_its_ends_or_layer(scene: Scene) -> None:
    s = scene
    original = s.relations["ann"]
    body = {
        "label": "LINKS",
        "from": s.spans["gold_claim"].pk,
        "to": s.spans["gold_figure"].pk,
        "layer": "gold",
        "annotator": s.users["annotator2"].pk,
    }
    response = s.client("annotator").patch(
        f"{V1}/relations/{original.pk}/", body, format="json", **IF_MATCH_1
    )
    assert response.status_code == 200, response.json()
    rel = Relation.objects.get(pk=original.pk)
    assert (rel.source_id, rel.target_id) == (original.source_id, original.target_id)
    assert (rel.layer, rel.annotator_id, rel.label.name) == ("annotator", s.users["annotator"].pk, "LINKS")


def test_document_label_create_ignores_owner(scene: Scene) -> None:
    s = scene
    body = {"label": "OFFTOPIC", "annotator": s.users["annotator2"].pk, "article": s.other_article.pk}
    response = s.client("annotator").post(
        f"{V1}/articles/{s.article.pk}/document-labels/", body, format="json"
    )
    assert response.status_code == 201, response.json()
    obj = DocumentLabel.objects.get(pk=response.json()["id"])
    assert (obj.layer, obj.annotator_id, obj.article_id) == (
        "annotator",
        s.users["annotator"].pk,
        s.article.pk,
    )


def test_state_put_sets_only_the_callers_own_state(scene: Scene) -> None:
    s = scene
    theirs = ArticleState.objects.get(article=s.article, annotator=s.users["annotator2"])
    body = {"status": "submitted", "annotator": s.users["annotator2"].pk, "version": 7}
    response = s.client("annotator").put(f"{V1}/articles/{s.article.pk}/state/", body, format="json")
    assert response.status_code == 200, response.json()
    mine = ArticleState.objects.get(article=s.article, annotator=s.users["annotator"])
    assert (mine.status, mine.version) == ("submitted", 1)
    after = ArticleState.objects.get(pk=theirs.pk)
    assert (after.status, after.version, after.updated_at) == (
        theirs.status,
        theirs.version,
        theirs.updated_at,
    )


# --- projects and members -----------------------------------------------------------------------


def test_project_patch_ignores_id_and_role(scene: Scene) -> None:
    s = scene
    body = {"id": 4242, "role": "researcher", "created_at": "2000-01-01T00:00:00Z", "description": "new"}
    response = s.client("admin").patch(f"{V1}/projects/{s.project.pk}/", body, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["id"] == s.project.pk and response.json()["role"] == "admin"
    assert not Project.objects.filter(pk=4242).exists()
    project = Project.objects.get(pk=s.project.pk)
    assert project.description == "new" and project.created_at == s.project.created_at
    assert Membership.objects.get(project=s.project, user=s.users["admin"]).role == "admin"


@pytest.mark.parametrize("caller", ["reviewer", "annotator", "researcher"])
def test_non_admin_cannot_promote_self_through_project(scene: Scene, caller: str) -> None:
    s = scene
    client = s.client(caller)
    before = snapshot()
    response = client.patch(f"{V1}/projects/{s.project.pk}/", {"role": "admin", "members": []}, format="json")
    refused_and_unchanged(response, 403, before)


def test_project_create_ignores_role_and_members(scene: Scene) -> None:
    s = scene
    body = {
        "name": "Mine",
        "role": "researcher",
        "id": s.project.pk,
        "members": [{"username": "annotator2", "role": "admin"}, {"username": "outsider", "role": "admin"}],
    }
    response = s.client("annotator").post(f"{V1}/projects/", body, format="json")
    assert response.status_code == 201, response.json()
    new = response.json()["id"]
    assert new != s.project.pk and response.json()["role"] == "admin"
    assert list(Membership.objects.filter(project_id=new).values_list("user__username", "role")) == [
        ("annotator", "admin")
    ]
    assert Project.objects.get(pk=s.project.pk).name == "Argument"


def test_member_add_ignores_staff_flags_user_and_project(scene: Scene) -> None:
    s = scene
    body = {
        "username": "newbie",
        "role": "annotator",
        "is_staff": True,
        "is_superuser": True,
        "user": s.users["admin"].pk,
        "project": s.other_project.pk,
        "id": s.other_membership.pk,
    }
    response = s.client("admin").post(f"{V1}/projects/{s.project.pk}/members/", body, format="json")
    assert response.status_code == 201, response.json()
    newbie = get_user_model().objects.get(username="newbie")
    assert (newbie.is_staff, newbie.is_superuser) == (False, False)
    assert list(newbie.memberships.values_list("project_id", "role")) == [(s.project.pk, "annotator")]
    assert Membership.objects.get(pk=s.other_membership.pk).user_id == s.users["outsider"].pk


def test_member_patch_changes_only_the_role(scene: Scene) -> None:
    s = scene
    target = s.memberships["researcher"]
    body = {"role": "reviewer", "user": s.users["admin"].pk, "project": s.other_project.pk, "is_staff": True}
    response = s.client("admin").patch(
        f"{V1}/projects/{s.project.pk}/members/{target.pk}/", body, format="json"
    )
    assert response.status_code == 200, response.json()
    after = Membership.objects.get(pk=target.pk)
    assert (after.role, after.user_id, after.project_id) == ("reviewer", target.user_id, s.project.pk)
    assert get_user_model().objects.filter(is_staff=True).count() == 0


@pytest.mark.parametrize("caller", ["reviewer", "annotator", "researcher"])
@pytest.mark.parametrize("method", ["patch", "put"])
def test_member_cannot_make_self_admin(scene: Scene, caller: str, method: str) -> None:
    s = scene
    mine = s.memberships[caller]
    client = s.client(caller)
    before = snapshot()
    response = getattr(client, method)(
        f"{V1}/projects/{s.project.pk}/members/{mine.pk}/", {"role": "admin"}, format="json"
    )
    refused_and_unchanged(response, 403, before)


@pytest.mark.parametrize("caller", ["reviewer", "annotator", "researcher"])
def test_member_cannot_add_self_again_as_admin(scene: Scene, caller: str) -> None:
    s = scene
    client = s.client(caller)
    before = snapshot()
    body = {"username": caller, "role": "admin"}
    response = client.post(f"{V1}/projects/{s.project.pk}/members/", body, format="json")
    refused_and_unchanged(response, 403, before)


@pytest.mark.parametrize("method", ["patch", "put", "post"])
def test_me_is_read_only(scene: Scene, method: str) -> None:
    """/me/ has no write method: 405, and no flag or membership changes."""
    s = scene
    client = s.client("annotator")
    before = snapshot()
    body = {
        "is_staff": True,
        "is_superuser": True,
        "memberships": [{"project": s.project.pk, "role": "admin"}],
    }
    response = getattr(client, method)(f"{V1}/me/", body, format="json")
    refused_and_unchanged(response, 405, before)


def test_token_create_is_always_for_the_caller(scene: Scene) -> None:
    s = scene
    body = {"name": "mine", "user": s.users["admin"].pk, "user_id": s.users["admin"].pk}
    response = s.client("annotator").post(f"{V1}/tokens/", body, format="json")
    assert response.status_code == 201, response.json()
    from annotator.accounts.models import ApiToken

    assert ApiToken.objects.get(pk=response.json()["id"]).user_id == s.users["annotator"].pk


# --- articles and labels ------------------------------------------------------------------------


def test_article_create_ignores_project_id_and_sha(scene: Scene) -> None:
    s = scene
    text = "Fresh text, 12%."
    body = {
        "external_id": "fresh",
        "text": text,
        "project": s.other_project.pk,
        "text_sha256": "0" * 64,
        "id": s.other_article.pk,
    }
    other_count = Article.objects.filter(project=s.other_project).count()
    response = s.client("admin").post(f"{V1}/projects/{s.project.pk}/articles/", body, format="json")
    assert response.status_code == 201, response.json()
    article = Article.objects.get(pk=response.json()["id"])
    assert article.pk != s.other_article.pk
    assert (article.project_id, article.text_sha256) == (s.project.pk, sha256_hex(text))
    assert Article.objects.filter(project=s.other_project).count() == other_count


def test_article_batch_ignores_project(scene: Scene) -> None:
    s = scene
    body = [{"external_id": f"b{i}", "text": f"Text {i}", "project": s.other_project.pk} for i in range(2)]
    response = s.client("admin").post(f"{V1}/projects/{s.project.pk}/articles/", body, format="json")
    assert response.status_code == 201, response.json()
    assert set(Article.objects.filter(external_id__in=["b0", "b1"]).values_list("project_id", flat=True)) == {
        s.project.pk
    }


def test_article_patch_ignores_project_and_sha(scene: Scene) -> None:
    s = scene
    body = {"title": "Renamed", "project": s.other_project.pk, "text_sha256": "0" * 64}
    response = s.client("admin").patch(f"{V1}/articles/{s.article.pk}/", body, format="json")
    assert response.status_code == 200, response.json()
    article = Article.objects.get(pk=s.article.pk)
    assert (article.title, article.project_id, article.text_sha256) == (
        "Renamed",
        s.project.pk,
        s.article.text_sha256,
    )


def test_article_text_cannot_change(scene: Scene) -> None:
    s = scene
    client = s.client("admin")
    before = snapshot()
    response = client.patch(f"{V1}/articles/{s.article.pk}/", {"text": "Rewritten."}, format="json")
    refused_and_unchanged(response, 409, before)


def test_label_create_ignores_project(scene: Scene) -> None:
    s = scene
    other_labels = Label.objects.filter(project=s.other_project).count()
    body = {"kind": "span", "name": "NEWL", "project": s.other_project.pk, "id": s.other_labels["CLAIM"].pk}
    response = s.client("admin").post(f"{V1}/projects/{s.project.pk}/labels/", body, format="json")
    assert response.status_code == 201, response.json()
    label = Label.objects.get(pk=response.json()["id"])
    assert label.project_id == s.project.pk and label.pk != s.other_labels["CLAIM"].pk
    assert Label.objects.filter(project=s.other_project).count() == other_labels


def test_label_patch_ignores_project_and_kind(scene: Scene) -> None:
    s = scene
    claim = s.labels["CLAIM"]
    body = {"colour": "#000000", "project": s.other_project.pk, "kind": "relation"}
    response = s.client("admin").patch(f"{V1}/labels/{claim.pk}/", body, format="json")
    assert response.status_code == 200, response.json()
    label = Label.objects.get(pk=claim.pk)
    assert (label.colour, label.project_id, label.kind) == ("#000000", s.project.pk, "span")


def test_job_create_ignores_project_status_owner_and_result(scene: Scene) -> None:
    s = scene
    body = {
        "kind": "integrity_check",
        "project": s.other_project.pk,
        "status": "succeeded",
        "created_by": s.users["outsider"].pk,
        "result": {"forged": True},
        "progress_done": 99,
    }
    response = s.client("admin").post(f"{V1}/projects/{s.project.pk}/jobs/", body, format="json")
    assert response.status_code == 202, response.json()
    job = Job.objects.get(pk=response.json()["id"])
    assert (job.project_id, job.status, job.created_by_id) == (s.project.pk, "queued", s.users["admin"].pk)
    assert (job.result, job.progress_done) == (None, 0)


# --- GET requests write nothing -----------------------------------------------------------------


def get_urls(s: Scene) -> list[str]:
    p, a = f"{V1}/projects/{s.project.pk}", f"{V1}/articles/{s.article.pk}"
    urls = [
        f"{V1}/me/",
        f"{V1}/tokens/",
        f"{V1}/projects/",
        f"{V1}/projects/?page=2",
        f"{p}/",
        f"{p}/members/",
        *[f"{p}/members/{m.pk}/" for m in s.memberships.values()],
        f"{p}/labels/",
        *[f"{V1}/labels/{lab.pk}/" for lab in s.labels.values()],
        f"{p}/articles/",
        f"{p}/articles/?search=minister",
        f"{p}/articles/?status=in_progress",
        f"{p}/articles/?status=not_started&has_label=CLAIM",
        f"{p}/articles/?has_label={s.labels['FIGURE'].pk}&page_size=1",
        f"{p}/articles/?status=nonsense",
        f"{a}/",
        f"{V1}/articles/{s.second_article.pk}/",
        f"{a}/state/",
        f"{a}/spans/",
        f"{a}/relations/",
        f"{a}/document-labels/",
        *[f"{V1}/spans/{span.pk}/" for span in s.spans.values()],
        *[f"{V1}/relations/{rel.pk}/" for rel in s.relations.values()],
        *[f"{V1}/document-labels/{obj.pk}/" for obj in s.doclabels.values()],
        f"{p}/jobs/",
        f"{V1}/jobs/{s.job.pk}/",
        f"{V1}/jobs/{s.other_job.pk}/",
        f"{V1}/projects/{s.other_project.pk}/",
        f"{V1}/articles/{s.other_article.pk}/",
        f"{V1}/articles/{s.other_article.pk}/state/",
        f"{V1}/spans/999999999/",
        f"{V1}/jobs/{s.job.pk}/cancel/",  # GET on a POST-only endpoint
        f"{V1}/tokens/{s.admin_spare_token.pk}/",  # GET on a DELETE-only endpoint
    ]
    return urls


@pytest.mark.parametrize("caller", CALLERS)
def test_get_head_and_options_write_nothing(scene: Scene, caller: str) -> None:
    s = scene
    client = s.client(caller)
    urls = get_urls(s)
    events = AnnotationEvent.objects.count()
    before = snapshot()
    statuses = set()
    for url in urls:
        response = client.get(url)
        statuses.add(response.status_code)
        assert response.status_code < 500, (url, response.status_code)
        if response.has_header("ETag"):
            again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
            assert again.status_code in (200, 304), url
        assert client.head(url).status_code < 500, url
        assert client.options(url).status_code < 500, url
    assert diff(before, snapshot()) == []
    assert AnnotationEvent.objects.count() == events
    # The run saw both successes and refusals, except where every request is refused.
    assert statuses >= ({401} if caller == "anonymous" else {200, 404}), statuses


def test_schema_and_docs_write_nothing(scene: Scene) -> None:
    client = scene.client("researcher")
    before = snapshot()
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
    assert diff(before, snapshot()) == []


# --- a write of nothing but forbidden fields ------------------------------------------------------


def test_span_patch_of_only_forbidden_fields_changes_nothing(scene: Scene) -> None:
    s = scene
    client = s.client("annotator")
    before = snapshot()
    body = {"layer": "gold", "annotator": s.users["annotator2"].pk, "version": 5}
    response = client.patch(f"{V1}/spans/{s.spans['ann_claim'].pk}/", body, format="json", **IF_MATCH_1)
    assert response.status_code in (200, 400), response.content[:300]
    assert diff(before, snapshot()) == []


def test_project_patch_of_only_forbidden_fields_changes_nothing(scene: Scene) -> None:
    s = scene
    client = s.client("admin")
    before = snapshot()
    response = client.patch(
        f"{V1}/projects/{s.project.pk}/", {"id": 4242, "role": "researcher"}, format="json"
    )
    assert response.status_code in (200, 400), response.content[:300]
    assert diff(before, snapshot()) == []
