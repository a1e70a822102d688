"""Permission rows of the agreement report: read by those who read every layer; annotators
never (their colleagues' layers would show through the figures)."""

from tests.api.matrix import Row, expect, project

#       admin reviewer annotator researcher outsider anonymous
ROWS = [
    Row("agreement", "get", lambda s: f"{project(s)}agreement/", expect("200 200 403 200 404 401")),
    Row(
        "agreement-job",
        "post",
        lambda s: f"{project(s)}agreement/",
        expect("202 202 403 202 404 401"),
        body=lambda s: {"match": "overlap"},
    ),
    Row(
        "agreement-csv",
        "get",
        lambda s: f"{project(s)}agreement/csv/?table=labels",
        expect("200 200 403 200 404 401"),
    ),
]

COVERED = {"project-agreement", "project-agreement-csv"}
