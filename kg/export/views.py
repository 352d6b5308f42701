"""Views of the paper-entity graph (overlap, concepts, bipartite, ego) and their filters."""

from collections import defaultdict
from dataclasses import dataclass, replace
from itertools import combinations
from typing import Any

import networkx as nx

from kg.errors import KgError
from kg.export.big import BIG_VIEWS, read_big_view
from kg.export.graph import Node, read_graph
from kg.export.overview import MAP_TERMS, OVERVIEW_PAPERS, count_papers, read_map
from kg.models import EntityType
from kg.names import name_key
from kg.specificity import idf, is_specific
from kg.store.base import GraphStore

__all__ = [
    "AUTO_VIEW",
    "DEFAULT_VIEW",
    "HUB_LIMIT",
    "VIEWS",
    "VIEW_KINDS",
    "VIEW_TYPES",
    "ViewSpec",
    "build_view",
    "read_view",
    "resolve_view",
]

# view name -> what it draws (the help of `kg export --view`).
VIEWS: dict[str, str] = {
    "overlap": "papers joined by shared entities",
    "concepts": "entities named together",
    "bipartite": "papers and entities",
    "ego": "around --entity or --paper",
    "map": "concept map: top terms joined by co-mentions, in clusters",
}
# The default of `kg export html` and `kg build --html` (#19): the concept map above
# OVERVIEW_PAPERS papers, the bipartite view below.
AUTO_VIEW = "auto"
# The kinds of entity node a view can keep (ViewSpec.types): the entity types and repositories.
VIEW_TYPES: tuple[str, ...] = (*(t.value for t in EntityType), "Repository")
# Which entities a view shows (ViewSpec.kind): named entities by default, generic concepts
# on demand, or both (#17). Repositories go with the named ones.
VIEW_KINDS: tuple[str, ...] = ("named", "concept", "all")
# Papers and the entities they name, coloured by type: the shared entities are the
# overlap, and each link's tooltip carries its evidence sentence.
DEFAULT_VIEW = "bipartite"
# An entity named by more papers than this joins too many pairs to be informative (and
# grows the overlap view quadratically): it is left out of the overlap links.
HUB_LIMIT = 200
# How many shared entities or papers an edge's tooltip spells out.
TOOLTIP_ITEMS = 8


@dataclass(frozen=True, slots=True)
class ViewSpec:
    """Which view to build and what to keep in it."""

    view: str = DEFAULT_VIEW
    entity: str | None = None  # ego view: centre on this entity (name, alias or key)
    paper: str | None = None  # ego view: centre on this paper id
    depth: int = 2
    types: tuple[str, ...] = ()  # entity types to keep (all when empty)
    min_weight: float = 1
    since: str | None = None  # ISO days, inclusive
    until: str | None = None
    top: int | None = None
    kind: str | None = None  # named, concept or all (VIEW_KINDS); None: named (map: all)


def build_view(graph: nx.Graph, spec: ViewSpec) -> tuple[nx.Graph, list[str]]:
    """Return the view ``spec`` asks for and notes on what was dropped, for the user.

    Every node of the result has ``kind``, ``label``, ``title`` (plain-text tooltip),
    ``mentions`` and ``degree``; every edge has ``weight`` and ``title``.
    """
    notes: list[str] = []
    if spec.view == "map":
        raise KgError("the concept map is read from the store: use read_view")
    if spec.kind is None:
        spec = replace(spec, kind="named")
    base = _filter_base(graph, spec, notes)
    centre: Node | None = None
    if spec.view == "bipartite":
        view = _bipartite(base)
    elif spec.view == "overlap":
        view = _overlap(base, notes)
    elif spec.view == "concepts":
        view = _concepts(base)
    elif spec.view == "ego":
        centre = _centre(base, spec)
        view = _bipartite(nx.ego_graph(base, centre, radius=spec.depth))
    else:
        raise KgError(f"unknown view {spec.view!r}; choose one of {', '.join(VIEWS)}")
    if spec.min_weight > 1:
        light = [(u, v) for u, v, w in view.edges(data="weight") if w < spec.min_weight]
        view.remove_edges_from(light)
        if light:
            notes.append(f"dropped {len(light)} links lighter than --min-weight {spec.min_weight}")
    if spec.top is not None and view.number_of_nodes() > spec.top:
        ranked = sorted(
            view, key=lambda n: (n != centre, -_strength(view, n), view.nodes[n]["label"])
        )
        dropped = ranked[spec.top :]
        view.remove_nodes_from(dropped)
        notes.append(f"kept the {spec.top} most connected nodes (--top), dropped {len(dropped)}")
    for node in view:
        view.nodes[node]["degree"] = view.degree(node)
    return view, notes


