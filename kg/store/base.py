"""What every graph store offers, and the write path they share.

A store only has to run one parameterised Cypher statement (:meth:`GraphStore.run`)
and set up its own indexes; turning a :class:`~kg.models.Graph` into batched
``UNWIND $rows`` writes is common to all of them (:func:`write_graph`).
"""

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from kg.catalog import spelling_variants
from kg.ids import author_key, normalise_title
from kg.models import EntityType, Graph
from kg.query import load_query

__all__ = ["ENTITY_LABELS", "GraphStore", "Result", "WriteStats", "graph_rows", "write_graph"]

# The only labels a write query ever names; never taken from input.
ENTITY_LABELS: tuple[str, ...] = tuple(t.value for t in EntityType)
# Write queries in the order they must run (nodes before the links between them).
WRITE_ORDER = (
    "write_papers",
    "write_entities",
    "prune_paper_links",
    "write_mentions",
    "write_proposes",
    "write_affiliations",
    "write_repositories",
    "write_authors",
)


@dataclass(frozen=True, slots=True)
class Result:
    """Rows returned by a query, as plain Python values."""

    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(slots=True)
class WriteStats:
    """How many rows each write query was sent."""

    rows: dict[str, int] = field(default_factory=dict)


class GraphStore(Protocol):
    """A graph database kg can write to and query."""

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> Result:
        """Run one Cypher statement with parameters and return its rows."""
        ...

    def ensure_schema(self) -> None:
        """Create the indexes/constraints the write queries rely on (idempotent)."""
        ...

    def close(self) -> None:
        """Release the connection (and, for an embedded store, its server)."""
        ...


def graph_rows(graph: Graph) -> dict[str, list[dict[str, Any]]]:
    """Return the parameter rows for each write query, keyed by query name."""
    papers = [
        {
            "id": p.id,
            "props": {
                "title": p.title,
                "abstract": p.abstract,
                "date": p.date,
                "upvotes": p.upvotes,
                "authors_count": p.authors_count,
                "organization": p.organization,
                "arxiv_id": p.arxiv_id,
                "doi": p.doi,
                "published": p.published,
                "title_key": normalise_title(p.title),
                "source": p.source,
                "line": p.line,
            },
        }
        for p in graph.papers
    ]
    entities = [
        {
            "key": e.key,
            "canonical": e.canonical,
            "name": e.name,
            "type": e.type.value,
            "aliases": list(e.aliases),
            "names": sorted(_search_names(e.canonical, *e.aliases)),
        }
        for e in graph.entities.values()
    ]
    keys_by_paper: dict[str, list[str]] = {p.id: [] for p in graph.papers}
    for link in graph.mentions:
        keys_by_paper.setdefault(link.paper_id, []).append(link.key)
    return {
        "write_papers": papers,
        "write_entities": entities,
        "prune_paper_links": [{"paper": k, "keys": v} for k, v in keys_by_paper.items()],
        "write_mentions": [
            {
                "paper": m.paper_id,
                "key": m.key,
                "count": m.count,
                "evidence": m.evidence,
                "surfaces": list(m.surfaces),
                "section": m.section,
                "start": m.start,
                "end": m.end,
            }
            for m in graph.mentions
        ],
        "write_proposes": [
            {"paper": m.paper_id, "key": m.key, "evidence": m.evidence}
            for m in graph.mentions
            if m.proposed
        ],
        "write_affiliations": [{"paper": p, "key": k} for p, k in graph.affiliations],
        "write_authors": _author_rows(graph),
        "write_repositories": [
            {
                "paper": r.paper_id,
                "url": r.url,
                "kind": r.kind,
                "host": r.url.split("/")[2],
                "evidence": r.sentence,
            }
            for r in graph.repositories
        ],
    }


def write_graph(
    store: GraphStore,
    graph: Graph,
    *,
    batch_size: int = 10_000,
    progress: Callable[[str, int], None] | None = None,
) -> WriteStats:
    """Write ``graph`` to ``store`` in ``UNWIND $rows`` batches; re-running changes nothing.

    ``progress(query_name, rows_done)`` is called after each batch.
    """
    store.ensure_schema()
    stats = WriteStats()
    rows_by_query = graph_rows(graph)
    for name in WRITE_ORDER:
        query = load_query(name)
        rows = rows_by_query[name]
        for batch in _batches(rows, batch_size):
            store.run(query.text, {"rows": batch})
            if progress:
                progress(name, len(batch))
        stats.rows[name] = len(rows)
    _set_type_labels(store, graph, batch_size)
    return stats


def _set_type_labels(store: GraphStore, graph: Graph, batch_size: int) -> None:
    """Give each entity the label of its type and remove the others.

    Cypher cannot take a label as a parameter, so the label is written into the
    statement here — from :data:`ENTITY_LABELS` only, never from input.
    """
    keys_by_label: dict[str, list[str]] = {label: [] for label in ENTITY_LABELS}
    for entity in graph.entities.values():
        keys_by_label[entity.type.value].append(entity.key)
    for label, keys in keys_by_label.items():
        others = ":".join(other for other in ENTITY_LABELS if other != label)
        statement = f"MATCH (e:Entity) WHERE e.key IN $keys REMOVE e:{others} SET e:{label}"
        for batch in _batches(keys, batch_size):
            store.run(statement, {"keys": batch})


def _author_rows(graph: Graph) -> list[dict[str, Any]]:
    """One row per (paper, author), in author order; a name given twice counts once."""
    rows = []
    for paper in graph.papers:
        keys: set[str] = set()
        for name in paper.authors:
            key = author_key(name)
            if key and key not in keys:
                keys.add(key)
                rows.append({"paper": paper.id, "key": key, "name": name, "position": len(keys)})
    return rows


def _search_names(*names: str) -> set[str]:
    """Lowercase, hyphen-free spellings that the read queries compare ``$name`` against."""
    return {
        variant.casefold().replace("-", " ")
        for name in names
        for variant in spelling_variants(name)
    }


def _batches(rows: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]
