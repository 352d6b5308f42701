"""What every graph store offers, and the write path they share.

A store only has to run one parameterised Cypher statement (:meth:`GraphStore.run`)
and set up its own indexes; turning a :class:`~kg.models.Graph` into batched
``UNWIND $rows`` writes is common to all of them (:func:`write_graph`).

Long because the rows of every statement, the content hash that makes a re-run skip
unchanged papers, and the write order that keeps an interrupted write repairable belong
together: splitting them would spread one invariant over several files.
"""

import hashlib
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cache
from typing import Any, Protocol, Self

from kg.errors import StoreError
from kg.models import EntityType, Graph, Paper
from kg.names import spelling_variants
from kg.query import load_internal
from kg.readers.ids import author_key, normalise_title
from kg.specificity import specificity_params

__all__ = [
    "ENTITY_LABELS",
    "GraphStore",
    "Result",
    "WriteStats",
    "changed_rows",
    "graph_rows",
    "paper_from_stored",
    "paper_hash",
    "stored_paper_states",
    "stored_papers",
    "write_graph",
    "write_statements",
]

# The only labels a write query ever names; never taken from input.
ENTITY_LABELS: tuple[str, ...] = tuple(t.value for t in EntityType)
# Write queries in the order they must run (nodes before the links between them).
WRITE_ORDER = (
    "write_papers",
    "delete_papers",  # after the papers: a paper merged into another is in the store twice
    "write_entities",
    "write_variants",
    "delete_variants",
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
# What ``write_graph(replace=True)`` removes: stored papers and variant links the graph lacks.
_DELETIONS = ("delete_papers", "delete_variants")
# Paper fields stored as properties of their own; the others travel in ``record`` (#16).
_PAPER_PROPERTIES = (
    *("title", "abstract", "date", "upvotes", "authors_count", "organization"),
    *("arxiv_id", "doi", "published", "source", "line"),
)
_PAPER_RECORD = tuple(
    f.name for f in fields(Paper) if f.name != "id" and f.name not in _PAPER_PROPERTIES
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
                **{name: getattr(p, name) for name in _PAPER_PROPERTIES},
                "title_key": normalise_title(p.title),
                # What rebuilds the Paper exactly (stored_papers), and where it came in the
                # corpus: a later build merges new papers after the stored ones, in order.
                "record": _paper_record(p),
                "input_order": position,
            },
        }
        for position, p in enumerate(graph.papers)
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
    kinds: dict[str, str] = {}  # url -> kind: one node per url, as the first paper gives it
    for r in graph.repositories:
        kinds.setdefault(r.url, r.kind)
    rows: dict[str, list[dict[str, Any]]] = {
        "write_papers": papers,
        "write_entities": entities,
        "prune_paper_links": [{"paper": p.id} for p in graph.papers],
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
                "kind": kinds[r.url],
                "host": r.url.split("/")[2],
                "evidence": r.sentence,
            }
            for r in graph.repositories
        ],
    }
    rows["write_paper_hashes"] = _hash_rows(rows)
    for name in _DELETIONS:  # what the store holds beyond the graph: see write_graph(replace=)
        rows[name] = []
    return rows


