"""GET /articles/{id}/ builds its body from rows (api/serializers/article_detail.py) instead of
the nested DRF serializers, which stay the schema: the answer must be theirs, field for field
and in their order, for every kind of annotation and every role (blind annotation included)."""

import datetime
import hashlib
import json
import re
from typing import Any

import orjson
import pytest
from rest_framework.renderers import JSONRenderer

from annotator.annotations.models import Origin
from annotator.annotations.selectors import article_annotations
from annotator.articles.models import Article
from annotator.projects.models import Membership
from annotator.projects.services import label_create
from api.renderers import FastJSONRenderer
from api.serializers.annotations import state_data
from api.serializers.articles import ArticleDetailSerializer
from tests.conftest import World, add_article, build_world
from tests.factories import relation_suggestion_create, suggestion_create

V1 = "/api/v1"
SECOND_TEXT = "The union leader said inflation would not fall, citing 55 NHS trusts."


def serializers_answer(article: Article, membership: Membership) -> Any:
    """What the view answered before: ArticleDetailSerializer over the selector's querysets,
    rendered by DRF's JSONRenderer."""
    article = Article.objects.get(pk=article.pk)
    annotations = article_annotations(article=article, membership=membership)
    data = ArticleDetailSerializer(
        {
            "id": article.pk,
            "project_id": article.project_id,
            "external_id": article.external_id,
            "title": article.title,
            "source_url": article.source_url,
            "published_at": article.published_at,
            "meta": article.meta,
            "text": article.text,
            "text_sha256": article.text_sha256,
            "offsets": "codepoint",
            "state": state_data(annotations.state),
            "spans": annotations.spans,
            "relations": annotations.relations,
            "incoming_relations": annotations.incoming_relations,
            "document_labels": annotations.document_labels,
        }
    ).data
    return JSONRenderer().render(data)


def key_orders(value: Any) -> Any:
    """The keys of every object in ``value``, in order (== on dicts ignores it)."""
    if isinstance(value, dict):
        return [(key, key_orders(item)) for key, item in value.items()]
    if isinstance(value, list):
        return [key_orders(item) for item in value]
    return None


