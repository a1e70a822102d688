"""Starting the claim_links job over the API (POST /projects/{id}/jobs/, kind claim_links), who
may, and accepting its cross-article suggestions over the API."""

from typing import Any

import pytest

from annotator.annotations.models import Layer, Relation
from annotator.jobs.models import Job
from annotator.jobs.runner import run_job
from tests.conftest import World, add_article

pytestmark = pytest.mark.usefixtures("transactional_db")


def start(world: World, role: str, body: Any = None, project: Any = None) -> Any:
    project = project or world.project
    body = body if body is not None else {"kind": "claim_links", "params": {}}
    return world.client(role).post(f"/api/v1/projects/{project.pk}/jobs/", body, format="json")


def test_an_admin_starts_it_and_others_are_refused(world: World) -> None:
    response = start(world, "admin")
    assert response.status_code == 202, response.json()
    assert response.json()["kind"] == "claim_links" and response.json()["status"] == "queued"
    for role in ("annotator", "reviewer", "researcher"):
        assert start(world, role).status_code == 403, role
    assert start(world, "outsider").status_code == 404
    assert start(world, "admin", {"kind": "claim_links", "params": {"threshold": 0.2}}).status_code == 400
    assert Job.objects.filter(kind="claim_links").count() == 1


def test_an_annotator_accepts_a_suggestion_across_articles(world: World) -> None:
    claim = "the Eastbrook maternity unit will close in March"
    a = add_article(world.admin, world.project, f'Dr Okoye said "{claim}".', "a")
    b = add_article(world.admin, world.project, f'"{claim.capitalize()}," the chair told the board.', "b")
    for article in (a, b):
        start_at = article.text.casefold().index(claim.casefold())
        response = world.client("annotator").post(
            f"/api/v1/articles/{article.pk}/spans/",
            {"start": start_at, "end": start_at + len(claim), "label": "CLAIM"},
            format="json",
        )
        assert response.status_code == 201, response.json()
    job = start(world, "admin").json()
    run_job(job["id"], redelivered=False)
    assert world.client("admin").get(f"/api/v1/jobs/{job['id']}/").json()["status"] == "succeeded"
    suggestion = Relation.objects.get(layer=Layer.SUGGESTION, recogniser="claim_links")
    assert (
        world.client("outsider").post(f"/api/v1/relation-suggestions/{suggestion.pk}/accept/").status_code
        == 404
    )
    response = world.client("annotator").post(f"/api/v1/relation-suggestions/{suggestion.pk}/accept/")
    assert response.status_code in (200, 201), response.json()
    made = Relation.objects.get(layer=Layer.ANNOTATOR, annotator=world.annotator)
    assert made.label.name == "SAME_CLAIM"
    assert {made.source.article_id, made.target.article_id} == {a.pk, b.pk}
    assert Relation.objects.filter(layer=Layer.ANNOTATOR).count() == 1
