"""Forged bodies and checks shared by the test_mass_assignment* modules."""

from typing import Any

from annotator.annotations.models import Span
from tests.api.helpers_permissions import Scene, diff, snapshot

V1 = "/api/v1"
IF_MATCH_1: dict[str, Any] = {"HTTP_IF_MATCH": '"1"'}


def spans_url(s: Scene) -> str:
    return f"{V1}/articles/{s.article.pk}/spans/"


def refused_and_unchanged(response: Any, status: int, before: dict) -> None:
    assert response.status_code == status, response.content[:300]
    assert diff(before, snapshot()) == []


def forged_fields(s: Scene) -> dict[str, Any]:
    """Everything about an annotation that the server, not the caller, decides."""
    return {
        "annotator": s.users["annotator2"].pk,
        "article": s.other_article.pk,
        "project": s.other_project.pk,
        "id": 987654,
        "version": 42,
        "text": "HACKED",
        "created_by": s.users["admin"].pk,
        "origin": "accepted",
        "suggestion_status": "accepted",
        "recogniser": "forged",
        "recogniser_version": "9",
        "score": 1.0,
        # provenance is the server's: ignored whole, with the recogniser's version under the
        # deprecated key (``version``) as under the current one.
        "provenance": {
            "origin": "accepted",
            "recogniser": "forged",
            "recogniser_version": "9",
            "version": "9",
        },
        "source_suggestion": s.spans["suggestion"].pk,
        "attributes": {"forged": True},
        "created_at": "2000-01-01T00:00:00Z",
    }


def assert_server_decided(span: Span, s: Scene, owner: str, layer: str = "annotator") -> None:
    assert span.article_id == s.article.pk
    assert span.layer == layer
    assert span.annotator_id == (s.users[owner].pk if layer == "annotator" else None)
    assert span.text == s.article.text[span.start : span.end]
    assert span.pk != 987654
    assert (span.origin, span.suggestion_status, span.recogniser, span.score) == ("manual", "", "", None)
    assert span.source_suggestion_id is None
    assert span.attributes == {}
