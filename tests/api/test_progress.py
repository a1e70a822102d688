"""GET /api/v1/projects/{id}/progress/: states and annotation counts per annotator and label."""

from typing import Any

from annotator.projects.models import Membership
from tests.conftest import TRICKY_TEXT, World, add_article, client_for, make_user
from tests.factories import suggestion_create

V1 = "/api/v1"


def span(client: Any, world: World, part: str, label: str, **extra: object) -> Any:
    start = TRICKY_TEXT.index(part)
    body = {"start": start, "end": start + len(part), "label": label, **extra}
    r = client.post(f"{V1}/articles/{world.article.pk}/spans/", body, format="json")
    assert r.status_code == 201, r.json()
    return r.json()


def progress(world: World, role: str = "admin") -> Any:
    return world.client(role).get(f"{V1}/projects/{world.project.pk}/progress/")


def test_counts_per_annotator_and_per_label(world: World, django_assert_max_num_queries: Any) -> None:
    add_article(world.users["admin"], world.project, "A second article, 12%.", "a2")
    annotator, reviewer = world.client("annotator"), world.client("reviewer")
    claim = span(annotator, world, "inflation was 4.75%", "CLAIM")
    figure = span(annotator, world, "4.75%", "FIGURE")
    r = annotator.post(
        f"{V1}/articles/{world.article.pk}/relations/",
        {"from": figure["id"], "to": claim["id"], "label": "SUPPORTS"},
        format="json",
    )
    assert r.status_code == 201, r.json()
    assert (
        annotator.put(f"{V1}/articles/{world.article.pk}/state/", {"status": "submitted"}).status_code == 200
    )
    span(reviewer, world, "£1,400", "FIGURE", layer="gold")
    start = TRICKY_TEXT.index("55 NHS trusts")
    suggestion_create(
        article=world.article,
        label=world.project.labels.get(name="FIGURE"),
        start=start,
        end=start + 13,
        recogniser="figures",
        recogniser_version="1",
        score=0.9,
    )
    # Another project's work is not counted here.
    r = world.client("outsider").post(
        f"{V1}/articles/{world.other_article.pk}/spans/",
        {"start": 0, "end": 5, "label": "FIGURE"},
        format="json",
    )
    assert r.status_code == 201, r.json()

    admin = world.client("admin")
    with django_assert_max_num_queries(11):  # auth 3, membership, then 7 however big the project
        r = admin.get(f"{V1}/projects/{world.project.pk}/progress/")
    assert r.status_code == 200, r.json()
    body = r.json()
    assert body["articles"] == 2
    people = {a["username"]: a for a in body["annotators"]}
    assert set(people) == {"admin", "reviewer", "annotator"}  # the researcher annotates nothing
    assert people["annotator"] == {
        "username": "annotator",
        "role": "annotator",
        "statuses": {"not_started": 1, "in_progress": 0, "submitted": 1, "skipped": 0},
        "spans": 2,
        "relations": 1,
        "document_labels": 0,
    }
    assert people["reviewer"]["statuses"]["not_started"] == 2 and people["reviewer"]["spans"] == 0
    labels = {(lab["kind"], lab["name"]): lab for lab in body["labels"]}
    assert labels[("span", "FIGURE")]["annotators"] == {"annotator": 1}
    assert labels[("span", "FIGURE")]["gold"] == 1
    assert labels[("span", "FIGURE")]["suggestions"] == {"pending": 1, "accepted": 0, "rejected": 0}
    assert labels[("span", "CLAIM")]["annotators"] == {"annotator": 1}
    assert labels[("relation", "SUPPORTS")]["annotators"] == {"annotator": 1}
    assert labels[("span", "REBUTTAL")]["annotators"] == {} and labels[("span", "REBUTTAL")]["gold"] == 0


def test_a_former_member_keeps_their_counts_without_a_role(world: World) -> None:
    span(world.client("annotator"), world, "4.75%", "FIGURE")
    Membership.objects.filter(project=world.project, user=world.users["annotator"]).delete()
    people = {a["username"]: a for a in progress(world).json()["annotators"]}
    assert people["annotator"]["role"] is None and people["annotator"]["spans"] == 1


def test_who_may_see_it(world: World) -> None:
    for role in ("admin", "reviewer", "researcher"):
        assert progress(world, role).status_code == 200, role
    assert progress(world, "annotator").status_code == 403
    assert progress(world, "outsider").status_code == 404
    assert (
        client_for(make_user("stranger")).get(f"{V1}/projects/{world.project.pk}/progress/").status_code
        == 404
    )
