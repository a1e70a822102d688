"""What each role sees, layer rules on relations, removed members, and roles refused before the body is read."""

from typing import Any

import pytest

from annotator.articles.models import Article
from tests.api.helpers_permissions import ROLES, Scene, at, diff, snapshot
from tests.api.matrix import IF_MATCH_1, V1, Path, ann_span_url, article, project, span_at

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
