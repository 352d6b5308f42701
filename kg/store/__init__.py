"""Graph stores behind one small interface: the embedded default, and Neo4j."""

from kg.store.base import ENTITY_LABELS, GraphStore, Result, WriteStats, graph_rows, write_graph
from kg.store.falkor import FalkorStore
from kg.store.neo4j import Neo4jStore

__all__ = [
    "ENTITY_LABELS",
    "FalkorStore",
    "GraphStore",
    "Neo4jStore",
    "Result",
    "WriteStats",
    "graph_rows",
    "open_store",
    "write_graph",
]


def open_store(path: str) -> GraphStore:
    """Open the embedded store at ``path`` (created on first write)."""
    return FalkorStore(path)
