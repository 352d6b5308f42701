"""kg: a knowledge graph of methods, datasets and models from research-paper abstracts."""

from kg.build import build_from
from kg.errors import InputError, KgError, QueryError, StoreError
from kg.extract import extract, load_nlp
from kg.link import link
from kg.models import Entity, EntityType, Graph, Mention, Paper, Repository
from kg.readers.ingest import read_papers
from kg.store import FalkorStore, open_store, write_graph

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
