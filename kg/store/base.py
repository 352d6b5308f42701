"""What every graph store offers, and the write path they share.

A store only has to run one parameterised Cypher statement (:meth:`GraphStore.run`)
and set up its own indexes; turning a :class:`~kg.models.Graph` into batched
``UNWIND $rows`` writes is common to all of them (:func:`write_graph`).
"""

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Protocol, Self

from kg.errors import StoreError
from kg.models import EntityType, Graph
from kg.names import spelling_variants
from kg.query import load_internal
from kg.readers.ids import author_key, normalise_title

__all__ = [
    "ENTITY_LABELS",
    "GraphStore",
    "Result",
    "WriteStats",
    "changed_rows",
    "graph_rows",
    "paper_hash",
    "write_graph",
    "write_statements",
]

# The only labels a write query ever names; never taken from input.
ENTITY_LABELS: tuple[str, ...] = tuple(t.value for t in EntityType)
# Write queries in the order they must run (nodes before the links between them).
WRITE_ORDER = (
    "write_papers",
    "write_entities",
    "write_variants",
    "prune_paper_links",
    "write_mentions",
    "write_proposes",
    "write_affiliations",
    "write_repositories",
    "write_authors",
    "write_paper_hashes",  # last: a paper's hash is stored only once all its rows are
)
# Row lists whose rows link a paper (``paper``) to an entity (``key``).
_ENTITY_LINKS = ("write_mentions", "write_proposes", "write_affiliations")
# Row lists that link entities to entities, with no paper: always sent (#5).
_ENTITY_ONLY = ("write_variants",)


@dataclass(frozen=True, slots=True)
class Result:
    """Rows returned by a query, as plain Python values."""

    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]


@dataclass(slots=True)
class WriteStats:
    """How many rows each write query was sent, and how many papers were already stored."""

    rows: dict[str, int] = field(default_factory=dict)
    papers_unchanged: int = 0


class GraphStore(Protocol):
    """A graph database kg can write to and query; ``with store:`` closes it."""

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

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
            "kind": e.kind,
            "aliases": list(e.aliases),
            "names": sorted(_search_names(e.canonical, *e.aliases)),
            "formed": list(e.formed),
        }
        for e in graph.entities.values()
    ]
    keys_by_paper: dict[str, list[str]] = {p.id: [] for p in graph.papers}
    for link in graph.mentions:
        keys_by_paper.setdefault(link.paper_id, []).append(link.key)
    rows: dict[str, list[dict[str, Any]]] = {
        "write_papers": papers,
        "write_entities": entities,
        "prune_paper_links": [
            {"paper": k, "keys": sorted(set(v))} for k, v in keys_by_paper.items()
        ],
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
                "via": list(m.via),
                "kind": m.kind,
            }
            for m in graph.mentions
        ],
        "write_proposes": [
            {"paper": m.paper_id, "key": m.key, "evidence": m.evidence}
            for m in graph.mentions
            if m.proposed
        ],
        "write_affiliations": [{"paper": p, "key": k} for p, k in graph.affiliations],
        "write_variants": [
            {"key": v.key, "parent": v.parent, "reason": v.reason} for v in graph.variants
        ],
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
    rows["write_paper_hashes"] = _hash_rows(rows)
    return rows


def write_graph(
    store: GraphStore,
    graph: Graph,
    *,
    batch_size: int = 10_000,
    incremental: bool = True,
    progress: Callable[[str, int], None] | None = None,
) -> WriteStats:
    """Write ``graph`` to ``store`` in ``UNWIND $rows`` batches; re-running changes nothing.

    With ``incremental`` (the default), papers whose content hash is already stored on
    their node are not sent again: neither the paper, nor its links, nor entities only
    they mention. ``progress(query_name, rows_done)`` is called after each batch.
    """
    if batch_size < 1:
        raise StoreError(
            f"cannot write in batches of {batch_size} rows: the batch size must be 1 or more "
            "(--batch-size)"
        )
    store.ensure_schema()
    rows_by_query = graph_rows(graph)
    stored: dict[str, str] = {}
    if incremental:
        ids = [row["id"] for row in rows_by_query["write_paper_hashes"]]
        stored = _stored_hashes(store, ids, batch_size)
    changed = changed_rows(rows_by_query, stored)
    stats = WriteStats(papers_unchanged=len(graph.papers) - len(changed["write_papers"]))
    for name, cypher, params in write_statements(changed, batch_size=batch_size):
        store.run(cypher, params)
        sent = len(params.get("rows", params.get("keys", [])))
        if name in rows_by_query:
            stats.rows[name] = stats.rows.get(name, 0) + sent
        if progress:
            progress(name, sent)
    return stats


