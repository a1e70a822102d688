"""GET /projects/{id}/graph/: a researcher pulls the argument graph into networkx."""

import io
import json

import networkx as nx
import pytest

from annotator.annotations.models import Span
from tests.conftest import add_article, streamed


def graph_of(client, project_id, **params):
    response = client.get(f"/api/v1/projects/{project_id}/graph/", params)
    assert response.status_code == 200, getattr(response, "data", response)
    return streamed(response)


@pytest.fixture
def argued(pair):
    """Gold: the minister's claim quoted in two articles (SAME_CLAIM), rebutted from a third."""
    third = add_article(
        pair.world.admin, pair.world.project, "Critics said prices would rise. 4.75%.", "third"
    )
    claim = pair.span("reviewer", pair.first, "inflation would fall", "CLAIM", layer="gold")
    quoted = pair.span("reviewer", pair.second, "inflation would not fall", "CLAIM", layer="gold")
    rebuttal = pair.span("reviewer", third, "Critics said prices would rise", "REBUTTAL", layer="gold")
    figure = pair.span("reviewer", third, "4.75%", "FIGURE", layer="gold")
    lone = pair.span("reviewer", pair.first, "4.75%", "FIGURE", layer="gold")
    Span.objects.filter(pk__in=[claim["id"], quoted["id"]]).update(attributes={"speaker": "Minister"})
    Span.objects.filter(pk=rebuttal["id"]).update(attributes={"speaker": "Union"})
    for article, source, target, label in [
        (pair.first, claim, quoted, "SAME_CLAIM"),
        (third, rebuttal, claim, "REBUTS"),
        (pair.first, lone, claim, "SUPPORTS"),
    ]:
        r = pair.world.client("reviewer").post(
            f"/api/v1/articles/{article.pk}/relations/",
            {"from": source["id"], "to": target["id"], "label": label},
            format="json",
        )
        assert r.status_code == 201, r.json()
    return pair, dict(claim=claim, quoted=quoted, rebuttal=rebuttal, figure=figure, lone=lone)


def test_a_researcher_reads_it_into_networkx(argued, django_assert_max_num_queries):
    pair, s = argued
    with django_assert_max_num_queries(12):
        body = graph_of(pair.world.client("researcher"), pair.world.project.pk, layer="gold")
    data = json.loads(body)
    graph = nx.node_link_graph(data, directed=True, multigraph=True)
    assert graph.number_of_nodes() == 5 and graph.number_of_edges() == 3
    claim = graph.nodes[s["claim"]["id"]]
    assert (claim["article"], claim["label"], claim["speaker"], claim["text"]) == (
        "first", "CLAIM", "Minister", "inflation would fall",
    )  # fmt: skip
    rebuts = graph.get_edge_data(s["rebuttal"]["id"], s["claim"]["id"])
    assert [(e["label"], e["cross_article"]) for e in rebuts.values()] == [("REBUTS", True)]
    lone = graph.get_edge_data(s["lone"]["id"], s["claim"]["id"])
    assert [(e["label"], e["cross_article"]) for e in lone.values()] == [("SUPPORTS", False)]
    assert data["clusters"] == [sorted([s["claim"]["id"], s["quoted"]["id"]])]
    assert claim["cluster"] == graph.nodes[s["quoted"]["id"]]["cluster"] == min(data["clusters"][0])
    assert "cluster" not in graph.nodes[s["rebuttal"]["id"]]


def test_graphml_parses(argued):
    pair, s = argued
    body = graph_of(pair.world.client("researcher"), pair.world.project.pk, layer="gold", format="graphml")
    graph = nx.read_graphml(io.BytesIO(body))
    assert graph.number_of_nodes() == 5 and graph.number_of_edges() == 3
    node = graph.nodes[str(s["rebuttal"]["id"])]
    assert (node["label"], node["speaker"], node["article"]) == ("REBUTTAL", "Union", "third")
    assert graph.edges[str(s["rebuttal"]["id"]), str(s["claim"]["id"])]["cross_article"] is True


def test_filters(argued):
    pair, s = argued
    client, pid = pair.world.client("reviewer"), pair.world.project.pk
    data = json.loads(graph_of(client, pid, layer="gold", labels="CLAIM,REBUTTAL"))
    assert {n["label"] for n in data["nodes"]} == {"CLAIM", "REBUTTAL"}
    assert sorted(e["label"] for e in data["edges"]) == ["REBUTS", "SAME_CLAIM"]
    data = json.loads(graph_of(client, pid, layer="gold", labels="REBUTS"))
    assert [e["label"] for e in data["edges"]] == ["REBUTS"]
    # The union's spans and what they are joined to.
    data = json.loads(graph_of(client, pid, layer="gold", speaker="Union"))
    assert sorted(n["id"] for n in data["nodes"]) == sorted([s["rebuttal"]["id"], s["claim"]["id"]])
    assert [e["label"] for e in data["edges"]] == ["REBUTS"]
    bad = client.get(f"/api/v1/projects/{pid}/graph/", {"labels": "NOPE"})
    assert bad.status_code == 400


def test_scoping(argued):
    pair, _ = argued
    pid = pair.world.project.pk
    annotator = pair.world.client("annotator")
    mine = pair.span("annotator", pair.first, "inflation would fall", "CLAIM")
    # An annotator sees their own layer (the default for them), nothing else.
    data = json.loads(graph_of(annotator, pid))
    assert [n["id"] for n in data["nodes"]] == [mine["id"]]
    assert json.loads(graph_of(annotator, pid, layer="annotator"))["nodes"] == data["nodes"]
    for layer in ("gold", "reviewer"):
        assert annotator.get(f"/api/v1/projects/{pid}/graph/", {"layer": layer}).status_code == 404
    assert pair.world.client("outsider").get(f"/api/v1/projects/{pid}/graph/").status_code == 404
    # A reviewer reads the annotator's layer; a layer of nobody in the project is not found.
    assert len(json.loads(graph_of(pair.world.client("reviewer"), pid, layer="annotator"))["nodes"]) == 1
    assert (
        pair.world.client("reviewer").get(f"/api/v1/projects/{pid}/graph/", {"layer": "ghost"}).status_code
        == 404
    )
