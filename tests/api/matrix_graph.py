"""Permission rows of the argument graph and the span search behind "link to another article":
every member reads their own layer (annotators' default); gold and others' layers only those
who read every layer (blind annotation: 404)."""

from tests.api.matrix import Row, expect, project

#       admin reviewer annotator researcher outsider anonymous
ROWS = [
    Row("graph", "get", lambda s: f"{project(s)}graph/", expect("200 200 200 200 404 401")),
    Row("graph-gold", "get", lambda s: f"{project(s)}graph/?layer=gold", expect("200 200 404 200 404 401")),
    Row(
        "graph-graphml",
        "get",
        lambda s: f"{project(s)}graph/?layer=annotator&format=graphml",
        expect("200 200 200 200 404 401"),
    ),
    Row("span-search", "get", lambda s: f"{project(s)}spans/?q=a", expect("200 200 200 200 404 401")),
    Row(
        "span-search-gold",
        "get",
        lambda s: f"{project(s)}spans/?layer=gold",
        expect("200 200 404 200 404 401"),
    ),
]

COVERED = {"project-graph", "project-span-search"}
