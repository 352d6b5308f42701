"""Explain one entity from the stored graph: its names, how it was formed, papers and variants."""

from dataclasses import dataclass
from typing import Any

from kg.names import name_key
from kg.query import load_internal
from kg.store.base import GraphStore

__all__ = ["EntityReport", "describe_entities"]


@dataclass(frozen=True, slots=True)
class EntityReport:
    """What the graph holds about one entity, and the spellings that were merged into it."""

    key: str
    canonical: str
    name: str
    type: str
    kind: str  # named, concept or ambiguous (a bare acronym with no dominant meaning, #18)
    paper_count: int
    aliases: tuple[str, ...]
    formed: tuple[str, ...]  # merge reasons (kg/formed.py): acronym, spelling, override, ...
    papers: list[dict[str, Any]]  # paper, title, count, surfaces, proposed, via, evidence
    variants: list[dict[str, Any]]  # link ("variant of" / "has variant"), name, key, reason

    @property
    def spellings(self) -> list[str]:
        """Every spelling the papers used for it, most papers first."""
        counts: dict[str, int] = {}
        for row in self.papers:
            for surface in row["surfaces"] or ():
                counts[surface] = counts.get(surface, 0) + 1
        return sorted(counts, key=lambda s: (-counts[s], s))


def describe_entities(store: GraphStore, name: str) -> list[EntityReport]:
    """Return every stored entity that goes by ``name`` (``MPI`` may be several), the one
    most papers mention first."""
    params = {"key": name_key(name), "name": name.casefold().replace("-", " ")}
    found = store.run(load_internal("lookup_entity").text, params).records()
    reports = []
    for row in found:
        key = {"key": row["key"]}
        papers = store.run(load_internal("lookup_entity_papers").text, key).records()
        variants = store.run(load_internal("lookup_entity_variants").text, key).records()
        variants.sort(key=lambda v: (v["link"] != "variant of", v["name"] or "", v["key"]))
        reports.append(
            EntityReport(
                key=row["key"],
                canonical=row["canonical"] or row["key"],
                name=row["name"] or row["key"],
                type=row["type"] or "",
                kind=row["kind"] or "named",
                paper_count=int(row["papers"] or 0),
                aliases=tuple(row["aliases"] or ()),
                formed=tuple(row["formed"] or ()),
                papers=papers,
                variants=variants,
            )
        )
    return reports
