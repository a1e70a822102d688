"""The permissions matrix: every endpoint x method x caller (each role, a non-member, anonymous).

Every request runs against a fresh project holding objects in every layer (see
helpers_permissions). A refused request (4xx) and every GET must leave every row of every
domain table exactly as it was; an accepted write must change something.

Also here: other projects' ids used in paths and in bodies, and what each role can see.
"""

import importlib
import pkgutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path as Path_
from typing import Any

import pytest

from annotator.articles.models import Article
from tests.api.helpers_permissions import CALLERS, ROLES, Scene, at, diff, scene_once, snapshot
from tests.api.matrix import (
    ADMIN_ONLY_200,
    ADMIN_ONLY_201,
    ADMIN_ONLY_202,
    ADMIN_ONLY_204,
    EVERYONE,
    EXPORTERS_200,
    IF_MATCH_1,
    MEMBERS_READ,
    V1,
    Body,
    Path,
    Row,
    article,
    article_suggestions,
    doclabel,
    expect,
    failed_job_retry,
    into_gold,
    link,
    project,
    rel_suggestion,
    relation,
    shorter,
    span,
    span_at,
    suggestion,
)

MATRIX: list[Row] = [
    # --- projects ---
    Row("projects-list", "get", lambda s: f"{V1}/projects/", EVERYONE),
    Row(
        "projects-create",
        "post",
        lambda s: f"{V1}/projects/",
        expect("201 201 201 201 201 401"),
        lambda s: {"name": "Fresh"},
    ),
    Row("project-detail", "get", project, MEMBERS_READ),
    Row("project-patch", "patch", project, ADMIN_ONLY_200, lambda s: {"description": "changed"}),
    Row("project-put", "put", project, ADMIN_ONLY_200, lambda s: {"name": "Renamed", "description": "x"}),
    Row("project-delete", "delete", project, ADMIN_ONLY_204),
    # --- members ---
    Row("members-list", "get", lambda s: f"{project(s)}members/", MEMBERS_READ),
    Row(
        "members-add",
        "post",
        lambda s: f"{project(s)}members/",
        ADMIN_ONLY_201,
        lambda s: {"username": "newbie", "role": "annotator"},
    ),
    *[
        Row(
            f"member-{name}",
            method,
            lambda s: f"{project(s)}members/{s.memberships['researcher'].pk}/",
            exp,
            body,
        )
        for name, method, exp, body in [
            ("detail", "get", MEMBERS_READ, None),
            ("patch", "patch", ADMIN_ONLY_200, lambda s: {"role": "reviewer"}),
            ("put", "put", ADMIN_ONLY_200, lambda s: {"role": "reviewer"}),
            ("delete", "delete", ADMIN_ONLY_204, None),
        ]
    ],
    # --- labels ---
    Row("labels-list", "get", lambda s: f"{project(s)}labels/", MEMBERS_READ),
    Row(
        "labels-create",
        "post",
        lambda s: f"{project(s)}labels/",
        ADMIN_ONLY_201,
        lambda s: {"kind": "span", "name": "NEW"},
    ),
    Row("label-detail", "get", lambda s: f"{V1}/labels/{s.labels['CLAIM'].pk}/", MEMBERS_READ),
    Row(
        "label-patch",
        "patch",
        lambda s: f"{V1}/labels/{s.labels['CLAIM'].pk}/",
        ADMIN_ONLY_200,
        lambda s: {"colour": "#123456"},
    ),
    Row("label-delete-unused", "delete", lambda s: f"{V1}/labels/{s.labels['SPARE'].pk}/", ADMIN_ONLY_204),
    # --- articles ---
    Row("articles-list", "get", lambda s: f"{project(s)}articles/", MEMBERS_READ),
    Row(
        "articles-create",
        "post",
        lambda s: f"{project(s)}articles/",
        ADMIN_ONLY_201,
        lambda s: {"external_id": "new", "text": "Fresh text, 12%."},
    ),
    Row("article-detail", "get", article, MEMBERS_READ),
    Row("article-patch", "patch", article, ADMIN_ONLY_200, lambda s: {"title": "New title"}),
    Row("article-delete", "delete", article, ADMIN_ONLY_204),
    # --- the caller's state ---
    Row("state-get", "get", lambda s: f"{article(s)}state/", MEMBERS_READ),
    Row(
        "state-put",
        "put",
        lambda s: f"{article(s)}state/",
        expect("200 200 200 403 404 401"),
        lambda s: {"status": "submitted"},
    ),
    # --- spans ---
    Row("spans-list", "get", lambda s: f"{article(s)}spans/", MEMBERS_READ),
    Row(
        "spans-create-own-layer",
        "post",
        lambda s: f"{article(s)}spans/",
        expect("201 201 201 403 404 401"),
        span_at("£1,400", "FIGURE"),
    ),
    Row(
        "spans-create-gold",
        "post",
        lambda s: f"{article(s)}spans/",
        expect("201 201 403 403 404 401"),
        span_at("£1,400", "FIGURE", layer="gold"),
    ),
    Row(
        "spans-create-suggestion",
        "post",
        lambda s: f"{article(s)}spans/",
        expect("403 403 403 403 404 401"),
        span_at("£1,400", "FIGURE", layer="suggestion"),
    ),
    # A span of each layer, read and written by each caller.
    *[
        Row(
            f"span-{what}-{method}",
            method,
            span(key),
            expect(codes),
            body,
            IF_MATCH_1 if body or method == "delete" else {},
        )
        for what, key, method, codes, body in [
            ("annotators", "ann_claim", "get", "200 200 200 200 404 401", None),
            ("annotators", "ann_claim", "patch", "200 403 200 403 404 401", shorter("ann_claim")),
            ("annotators", "ann_claim", "delete", "204 403 204 403 404 401", None),
            ("other-annotators", "ann2", "get", "200 200 404 200 404 401", None),
            ("other-annotators", "ann2", "patch", "200 403 404 403 404 401", shorter("ann2")),
            ("other-annotators", "ann2", "delete", "204 403 404 403 404 401", None),
            ("reviewers-own", "reviewer_own", "get", "200 200 404 200 404 401", None),
            ("reviewers-own", "reviewer_own", "patch", "200 200 404 403 404 401", shorter("reviewer_own")),
            ("reviewers-own", "reviewer_own", "delete", "204 204 404 403 404 401", None),
            ("gold", "gold_claim", "get", "200 200 404 200 404 401", None),
            ("gold", "gold_claim", "patch", "200 200 404 403 404 401", shorter("gold_claim")),
            ("gold", "gold_claim", "delete", "204 204 404 403 404 401", None),
            ("suggestion", "suggestion", "get", "200 200 200 200 404 401", None),
            ("suggestion", "suggestion", "patch", "403 403 403 403 404 401", shorter("suggestion")),
            ("suggestion", "suggestion", "delete", "403 403 403 403 404 401", None),
        ]
    ],
    # --- relations ---
    Row("relations-list", "get", lambda s: f"{article(s)}relations/", MEMBERS_READ),
    Row(
        "relations-create-annotators-layer",
        "post",
        lambda s: f"{article(s)}relations/",
        expect("201 403 201 403 404 401"),
        link("ann_claim", "ann_figure"),
    ),
    Row(
        "relations-create-gold",
        "post",
        lambda s: f"{article(s)}relations/",
        expect("201 201 404 403 404 401"),
        link("gold_claim", "gold_figure"),
    ),
    *[
        Row(
            f"relation-{what}-{method}",
            method,
            relation(key),
            expect(codes),
            body,
            IF_MATCH_1 if method != "get" else {},
        )
        for what, key, method, codes, body in [
            ("annotators", "ann", "get", "200 200 200 200 404 401", None),
            ("annotators", "ann", "patch", "200 403 200 403 404 401", lambda s: {"label": "LINKS"}),
            ("annotators", "ann", "delete", "204 403 204 403 404 401", None),
            ("gold", "gold", "get", "200 200 404 200 404 401", None),
            ("gold", "gold", "patch", "200 200 404 403 404 401", lambda s: {"label": "LINKS"}),
            ("gold", "gold", "delete", "204 204 404 403 404 401", None),
        ]
    ],
    # --- document labels ---
    Row("document-labels-list", "get", lambda s: f"{article(s)}document-labels/", MEMBERS_READ),
    Row(
        "document-labels-create-own-layer",
        "post",
        lambda s: f"{article(s)}document-labels/",
        expect("201 201 201 403 404 401"),
        lambda s: {"label": "OFFTOPIC"},
    ),
    Row(
        "document-labels-create-gold",
        "post",
        lambda s: f"{article(s)}document-labels/",
        expect("201 201 403 403 404 401"),
        lambda s: {"label": "OFFTOPIC", "layer": "gold"},
    ),
    *[
        Row(
            f"document-label-{what}-{method}",
            method,
            doclabel(key),
            expect(codes),
            body,
            IF_MATCH_1 if method != "get" else {},
        )
        for what, key, method, codes, body in [
            ("annotators", "ann", "get", "200 200 200 200 404 401", None),
            ("annotators", "ann", "patch", "200 403 200 403 404 401", lambda s: {"label": "OFFTOPIC"}),
            ("annotators", "ann", "delete", "204 403 204 403 404 401", None),
            ("gold", "gold", "get", "200 200 404 200 404 401", None),
            ("gold", "gold", "patch", "200 200 404 403 404 401", lambda s: {"label": "OFFTOPIC"}),
            ("gold", "gold", "delete", "204 204 404 403 404 401", None),
        ]
    ],
    # --- suggestions (span ids under /suggestions/, relation ids under /relation-suggestions/) ---
    Row("suggestions-list", "get", lambda s: f"{article(s)}suggestions/", MEMBERS_READ),
    Row(
        "suggestions-list-filtered",
        "get",
        lambda s: f"{article(s)}suggestions/?status=&min_score=0.5&recogniser=figures",
        MEMBERS_READ,
    ),
    *[
        Row(name, "post", path, expect(codes), body)
        for name, path, codes, body in [
            ("suggestion-accept", suggestion("suggestion", "accept"), "201 201 201 403 404 401", None),
            (
                "suggestion-accept-gold",
                suggestion("suggestion", "accept"),
                "201 201 403 403 404 401",
                into_gold,
            ),
            ("suggestion-reject", suggestion("suggestion", "reject"), "200 200 200 403 404 401", None),
            # A span that is no suggestion.
            (
                "suggestion-accept-manual-span",
                suggestion("ann_claim", "accept"),
                "404 404 404 404 404 401",
                None,
            ),
            (
                "relation-suggestion-accept",
                rel_suggestion("suggestion", "accept"),
                "201 201 201 403 404 401",
                None,
            ),
            (
                "relation-suggestion-accept-gold",
                rel_suggestion("suggestion", "accept"),
                "201 201 403 403 404 401",
                into_gold,
            ),
            (
                "relation-suggestion-reject",
                rel_suggestion("suggestion", "reject"),
                "200 200 200 403 404 401",
                None,
            ),
            (
                "relation-suggestion-accept-manual",
                rel_suggestion("ann", "accept"),
                "404 404 404 404 404 401",
                None,
            ),
            ("article-suggestions-accept", article_suggestions("accept"), "200 200 200 403 404 401", None),
            (
                "article-suggestions-accept-gold",
                article_suggestions("accept"),
                "200 200 403 403 404 401",
                into_gold,
            ),
            ("article-suggestions-reject", article_suggestions("reject"), "200 200 200 403 404 401", None),
        ]
    ],
    # --- jobs ---
    Row("jobs-list", "get", lambda s: f"{project(s)}jobs/", MEMBERS_READ),
    Row(
        "jobs-create-integrity-check",
        "post",
        lambda s: f"{project(s)}jobs/",
        expect("202 403 403 403 404 401"),
        lambda s: {"kind": "integrity_check"},
    ),
    Row("job-detail", "get", lambda s: f"{V1}/jobs/{s.job.pk}/", MEMBERS_READ),
    Row("job-cancel", "post", lambda s: f"{V1}/jobs/{s.job.pk}/cancel/", ADMIN_ONLY_200),
    Row("job-retry", "post", failed_job_retry, ADMIN_ONLY_202),
    # --- imports and exports (uploads and the streaming export: tests/exchange/, which need
    # multipart bodies and committed data) ---
    Row("imports-list", "get", lambda s: f"{project(s)}imports/", ADMIN_ONLY_200),
    Row("exports-list", "get", lambda s: f"{project(s)}exports/", EXPORTERS_200),
    Row(
        "exports-create",
        "post",
        lambda s: f"{project(s)}exports/",
        expect("202 202 403 202 404 401"),
        lambda s: {},
    ),
    Row("export-detail", "get", lambda s: f"{project(s)}exports/{s.export_job.pk}/", EXPORTERS_200),
    Row("export-download", "get", lambda s: f"{project(s)}exports/{s.export_job.pk}/download", EXPORTERS_200),
    # --- the server's recognisers (no project data) ---
    Row("recognisers-list", "get", lambda s: f"{V1}/recognisers/", EVERYONE),
    Row("preannotate-list", "get", lambda s: f"{project(s)}preannotate/", ADMIN_ONLY_200),
    Row("project-progress", "get", lambda s: f"{project(s)}progress/", EXPORTERS_200),
    Row(
        "preannotate-start",
        "post",
        lambda s: f"{project(s)}preannotate/",
        expect("202 403 403 403 404 401"),
        lambda s: {"recognisers": ["figures"]},
    ),
    # --- the project's learned classifier ---
    Row("recommender-detail", "get", lambda s: f"{project(s)}recommender/", MEMBERS_READ),
    Row("recommender-train", "post", lambda s: f"{project(s)}recommender/train/", ADMIN_ONLY_202),
    # --- the caller's own account ---
    Row("me", "get", lambda s: f"{V1}/me/", EVERYONE),
    Row("tokens-list", "get", lambda s: f"{V1}/tokens/", EVERYONE),
    Row(
        "tokens-create",
        "post",
        lambda s: f"{V1}/tokens/",
        expect("201 201 201 201 201 401"),
        lambda s: {"name": "laptop"},
    ),
    Row(
        "token-revoke-admins",
        "delete",
        lambda s: f"{V1}/tokens/{s.admin_spare_token.pk}/",
        expect("204 404 404 404 404 401"),
    ),
]