class Rich:
    """One article with every kind of annotation the detail shows, in every layer."""

    def __init__(self, world: World) -> None:
        self.world = world
        self.article = world.article
        self.second = add_article(world.admin, world.project, SECOND_TEXT, "second")
        self.ids: dict[str, int] = {}

    def post(self, role: str, path: str, body: dict[str, Any], **headers: Any) -> dict[str, Any]:
        r = self.world.client(role).post(f"{V1}{path}", body, format="json", **headers)
        assert r.status_code in (200, 201), (path, r.json())
        return dict(r.json())

    def span(self, role: str, needle: str, label: str, layer: str = "annotator", article: Any = None) -> int:
        article = article or self.article
        start = article.text.index(needle)
        body = {"start": start, "end": start + len(needle), "label": label, "layer": layer}
        return int(self.post(role, f"/articles/{article.pk}/spans/", body)["id"])

    def relate(self, role: str, source: int, target: int, label: str, article: Any = None) -> int:
        article = article or self.article
        body = {"from": source, "to": target, "label": label}
        return int(self.post(role, f"/articles/{article.pk}/relations/", body)["id"])

    def suggest(self, needle: str, label: str, score: float | None, **extra: Any) -> Any:
        start = self.article.text.index(needle)
        return suggestion_create(
            article=self.article,
            label=self.world.project.labels.get(name=label),
            start=start,
            end=start + len(needle),
            recogniser="figures",
            recogniser_version="1.2",
            score=score,
            **extra,
        )

    def build(self) -> "Rich":
        w, a = self.world, self.article
        admin = w.client("admin")
        meta = {"outlet": "The Paper", "tags": ["économie", "🙄"], "n": 3, "x": 0.25, "sep": "a\u2028b"}
        body = {
            "title": "Inflation — a row",
            "source_url": "https://example.org/a",
            "published_at": "2026-11-30",
        }
        assert admin.patch(f"{V1}/articles/{a.pk}/", {**body, "meta": meta}, format="json").status_code == 200
        # The annotator's layer: spans (one with a speaker), a relation in the article, one to a
        # claim of another article and one from there into this one (incoming).
        claim = self.span("annotator", "said inflation was", "CLAIM")
        figure = self.span("annotator", "4.75%", "FIGURE")
        self.relate("annotator", figure, claim, "SUPPORTS")
        r = w.client("annotator").patch(
            f"{V1}/spans/{claim}/", {"speaker": "The minister 👩‍👩‍👧"}, format="json", HTTP_IF_MATCH='"1"'
        )
        assert r.status_code == 200, r.json()
        rebuttal = self.span("annotator", "55 NHS trusts disagreed", "REBUTTAL")
        far_claim = self.span("annotator", "inflation would not fall", "CLAIM", article=self.second)
        far_rebuttal = self.span("annotator", "The union leader said", "REBUTTAL", article=self.second)
        self.relate("annotator", rebuttal, far_claim, "REBUTS")
        self.relate("annotator", far_rebuttal, claim, "REBUTS", article=self.second)
        # Suggestions: pending with and without a score, one accepted (provenance), one
        # rejected, a relation suggestion between two.
        money = self.suggest("£1,400", "FIGURE", 0.9, attributes={"kind": "money"})
        self.suggest("per  household", "FIGURE", None)
        critics = self.suggest("But critics", "CLAIM", 1e-07)
        self.post("annotator", f"/suggestions/{money.pk}/accept/", {})
        rejected = self.suggest("cafe\u0301 tax", "FIGURE", 0.125)
        self.post("annotator", f"/suggestions/{rejected.pk}/reject/", {})
        relation_suggestion_create(
            label=w.project.labels.get(name="SUPPORTS"),
            source=self.suggest("The minister", "FIGURE", 0.5),
            target=critics,
            recogniser="rebuttals",
            recogniser_version="2",
            score=0.75,
        )
        # Another annotator's layer (the annotator must not see it), gold by adjudication and
        # by hand, document labels in both layers, the annotators' states.
        self.span("second", "said inflation was", "CLAIM")
        self.span("second", "4.75%", "FIGURE")
        label_create(actor=w.admin, project_id=w.project.pk, kind="document", name="OPINION")
        self.post("annotator", f"/articles/{a.pk}/document-labels/", {"label": "OPINION"})
        self.post("reviewer", f"/articles/{a.pk}/document-labels/", {"label": "OPINION", "layer": "gold"})
        for who in ("annotator", "second"):
            r = w.client(who).put(f"{V1}/articles/{a.pk}/state/", {"status": "submitted"}, format="json")
            assert r.status_code == 200, r.json()
        self.span("reviewer", "disagreed", "CLAIM", layer="gold")
        self.post("reviewer", f"/articles/{a.pk}/adjudicate/", {"min_agreement": 2})
        return self


@pytest.fixture
def rich(db: None) -> Rich:
    return Rich(build_world(extra_annotators=("second",))).build()