def write_graph(
    store: GraphStore,
    graph: Graph,
    *,
    batch_size: int = 10_000,
    incremental: bool = True,
    replace: bool = False,
    progress: Callable[[str, int], None] | None = None,
    before: Callable[[Mapping[str, list[dict[str, Any]]]], None] | None = None,
) -> WriteStats:
    """Write ``graph`` to ``store`` in ``UNWIND $rows`` batches; re-running changes nothing.

    With ``incremental`` (the default), papers whose content hash is already stored on
    their node are not sent again: neither the paper, nor its links, nor entities only
    they mention. With ``replace``, the store ends holding exactly ``graph``: stored papers
    it lacks (a ``title:`` id now merged into an ``arXiv:`` one) and variant links it lacks
    are deleted, whatever they linked to and nothing else links to goes with them; a graph
    built from :func:`stored_papers` plus new papers is what `kg build` and `kg update`
    write so. ``progress(query_name, rows_done)`` is called after each batch, and
    ``before(rows)`` with the rows about to be sent (those of new or changed papers), before
    the first one is.
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
    if replace:
        changed.update(_deletions(store, rows_by_query))
    stats = WriteStats(papers_unchanged=len(graph.papers) - len(changed["write_papers"]))
    if before is not None:
        before(changed)
    for name, cypher, params in write_statements(changed, batch_size=batch_size):
        store.run(cypher, params)
        sent = len(params.get("rows", params.get("keys", [])))
        if name in changed:
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
            # Every link is final: count each entity's papers, idf and specificity (#18).
            for statement in ("write_specificity", "write_specificity_variants"):
                yield statement, load_internal(statement).text, specificity_params()
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
    return _digest(_json([_write_queries_digest(), rows]))


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


def stored_papers(store: GraphStore) -> list[Paper]:
    """Return the papers ``store`` holds, each exactly as it was written, in corpus order.

    Merging new papers after these (:func:`kg.readers.dedupe.merge_papers`) orders and
    merges them as one build of all the inputs would. A database written by a kg older
    than the ``record`` property cannot give its papers back whole: that is an error.
    """
    return [paper for paper, _ in stored_paper_states(store)]


def stored_paper_states(store: GraphStore) -> list[tuple[Paper, bool]]:
    """Like :func:`stored_papers`, with whether each paper is stored completely: its
    content hash, written after all its rows, is there (an interrupted write leaves
    papers without one)."""
    rows = store.run(load_internal("lookup_stored_papers").text).rows
    old = sum(1 for (props,) in rows if props.get("record") is None)
    if old:
        raise StoreError(
            f"the database holds {old} paper(s) written by an older kg, without the record "
            "that merges them with new papers; build it again from its inputs "
            "(kg build INPUTS --db NEW.db), or delete it first"
        )
    return [(paper_from_stored(props), props.get("content_hash") is not None) for (props,) in rows]


def paper_from_stored(props: Mapping[str, Any], authors: Sequence[str] = ()) -> Paper:
    """Rebuild the :class:`~kg.models.Paper` whose node has the properties ``props``.

    Without a ``record`` (a database written by an older kg), the fields it holds are
    left empty but for ``authors``, given from the paper's Author nodes.

    >>> paper = Paper(id="p1", title="T", abstract="A.", authors=("Ada",), urls=("https://x.org",))
    >>> row = graph_rows(Graph([paper], {}, [], [], []))["write_papers"][0]
    >>> paper_from_stored({"id": row["id"], **row["props"]}) == paper
    True
    """
    values: dict[str, Any] = {name: props.get(name) for name in _PAPER_PROPERTIES}
    values["title"] = values["title"] or ""
    values["abstract"] = values["abstract"] or ""
    values["source"] = values["source"] or ""
    values["line"] = values["line"] or 0
    record = props.get("record")
    if record is None:
        values["authors"] = tuple(authors)
    else:
        for name, value in json.loads(record).items():
            values[name] = tuple(value) if isinstance(value, list) else value
    return Paper(id=props["id"], **values)


def _paper_record(paper: Paper) -> str:
    """The fields of ``paper`` not stored as properties of their own, as JSON."""
    record = {}
    for name in _PAPER_RECORD:
        value = getattr(paper, name)
        record[name] = list(value) if isinstance(value, tuple) else value
    return json.dumps(record, sort_keys=True, ensure_ascii=False)


def _deletions(
    store: GraphStore, rows_by_query: Mapping[str, list[dict[str, Any]]]
) -> dict[str, list[dict[str, Any]]]:
    """The stored papers and variant links that ``rows_by_query`` lacks, as delete rows."""
    ids = {row["id"] for row in rows_by_query["write_papers"]}
    stored_ids = [row[0] for row in store.run(load_internal("lookup_paper_ids").text).rows]
    variants = {(row["key"], row["parent"]) for row in rows_by_query["write_variants"]}
    stored_variants = store.run(load_internal("dump_variants").text).rows
    return {
        "delete_papers": [{"id": paper_id} for paper_id in stored_ids if paper_id not in ids],
        "delete_variants": [
            {"key": key, "parent": parent}
            for key, parent, _ in stored_variants
            if (key, parent) not in variants
        ],
    }


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
    """Return ``{id, hash}`` for each paper: a digest of every row written for it.

    The digest is :func:`paper_hash` of the paper's rows (its links sorted, so the same
    rows in another order are the same paper), computed without serialising a row twice:
    each row is turned into JSON once, an entity once however many papers link to it, and
    the paper's text is joined from those pieces exactly as ``json.dumps`` would write it.
    """
    entities = {row["key"]: row for row in rows["write_entities"]}
    entity_json: dict[str, str] = {}
    per_paper: dict[str, dict[str, Any]] = {}
    for row in rows["write_papers"]:
        per_paper[row["id"]] = {"write_papers": [_json(row)], "write_entities": {}}
    for name, name_rows in rows.items():
        if name in ("write_papers", "write_entities", *_ENTITY_ONLY, *_DELETIONS):
            continue
        for row in name_rows:
            parts = per_paper.get(row["paper"])
            if parts is None:  # a link from a paper this graph does not hold
                continue
            parts.setdefault(name, []).append(_json(row))
            key = row.get("key")
            if key is not None and key in entities:
                if key not in entity_json:
                    entity_json[key] = _json(entities[key])
                parts["write_entities"][key] = entity_json[key]
    head = f"[{_json(_write_queries_digest())}, "
    return [
        {"id": paper_id, "hash": _digest(head + _parts_json(parts) + "]")}
        for paper_id, parts in per_paper.items()
    ]


# json.dumps(value, sort_keys=True, ensure_ascii=False), without a new encoder per call.
_JSON = json.JSONEncoder(sort_keys=True, ensure_ascii=False)


def _json(value: Any) -> str:
    return _JSON.encode(value)


def _parts_json(parts: Mapping[str, Any]) -> str:
    """``_json(parts)`` for parts whose values are their rows' JSON (lists sorted here)."""
    items = []
    for name in sorted(parts):
        part = parts[name]
        if isinstance(part, list):
            text = "[" + ", ".join(sorted(part)) + "]"
        else:
            text = "{" + ", ".join(f"{_json(key)}: {part[key]}" for key in sorted(part)) + "}"
        items.append(f"{_json(name)}: {text}")
    return "{" + ", ".join(items) + "}"


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


@cache
def _write_queries_digest() -> str:
    """Digest of the write queries: changing one makes every paper count as changed."""
    text = "\n".join(load_internal(name).text for name in WRITE_ORDER)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _author_rows(graph: Graph) -> list[dict[str, Any]]:
    """One row per (paper, author), in author order; a name given twice counts once.

    An author's node takes the spelling of the first paper that names it, whichever papers
    a run sends again, so one build and several give the same name.
    """
    names: dict[str, str] = {}
    rows = []
    for paper in graph.papers:
        keys: set[str] = set()
        for name in paper.authors:
            key = author_key(name)
            if key and key not in keys:
                keys.add(key)
                shown = names.setdefault(key, name)
                rows.append({"paper": paper.id, "key": key, "name": shown, "position": len(keys)})
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
