"""Graph stores behind one small interface: the embedded default, and Neo4j.

Names are imported on first use (PEP 562): the watchdog of a warm server
(``python -m kg.store.warm``) imports this package and should stay small.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kg.store.base import (
        ENTITY_LABELS,
        GraphStore,
        Result,
        WriteStats,
        graph_rows,
        write_graph,
    )
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

_WHERE = {
    **dict.fromkeys(
        ["ENTITY_LABELS", "GraphStore", "Result", "WriteStats", "graph_rows", "write_graph"],
        "kg.store.base",
    ),
    **dict.fromkeys(["FalkorStore", "writable"], "kg.store.falkor"),
    "Neo4jStore": "kg.store.neo4j",
}


def __getattr__(name: str) -> Any:
    """Import a public name's module on first use."""
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'kg.store' has no attribute {name!r}")
    value = getattr(import_module(where), name)
    globals()[name] = value
    return value


def open_store(path: str, *, for_reading: bool = False) -> "GraphStore":
    """Open the embedded store at ``path`` (created on first write), as kg's commands do.

    ``for_reading``: the caller only reads. It then shares the database with other
    readers (and the server with later commands); a database whose folder or file cannot
    be written is opened read-only (a snapshot: no lock, nothing saved) instead of refused.
    The server stays up for ``KG_SERVER_IDLE`` seconds after the store is closed
    (:mod:`kg.store.warm`).
    """
    from kg.store.falkor import FalkorStore, writable
    from kg.store.warm import idle_setting

    idle = idle_setting()
    if for_reading and not writable(path):
        return FalkorStore(path, read_only=True)
    return FalkorStore(path, shared=for_reading, idle=idle)
