"""The views of a big graph, selected in the database instead of read whole (#19).

Above OVERVIEW_PAPERS papers, reading 300,000 nodes into networkx takes minutes, so:

- ``concepts``: the top entities (papers with idf weighting) and their strongest
  co-mention links, the concept map's selection (:mod:`kg.export.overview`);
- ``overlap``: the paper pairs ``cypher/overlapping_pairs.cypher`` ranks first;
- ``bipartite``: the top entities of the same ranking and the papers that name the most
  of them, with their links;
- ``ego``: the ball around the centre, grown one step at a time in Cypher, then the
  same view as on a small graph.
"""

from dataclasses import replace
from typing import Any

import networkx as nx

from kg.errors import KgError
from kg.export.graph import from_rows
from kg.export.overview import MAP_TERMS, read_map, read_terms
from kg.names import name_key
from kg.query import load_internal, load_query
from kg.store.base import GraphStore

__all__ = [
    "BIG_VIEWS",
    "BIPARTITE_PAPERS",
    "BIPARTITE_TERMS",
    "EGO_PAPERS",
    "OVERLAP_PAIRS",
    "read_big_view",
]

# The views read_big_view selects in the database.
BIG_VIEWS = ("concepts", "overlap", "bipartite", "ego")
# The bipartite view of a big graph draws this many top entities (--top: that many) and
# the BIPARTITE_PAPERS papers that name the most of them (by the idf of those they name).
BIPARTITE_TERMS = 100
BIPARTITE_PAPERS = 500
# The concepts view of a big graph keeps each entity's this many strongest links.
CONCEPT_LINKS = 8
# The overlap view of a big graph draws this many pairs (--top: that many): Chromium
# settles 300 pairs in under 2 s, 1,000 in about 10 s (51k papers).
OVERLAP_PAIRS = 300
# The ego view stops growing its ball past this many papers (and says so).
EGO_PAPERS = 5000


def read_big_view(store: GraphStore, spec: Any, total: int) -> tuple[nx.Graph, list[str]]:
    """The view ``spec`` (a kg.export.ViewSpec) of a graph of ``total`` papers, from Cypher."""
    from kg.export.views import build_view

    if spec.view == "concepts":
        view, notes = read_map(
            store,
            terms=spec.top or MAP_TERMS,
            kind=spec.kind or "named",
            types=spec.types,
            since=spec.since,
            until=spec.until,
            links=CONCEPT_LINKS,
            min_weight=spec.min_weight,
        )
        del view.graph["map"]
        notes = [
            f"{total} papers: the {view.number_of_nodes()} top entities (papers with idf "
            f"weighting) and each one's {CONCEPT_LINKS} strongest co-mention links, "
            "selected in the database",
            *notes[:-1],
        ]
        return view, notes
    if spec.view == "overlap":
        return _overlap_pairs(store, spec, total)
    if spec.view == "bipartite":
        rows, notes = _bipartite_rows(store, spec, total)
        view, more = build_view(from_rows(*rows), replace(spec, top=None))
        return view, notes + more
    if spec.view == "ego":
        rows, notes = _ego_rows(store, spec)
        view, more = build_view(from_rows(*rows), spec)
        return view, notes + more
    raise KgError(f"no database selection for the {spec.view} view")


def _overlap_pairs(store: GraphStore, spec: Any, total: int) -> tuple[nx.Graph, list[str]]:
    limit = spec.top or OVERLAP_PAIRS
    rows = store.run(
        load_query("overlapping_pairs").text,
        {"limit": limit, "kind": spec.kind or "all", "max_papers": 50, "variant_weight": 0.5},
    ).records()
    view = nx.Graph()
    for row in rows:
        if row["score"] < spec.min_weight:
            continue
        for side in ("a", "b"):
            pid, title = str(row[f"paper_{side}"]), str(row[f"title_{side}"] or "")
            if ("paper", pid) not in view:
                label = title if len(title) <= 40 else title[:38] + "…"
                view.add_node(
                    ("paper", pid),
                    kind="Paper",
                    label=label or pid,
                    title=f"{title}\nid: {pid}",
                    mentions=0,
                    search=f"{label} | {title} | {pid}",
                )
        why = row.get("why") or row["shared"]
        view.add_edge(
            ("paper", str(row["paper_a"])),
            ("paper", str(row["paper_b"])),
            weight=round(float(row["score"]), 3),
            overlap=row["overlap"],
            shared=list(row["shared"]),
            title=f"{row['overlap']} shared, score {row['score']:.2f}: " + ", ".join(why),
        )
    for node in view:
        view.nodes[node]["degree"] = view.degree(node)
    notes = [
        f"{total} papers: the {view.number_of_edges()} paper pairs that share the most "
        "specific entities (cypher/overlapping_pairs.cypher, --top for more)"
    ]
    return view, notes


