"""The concept map: the overview of a big graph, computed in the database (#19).

The kind of term map VOSviewer draws: the top named entities and specific concepts
(ranked by papers with idf weighting, ``cypher/internal/view_map_terms.cypher``), joined
by how many papers mention both (co-mentions), each keeping only its strongest links,
coloured by Louvain community and laid out so that a community sits together. Nothing is
read but the terms and their paper lists: a 50k-paper graph maps in seconds.
"""

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from itertools import combinations
from typing import Any

import networkx as nx

from kg.export.graph import Node
from kg.query import load_internal
from kg.specificity import GENERIC_KEYS
from kg.store.base import GraphStore

__all__ = [
    "MAP_LINKS",
    "MAP_PAPERS",
    "MAP_TERMS",
    "OVERVIEW_PAPERS",
    "count_papers",
    "map_view",
    "read_map",
    "read_terms",
]

# Above this many papers (within the dates asked for) the default view of `kg export html`
# and `kg build --html` is the concept map: a bipartite view of more papers is a hairball.
OVERVIEW_PAPERS = 2000
# Terms on the map (--top changes it).
MAP_TERMS = 300
# Each term keeps its MAP_LINKS strongest links (by association strength); a link stays
# when it is among the best of either end, so the mean degree is between MAP_LINKS and
# twice that.
MAP_LINKS = 4
# A link needs this many papers naming both terms (one shared paper is chance).
MIN_CO_MENTIONS = 2
# A term needs this many papers to be a candidate.
MIN_PAPERS = 3
# The papers embedded per term: a click on the term lists them.
MAP_PAPERS = 10
# Communities that get a colour and a label of their own, largest first; the others are
# grey. A community needs MIN_COMMUNITY terms to be labelled.
MAP_COMMUNITIES = 12
MIN_COMMUNITY = 3
# Terms in a community's label.
LABEL_TERMS = 3


def count_papers(store: GraphStore, *, since: str | None = None, until: str | None = None) -> int:
    """The number of papers in ``store`` (dated within since..until when either is given)."""
    rows = store.run(load_internal("view_paper_count").text, _dates(since, until)).rows
    return int(rows[0][0]) if rows else 0


def read_map(
    store: GraphStore,
    *,
    terms: int = MAP_TERMS,
    kind: str = "all",
    types: Sequence[str] = (),
    since: str | None = None,
    until: str | None = None,
    links: int = MAP_LINKS,
    min_weight: float = MIN_CO_MENTIONS,
) -> tuple[nx.Graph, list[str]]:
    """Select the map's terms and their papers with Cypher and build the map (see map_view)."""
    total = count_papers(store, since=since, until=until)
    rows, papers_of = read_terms(
        store, terms=terms, kind=kind, types=types, since=since, until=until, total=total
    )
    keys = [row["key"] for row in rows]
    shown = sorted({p for key in keys for p in papers_of.get(key, [])[:MAP_PAPERS]})
    info = store.run(load_internal("view_papers").text, {"ids": shown}).records()
    return map_view(rows, papers_of, info, total=total, links=links, min_weight=min_weight)