def test_the_answer_is_the_serializers_for_every_role(rich: Rich) -> None:
    w = rich.world
    seen: dict[str, Any] = {}
    for role in ("admin", "reviewer", "annotator", "second", "researcher"):
        membership = Membership.objects.get(project=w.project, user=w.users[role])
        for article in (rich.article, rich.second):
            response = w.client(role).get(f"{V1}/articles/{article.pk}/")
            assert response.status_code == 200
            expected = serializers_answer(article, membership)
            got = response.json()
            assert got == json.loads(expected), role
            assert key_orders(got) == key_orders(json.loads(expected)), role
            # Byte for byte too, but for how an exponent is spelled (orjson 1e-7, json 1e-07).
            assert response.content == re.sub(rb"e-0(\d)", rb"e-\1", expected), role
            seen[f"{role}-{article.external_id}"] = got

    # The fixture holds what it should: the comparison above covered every kind.
    full = seen["admin-a1"]
    origins = {s["provenance"]["origin"] for s in full["spans"]}
    assert origins == {Origin.MANUAL, Origin.SUGGESTED, Origin.ACCEPTED, Origin.ADJUDICATED}
    adjudicated = next(s for s in full["spans"] if s["provenance"]["origin"] == Origin.ADJUDICATED)
    assert adjudicated["provenance"]["from"] == ["annotator", "second"]
    assert adjudicated["provenance"]["by"] == "reviewer"
    accepted = next(s for s in full["spans"] if s["provenance"]["origin"] == Origin.ACCEPTED)
    assert accepted["provenance"]["suggestion"] and accepted["attributes"] == {"kind": "money"}
    assert {s["suggestion_status"] for s in full["spans"]} == {"", "pending", "accepted", "rejected"}
    assert any(s["attributes"].get("speaker") for s in full["spans"])
    assert {s["layer"] for s in full["spans"]} == {"annotator", "gold", "suggestion"}
    assert {r["to_article"] for r in full["relations"]} == {rich.article.pk, rich.second.pk}
    assert any(r["layer"] == "suggestion" for r in full["relations"])
    assert [r["to_article"] for r in full["incoming_relations"]] == [rich.article.pk]
    assert {d["layer"] for d in full["document_labels"]} == {"annotator", "gold"}
    assert full["published_at"] == "2026-11-30" and full["meta"]["sep"] == "a\u2028b"
    assert full["spans"][0]["created_at"].endswith("Z")
    assert b'"score":1e-7' in rich.world.client("admin").get(f"{V1}/articles/{rich.article.pk}/").content
    # Blind annotation: each annotator sees their own layer and the suggestions, nobody else's.
    for who in ("annotator", "second"):
        layers = {(s["layer"], s["annotator"]) for s in seen[f"{who}-a1"]["spans"]}
        assert layers == {("annotator", who), ("suggestion", None)}, who
    assert seen["annotator-a1"]["state"]["status"] == "submitted"
    assert seen["researcher-a1"]["state"] == {"status": "not_started", "version": 0}


def test_the_etag_follows_the_body(rich: Rich) -> None:
    client = rich.world.client("annotator")
    url = f"{V1}/articles/{rich.article.pk}/"
    first = client.get(url)
    assert client.get(url)["ETag"] == first["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    span = next(s for s in first.json()["spans"] if s["layer"] == "annotator")
    r = client.patch(
        f"{V1}/spans/{span['id']}/",
        {"speaker": "Someone"},
        format="json",
        HTTP_IF_MATCH=f'"{span["version"]}"',
    )
    assert r.status_code == 200, r.json()
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 200


def test_the_body_is_written_once_and_is_what_the_etag_hashes(
    rich: Rich, monkeypatch: pytest.MonkeyPatch
) -> None:
    import api.renderers

    writes = []
    real = orjson.dumps

    def counted(*args: Any, **kwargs: Any) -> bytes:
        writes.append(args[0])
        return real(*args, **kwargs)

    monkeypatch.setattr(api.renderers.orjson, "dumps", counted)
    client = rich.world.client("annotator")
    url = f"{V1}/articles/{rich.article.pk}/"
    response = client.get(url)
    assert len(writes) == 1
    assert response["ETag"] == f'W/"{hashlib.sha256(response.content).hexdigest()[:32]}"'
    # Asked indented, the same data is written again, indented, under the same tag.
    indented = client.get(url, HTTP_ACCEPT="application/json; indent=2")
    assert indented["ETag"] == response["ETag"]
    assert b"\n" in indented.content and orjson.loads(indented.content) == orjson.loads(response.content)


# --- the renderer -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        {"a": [1, 2.5, None, True, "é \u2028 \u2029 👩‍👩‍👧"], "b": {"c": ""}},
        # orjson leaves these to DRF's encoder: they must come out as DRF writes them.
        {"when": datetime.datetime(2026, 12, 4, 9, 10, 11, 123456, tzinfo=datetime.UTC)},
        {"big": 2**70},
        {"day": datetime.date(2026, 12, 4), "n": [1]},
    ],
)
def test_the_renderer_writes_what_drf_writes(data: Any) -> None:
    assert FastJSONRenderer().render(data) == JSONRenderer().render(data)


def test_the_renderer_indents_as_drf_does() -> None:
    data = {"a": [1, {"b": "c"}]}
    media = "application/json; indent=2"
    assert FastJSONRenderer().render(data, media) == JSONRenderer().render(data, media)
    assert b"\n" in FastJSONRenderer().render(data, media)


def test_the_renderer_uses_orjson_for_plain_data() -> None:
    data = {"x": [1, "two", 3.5]}
    assert FastJSONRenderer().render(data) == orjson.dumps(data)