# Rows of newer endpoints, one module per area: tests/api/matrix_<area>.py with ROWS and COVERED.
_AREAS = [
    importlib.import_module(f"tests.api.{info.name}")
    for info in pkgutil.iter_modules([str(Path_(__file__).parent)])
    if info.name.startswith("matrix_")
]
for _area in _AREAS:
    MATRIX.extend(_area.ROWS)

# Application bugs found by the matrix, for the lead to fix (then drop the entry).
KNOWN_BUGS: dict[str, str] = {}  # "<row>-as-<caller>": reason, for a bug found and not yet fixed

CASES = [
    pytest.param(
        row,
        caller,
        id=f"{row.name}-as-{caller}",
        marks=[pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[f"{row.name}-as-{caller}"])]
        if f"{row.name}-as-{caller}" in KNOWN_BUGS
        else [],
    )
    for row in MATRIX
    for caller in CALLERS
]


@pytest.fixture(scope="module")
def _scene(django_db_setup, django_db_blocker) -> Iterator[Scene]:
    with scene_once(django_db_blocker) as built:
        yield built


@pytest.fixture
def scene(_scene: Scene, db: None) -> Scene:
    """The module's scene; this test's changes are rolled back after it."""
    return _scene


@pytest.mark.parametrize(("row", "caller"), CASES)
def test_matrix(scene: Scene, row: Row, caller: str) -> None:
    path = row.path(scene)
    body = row.body(scene) if row.body else None
    client = scene.client(caller)  # the token exists before the snapshot
    before = snapshot()
    response = getattr(client, row.method)(path, body, format="json", **row.headers)
    after = snapshot()
    expected = row.expected[caller]
    assert response.status_code == expected, (row.method.upper(), path, body, response.content[:300])
    if row.method != "get" and 200 <= expected < 300:
        assert diff(before, after), "an accepted write changed nothing"
    else:
        assert diff(before, after) == [], "a refused request or a read changed the database"
    if expected >= 400:
        assert set(response.json()) >= {"detail", "code"}, response.json()
    if expected == 401:
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_matrix_covers_every_url() -> None:
    from api.urls import v1

    names = {p.name for p in v1} - {"auth-token", "auth-session"}  # sign-in: tests/api/test_accounts.py
    covered = {
        "token-list",
        "token-detail",
        "me",
        "recogniser-list",
        "project-progress",
        "preannotate",
        "recommender-detail",
        "recommender-train",
        "project-list",
        "project-detail",
        "member-list",
        "member-detail",
        "label-list",
        "label-detail",
        "article-list",
        "article-detail",
        "article-state",
        "span-list",
        "span-detail",
        "relation-list",
        "relation-detail",
        "document-label-list",
        "document-label-detail",
        "article-suggestion-list",
        "article-suggestions-accept",
        "article-suggestions-reject",
        "suggestion-accept",
        "suggestion-reject",
        "relation-suggestion-accept",
        "relation-suggestion-reject",
        "job-list",
        "job-detail",
        "job-cancel",
        "job-retry",
        "export-list",
        "export-detail",
        "export-download",
        "import-list",  # GET here; POST (multipart) in tests/exchange/test_import_api.py
        "export-stream",  # tests/exchange/test_export.py: it reads committed data only
    }
    for area in _AREAS:
        covered |= area.COVERED
    assert names == covered, "a new endpoint needs rows in MATRIX"


