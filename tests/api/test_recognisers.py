"""GET /api/v1/recognisers/: what pre-annotation can run, with description and version."""

from annotator.preannotation.recognisers import recognisers
from tests.conftest import World, client_for


def test_signed_in_users_see_every_recogniser_with_its_version(world: World) -> None:
    response = world.client("annotator").get("/api/v1/recognisers/")
    assert response.status_code == 200
    listed = response.json()
    assert [r["name"] for r in listed] == [r.name for r in recognisers()]
    figures = next(r for r in listed if r["name"] == "figures")
    assert figures["labels"] == ["FIGURE"] and figures["version"] and figures["description"]
    assert set(figures) == {"name", "version", "description", "labels", "relations"}
    rebuttals = next(r for r in listed if r["name"] == "rebuttals")
    assert rebuttals["labels"] == ["REBUTTAL"] and rebuttals["relations"] == ["REBUTS"]


def test_anonymous_callers_are_refused(world: World) -> None:
    assert client_for(None).get("/api/v1/recognisers/").status_code == 401