def _filter_base(graph: nx.Graph, spec: ViewSpec, notes: list[str]) -> nx.Graph:
    keep = set(graph)
    if spec.since or spec.until:
        since, until = spec.since or "0000-00-00", spec.until or "9999-99-99"
        papers = [n for n, kind in graph.nodes(data="kind") if kind == "Paper"]
        undated = {n for n in papers if not graph.nodes[n].get("date")}
        outside = {
            n for n in papers if n not in undated and not since <= graph.nodes[n]["date"] <= until
        }
        keep -= undated | outside
        if outside:
            notes.append(f"dropped {len(outside)} papers outside the dates asked for")
        if undated:
            notes.append(f"dropped {len(undated)} papers without a date")
    if spec.kind not in VIEW_KINDS:
        raise KgError(f"unknown entity kind {spec.kind!r}; choose one of {', '.join(VIEW_KINDS)}")
    if spec.kind != "all":
        other = {
            n
            for n in keep
            if (n[0] == "entity" and graph.nodes[n].get("entity_kind", "named") != spec.kind)
            or (n[0] == "repo" and spec.kind == "concept")
        }
        keep -= other
        dropped = sum(n[0] == "entity" for n in other)
        if dropped:
            shown = "named entities" if spec.kind == "named" else "concepts"
            notes.append(f"showing {shown} only: left out {dropped} others (--kind all)")
    if spec.types:
        wanted = {t.casefold() for t in spec.types}
        keep = {n for n in keep if n[0] == "paper" or graph.nodes[n]["kind"].casefold() in wanted}
    base = graph.subgraph(keep)
    # Entities whose papers were all filtered out have nothing left to say.
    return base.subgraph(n for n in base if n[0] == "paper" or base.degree(n) > 0)


def _bipartite(base: nx.Graph) -> nx.Graph:
    view = nx.Graph()
    for node, data in base.nodes(data=True):
        view.add_node(node, **_node_attrs(node, data, base.degree(node)))
    for u, v, data in base.edges(data=True):
        paper, other = (u, v) if u[0] == "paper" else (v, u)
        title = f"{_label(base, paper)} — {_label(base, other)}: {' / '.join(data['rels'])}"
        if data["evidence"]:
            title += f"\n\n{data['evidence']}"
        view.add_edge(u, v, weight=data["count"], title=title)
    return view