def test_project_list_shows_only_the_callers_projects(scene: Scene) -> None:
    for caller in ROLES:
        ids = [p["id"] for p in scene.client(caller).get(f"{V1}/projects/").json()["results"]]
        assert ids == [scene.project.pk], caller
    ids = [p["id"] for p in scene.client("outsider").get(f"{V1}/projects/").json()["results"]]
    assert ids == [scene.other_project.pk]


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


def ann_span_url(s: Scene) -> str:
    return f"{V1}/spans/{s.spans['ann_claim'].pk}/"


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


# --- what each role sees, and layer rules on relations ----------------------------------------


def _ids(items: list[dict[str, Any]]) -> set[int]:
    return {item["id"] for item in items}


def test_annotator_sees_only_own_layer_and_suggestions(scene: Scene) -> None:
    s = scene
    own_spans = {s.spans[k].pk for k in ("ann_claim", "ann_figure", "suggestion", "suggestion_claim")}
    own_relations = {s.relations["ann"].pk, s.relations["suggestion"].pk}
    client = s.client("annotator")
    detail = client.get(article(s)).json()
    assert _ids(detail["spans"]) == own_spans
    assert _ids(detail["relations"]) == own_relations
    assert _ids(detail["document_labels"]) == {s.doclabels["ann"].pk}
    assert _ids(client.get(f"{article(s)}spans/").json()) == own_spans
    assert _ids(client.get(f"{article(s)}relations/").json()) == own_relations
    assert _ids(client.get(f"{article(s)}document-labels/").json()) == {s.doclabels["ann"].pk}