def read_terms(
    store: GraphStore,
    *,
    terms: int,
    kind: str,
    types: Sequence[str],
    since: str | None,
    until: str | None,
    total: int,
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """The top ``terms`` entities (papers with idf weighting; rows of view_map_terms, best
    first) and the papers of each, those naming it most first (``total``: the papers)."""
    dates = _dates(since, until)
    params = {
        "kind": kind,
        "types": ",".join(types),
        "min_papers": MIN_PAPERS,
        "generic": sorted(GENERIC_KEYS),
        "limit": terms,
    }
    rows = []
    if since is None and until is None:
        # The papers and idf the store keeps on every entity (#18): no link is counted.
        rows = store.run(load_internal("view_map_terms_stored").text, params).records()
    if not rows:
        params.update(total=max(total, 1), **dates)
        rows = store.run(load_internal("view_map_terms").text, params).records()
    keys = [row["key"] for row in rows]
    papers_of = {
        str(key): [str(p) for p in papers]
        for key, papers in store.run(
            load_internal("view_term_papers").text, {"keys": keys, **dates}
        ).rows
    }
    return rows, papers_of


def _dates(since: str | None, until: str | None) -> dict[str, str]:
    """The date bounds of the view_* queries: undated papers count only without a filter."""
    if since is None and until is None:
        return {"since": "", "until": "9999-99-99"}
    return {"since": since or "0000-00-00", "until": until or "9999-99-99"}


def map_view(
    terms: Sequence[Mapping[str, Any]],
    papers_of: Mapping[str, Sequence[str]],
    papers: Sequence[Mapping[str, Any]],
    *,
    total: int,
    links: int = MAP_LINKS,
    min_weight: float = MIN_CO_MENTIONS,
) -> tuple[nx.Graph, list[str]]:
    """Build the concept map from the rows of the ``view_*`` queries.

    ``terms``: rows of view_map_terms (best first); ``papers_of``: each term's papers, the
    most relevant first; ``papers``: id, title and date of the papers to embed. Nodes carry
    ``kind`` (the entity type), ``label``, ``title``, ``papers``, ``score``, ``community``,
    ``degree``, ``paper_ids`` (the first MAP_PAPERS) and x, y; edges ``weight``
    (co-mentions), ``strength`` (association strength) and ``title``. The graph's
    ``communities`` lists (label, colour, terms, x, y) and ``papers`` the embedded papers.
    Terms with no link strong enough are left out (a map has no isolated nodes); the notes
    say how many.
    """
    notes: list[str] = []
    least = max(MIN_CO_MENTIONS, math.ceil(min_weight))
    # Each term's papers as the bits of one integer: co-mentions are popcounts of ANDs.
    index: dict[str, int] = {}
    for row in terms:
        for p in papers_of.get(row["key"], ()):
            index.setdefault(p, len(index))
    bits: dict[str, int] = {}
    count: dict[str, int] = {}
    for row in terms:
        ids = {index[p] for p in papers_of.get(row["key"], ())}
        mask = bytearray(len(index) // 8 + 1)
        for i in ids:
            mask[i >> 3] |= 1 << (i & 7)
        bits[row["key"]] = int.from_bytes(mask, "little")
        count[row["key"]] = len(ids)
    keys = [row["key"] for row in terms if count[row["key"]]]
    candidates: dict[str, list[tuple[float, int, str]]] = {key: [] for key in keys}
    co: dict[tuple[str, str], tuple[int, float]] = {}
    for a, b in combinations(keys, 2):
        both = (bits[a] & bits[b]).bit_count()
        if both < least:
            continue
        # Association strength (van Eck & Waltman): co-mentions over what chance gives.
        strength = both * max(total, 1) / (count[a] * count[b])
        pair = (a, b) if a < b else (b, a)
        co[pair] = (both, strength)
        candidates[a].append((strength, both, b))
        candidates[b].append((strength, both, a))
    kept: set[tuple[str, str]] = set()
    for key, options in candidates.items():
        for _, _, other in sorted(options, key=lambda o: (-o[0], -o[1], o[2]))[:links]:
            kept.add((key, other) if key < other else (other, key))
    by_key = {row["key"]: row for row in terms}
    view = nx.Graph()
    for a, b in sorted(kept):
        both, strength = co[(a, b)]
        view.add_edge(("entity", a), ("entity", b), weight=both, strength=strength)
    left_out = [key for key in keys if ("entity", key) not in view]
    if left_out:
        notes.append(
            f"left out {len(left_out)} of the top {len(keys)} terms: none shares "
            f"{least} papers with another term on the map"
        )
    for node in view:
        row = by_key[node[1]]
        view.nodes[node].update(_term_attrs(row, count[node[1]], papers_of.get(node[1], ())))
    _communities(view)
    for node in view:
        neighbours = sorted(view[node], key=lambda n: (-view.edges[node, n]["weight"], n))
        named = ", ".join(
            f"{view.nodes[n]['label']} ({view.edges[node, n]['weight']})" for n in neighbours[:5]
        )
        data = view.nodes[node]
        data["degree"] = view.degree(node)
        data["title"] += f"\ncluster: {data['cluster']}\nmost named with: {named}"
        data["title"] += "\nclick to list its papers"
    for a, b, data in view.edges(data=True):
        la, lb = view.nodes[a]["label"], view.nodes[b]["label"]
        data["title"] = (
            f"{la} and {lb}: named together in {data['weight']} papers "
            f"(association strength {data['strength']:.1f})"
        )
    shown = {p for _, ids in view.nodes(data="paper_ids") for p in ids}
    view.graph["papers"] = {
        str(p["id"]): {"title": p.get("title") or p["id"], "date": p.get("date") or ""}
        for p in papers
        if p["id"] in shown
    }
    view.graph["map"] = True
    view.graph["total"] = total
    notes.append(
        f"concept map: the {view.number_of_nodes()} top terms of {total} papers (papers with "
        f"idf weighting), each with its {links} strongest co-mention links"
    )
    return view, notes


def _term_attrs(row: Mapping[str, Any], papers: int, ids: Sequence[str]) -> dict[str, Any]:
    name = str(row.get("name") or row["key"])
    canonical = str(row.get("canonical") or "")
    aliases = [str(a) for a in row.get("aliases") or []]
    lines = [f"{name} ({row['type']}{', concept' if row.get('kind') == 'concept' else ''})"]
    if canonical and canonical != name:
        lines.append(canonical)
    idf = float(row.get("idf") or math.log(max(papers, 1)))
    lines.append(f"papers: {papers} · idf {idf:.2f}")
    return {
        "kind": str(row["type"]),
        "entity_kind": str(row.get("kind") or "named"),
        "label": name,
        "name": name,
        "canonical": canonical,
        "aliases": aliases,
        "papers": papers,
        "mentions": papers,
        "score": float(row.get("score") or papers * idf),
        "paper_ids": [str(p) for p in ids[:MAP_PAPERS]],
        "title": "\n".join(lines),
        "search": " | ".join(s for s in (name, canonical, str(row["key"]), *aliases) if s),
    }


# Colours of the labelled communities, largest first (Tableau 10 and two more).
COMMUNITY_COLOURS = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#17becf",
    "#8c564b",
    "#bcbd22",
)
OTHER_COLOUR = "#bab0ac"


def _communities(view: nx.Graph) -> None:
    """Louvain communities (seed 0), their colours and labels, and a layout that groups them."""
    found = nx.community.louvain_communities(view, weight="weight", seed=0)
    score = nx.get_node_attributes(view, "score")
    ranked = sorted(found, key=lambda c: (-sum(score[n] for n in c), min(c)))
    pos = _grouped_layout(view, ranked)
    communities = []
    for i, members in enumerate(ranked):
        top = sorted(members, key=lambda n: (-score[n], n))
        labelled = i < MAP_COMMUNITIES and len(members) >= MIN_COMMUNITY
        colour = COMMUNITY_COLOURS[i] if labelled else OTHER_COLOUR
        label = " · ".join(_short(view.nodes[n]["label"]) for n in top[:LABEL_TERMS])
        for node in members:
            view.nodes[node].update(community=i, colour=colour, cluster=label)
        if labelled:
            # Above the community's terms, where it covers none of them.
            x = sum(pos[n][0] for n in members) / len(members)
            y = min(pos[n][1] for n in members) - 24.0
            short = " · ".join(_short(view.nodes[n]["label"]) for n in top[:2])
            communities.append(
                {
                    "label": label,
                    "short": short,
                    "colour": colour,
                    "terms": len(members),
                    "x": x,
                    "y": y,
                }
            )
    rest = sum(1 for n in view if view.nodes[n]["colour"] == OTHER_COLOUR)
    for node in view:
        view.nodes[node]["x"], view.nodes[node]["y"] = pos[node]
    view.graph["communities"] = communities
    view.graph["other_terms"] = rest
    view.graph["kinds"] = dict(Counter(view.nodes[n]["kind"] for n in view))


def _grouped_layout(
    view: nx.Graph, communities: Sequence[set[Node]], *, spacing: float = 45.0
) -> dict[Node, tuple[float, float]]:
    """Each community laid out on its own, as a disc, and the discs placed by their links.

    The discs' centres come from a force layout of the community graph (communities
    joined by the links between them), spread so that no two discs overlap; a term sits
    in its community's disc where a force layout of the community puts it.
    """
    member = {node: i for i, c in enumerate(communities) for node in c}
    between = nx.Graph()
    between.add_nodes_from(range(len(communities)))
    for a, b, data in view.edges(data=True):
        i, j = member[a], member[b]
        if i != j:
            w = between.get_edge_data(i, j, {"weight": 0.0})["weight"] + data["weight"]
            between.add_edge(i, j, weight=w)
    radius = [spacing * math.sqrt(len(c)) for c in communities]
    centres = (
        nx.spring_layout(between, weight="weight", seed=0)
        if len(communities) > 1
        else {0: (0.0, 0.0)}
    )
    centre = {i: (float(x), float(y)) for i, (x, y) in centres.items()}
    # Spread the centres until no two discs overlap (a few rounds of pairwise pushes).
    for _ in range(200):
        moved = False
        for i, j in combinations(range(len(communities)), 2):
            (xi, yi), (xj, yj) = centre[i], centre[j]
            dx, dy = xj - xi, yj - yi
            dist = math.hypot(dx, dy) or 1e-6
            need = (radius[i] + radius[j]) * 1.08
            if dist < need:
                push = (need - dist) / 2 / dist
                centre[i] = (xi - dx * push, yi - dy * push)
                centre[j] = (xj + dx * push, yj + dy * push)
                moved = True
        if not moved:
            break
        # Scale the first guess up to the discs' size, then let the pushes settle.
        if _ == 0:
            span = max(math.hypot(x, y) for x, y in centre.values()) or 1.0
            total = math.sqrt(sum(r * r for r in radius))
            centre = {i: (x * total / span, y * total / span) for i, (x, y) in centre.items()}
    pos: dict[Node, tuple[float, float]] = {}
    for i, members in enumerate(communities):
        sub = view.subgraph(members)
        local = nx.spring_layout(sub, weight="weight", seed=0) if len(members) > 1 else {}
        cx, cy = centre[i]
        for node in members:
            x, y = local.get(node, (0.0, 0.0))
            pos[node] = (cx + float(x) * radius[i], cy + float(y) * radius[i])
    return pos


def _short(label: str, width: int = 28) -> str:
    """A term's name as a cluster label shows it: at most ``width`` characters."""
    return label if len(label) <= width else label[: width - 1].rstrip() + "…"
