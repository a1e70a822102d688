"""Other projects' ids in paths and in bodies are not found or refused, and change nothing."""

from dataclasses import dataclass

import pytest

from tests.api.helpers_permissions import ROLES, Scene, diff, snapshot
from tests.api.matrix import (
    IF_MATCH_1,
    V1,
    Body,
    Path,
    ann_span_url,
    article,
    doclabel,
    into_gold,
    link,
    project,
    rel_suggestion,
    relation,
    shorter,
    span,
    suggestion,
)

# --- other projects' ids in paths -------------------------------------------------------------


FOREIGN_PATHS: list[tuple[str, str, Path, Body | None]] = [
    ("project-detail", "get", lambda s: f"{V1}/projects/{s.other_project.pk}/", None),
    ("project-patch", "patch", lambda s: f"{V1}/projects/{s.other_project.pk}/", lambda s: {"name": "x"}),
    ("project-delete", "delete", lambda s: f"{V1}/projects/{s.other_project.pk}/", None),
    ("members-list", "get", lambda s: f"{V1}/projects/{s.other_project.pk}/members/", None),
    (
        "members-add",
        "post",
        lambda s: f"{V1}/projects/{s.other_project.pk}/members/",
        lambda s: {"username": "newbie", "role": "admin"},
    ),
    (
        "member-detail",
        "get",
        lambda s: f"{V1}/projects/{s.other_project.pk}/members/{s.other_membership.pk}/",
        None,
    ),
    (
        "member-patch",
        "patch",
        lambda s: f"{V1}/projects/{s.other_project.pk}/members/{s.other_membership.pk}/",
        lambda s: {"role": "annotator"},
    ),
    (
        "member-delete",
        "delete",
        lambda s: f"{V1}/projects/{s.other_project.pk}/members/{s.other_membership.pk}/",
        None,
    ),
    ("labels-list", "get", lambda s: f"{V1}/projects/{s.other_project.pk}/labels/", None),
    (
        "labels-create",
        "post",
        lambda s: f"{V1}/projects/{s.other_project.pk}/labels/",
        lambda s: {"kind": "span", "name": "X"},
    ),
    ("label-detail", "get", lambda s: f"{V1}/labels/{s.other_labels['CLAIM'].pk}/", None),
    (
        "label-patch",
        "patch",
        lambda s: f"{V1}/labels/{s.other_labels['CLAIM'].pk}/",
        lambda s: {"name": "HIJACKED"},
    ),
    ("label-delete", "delete", lambda s: f"{V1}/labels/{s.other_labels['OFFTOPIC'].pk}/", None),
    ("articles-list", "get", lambda s: f"{V1}/projects/{s.other_project.pk}/articles/", None),
    (
        "articles-create",
        "post",
        lambda s: f"{V1}/projects/{s.other_project.pk}/articles/",
        lambda s: {"text": "Planted."},
    ),
    ("article-detail", "get", lambda s: f"{V1}/articles/{s.other_article.pk}/", None),
    ("article-patch", "patch", lambda s: f"{V1}/articles/{s.other_article.pk}/", lambda s: {"title": "x"}),
    ("article-delete", "delete", lambda s: f"{V1}/articles/{s.other_article.pk}/", None),
    ("state-get", "get", lambda s: f"{V1}/articles/{s.other_article.pk}/state/", None),
    (
        "state-put",
        "put",
        lambda s: f"{V1}/articles/{s.other_article.pk}/state/",
        lambda s: {"status": "submitted"},
    ),
    ("spans-list", "get", lambda s: f"{V1}/articles/{s.other_article.pk}/spans/", None),
    (
        "spans-create",
        "post",
        lambda s: f"{V1}/articles/{s.other_article.pk}/spans/",
        lambda s: {"start": 0, "end": 5, "label": "CLAIM"},
    ),
    ("span-detail", "get", span("other"), None),
    ("span-patch", "patch", span("other"), shorter("other")),
    ("span-delete", "delete", span("other"), None),
    ("relations-list", "get", lambda s: f"{V1}/articles/{s.other_article.pk}/relations/", None),
    (
        "relations-create",
        "post",
        lambda s: f"{V1}/articles/{s.other_article.pk}/relations/",
        link("other", "other_figure"),
    ),
    ("relation-detail", "get", relation("other"), None),
    ("relation-patch", "patch", relation("other"), lambda s: {"label": "LINKS"}),
    ("relation-delete", "delete", relation("other"), None),
    ("document-labels-list", "get", lambda s: f"{V1}/articles/{s.other_article.pk}/document-labels/", None),
    (
        "document-labels-create",
        "post",
        lambda s: f"{V1}/articles/{s.other_article.pk}/document-labels/",
        lambda s: {"label": "OFFTOPIC"},
    ),
    ("document-label-detail", "get", doclabel("other"), None),
    ("document-label-patch", "patch", doclabel("other"), lambda s: {"label": "OFFTOPIC"}),
    ("document-label-delete", "delete", doclabel("other"), None),
    ("suggestions-list", "get", lambda s: f"{V1}/articles/{s.other_article.pk}/suggestions/", None),
    ("suggestion-accept", "post", suggestion("other_suggestion", "accept"), into_gold),
    ("suggestion-reject", "post", suggestion("other_suggestion", "reject"), None),
    ("relation-suggestion-accept", "post", rel_suggestion("other_suggestion", "accept"), None),
    ("relation-suggestion-reject", "post", rel_suggestion("other_suggestion", "reject"), None),
    (
        "article-suggestions-accept",
        "post",
        lambda s: f"{V1}/articles/{s.other_article.pk}/suggestions/accept/",
        lambda s: {"min_score": 0},
    ),
    (
        "article-suggestions-reject",
        "post",
        lambda s: f"{V1}/articles/{s.other_article.pk}/suggestions/reject/",
        None,
    ),
    ("jobs-list", "get", lambda s: f"{V1}/projects/{s.other_project.pk}/jobs/", None),
    (
        "jobs-create",
        "post",
        lambda s: f"{V1}/projects/{s.other_project.pk}/jobs/",
        lambda s: {"kind": "integrity_check"},
    ),
    ("job-detail", "get", lambda s: f"{V1}/jobs/{s.other_job.pk}/", None),
    ("job-cancel", "post", lambda s: f"{V1}/jobs/{s.other_job.pk}/cancel/", None),
    ("job-retry", "post", lambda s: f"{V1}/jobs/{s.other_job.pk}/retry/", None),
    ("imports-list", "get", lambda s: f"{V1}/projects/{s.other_project.pk}/imports/", None),
    ("recommender-detail", "get", lambda s: f"{V1}/projects/{s.other_project.pk}/recommender/", None),
    ("recommender-train", "post", lambda s: f"{V1}/projects/{s.other_project.pk}/recommender/train/", None),
    ("preannotate-list", "get", lambda s: f"{V1}/projects/{s.other_project.pk}/preannotate/", None),
    ("project-progress", "get", lambda s: f"{V1}/projects/{s.other_project.pk}/progress/", None),
    (
        "preannotate-start",
        "post",
        lambda s: f"{V1}/projects/{s.other_project.pk}/preannotate/",
        lambda s: {"recognisers": ["figures"]},
    ),
    ("exports-list", "get", lambda s: f"{V1}/projects/{s.other_project.pk}/exports/", None),
    ("export-stream", "get", lambda s: f"{V1}/projects/{s.other_project.pk}/export.jsonl", None),
    # A job of B under A's path, and A's export under B's path.
    ("export-detail", "get", lambda s: f"{V1}/projects/{s.project.pk}/exports/{s.other_job.pk}/", None),
    (
        "export-download",
        "get",
        lambda s: f"{V1}/projects/{s.other_project.pk}/exports/{s.export_job.pk}/download",
        None,
    ),
]


