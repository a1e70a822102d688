import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotator.articles.models import Article
from annotator.common.text import sha256_hex


def articles_url(world):
    return f"/api/v1/projects/{world.project.pk}/articles/"


def test_post_one_article_keeps_text_exactly(world, api):
    text = "  Leading spaces,\r\nCRLF and a trailing tab\t"
    r = api("admin").post(
        articles_url(world),
        {"external_id": "x1", "title": "T", "text": text, "meta": {"source": "wire"}},
        format="json",
    )
    assert r.status_code == 201, r.json()
    article = Article.objects.get(pk=r.json()["id"])
    assert article.text == text and article.text_sha256 == sha256_hex(text) == r.json()["text_sha256"]
    # Same id + same text: a no-op. Same id + other text: a conflict, nothing changes.
    again = api("admin").post(articles_url(world), {"external_id": "x1", "text": text}, format="json")
    assert again.status_code == 200 and again.json()["id"] == article.pk
    r = api("admin").post(articles_url(world), {"external_id": "x1", "text": "other"}, format="json")
    assert r.status_code == 409
    assert Article.objects.get(pk=article.pk).text == text


def test_post_list_is_all_or_nothing(world, api):
    before = Article.objects.count()
    items: list[dict[str, object]] = [{"external_id": f"b{i}", "text": f"Text {i}"} for i in range(5)]
    items[3]["text"] = ""
    items[4]["meta"] = "not an object"
    r = api("admin").post(articles_url(world), items, format="json")
    assert r.status_code == 400
    assert Article.objects.count() == before
    items[3]["text"], items[4]["meta"] = "ok", {}
    r = api("admin").post(articles_url(world), items, format="json")
    assert r.status_code == 201 and r.json()["created"] == 5
    items.append({"external_id": "b5", "text": "new"})
    r = api("admin").post(articles_url(world), items, format="json")
    assert r.json()["created"] == 1 and r.json()["unchanged"] == 5
    dup = api("admin").post(
        articles_url(world),
        [{"external_id": "z", "text": "a"}, {"external_id": "z", "text": "b"}],
        format="json",
    )
    assert dup.status_code == 400 and dup.json()["items"][0]["index"] == 1


def test_post_limits_and_unstorable_text(world, api, settings):
    settings.ANNOTATOR_MAX_ARTICLES_PER_POST = 3
    r = api("admin").post(articles_url(world), [{"text": f"t{i}"} for i in range(4)], format="json")
    assert r.status_code == 400 and "At most 3" in r.json()["detail"]
    assert api("admin").post(articles_url(world), {"text": "bad \x00 byte"}, format="json").status_code == 400
    assert (
        api("admin")
        .post(articles_url(world), {"text": "ok", "meta": {"k": "\x00"}}, format="json")
        .status_code
        == 400
    )
    assert (
        api("admin")
        .post(articles_url(world), {"text": "ok", "source_url": "javascript:alert(1)"}, format="json")
        .status_code
        == 400
    )
    assert api("annotator").post(articles_url(world), {"text": "mine"}, format="json").status_code == 403


def test_text_never_changes(world, api):
    url = f"/api/v1/articles/{world.article.pk}/"
    r = api("admin").patch(url, {"text": "rewritten"}, format="json")
    assert r.status_code == 409
    r = api("admin").patch(url, {"title": "New title"}, format="json")
    assert r.status_code == 200 and r.json()["title"] == "New title"
    assert Article.objects.get(pk=world.article.pk).text == world.article.text


def test_list_filters(world, api):
    api("admin").post(
        articles_url(world),
        [
            {"external_id": "f1", "title": "Budget row", "text": "The budget grew."},
            {"external_id": "f2", "text": "Nothing here."},
        ],
        format="json",
    )
    client = api("annotator")
    found = client.get(articles_url(world) + "?search=budget").json()
    assert [a["external_id"] for a in found["results"]] == ["f1"]
    client.post(
        f"/api/v1/articles/{world.article.pk}/spans/",
        {"start": 0, "end": 3, "label": "FIGURE"},
        format="json",
    )
    has = client.get(articles_url(world) + "?has_label=FIGURE").json()
    assert [a["id"] for a in has["results"]] == [world.article.pk]
    # The annotator's FIGURE is invisible to another annotator... but visible to researchers.
    assert api("researcher").get(articles_url(world) + "?has_label=FIGURE").json()["count"] == 1
    assert client.get(articles_url(world) + "?status=bogus").status_code == 400
    page = client.get(articles_url(world) + "?page_size=2").json()
    assert page["count"] == 3 and len(page["results"]) == 2 and "text" not in page["results"][0]


@pytest.mark.parametrize("size", [10, 100])
def test_list_query_count_is_constant(world, api, size):
    api("admin").post(articles_url(world), [{"text": f"Article {i}"} for i in range(150)], format="json")
    client = api("annotator")
    client.get(articles_url(world))  # warm-up
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(articles_url(world) + f"?page_size={size}")
    assert len(r.json()["results"]) == size
    # token lookup, membership, count, page, the page's statuses
    assert len(ctx.captured_queries) == 5, [q["sql"] for q in ctx.captured_queries]


@pytest.mark.parametrize("spans", [2, 40])
def test_detail_query_count_is_constant(world, api, spans):
    client = api("annotator")
    for i in range(spans):
        client.post(
            f"/api/v1/articles/{world.article.pk}/spans/",
            {"start": i, "end": i + 1, "label": "CLAIM"},
            format="json",
        )
    ids = [s["id"] for s in client.get(f"/api/v1/articles/{world.article.pk}/spans/").json()]
    for a, b in itertools.pairwise(ids):
        client.post(
            f"/api/v1/articles/{world.article.pk}/relations/",
            {"from": a, "to": b, "label": "SUPPORTS"},
            format="json",
        )
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(f"/api/v1/articles/{world.article.pk}/")
    assert len(r.json()["spans"]) == spans
    # token, article, membership, state, spans, relations, incoming relations, document labels
    assert len(ctx.captured_queries) == 8, [q["sql"] for q in ctx.captured_queries]
