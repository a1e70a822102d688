"""The graph writers (pure): clusters as connected components; node-link JSON and GraphML that
networkx reads back, whatever the text holds."""

import io
import json

import networkx as nx

from annotator.exchange.formats.graph import Clusters, graphml, node_link


def test_clusters_are_connected_components():
    clusters = Clusters()
    for a, b in [(7, 3), (9, 12), (12, 3), (20, 21), (3, 7)]:
        clusters.join(a, b)
    assert clusters.groups() == [[3, 7, 9, 12], [20, 21]]
    assert clusters.of(12) == clusters.of(9) == 3 and clusters.of(21) == 20 and clusters.of(5) is None


NODES = [
    {"id": 1, "article": "a", "article_id": 1, "label": "CLAIM", "text": 'He said "<no> & \x0b"', "start": 0,
     "end": 9, "speaker": "Mr \u00e9", "cluster": 1},
    {"id": 2, "article": "b", "article_id": 2, "label": "CLAIM", "text": "👩‍👩‍👧", "start": 0, "end": 1,
     "speaker": None, "cluster": 1},
]  # fmt: skip
EDGES = [
    {"source": 1, "target": 2, "key": 5, "id": 5, "label": "SAME_CLAIM", "cross_article": True},
    {"source": 1, "target": 2, "key": 6, "id": 6, "label": "REBUTS", "cross_article": True},
]


def test_node_link_and_graphml_read_back():
    clusters = Clusters()
    clusters.join(1, 2)
    data = json.loads(b"".join(node_link({"name": "g"}, NODES, EDGES, clusters)))
    graph = nx.node_link_graph(data, directed=True, multigraph=True)
    assert graph.nodes[1]["text"] == NODES[0]["text"] and graph.number_of_edges(1, 2) == 2
    assert data["clusters"] == [[1, 2]]
    read = nx.read_graphml(io.BytesIO(b"".join(graphml({"name": "g<&>"}, NODES, EDGES))))
    assert read.nodes["1"]["text"] == 'He said "<no> & \ufffd"'  # XML cannot carry \x0b
    assert read.nodes["2"]["text"] == "👩‍👩‍👧" and "speaker" not in read.nodes["2"]
    assert sorted(d["label"] for _a, _b, d in read.edges(data=True)) == ["REBUTS", "SAME_CLAIM"]
