"""Read a stored graph back into a :class:`~kg.models.Graph`, to copy it to another store."""

from typing import Any

from kg.models import Entity, EntityType, Graph, PaperEntity, Repository, Variant
from kg.query import load_internal
from kg.store.base import GraphStore, WriteStats, paper_from_stored, write_graph

__all__ = ["copy_graph", "read_stored_graph"]


def read_stored_graph(store: GraphStore) -> Graph:
    """Return everything kg wrote to ``store``: papers, entities and their links.

    Writing the result to another store with :func:`~kg.store.write_graph` gives
    the same nodes, relationships and properties. Papers come in corpus order, each as it
    was read (its ``record``); a database written by an older kg gives their properties
    and authors only.
    """

    def records(name: str) -> list[dict[str, Any]]:
        return store.run(load_internal(name).text).records()

    stored = records("dump_papers")
    stored.sort(key=lambda r: (r["input_order"] is None, r["input_order"] or 0, r["id"]))
    papers = [paper_from_stored(r, r["authors"] or ()) for r in stored]
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
    """Copy the graph in ``source`` to ``target`` through the shared write path.

    ``target`` ends holding exactly that graph: papers it held that ``source`` lacks are
    deleted (a copy, as `kg push` makes it).
    """
    graph = read_stored_graph(source)
    written = write_graph(
        target, graph, batch_size=batch_size, incremental=incremental, replace=True
    )
    return graph, written