@pytest.mark.parametrize("caller", ["admin", "reviewer", "researcher"])
def test_readers_of_all_layers_see_every_layer(scene: Scene, caller: str) -> None:
    s = scene
    every_span = {sp.pk for k, sp in s.spans.items() if not k.startswith("other")}
    detail = s.client(caller).get(article(s)).json()
    assert _ids(detail["spans"]) == every_span
    assert _ids(detail["relations"]) == {s.relations[k].pk for k in ("ann", "gold", "suggestion")}
    assert _ids(detail["document_labels"]) == {s.doclabels["ann"].pk, s.doclabels["gold"].pk}


def test_state_is_the_callers_own(scene: Scene) -> None:
    """annotator2 is in progress; nobody else sees that as their own state. The annotator and
    the reviewer wrote spans in their own layers, which put the article in progress for them
    (at version 0, the version of "not started")."""
    started = {"annotator", "reviewer"}
    for caller in ROLES:
        status = "in_progress" if caller in started else "not_started"
        assert scene.client(caller).get(f"{article(scene)}state/").json() == {"status": status, "version": 0}


def test_has_label_filter_does_not_reveal_invisible_layers(scene: Scene) -> None:
    s = scene
    start, end = at(s.second_article.text, "3% growth")
    rebuttal = {"start": start, "end": end, "label": "REBUTTAL", "layer": "gold"}
    assert (
        s.client("reviewer")
        .post(f"{V1}/articles/{s.second_article.pk}/spans/", rebuttal, format="json")
        .status_code
        == 201
    )
    url = f"{project(s)}articles/?has_label=REBUTTAL"
    assert [a["id"] for a in s.client("reviewer").get(url).json()["results"]] == [s.second_article.pk]
    assert s.client("annotator").get(url).json()["results"] == []
    by_id = f"{project(s)}articles/?has_label={s.labels['REBUTTAL'].pk}"
    assert s.client("annotator").get(by_id).json()["results"] == []


