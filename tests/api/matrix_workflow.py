"""Permission rows of the workflow's endpoints: assignment, the queue, the review queue,
adjudication and copies into gold, review status, comments, reopening suggestions.

The scene's project A is "open"; the annotator holds an assignment of its article;
annotator2's layer has a span ("critics") that neither gold nor the annotator has."""

from annotator.annotations.models import Relation, Span, SuggestionStatus
from tests.api.helpers_permissions import Scene
from tests.api.matrix import IF_MATCH_1, V1, Path, Row, article, expect, project

IF_MATCH_0 = {"HTTP_IF_MATCH": '"0"'}


def assignment(s: Scene) -> str:
    return f"{V1}/assignments/{s.assignment.pk}/"


def comment(key: str) -> Path:
    return lambda s: f"{V1}/comments/{s.comments[key].pk}/"


def rejected(model: type[Span] | type[Relation], key: str, path: str) -> Path:
    """The path of a suggestion rejected first (rolled back with the test): reopening a pending
    one changes nothing."""

    def build(s: Scene) -> str:
        found = s.spans[key] if model is Span else s.relations[key]
        model.objects.filter(pk=found.pk).update(suggestion_status=SuggestionStatus.REJECTED)
        return f"{V1}/{path}/{found.pk}/reopen/"

    return build


#       admin reviewer annotator researcher outsider anonymous
ROWS = [
    Row("assignments-list", "get", lambda s: f"{project(s)}assignments/", expect("200 200 200 200 404 401")),
    Row(
        "assignments-create",
        "post",
        lambda s: f"{project(s)}assignments/",
        expect("201 403 403 403 404 401"),
        body=lambda s: {},
    ),
    Row(
        "assignment-move",
        "patch",
        assignment,
        expect("200 403 403 403 404 401"),
        body=lambda s: {"annotator": "annotator2"},
    ),
    Row("assignment-delete", "delete", assignment, expect("204 403 403 403 404 401")),
    Row(
        "assignment-delete-other-project",
        "delete",
        lambda s: f"{V1}/assignments/{s.other_assignment.pk}/",
        expect("404 404 404 404 204 401"),
    ),
    Row("workload", "get", lambda s: f"{project(s)}workload/", expect("200 200 403 200 404 401")),
    Row("queue", "get", lambda s: f"{project(s)}queue/", expect("200 200 200 403 404 401")),
    Row("queue-next", "get", lambda s: f"{project(s)}queue/next/", expect("200 200 200 403 404 401")),
    Row("review-queue", "get", lambda s: f"{project(s)}review-queue/", expect("200 200 403 200 404 401")),
    Row(
        "project-adjudicate",
        "post",
        lambda s: f"{project(s)}adjudicate/",
        expect("202 202 403 403 404 401"),
        body=lambda s: {"min_agreement": 2},
    ),
    Row(
        "article-adjudicate",
        "post",
        lambda s: f"{article(s)}adjudicate/",
        expect("200 200 403 403 404 401"),
        body=lambda s: {"min_agreement": 1, "layers": ["annotator2"]},
    ),
    Row("article-review-get", "get", lambda s: f"{article(s)}review/", expect("200 200 200 200 404 401")),
    Row(
        "article-review-put",
        "put",
        lambda s: f"{article(s)}review/",
        expect("200 200 403 403 404 401"),
        body=lambda s: {"status": "adjudicated"},
        headers=IF_MATCH_0,
    ),
    Row(
        "span-copy",
        "post",
        lambda s: f"{V1}/spans/{s.spans['ann2'].pk}/copy/",
        expect("201 201 404 403 404 401"),
        body=lambda s: {"layer": "gold"},
    ),
    Row(
        "relation-copy",
        "post",
        lambda s: f"{V1}/relations/{s.relations['suggestion'].pk}/copy/",
        expect("201 201 403 403 404 401"),
        body=lambda s: {"layer": "gold"},
    ),
    Row("article-comments", "get", lambda s: f"{article(s)}comments/", expect("200 200 200 200 404 401")),
    Row(
        "article-comments-post",
        "post",
        lambda s: f"{article(s)}comments/",
        expect("201 201 201 403 404 401"),
        body=lambda s: {"body": "A note."},
    ),
    Row("comment-own", "get", comment("ann"), expect("200 200 200 200 404 401")),
    Row("comment-of-annotator2", "get", comment("ann2"), expect("200 200 404 200 404 401")),
    Row("comment-gold", "get", comment("gold"), expect("200 200 404 200 404 401")),
    Row("comment-other-project", "get", comment("other"), expect("404 404 404 404 200 401")),
    Row(
        "comment-edit",
        "patch",
        comment("ann"),
        expect("403 403 200 403 404 401"),
        body=lambda s: {"body": "Edited."},
        headers=IF_MATCH_1,
    ),
    Row(
        "comment-resolve",
        "patch",
        comment("review"),
        expect("200 200 403 403 404 401"),
        body=lambda s: {"resolved": True},
        headers=IF_MATCH_1,
    ),
    Row("comment-delete", "delete", comment("ann"), expect("204 403 204 403 404 401"), headers=IF_MATCH_1),
    Row(
        "suggestion-reopen",
        "post",
        rejected(Span, "suggestion", "suggestions"),
        expect("200 200 200 403 404 401"),
    ),
    Row(
        "relation-suggestion-reopen",
        "post",
        rejected(Relation, "suggestion", "relation-suggestions"),
        expect("200 200 200 403 404 401"),
    ),
]

COVERED = {
    "assignment-list",
    "assignment-detail",
    "workload",
    "queue",
    "queue-next",
    "review-queue",
    "project-adjudicate",
    "article-adjudicate",
    "article-review",
    "span-copy",
    "relation-copy",
    "article-comments",
    "comment-detail",
    "suggestion-reopen",
    "relation-suggestion-reopen",
}
