"""The project's speakers: reviewers merge spellings into one speaker, the graph shows and
filters by it, a spelling names one speaker only (also under concurrent writers)."""

import json

import pytest

from annotator.annotations.models import Span, Speaker
from annotator.annotations.speakers import speaker_create
from tests.crossarticle.test_graph import graph_of
from tests.domain.race_helpers import race


def add(client, pid, name, spellings=()):
    return client.post(
        f"/api/v1/projects/{pid}/speakers/", {"name": name, "spellings": list(spellings)}, format="json"
    )


@pytest.fixture
def spelled(pair):
    """Gold: the same minister under two spellings, and a union leader."""
    claim = pair.span("reviewer", pair.first, "inflation would fall", "CLAIM", layer="gold")
    quoted = pair.span("reviewer", pair.second, "inflation would not fall", "CLAIM", layer="gold")
    union = pair.span("reviewer", pair.second, "The union leader said", "REBUTTAL", layer="gold")
    mine = pair.span("annotator", pair.first, "The minister said", "CLAIM")
    Span.objects.filter(pk=claim["id"]).update(attributes={"speaker": "Mr Barclay"})
    Span.objects.filter(pk__in=[quoted["id"], mine["id"]]).update(
        attributes={"speaker": "the Health Secretary"}
    )
    Span.objects.filter(pk=union["id"]).update(attributes={"speaker": "Union"})
    assert pair.relate("reviewer", pair.second, union["id"], claim["id"], "REBUTS").status_code == 201
    return pair, dict(claim=claim, quoted=quoted, union=union)


def test_a_reviewer_merges_spellings_and_the_graph_follows(spelled):
    pair, s = spelled
    reviewer, pid = pair.world.client("reviewer"), pair.world.project.pk
    seen = reviewer.get(f"/api/v1/projects/{pid}/speakers/spellings/").json()
    # Counted over every layer: the annotator's span says "the Health Secretary" too.
    assert seen == [
        {"spelling": "the Health Secretary", "spans": 2, "speaker": None},
        {"spelling": "Mr Barclay", "spans": 1, "speaker": None},
        {"spelling": "Union", "spans": 1, "speaker": None},
    ]
    r = add(reviewer, pid, "  Steve   Barclay ", ["Mr Barclay", "the Health Secretary"])
    assert r.status_code == 201, r.json()
    barclay = r.json()
    assert barclay["name"] == "Steve Barclay"
    assert barclay["spellings"] == ["Mr Barclay", "Steve Barclay", "the Health Secretary"]
    seen = {
        row["spelling"]: row["speaker"]
        for row in reviewer.get(f"/api/v1/projects/{pid}/speakers/spellings/").json()
    }
    assert seen == {"the Health Secretary": barclay["id"], "Mr Barclay": barclay["id"], "Union": None}

    data = json.loads(graph_of(reviewer, pid, layer="gold"))
    speakers = {n["id"]: n["speaker"] for n in data["nodes"]}
    assert speakers == {
        s["claim"]["id"]: "Steve Barclay",
        s["quoted"]["id"]: "Steve Barclay",
        s["union"]["id"]: "Union",
    }
    assert data["graph"]["speakers"] == ["Steve Barclay"]
    # By the speaker's name or any spelling: both spellings' spans, and what they are joined to.
    for asked in ("Steve Barclay", "Mr Barclay"):
        data = json.loads(graph_of(reviewer, pid, layer="gold", speaker=asked))
        assert sorted(n["id"] for n in data["nodes"]) == sorted(x["id"] for x in s.values()), asked
    # Spans keep what they say: the mapping is the project's, not an edit of anyone's layer.
    assert Span.objects.get(pk=s["claim"]["id"]).attributes == {"speaker": "Mr Barclay"}


def test_a_spelling_names_one_speaker(spelled):
    pair, _ = spelled
    reviewer, pid = pair.world.client("reviewer"), pair.world.project.pk
    barclay = add(reviewer, pid, "Steve Barclay", ["Mr Barclay"]).json()
    taken = add(reviewer, pid, "Someone else", ["Mr Barclay"])
    assert taken.status_code == 409
    assert "Steve Barclay" in taken.json()["detail"]
    assert add(reviewer, pid, "Mr Barclay").status_code == 409  # a name is a spelling too
    assert Speaker.objects.count() == 1
    # Renaming keeps every spelling, the old name too; a PATCH of spellings replaces the others.
    r = reviewer.patch(f"/api/v1/speakers/{barclay['id']}/", {"name": "S. Barclay"}, format="json")
    assert r.json()["spellings"] == ["Mr Barclay", "S. Barclay", "Steve Barclay"]
    r = reviewer.patch(
        f"/api/v1/speakers/{barclay['id']}/", {"spellings": ["the Health Secretary"]}, format="json"
    )
    assert r.json()["spellings"] == ["S. Barclay", "the Health Secretary"]
    assert add(reviewer, pid, "Mr Barclay").status_code == 201  # free again
    for bad in (
        {"name": "  "},
        {"name": "x" * 201},
        {"name": "X", "spellings": [""]},
        {"name": "X", "spellings": "Y"},
    ):
        r = reviewer.post(f"/api/v1/projects/{pid}/speakers/", bad, format="json")
        assert r.status_code == 400, (bad, r.json())
    assert reviewer.delete(f"/api/v1/speakers/{barclay['id']}/").status_code == 204
    assert Speaker.objects.filter(pk=barclay["id"]).count() == 0
    # Another project's speaker is not there at all.
    other = speaker_create(
        actor=pair.world.outsider, project_id=pair.world.other_project.pk, name="Elsewhere"
    )
    assert reviewer.patch(f"/api/v1/speakers/{other.pk}/", {"name": "Mine"}, format="json").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_claiming_one_spelling_at_once_get_201_and_409(world):
    pid = world.project.pk
    answer = race(
        lambda: speaker_create(actor=world.admin, project_id=pid, name="Steve Barclay", spellings=["Mr B"]),
        lambda: add(world.client("reviewer"), pid, "Someone else", ["Mr B"]),
    )
    assert answer == "409"
    assert [s.name for s in Speaker.objects.filter(project_id=pid)] == ["Steve Barclay"]
