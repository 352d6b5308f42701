"""Graph stores behind one small interface: the embedded default, and Neo4j."""

from kg.store.base import ENTITY_LABELS, GraphStore, Result, WriteStats, graph_rows, write_graph
from kg.store.falkor import FalkorStore, writable
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


def open_store(path: str, *, for_reading: bool = False) -> GraphStore:
    """Open the embedded store at ``path`` (created on first write).

    ``for_reading``: the caller only reads; a database whose folder or file cannot be
    written is then opened read-only (no lock, nothing saved) instead of refused.
    """
    return FalkorStore(path, read_only=for_reading and not writable(path))
