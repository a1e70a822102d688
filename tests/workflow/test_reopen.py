"""Taking back an accept or a reject: the suggestion is pending again, the annotation made
from it in the caller's layer goes, unless it was changed or is someone else's."""

from annotator.annotations.models import Layer, Relation, Span, SuggestionStatus
from tests.conftest import World
from tests.factories import relation_suggestion_create, suggestion_create

V1 = "/api/v1"


def suggest(world: World, start: int = 0, end: int = 5, label: str = "CLAIM") -> Span:
    return suggestion_create(
        article=world.article, label=world.project.labels.get(name=label), start=start, end=end,
        recogniser="r", recogniser_version="1",
    )  # fmt: skip


def test_reopen_an_accepted_suggestion_removes_the_span_made_from_it(team: World) -> None:
    suggestion = suggest(team)
    client = team.client("annotator")
    made = client.post(f"{V1}/suggestions/{suggestion.pk}/accept/", {}, format="json")
    assert made.status_code in (200, 201)
    # Another annotator may not take it back: it is in the first one's layer.
    assert team.client("ann2").post(f"{V1}/suggestions/{suggestion.pk}/reopen/").status_code == 409
    reopened = client.post(f"{V1}/suggestions/{suggestion.pk}/reopen/")
    assert reopened.status_code == 200 and reopened.json()["suggestion_status"] == "pending"
    assert not Span.objects.filter(pk=made.json()["id"]).exists()
    assert (
        client.post(f"{V1}/suggestions/{suggestion.pk}/reopen/").status_code == 200
    )  # pending: nothing to do
    # Accept again (the web app's redo) works.
    assert client.post(f"{V1}/suggestions/{suggestion.pk}/accept/", {}, format="json").status_code in (
        200,
        201,
    )


def test_reopen_a_rejected_suggestion_and_refuse_an_edited_span(team: World) -> None:
    suggestion = suggest(team)
    client = team.client("annotator")
    client.post(f"{V1}/suggestions/{suggestion.pk}/reject/")
    assert client.post(f"{V1}/suggestions/{suggestion.pk}/reopen/").json()["suggestion_status"] == "pending"
    made = client.post(f"{V1}/suggestions/{suggestion.pk}/accept/", {}, format="json").json()
    client.patch(f"{V1}/spans/{made['id']}/", {"end": 6}, format="json", HTTP_IF_MATCH='"1"')
    assert client.post(f"{V1}/suggestions/{suggestion.pk}/reopen/").status_code == 409
    assert team.client("researcher").post(f"{V1}/suggestions/{suggestion.pk}/reopen/").status_code == 403
    assert team.client("outsider").post(f"{V1}/suggestions/{suggestion.pk}/reopen/").status_code == 404


def test_reopen_an_accepted_relation_suggestion(team: World) -> None:
    text = team.article.text
    rebuttal, claim = suggest(team, 0, 5, "REBUTTAL"), suggest(team, 10, 15, "CLAIM")
    assert text  # the spans are of TRICKY_TEXT: only their offsets matter here
    relation = relation_suggestion_create(
        source=rebuttal,
        target=claim,
        label=team.project.labels.get(name="REBUTS"),
        recogniser="r",
        recogniser_version="1",
    )
    client = team.client("annotator")
    assert client.post(f"{V1}/relation-suggestions/{relation.pk}/accept/", {}, format="json").status_code in (
        200,
        201,
    )
    assert Relation.objects.filter(layer=Layer.ANNOTATOR).count() == 1
    reopened = client.post(f"{V1}/relation-suggestions/{relation.pk}/reopen/")
    assert reopened.status_code == 200, reopened.json()
    assert Relation.objects.filter(layer=Layer.ANNOTATOR).count() == 0
    relation.refresh_from_db()
    assert relation.suggestion_status == SuggestionStatus.PENDING