def test_annotators_etag_ignores_changes_in_layers_they_cannot_see(scene: Scene) -> None:
    s = scene
    client = s.client("annotator")
    tag = client.get(article(s))["ETag"]
    body = span_at("£1,400", "FIGURE", layer="gold")(s)
    assert s.client("reviewer").post(f"{article(s)}spans/", body, format="json").status_code == 201
    assert client.get(article(s), HTTP_IF_NONE_MATCH=tag).status_code == 304
    assert s.client("researcher").get(article(s), HTTP_IF_NONE_MATCH=tag).status_code == 200


RELATION_LAYER_CASES = {
    # Spans the caller cannot see are "not found", as if they did not exist.
    "annotator-links-another-annotators-spans": ("annotator", "ann2", "ann_claim", 404),
    "annotator-links-gold-spans": ("annotator", "gold_claim", "gold_figure", 404),
    # Visible but not writable.
    "reviewer-links-an-annotators-spans": ("reviewer", "ann_claim", "ann_figure", 403),
    "researcher-links-gold-spans": ("researcher", "gold_claim", "gold_figure", 403),
    "annotator-links-suggestions": ("annotator", "suggestion", "suggestion2", 403),
    # Visible, but of two layers.
    "annotator-links-own-span-to-a-suggestion": ("annotator", "ann_claim", "suggestion", 400),
    "admin-links-gold-to-an-annotators-span": ("admin", "gold_claim", "ann_figure", 400),
}