@pytest.mark.parametrize("caller", ROLES)
@pytest.mark.parametrize(
    ("method", "path", "body"),
    [pytest.param(m, p, b, id=name) for name, m, p, b in FOREIGN_PATHS],
)
def test_other_projects_objects_in_paths_are_not_found(
    scene: Scene, caller: str, method: str, path: Path, body: Body | None
) -> None:
    """A member of A using any id of project B (even with If-Match right) gets 404, changes nothing."""
    client = scene.client(caller)
    before = snapshot()
    response = getattr(client, method)(
        path(scene), body(scene) if body else None, format="json", **IF_MATCH_1
    )
    assert response.status_code == 404, response.content[:300]
    assert diff(before, snapshot()) == []


# --- other projects' ids in bodies (and mismatched path pairs) --------------------------------


@dataclass(frozen=True)
class Case:
    caller: str
    method: str
    path: Path
    body: Body
    expected: int


FOREIGN_BODIES = {
    "relation-from-and-to-spans-of-B": Case(
        "annotator", "post", lambda s: f"{article(s)}relations/", link("other", "other_figure"), 404
    ),
    "relation-to-a-span-of-B": Case(
        "annotator", "post", lambda s: f"{article(s)}relations/", link("ann_claim", "other"), 404
    ),
    "relation-from-a-span-of-B": Case(
        "admin", "post", lambda s: f"{article(s)}relations/", link("other", "ann_claim"), 404
    ),
    "B-admin-links-spans-of-A-in-Bs-article": Case(
        "outsider",
        "post",
        lambda s: f"{V1}/articles/{s.other_article.pk}/relations/",
        link("ann_claim", "ann_figure"),
        404,
    ),
    "relation-with-Bs-relation-label-id": Case(
        "annotator",
        "post",
        lambda s: f"{article(s)}relations/",
        lambda s: {
            "from": s.spans["ann_claim"].pk,
            "to": s.spans["ann_figure"].pk,
            "label": s.other_labels["LINKS"].pk,
        },
        404,
    ),
    "relation-patch-with-Bs-label-id": Case(
        "annotator",
        "patch",
        relation("ann"),
        lambda s: {"label": s.other_labels["LINKS"].pk},
        404,
    ),
    "span-with-Bs-label-id": Case(
        "annotator",
        "post",
        lambda s: f"{article(s)}spans/",
        lambda s: {"start": 0, "end": 3, "label": s.other_labels["FIGURE"].pk},
        404,
    ),
    "span-with-Bs-label-id-as-a-string": Case(
        "annotator",
        "post",
        lambda s: f"{article(s)}spans/",
        lambda s: {"start": 0, "end": 3, "label": str(s.other_labels["FIGURE"].pk)},
        404,
    ),
    "gold-span-with-Bs-label-id": Case(
        "reviewer",
        "post",
        lambda s: f"{article(s)}spans/",
        lambda s: {"start": 0, "end": 3, "label": s.other_labels["FIGURE"].pk, "layer": "gold"},
        404,
    ),
    "span-patch-with-Bs-label-id": Case(
        "annotator", "patch", ann_span_url, lambda s: {"label": s.other_labels["CLAIM"].pk}, 404
    ),
    "B-admin-span-in-Bs-article-with-As-label-id": Case(
        "outsider",
        "post",
        lambda s: f"{V1}/articles/{s.other_article.pk}/spans/",
        lambda s: {"start": 0, "end": 5, "label": s.labels["CLAIM"].pk},
        404,
    ),
    "document-label-with-Bs-label-id": Case(
        "annotator",
        "post",
        lambda s: f"{article(s)}document-labels/",
        lambda s: {"label": s.other_labels["OFFTOPIC"].pk},
        404,
    ),
    "document-label-patch-with-Bs-label-id": Case(
        "annotator", "patch", doclabel("ann"), lambda s: {"label": s.other_labels["OFFTOPIC"].pk}, 404
    ),
    "label-create-restricted-to-Bs-span-labels": Case(
        "admin",
        "post",
        lambda s: f"{project(s)}labels/",
        lambda s: {"kind": "relation", "name": "CROSS", "allowed_sources": [s.other_labels["CLAIM"].pk]},
        404,
    ),
    "label-patch-restricted-to-Bs-span-labels": Case(
        "admin",
        "patch",
        lambda s: f"{V1}/labels/{s.labels['LINKS'].pk}/",
        lambda s: {"name": "RENAMED", "allowed_targets": [s.other_labels["CLAIM"].pk]},
        404,
    ),
    "relation-with-spans-of-another-article-of-A": Case(
        "admin",
        "post",
        lambda s: f"{V1}/articles/{s.second_article.pk}/relations/",
        link("ann_claim", "ann_figure"),
        404,
    ),
    # A's members path with B's membership id.
    "member-detail-of-B-under-As-path": Case(
        "admin",
        "get",
        lambda s: f"{project(s)}members/{s.other_membership.pk}/",
        lambda s: None,
        404,
    ),
    "member-patch-of-B-under-As-path": Case(
        "admin",
        "patch",
        lambda s: f"{project(s)}members/{s.other_membership.pk}/",
        lambda s: {"role": "annotator"},
        404,
    ),
    "member-delete-of-B-under-As-path": Case(
        "admin",
        "delete",
        lambda s: f"{project(s)}members/{s.other_membership.pk}/",
        lambda s: None,
        404,
    ),
    "member-patch-of-B-under-As-path-as-reviewer": Case(
        "reviewer",
        "patch",
        lambda s: f"{project(s)}members/{s.other_membership.pk}/",
        lambda s: {"role": "annotator"},
        403,  # refused for the role before the id is looked at: reveals nothing about B
    ),
    "B-admin-patches-As-membership-under-Bs-path": Case(
        "outsider",
        "patch",
        lambda s: f"{V1}/projects/{s.other_project.pk}/members/{s.memberships['annotator'].pk}/",
        lambda s: {"role": "admin"},
        404,
    ),
    "B-admin-deletes-As-membership-under-Bs-path": Case(
        "outsider",
        "delete",
        lambda s: f"{V1}/projects/{s.other_project.pk}/members/{s.memberships['admin'].pk}/",
        lambda s: None,
        404,
    ),
}


@pytest.mark.parametrize("case", [pytest.param(c, id=name) for name, c in FOREIGN_BODIES.items()])
def test_other_projects_ids_in_bodies_are_refused(scene: Scene, case: Case) -> None:
    client = scene.client(case.caller)
    before = snapshot()
    response = getattr(client, case.method)(case.path(scene), case.body(scene), format="json", **IF_MATCH_1)
    assert response.status_code == case.expected, response.content[:300]
    assert diff(before, snapshot()) == []
