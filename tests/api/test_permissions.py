"""The permissions matrix: every endpoint x method x caller (each role, a non-member, anonymous).

Every request runs against a fresh project holding objects in every layer (see
helpers_permissions). A refused request (4xx) and every GET must leave every row of every
domain table exactly as it was; an accepted write must change something.

The rows: permission_rows.py (core endpoints) and matrix_<area>.py (newer areas). Other
projects' ids: test_permissions_foreign.py; what each role sees: test_permissions_visibility.py.
"""

import importlib
import pkgutil
from pathlib import Path as Path_

import pytest

from tests.api.helpers_permissions import CALLERS, ROLES, Scene, diff, snapshot
from tests.api.matrix import V1, Row
from tests.api.permission_rows import CORE_ROWS

MATRIX: list[Row] = list(CORE_ROWS)

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