@pytest.mark.parametrize(
    ("caller", "source", "target", "expected"),
    [pytest.param(*c, id=name) for name, c in RELATION_LAYER_CASES.items()],
)
def test_relation_layers(scene: Scene, caller: str, source: str, target: str, expected: int) -> None:
    from tests.factories import suggestion_create

    s = scene
    start, end = at(s.article.text, "£1,400")
    suggestion2 = suggestion_create(
        article=s.article,
        label=s.labels["CLAIM"],
        start=start,
        end=end,
        recogniser="figures",
        recogniser_version="1",
    )
    ids = {name: span.pk for name, span in s.spans.items()} | {"suggestion2": suggestion2.pk}
    client = s.client(caller)
    before = snapshot()
    body = {"from": ids[source], "to": ids[target], "label": "LINKS"}
    response = client.post(f"{article(s)}relations/", body, format="json")
    assert response.status_code == expected, response.content[:300]
    assert diff(before, snapshot()) == []


def test_removed_member_loses_access_at_once(scene: Scene) -> None:
    s = scene
    client = s.client("annotator")
    assert client.get(ann_span_url(s)).status_code == 200
    membership = s.memberships["annotator"]
    assert s.client("admin").delete(f"{project(s)}members/{membership.pk}/").status_code == 204
    assert client.get(ann_span_url(s)).status_code == 404
    assert client.get(article(s)).status_code == 404
    assert client.patch(ann_span_url(s), {"end": 5}, format="json", **IF_MATCH_1).status_code == 404
    assert Article.objects.filter(pk=s.article.pk).exists()


