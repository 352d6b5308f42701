"""kg: a knowledge graph of methods, datasets and models from research-paper abstracts.

The names below are imported on first use (PEP 562), so that ``kg query`` and ``kg
stats`` start without loading spaCy: ``from kg import build_from`` works as before.
"""

import importlib
import typing

if typing.TYPE_CHECKING:
    from kg.build import build_from
    from kg.errors import InputError, KgError, QueryError, StoreError
    from kg.extract import extract, load_nlp
    from kg.link import link
    from kg.models import Entity, EntityType, Graph, Mention, Paper, Repository
    from kg.readers.ingest import read_papers
    from kg.store import FalkorStore, open_store, write_graph

# Each public name -> the module that defines it.
_WHERE = {
    "build_from": "kg.build",
    **dict.fromkeys(["InputError", "KgError", "QueryError", "StoreError"], "kg.errors"),
    **dict.fromkeys(["extract", "load_nlp"], "kg.extract"),
    "link": "kg.link",
    **dict.fromkeys(
        ["Entity", "EntityType", "Graph", "Mention", "Paper", "Repository"], "kg.models"
    ),
    "read_papers": "kg.readers.ingest",
    **dict.fromkeys(["FalkorStore", "open_store", "write_graph"], "kg.store"),
}

__all__ = [
    "Entity",
    "EntityType",
    "FalkorStore",
    "Graph",
    "InputError",
    "KgError",
    "Mention",
    "Paper",
    "QueryError",
    "Repository",
    "StoreError",
    "build_from",
    "extract",
    "link",
    "load_nlp",
    "open_store",
    "read_papers",
    "write_graph",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> typing.Any:
    """Import a public name's module on first use."""
    where = _WHERE.get(name)
    if where is None:
        raise AttributeError(f"module 'kg' has no attribute {name!r}")
    value = getattr(importlib.import_module(where), name)
    globals()[name] = value
    return value