def write_statements(
    rows_by_query: Mapping[str, Sequence[dict[str, Any]]], *, batch_size: int = 10_000
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Yield ``(name, cypher, params)`` for every write, in order, ``batch_size`` rows each.

    The Cypher text comes from the query files and :data:`ENTITY_LABELS` only; every
    value travels in ``params``.
    """
    for name in WRITE_ORDER:
        if name == "write_paper_hashes":
            # Every link is in place: an entity left without any (its key changed as the
            # corpus grew) is a stale duplicate. The hashes still come last.
            yield "prune_orphan_entities", load_internal("prune_orphan_entities").text, {}
        text = load_internal(name).text
        for batch in _batches(rows_by_query.get(name, []), batch_size):
            yield name, text, {"rows": list(batch)}
        if name == "write_entities":
            yield from _label_statements(rows_by_query.get(name, []), batch_size)


def paper_hash(rows: Mapping[str, Any]) -> str:
    """Return a stable digest of everything written for one paper.

    >>> paper_hash({"write_papers": [{"id": "p1"}]}) == paper_hash({"write_papers": [{"id": "p1"}]})
    True
    >>> len(paper_hash({"write_papers": [{"id": "p1"}]}))
    32
    """
    text = json.dumps([_write_queries_digest(), rows], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def changed_rows(
    rows_by_query: Mapping[str, list[dict[str, Any]]], stored: Mapping[str, str | None]
) -> dict[str, list[dict[str, Any]]]:
    """Keep the rows of papers whose hash differs from ``stored`` (paper id -> hash).

    Entities are kept when a kept paper links to them, or when no paper does.

    >>> rows = {"write_papers": [{"id": "a"}, {"id": "b"}],
    ...         "write_paper_hashes": [{"id": "a", "hash": "1"}, {"id": "b", "hash": "2"}],
    ...         "write_entities": [{"key": "x"}], "write_mentions": [{"paper": "b", "key": "x"}]}
    >>> changed = changed_rows(rows, {"a": "1", "b": "old"})
    >>> changed["write_papers"], changed["write_entities"]
    ([{'id': 'b'}], [{'key': 'x'}])
    """
    hashes = {row["id"]: row["hash"] for row in rows_by_query.get("write_paper_hashes", [])}
    keep = {paper_id for paper_id, digest in hashes.items() if stored.get(paper_id) != digest}
    linked: dict[str, set[str]] = {}  # entity key -> papers of this graph linking to it
    for name in _ENTITY_LINKS:
        for row in rows_by_query.get(name, []):
            if row["paper"] in hashes:
                linked.setdefault(row["key"], set()).add(row["paper"])
    changed: dict[str, list[dict[str, Any]]] = {}
    for name, rows in rows_by_query.items():
        if name == "write_entities":
            changed[name] = [r for r in rows if not linked.get(r["key"]) or linked[r["key"]] & keep]
        elif name in _ENTITY_ONLY:  # no paper to compare; a MERGE that changes nothing
            changed[name] = list(rows)
        else:
            changed[name] = [r for r in rows if r.get("paper", r.get("id")) in keep]
    return changed


def _stored_hashes(store: GraphStore, ids: Sequence[str], batch_size: int) -> dict[str, str]:
    """Return the content hash stored on each of the papers ``ids`` that exist."""
    text = load_internal("lookup_paper_hashes").text
    hashes: dict[str, str] = {}
    for batch in _batches(ids, batch_size):
        for paper_id, digest in store.run(text, {"ids": list(batch)}).rows:
            if digest is not None:
                hashes[paper_id] = digest
    return hashes


def _label_statements(
    entity_rows: Sequence[Mapping[str, Any]], batch_size: int
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """Give each entity the label of its type and remove the others.

    Cypher cannot take a label as a parameter, so the label is written into the
    statement here — from :data:`ENTITY_LABELS` only, never from input.
    """
    keys_by_label: dict[str, list[str]] = {label: [] for label in ENTITY_LABELS}
    for row in entity_rows:
        if row["type"] not in keys_by_label:
            raise StoreError(
                f"cannot label entity {row['key']!r}: its type {row['type']!r} is not one of "
                f"{', '.join(ENTITY_LABELS)}; give it one of these (kg.models.EntityType)"
            )
        keys_by_label[row["type"]].append(row["key"])
    for label, keys in keys_by_label.items():
        others = ":".join(other for other in ENTITY_LABELS if other != label)
        statement = f"MATCH (e:Entity) WHERE e.key IN $keys REMOVE e:{others} SET e:{label}"
        for batch in _batches(keys, batch_size):
            yield f"label_{label}", statement, {"keys": list(batch)}


def _hash_rows(rows: Mapping[str, list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Return ``{id, hash}`` for each paper: a digest of every row written for it."""
    entities = {row["key"]: row for row in rows["write_entities"]}
    per_paper: dict[str, dict[str, Any]] = {}
    for row in rows["write_papers"]:
        per_paper[row["id"]] = {"write_papers": [row], "write_entities": {}}
    for name, name_rows in rows.items():
        if name in ("write_papers", "write_entities", *_ENTITY_ONLY):
            continue
        for row in name_rows:
            parts = per_paper.get(row["paper"])
            if parts is None:  # a link from a paper this graph does not hold
                continue
            parts.setdefault(name, []).append(row)
            if "key" in row and row["key"] in entities:
                parts["write_entities"][row["key"]] = entities[row["key"]]
    for parts in per_paper.values():  # the same rows in another order are the same paper
        for part in parts.values():
            if isinstance(part, list):
                part.sort(key=lambda row: json.dumps(row, sort_keys=True, ensure_ascii=False))
    return [{"id": paper_id, "hash": paper_hash(parts)} for paper_id, parts in per_paper.items()]


@cache
def _write_queries_digest() -> str:
    """Digest of the write queries: changing one makes every paper count as changed."""
    text = "\n".join(load_internal(name).text for name in WRITE_ORDER)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


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
