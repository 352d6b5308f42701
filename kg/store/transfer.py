"""Read a stored graph back into a :class:`~kg.models.Graph`, to copy it to another store."""

from typing import Any

from kg.models import Entity, EntityType, Graph, Paper, PaperEntity, Repository, Variant
from kg.query import load_internal
from kg.store.base import GraphStore, WriteStats, write_graph

__all__ = ["copy_graph", "read_stored_graph"]


def read_stored_graph(store: GraphStore) -> Graph:
    """Return everything kg wrote to ``store``: papers, entities and their links.

    Writing the result to another store with :func:`~kg.store.write_graph` gives
    the same nodes, relationships and properties.
    """

    def records(name: str) -> list[dict[str, Any]]:
        return store.run(load_internal(name).text).records()

    papers = [
        Paper(
            id=r["id"],
            title=r["title"] or "",
            abstract=r["abstract"] or "",
            source=r["source"] or "",
            line=r["line"] or 0,
            date=r["date"],
            upvotes=r["upvotes"],
            authors_count=r["authors_count"],
            organization=r["organization"],
            arxiv_id=r["arxiv_id"],
            doi=r["doi"],
            published=r["published"],
            authors=tuple(r["authors"] or ()),
        )
        for r in records("dump_papers")
    ]
    entities = {
        r["key"]: Entity(
            key=r["key"],
            canonical=r["canonical"] or r["key"],
            name=r["name"] or r["key"],
            type=EntityType(r["type"]),
            aliases=tuple(r["aliases"] or ()),
            formed=tuple(r["formed"] or ()),
            kind=r["kind"] or "named",  # a graph stored before kinds (#17): all named
        )
        for r in records("dump_entities")
    }
    mentions = [
        PaperEntity(
            paper_id=r["paper"],
            key=r["key"],
            count=r["count"] or 1,
            evidence=r["evidence"] or "",
            surfaces=tuple(r["surfaces"] or ()),
            section=r["section"] or "abstract",
            start=r["start_offset"] or 0,
            end=r["end_offset"] or 0,
            proposed=bool(r["proposed"]),
            via=tuple(r["via"] or ()),
            kind=r["kind"] or "named",
        )
        for r in records("dump_mentions")
    ]
    affiliations = [(r["paper"], r["key"]) for r in records("dump_affiliations")]
    repositories = [
        Repository(
            paper_id=r["paper"],
            url=r["url"],
            kind=r["kind"] or "project",
            sentence=r["evidence"] or "",
            start=0,
            end=0,
        )
        for r in records("dump_repositories")
    ]
    variants = [Variant(r["key"], r["parent"], r["reason"] or "") for r in records("dump_variants")]
    return Graph(papers, entities, mentions, affiliations, repositories, variants)


def copy_graph(
    source: GraphStore, target: GraphStore, *, batch_size: int = 10_000, incremental: bool = True
) -> tuple[Graph, WriteStats]:
    """Copy the graph in ``source`` to ``target`` through the shared write path."""
    graph = read_stored_graph(source)
    return graph, write_graph(target, graph, batch_size=batch_size, incremental=incremental)