# --- the role is refused before the body is looked at ------------------------------------------


ROLE_REFUSALS: dict[str, tuple[str, str, Path]] = {
    # name: (caller, method, path)
    "jobs-create-as-annotator": ("annotator", "post", lambda s: f"{project(s)}jobs/"),
    "spans-create-as-researcher": ("researcher", "post", lambda s: f"{article(s)}spans/"),
    "relations-create-as-researcher": ("researcher", "post", lambda s: f"{article(s)}relations/"),
    "document-labels-create-as-researcher": (
        "researcher",
        "post",
        lambda s: f"{article(s)}document-labels/",
    ),
    "state-put-as-researcher": ("researcher", "put", lambda s: f"{article(s)}state/"),
    "members-add-as-annotator": ("annotator", "post", lambda s: f"{project(s)}members/"),
    "member-patch-as-annotator": (
        "annotator",
        "patch",
        lambda s: f"{project(s)}members/{s.memberships['admin'].pk}/",
    ),
    "labels-create-as-annotator": ("annotator", "post", lambda s: f"{project(s)}labels/"),
    "articles-create-as-annotator": ("annotator", "post", lambda s: f"{project(s)}articles/"),
    "project-patch-as-annotator": ("annotator", "patch", project),
    "suggestion-accept-as-researcher": (
        "researcher",
        "post",
        lambda s: f"{V1}/suggestions/{s.spans['suggestion'].pk}/accept/",
    ),
    "relation-suggestion-accept-as-researcher": (
        "researcher",
        "post",
        lambda s: f"{V1}/relation-suggestions/{s.relations['suggestion'].pk}/accept/",
    ),
    "article-suggestions-accept-as-researcher": (
        "researcher",
        "post",
        lambda s: f"{article(s)}suggestions/accept/",
    ),
    "article-suggestions-reject-as-researcher": (
        "researcher",
        "post",
        lambda s: f"{article(s)}suggestions/reject/",
    ),
}


@pytest.mark.parametrize(
    ("caller", "method", "path"),
    [
        pytest.param(
            caller,
            method,
            path,
            id=name,
        )
        for name, (caller, method, path) in ROLE_REFUSALS.items()
    ],
)
def test_a_role_that_may_not_write_is_refused_before_the_body_is_checked(
    scene: Scene, caller: str, method: str, path: Path
) -> None:
    client = scene.client(caller)
    before = snapshot()
    body = {"name": "", "role": "king", "kind": "nope", "status": "bogus", "start": "x"}  # no label
    response = getattr(client, method)(path(scene), body, format="json")
    assert diff(before, snapshot()) == []
    assert response.status_code == 403, response.content[:300]
