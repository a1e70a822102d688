"""Fields a caller may not set on projects, members, tokens, articles, labels and jobs change nothing."""

import pytest
from django.contrib.auth import get_user_model

from annotator.articles.models import Article
from annotator.common.text import sha256_hex
from annotator.jobs.models import Job
from annotator.projects.models import Label, Membership, Project
from tests.api.helpers_mass_assignment import V1, refused_and_unchanged
from tests.api.helpers_permissions import Scene, snapshot

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
