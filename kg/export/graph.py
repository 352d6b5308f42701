"""Read the stored graph into networkx: papers, entities, repositories and their links."""

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from kg.query import load_internal
from kg.store.base import GraphStore

__all__ = ["Node", "from_rows", "read_graph"]

# A node of the paper-entity graph: ("paper", id), ("entity", key) or ("repo", url).
Node = tuple[str, str]


def read_graph(store: GraphStore) -> nx.Graph:
    """Read papers, entities, repositories and their links from ``store`` into networkx."""
    return from_rows(
        store.run(load_internal("export_papers").text).records(),
        store.run(load_internal("export_entities").text).records(),
        store.run(load_internal("export_links").text).records(),
    )


def from_rows(
    papers: Iterable[Mapping[str, Any]],
    entities: Iterable[Mapping[str, Any]],
    links: Iterable[Mapping[str, Any]],
) -> nx.Graph:
    """Build the paper-entity graph from the rows of the ``export_*`` queries.

    Nodes carry ``kind`` (``Paper``, an entity type or ``Repository``), ``name`` and
    ``mentions`` (how often the paper names entities, or the entity is named); an edge
    carries ``rels``, ``count`` (mentions) and ``evidence`` (the supporting sentence).

    >>> g = from_rows([{"id": "p1", "title": "T"}],
    ...               [{"key": "ppo", "name": "PPO", "type": "Method", "aliases": []}],
    ...               [{"paper": "p1", "target": "ppo", "rel": "MENTIONS", "count": 2,
    ...                 "evidence": "We use PPO."}])
    >>> g.edges[("paper", "p1"), ("entity", "ppo")]["count"], g.nodes[("entity", "ppo")]["mentions"]
    (2, 2)
    """
    graph = nx.Graph()
    for row in papers:
        graph.add_node(("paper", row["id"]), **row, kind="Paper", name=row.get("title") or "")
    for row in entities:
        graph.add_node(("entity", row["key"]), **row, kind=row["type"])
    for row in links:
        source: Node = ("paper", row["paper"])
        if row["rel"] == "HAS_CODE":
            target: Node = ("repo", row["target"])
            graph.add_node(target, kind="Repository", name=row["target"], url=row["target"])
        else:
            target = ("entity", row["target"])
        if source not in graph or target not in graph:
            continue
        data = graph.get_edge_data(source, target) or {"rels": [], "count": 0, "evidence": ""}
        data["rels"] = sorted({*data["rels"], row["rel"]})
        data["count"] = max(data["count"], row.get("count") or 1)
        data["evidence"] = data["evidence"] or (row.get("evidence") or "")
        graph.add_edge(source, target, **data)
    for node in graph:
        graph.nodes[node]["mentions"] = sum(d["count"] for _, _, d in graph.edges(node, data=True))
    return graph
