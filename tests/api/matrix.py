"""What the permissions matrix is made of: a Row (path, method, body, expected status per
caller) and the path and body builders over the scene (helpers_permissions). Rows for newer
endpoints live in tests/api/matrix_<area>.py modules (ROWS, COVERED), which test_permissions
collects."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from annotator.jobs.models import Job
from tests.api.helpers_permissions import CALLERS, Scene, at

V1 = "/api/v1"
IF_MATCH_1: dict[str, Any] = {"HTTP_IF_MATCH": '"1"'}

Path = Callable[[Scene], str]
Body = Callable[[Scene], Any]


def expect(codes: str) -> dict[str, int]:
    """'admin reviewer annotator researcher outsider anonymous' status codes, in that order."""
    values = [int(c) for c in codes.split()]
    assert len(values) == len(CALLERS)
    return dict(zip(CALLERS, values, strict=True))


@dataclass(frozen=True)
class Row:
    name: str
    method: str
    path: Path
    expected: dict[str, int]
    body: Body | None = None
    headers: dict[str, str] = field(default_factory=dict)


def project(s: Scene) -> str:
    return f"{V1}/projects/{s.project.pk}/"


def article(s: Scene) -> str:
    return f"{V1}/articles/{s.article.pk}/"


def ann_span_url(s: Scene) -> str:
    return f"{V1}/spans/{s.spans['ann_claim'].pk}/"


def failed_job_retry(s: Scene) -> str:
    """The retry path of the scene's job, failed first (rolled back with the test's changes):
    retrying a job still queued is accepted but changes nothing."""
    Job.objects.filter(pk=s.job.pk).update(status="failed", error="worker lost: in a test")
    return f"{V1}/jobs/{s.job.pk}/retry/"


def span(key: str) -> Path:
    return lambda s: f"{V1}/spans/{s.spans[key].pk}/"


def relation(key: str) -> Path:
    return lambda s: f"{V1}/relations/{s.relations[key].pk}/"


def doclabel(key: str) -> Path:
    return lambda s: f"{V1}/document-labels/{s.doclabels[key].pk}/"


def suggestion(key: str, verb: str) -> Path:
    return lambda s: f"{V1}/suggestions/{s.spans[key].pk}/{verb}/"


def rel_suggestion(key: str, verb: str) -> Path:
    return lambda s: f"{V1}/relation-suggestions/{s.relations[key].pk}/{verb}/"


def article_suggestions(verb: str) -> Path:
    return lambda s: f"{article(s)}suggestions/{verb}/"


def into_gold(s: Scene) -> dict[str, str]:
    return {"layer": "gold"}


def shorter(key: str) -> Body:
    return lambda s: {"end": s.spans[key].end - 1}


def span_at(part: str, label: str, layer: str | None = None) -> Body:
    def body(s: Scene) -> dict[str, Any]:
        start, end = at(s.article.text, part)
        data: dict[str, Any] = {"start": start, "end": end, "label": label}
        if layer:
            data["layer"] = layer
        return data

    return body


def link(source: str, target: str) -> Body:
    return lambda s: {"from": s.spans[source].pk, "to": s.spans[target].pk, "label": "LINKS"}


#                       admin reviewer annotator researcher outsider anonymous
EVERYONE = expect("200 200 200 200 200 401")
MEMBERS_READ = expect("200 200 200 200 404 401")
ADMIN_ONLY_200 = expect("200 403 403 403 404 401")
ADMIN_ONLY_201 = expect("201 403 403 403 404 401")
ADMIN_ONLY_204 = expect("204 403 403 403 404 401")
ADMIN_ONLY_202 = expect("202 403 403 403 404 401")
EXPORTERS_200 = expect("200 200 403 200 404 401")
