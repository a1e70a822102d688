"""GET, HEAD and OPTIONS requests, the schema and the docs write nothing, for every caller."""

import pytest

from annotator.annotations.models import AnnotationEvent
from tests.api.helpers_mass_assignment import V1
from tests.api.helpers_permissions import CALLERS, Scene, diff, snapshot

# --- GET requests write nothing -----------------------------------------------------------------


def get_urls(s: Scene) -> list[str]:
    p, a = f"{V1}/projects/{s.project.pk}", f"{V1}/articles/{s.article.pk}"
    urls = [
        f"{V1}/me/",
        f"{V1}/tokens/",
        f"{V1}/projects/",
        f"{V1}/projects/?page=2",
        f"{p}/",
        f"{p}/members/",
        *[f"{p}/members/{m.pk}/" for m in s.memberships.values()],
        f"{p}/labels/",
        *[f"{V1}/labels/{lab.pk}/" for lab in s.labels.values()],
        f"{p}/articles/",
        f"{p}/articles/?search=minister",
        f"{p}/articles/?status=in_progress",
        f"{p}/articles/?status=not_started&has_label=CLAIM",
        f"{p}/articles/?has_label={s.labels['FIGURE'].pk}&page_size=1",
        f"{p}/articles/?status=nonsense",
        f"{a}/",
        f"{V1}/articles/{s.second_article.pk}/",
        f"{a}/state/",
        f"{a}/spans/",
        f"{a}/relations/",
        f"{a}/document-labels/",
        *[f"{V1}/spans/{span.pk}/" for span in s.spans.values()],
        *[f"{V1}/relations/{rel.pk}/" for rel in s.relations.values()],
        *[f"{V1}/document-labels/{obj.pk}/" for obj in s.doclabels.values()],
        f"{p}/jobs/",
        f"{V1}/jobs/{s.job.pk}/",
        f"{V1}/jobs/{s.other_job.pk}/",
        f"{V1}/projects/{s.other_project.pk}/",
        f"{V1}/articles/{s.other_article.pk}/",
        f"{V1}/articles/{s.other_article.pk}/state/",
        f"{V1}/spans/999999999/",
        f"{V1}/jobs/{s.job.pk}/cancel/",  # GET on a POST-only endpoint
        f"{V1}/tokens/{s.admin_spare_token.pk}/",  # GET on a DELETE-only endpoint
    ]
    return urls


@pytest.mark.parametrize("caller", CALLERS)
def test_get_head_and_options_write_nothing(scene: Scene, caller: str) -> None:
    s = scene
    client = s.client(caller)
    urls = get_urls(s)
    events = AnnotationEvent.objects.count()
    before = snapshot()
    statuses = set()
    for url in urls:
        response = client.get(url)
        statuses.add(response.status_code)
        assert response.status_code < 500, (url, response.status_code)
        if response.has_header("ETag"):
            again = client.get(url, HTTP_IF_NONE_MATCH=response["ETag"])
            assert again.status_code in (200, 304), url
        assert client.head(url).status_code < 500, url
        assert client.options(url).status_code < 500, url
    assert diff(before, snapshot()) == []
    assert AnnotationEvent.objects.count() == events
    # The run saw both successes and refusals, except where every request is refused.
    assert statuses >= ({401} if caller == "anonymous" else {200, 404}), statuses


def test_schema_and_docs_write_nothing(scene: Scene) -> None:
    client = scene.client("researcher")
    before = snapshot()
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200
    assert diff(before, snapshot()) == []
