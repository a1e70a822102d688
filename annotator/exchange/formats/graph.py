"""The argument graph as bytes: node-link JSON (what ``networkx.node_link_graph`` reads) or
GraphML, written piece by piece from streamed nodes and edges; and the clusters of a
symmetric relation (SAME_CLAIM), as connected components.

Pure: no Django. Nodes and edges arrive as plain dicts; nothing holds more than one of them,
except the cluster finder, which holds only the spans its edges join.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import orjson

# Node and edge attributes, with their GraphML types.
NODE_KEYS = (
    ("article", "string"),
    ("article_id", "long"),
    ("label", "string"),
    ("text", "string"),
    ("start", "long"),
    ("end", "long"),
    ("speaker", "string"),
    ("cluster", "long"),
)
EDGE_KEYS = (("id", "long"), ("label", "string"), ("cross_article", "boolean"))
# Characters XML 1.0 cannot carry at all (C0 controls but tab, newline, return; FFFE, FFFF).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


class Clusters:
    """Connected components of the edges added (union-find, smallest id as the root)."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, node: int) -> int:
        parent = self.parent
        root = node
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(node, node) != root:  # flatten the path
            parent[node], node = root, parent[node]
        return root

    def join(self, a: int, b: int) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            low, high = min(ra, rb), max(ra, rb)
            self.parent[high] = low
            self.parent.setdefault(low, low)

    def of(self, node: int) -> int | None:
        """The cluster (its smallest span id) of a node in one, else None."""
        return self.find(node) if node in self.parent else None

    def groups(self) -> list[list[int]]:
        found: dict[int, list[int]] = {}
        for node in sorted(self.parent):
            found.setdefault(self.find(node), []).append(node)
        return list(found.values())


BATCH = 1000  # items per piece written


def _json(value: Any) -> bytes:
    return orjson.dumps(value)


def _items(items: Iterable[dict[str, Any]]) -> Iterator[bytes]:
    """The items as JSON array members, a batch per piece (one encoder call each)."""
    batch: list[dict[str, Any]] = []
    sep = b""
    for item in items:
        batch.append(item)
        if len(batch) == BATCH:
            yield sep + orjson.dumps(batch)[1:-1]
            batch, sep = [], b","
    if batch:
        yield sep + orjson.dumps(batch)[1:-1]


def node_link(
    graph: dict[str, Any],
    nodes: Iterable[dict[str, Any]],
    edges: Iterable[dict[str, Any]],
    clusters: Clusters,
) -> Iterator[bytes]:
    """Node-link JSON: a directed multigraph (two spans may be joined by relations of two
    labels; ``key`` is the relation id), ``clusters`` after the edges."""
    yield b'{"directed":true,"multigraph":true,"graph":' + _json(graph) + b',"nodes":['
    yield from _items(nodes)
    yield b'],"edges":['
    yield from _items(edges)
    # Filled while the nodes were read (see ``nodes``' reader): complete only now.
    yield b'],"clusters":' + _json(clusters.groups()) + b"}\n"


def _escape(text: str) -> str:
    """Text as XML character data or a double-quoted attribute value."""
    text = _NOT_XML.sub("\ufffd", text)
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def _xml(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return _escape(str(value))


def _data(item: dict[str, Any], keys: tuple[tuple[str, str], ...], prefix: str) -> str:
    return "".join(
        f'<data key="{prefix}_{name}">{_xml(item[name])}</data>'
        for name, _t in keys
        if item.get(name) is not None
    )


def graphml(
    graph: dict[str, Any], nodes: Iterable[dict[str, Any]], edges: Iterable[dict[str, Any]]
) -> Iterator[bytes]:
    """GraphML (``networkx.read_graphml`` reads it): node ids are span ids, edge ids relation ids."""
    head = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    ]
    head += [f'<key id="n_{n}" for="node" attr.name="{n}" attr.type="{t}"/>' for n, t in NODE_KEYS]
    head += [f'<key id="e_{n}" for="edge" attr.name="{n}" attr.type="{t}"/>' for n, t in EDGE_KEYS]
    name = _escape(str(graph.get("name", "graph")))
    head.append(f'<graph id="{name}" edgedefault="directed">')
    yield ("\n".join(head) + "\n").encode()
    for node in nodes:
        yield f'<node id="{node["id"]}">{_data(node, NODE_KEYS, "n")}</node>\n'.encode()
    for edge in edges:
        yield (
            f'<edge id="{edge["key"]}" source="{edge["source"]}" target="{edge["target"]}">'
            f"{_data(edge, EDGE_KEYS, 'e')}</edge>\n"
        ).encode()
    yield b"</graph>\n</graphml>\n"