def _overlap(base: nx.Graph, notes: list[str]) -> nx.Graph:
    """Papers joined by the specific entities they both mention, weighted by the information
    those share: the sum of their idf (:mod:`kg.specificity`, as
    ``cypher/overlapping_pairs.cypher`` ranks pairs; #18). An entity that is not specific
    (``accuracy``, ``LLM``, an ambiguous acronym) joins nothing. The edge's ``weight`` is
    that score, ``overlap`` the number of entities shared."""
    view = nx.Graph()
    shared: defaultdict[tuple[Node, Node], list[Node]] = defaultdict(list)
    total = sum(1 for node in base if node[0] == "paper")
    gain: dict[Node, float] = {}
    hubs = []
    for node in base:
        if node[0] == "paper":
            continue
        papers = sorted(base[node])
        if len(papers) > HUB_LIMIT:
            hubs.append(_label(base, node))
            continue
        data = base.nodes[node]
        specific = data.get("specific")
        if specific is None:  # a database written before #18, or a repository
            kind = str(data.get("entity_kind") or "named")
            specific = is_specific(node[1], len(papers), total, kind=kind)
        if not specific:
            continue
        gain[node] = idf(len(papers), total)
        for pair in combinations(papers, 2):
            shared[pair].append(node)
    if hubs:
        notes.append(
            f"left {len(hubs)} entities named by more than {HUB_LIMIT} papers out of the "
            f"overlap links: {', '.join(sorted(hubs)[:5])}{'…' if len(hubs) > 5 else ''}"
        )
    partners: defaultdict[Node, int] = defaultdict(int)
    for a, b in shared:
        partners[a] += 1
        partners[b] += 1
    for node, data in base.nodes(data=True):
        if node[0] == "paper":
            attrs = _node_attrs(node, data, base.degree(node))
            attrs["title"] += f"\nshares entities with {partners[node]} papers"
            view.add_node(node, **attrs)
    for (a, b), entities in shared.items():
        entities.sort(key=lambda e: (-gain[e], _label(base, e)))
        names = [_label(base, e) for e in entities]
        score = sum(gain[e] for e in entities)
        lines = [
            f"{len(entities)} shared, score {score:.2f} (the sum of their idf): "
            + ", ".join(f"{_label(base, e)} ({gain[e]:.1f})" for e in entities)
        ]
        for entity in entities[:TOOLTIP_ITEMS]:
            lines += [
                "",
                f"{_label(base, entity)} ({base.nodes[entity]['kind']})",
                f"  {_label(base, a)}: {base.edges[a, entity]['evidence'] or '—'}",
                f"  {_label(base, b)}: {base.edges[b, entity]['evidence'] or '—'}",
            ]
        if len(entities) > TOOLTIP_ITEMS:
            lines += ["", f"… and {len(entities) - TOOLTIP_ITEMS} more"]
        view.add_edge(
            a,
            b,
            weight=round(score, 3),
            overlap=len(entities),
            shared=names,
            title="\n".join(lines),
        )
    return view


def _concepts(base: nx.Graph) -> nx.Graph:
    """Entities joined by the papers that mention both, weighted by how many."""
    view = nx.Graph()
    papers_of: defaultdict[tuple[Node, Node], list[Node]] = defaultdict(list)
    for node in base:
        if node[0] == "paper":
            for pair in combinations(sorted(base[node]), 2):
                papers_of[pair].append(node)
    for node, data in base.nodes(data=True):
        if node[0] != "paper":
            view.add_node(node, **_node_attrs(node, data, base.degree(node)))
    for (a, b), papers in papers_of.items():
        titles = [_label(base, p) for p in papers]
        lines = [f"{_label(base, a)} and {_label(base, b)}: named together in {len(papers)} papers"]
        lines += [f"• {t}" for t in titles[:TOOLTIP_ITEMS]]
        if len(papers) > TOOLTIP_ITEMS:
            lines.append(f"… and {len(papers) - TOOLTIP_ITEMS} more")
        view.add_edge(a, b, weight=len(papers), papers=titles, title="\n".join(lines))
    return view


def _centre(base: nx.Graph, spec: ViewSpec) -> Node:
    if (spec.entity is None) == (spec.paper is None):
        raise KgError("the ego view needs exactly one of --entity NAME or --paper ID")
    if spec.paper is not None:
        if ("paper", spec.paper) not in base:
            raise KgError(f"no paper with id {spec.paper!r} (after filters); see `kg query`")
        return ("paper", spec.paper)
    wanted = name_key(spec.entity or "")
    found = [
        node
        for node, data in base.nodes(data=True)
        if node[0] != "paper"
        and wanted
        in {
            name_key(str(s))
            for s in (
                node[1],
                data.get("name"),
                data.get("canonical"),
                *(data.get("aliases") or []),
            )
            if s
        }
    ]
    if not found:
        raise KgError(
            f"no entity named {spec.entity!r} (after filters: --kind {spec.kind}); "
            "try `kg query top_entities` for names, or --kind all for concepts too"
        )
    centre: Node = max(found, key=lambda node: (base.degree(node), node))
    return centre