def _bipartite_rows(
    store: GraphStore, spec: Any, total: int
) -> tuple[tuple[list[Any], list[Any], list[Any]], list[str]]:
    """The rows of the top entities and of the papers that name the most of them."""
    terms, papers_of = read_terms(
        store,
        terms=spec.top or BIPARTITE_TERMS,
        kind=spec.kind or "named",
        types=spec.types,
        since=spec.since,
        until=spec.until,
        total=total,
    )
    weight = {str(row["key"]): float(row["idf"] or 0.0) for row in terms}
    gain: dict[str, float] = {}
    named: dict[str, int] = {}
    for key, papers in papers_of.items():
        for paper in papers:
            gain[paper] = gain.get(paper, 0.0) + weight.get(key, 0.0)
            named[paper] = named.get(paper, 0) + 1
    # A paper that names one top entity only hangs off it: the view is about what joins.
    ranked = sorted((p for p in gain if named[p] >= 2), key=lambda p: (-gain[p], p))
    ids = sorted(ranked[:BIPARTITE_PAPERS])
    links = [
        row
        for row in store.run(load_internal("view_links_of").text, {"ids": ids}).records()
        if row["target"] in weight
    ]
    paper_rows = store.run(load_internal("view_papers").text, {"ids": ids}).records()
    entity_rows = store.run(load_internal("view_entities_of").text, {"keys": sorted(weight)})
    notes = [
        f"{total} papers: the {len(weight)} top entities (papers with idf weighting, --top "
        f"for more) and the {len(ids)} papers that name the most of them, of "
        f"{len(ranked)} that name two or more, selected in the database"
    ]
    return (paper_rows, entity_rows.records(), links), notes


def _ego_rows(
    store: GraphStore, spec: Any
) -> tuple[tuple[list[Any], list[Any], list[Any]], list[str]]:
    """The rows of the papers and entities within ``spec.depth`` links of the centre."""
    kind = spec.kind or "named"
    notes: list[str] = []
    papers: set[str] = set()
    entities: set[str] = set()
    if spec.paper is not None:
        papers_front: set[str] = {spec.paper}
        entity_front: set[str] = set()
        papers |= papers_front
    elif spec.entity is not None:
        found = store.run(
            load_internal("lookup_entity").text,
            {"key": name_key(spec.entity), "name": spec.entity.lower().replace("-", " ")},
        ).records()
        entity_front = {str(r["key"]) for r in found if kind == "all" or r["kind"] == kind}
        papers_front = set()
        entities |= entity_front
    else:
        raise KgError("the ego view needs exactly one of --entity NAME or --paper ID")
    for _ in range(spec.depth):
        if len(papers) > EGO_PAPERS:
            notes.append(f"the ball around the centre stopped growing at {len(papers)} papers")
            break
        if entity_front:
            rows = store.run(
                load_internal("view_entity_papers").text, {"keys": sorted(entity_front)}
            )
            papers_front = {str(p) for _, ids in rows.rows for p in ids} - papers
            papers |= papers_front
            entity_front = set()
        elif papers_front:
            rows = store.run(
                load_internal("view_paper_entities").text,
                {"ids": sorted(papers_front), "kind": kind},
            )
            entity_front = {str(k) for _, keys in rows.rows for k in keys} - entities
            entities |= entity_front
            papers_front = set()
    ids = sorted(papers)
    links = store.run(load_internal("view_links_of").text, {"ids": ids}).records()
    keys = sorted(entities | {str(r["target"]) for r in links if r["rel"] != "HAS_CODE"})
    paper_rows = store.run(load_internal("view_papers").text, {"ids": ids}).records()
    entity_rows = store.run(load_internal("view_entities_of").text, {"keys": keys}).records()
    return (paper_rows, entity_rows, links), notes