def _node_attrs(node: Node, data: dict[str, Any], degree: int) -> dict[str, Any]:
    kind = data["kind"]
    attrs: dict[str, Any] = {
        "kind": kind,
        "label": _label_of(node, data),
        "mentions": data.get("mentions", 0),
        "aliases": [str(a) for a in data.get("aliases") or []],
    }
    if kind == "Paper":
        lines = [str(data.get("title") or ""), f"id: {node[1]}"]
        if data.get("date"):
            lines.append(f"date: {data['date']}")
            attrs["date"] = data["date"]
        if data.get("organization"):
            lines.append(f"organisation: {data['organization']}")
        lines.append(f"entities: {degree}")
    elif kind == "Repository":
        lines = [str(data.get("url")), f"papers: {degree}"]
    else:
        concept = data.get("entity_kind") == "concept"
        lines = [f"{data.get('name')} ({kind}{', concept' if concept else ''})"]
        if data.get("canonical") and data.get("canonical") != data.get("name"):
            lines.append(str(data["canonical"]))
        if attrs["aliases"]:
            lines.append("aliases: " + ", ".join(attrs["aliases"]))
        lines.append(f"papers: {degree} · mentions: {attrs['mentions']}")
    attrs["title"] = "\n".join(lines)
    attrs["search"] = " | ".join(
        str(s)
        for s in (
            attrs["label"],
            data.get("name"),
            data.get("canonical"),
            node[1],
            *attrs["aliases"],
        )
        if s
    )
    return attrs


def _label_of(node: Node, data: dict[str, Any]) -> str:
    if data["kind"] == "Paper":
        title = str(data.get("title") or node[1])
        return title if len(title) <= 40 else title[:38] + "…"
    return str(data.get("name") or node[1])


def _label(graph: nx.Graph, node: Node) -> str:
    return _label_of(node, graph.nodes[node])


def _strength(graph: nx.Graph, node: Node) -> float:
    return float(sum(w for _, _, w in graph.edges(node, data="weight")))


def resolve_view(store: GraphStore, spec: ViewSpec) -> ViewSpec:
    """``spec`` with the view ``auto`` decided: the concept map above OVERVIEW_PAPERS papers
    (within the dates asked for), else the bipartite view."""
    if spec.view != AUTO_VIEW:
        return spec
    papers = count_papers(store, since=spec.since, until=spec.until)
    return replace(spec, view="map" if papers > OVERVIEW_PAPERS else DEFAULT_VIEW)


def read_view(store: GraphStore, spec: ViewSpec) -> tuple[nx.Graph, list[str]]:
    """Read what the view ``spec`` asks for from ``store`` and build it (see build_view).

    The concept map (``map``, and ``auto`` above OVERVIEW_PAPERS papers) is selected in the
    database (:mod:`kg.export.overview`), and so are the concepts, overlap and ego views of
    a graph above OVERVIEW_PAPERS papers (:mod:`kg.export.big`); the other views read the
    graph into networkx.
    """
    spec = resolve_view(store, spec)
    if spec.view == "map":
        if spec.kind not in (None, *VIEW_KINDS):
            raise KgError(
                f"unknown entity kind {spec.kind!r}; choose one of {', '.join(VIEW_KINDS)}"
            )
        return read_map(
            store,
            terms=spec.top or MAP_TERMS,
            kind=spec.kind or "all",
            types=spec.types,
            since=spec.since,
            until=spec.until,
            min_weight=spec.min_weight,
        )
    if spec.view in BIG_VIEWS:
        total = count_papers(store)
        if total > OVERVIEW_PAPERS:
            return read_big_view(store, spec, total)
    return build_view(read_graph(store), spec)
