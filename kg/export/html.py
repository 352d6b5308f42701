"""Render a view as one self-contained HTML page (vis-network inlined, no CDN)."""

import json
import math
from collections import Counter
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Template

from kg.export.files import write_atomic
from kg.export.layout import fast_layout

__all__ = [
    "COLOURINGS",
    "PHYSICS_NODE_LIMIT",
    "SIZINGS",
    "TYPE_COLOURS",
    "ViewStats",
    "render_html",
    "write_html",
]

TYPE_COLOURS = {
    "Paper": "#4e79a7",
    "Method": "#f28e2b",
    "Dataset": "#59a14f",
    "Model": "#e15759",
    "Task": "#b07aa1",
    "Metric": "#edc948",
    "Organization": "#9c755f",
    "Repository": "#76b7b2",
}
OTHER_COLOUR = "#bab0ac"
# Communities get these colours, largest first; the rest share OTHER_COLOUR.
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
# colouring -> what it colours nodes by (the help of `kg export html --colour`).
COLOURINGS: dict[str, str] = {"type": "entity type", "community": "Louvain community"}
# sizing -> what it sizes nodes by (the help of `kg export html --size`).
SIZINGS: dict[str, str] = {"degree": "their links", "mentions": "how often they are mentioned"}
# Above this many nodes the layout is computed once in Python and physics stays off.
PHYSICS_NODE_LIMIT = 1500
# On a static large view only the biggest nodes carry a label (all stay searchable).
LABELLED_NODES = 300


@dataclass(frozen=True, slots=True)
class ViewStats:
    """What the page shows, and what was dropped or simplified to draw it."""

    nodes: int
    edges: int
    papers: int
    entities: int
    physics: bool
    notes: list[str] = field(default_factory=list)


def write_html(
    view: nx.Graph,
    path: str | Path,
    *,
    title: str = "kg: concept overlap",
    colour: str = "type",
    size: str = "degree",
    notes: list[str] | None = None,
) -> ViewStats:
    """Write ``view`` (from :func:`kg.export.build_view`) as an offline HTML page at ``path``.

    The file is written to a temporary file first, so it is never left half-written.
    """
    html, stats = render_html(view, title=title, colour=colour, size=size, notes=notes)
    write_atomic(Path(path), html)
    return stats


def render_html(
    view: nx.Graph,
    *,
    title: str = "kg: concept overlap",
    colour: str = "type",
    size: str = "degree",
    notes: list[str] | None = None,
) -> tuple[str, ViewStats]:
    """Return the page for ``view`` and what it shows (a concept map draws as one, #19)."""
    notes = list(notes or [])
    if view.graph.get("map"):
        return _render_map(view, title=title, notes=notes)
    n = view.number_of_nodes()
    physics = n <= PHYSICS_NODE_LIMIT
    positions: dict[Any, tuple[float, float]] = {}
    if not physics:
        positions = fast_layout(view)
        notes.append(
            f"{n} nodes is above {PHYSICS_NODE_LIMIT}: layout computed in Python, physics off, "
            f"labels on the {LABELLED_NODES} largest nodes only, edges hidden while dragging"
        )
    colours, legend = _colours(view, colour)
    magnitude = {
        node: float(data["degree"] if size == "degree" else data.get("mentions") or 0)
        for node, data in view.nodes(data=True)
    }
    labelled = (
        set(sorted(view, key=lambda x: -magnitude[x])[:LABELLED_NODES]) if positions else None
    )
    ids = {node: i for i, node in enumerate(view)}
    nodes = []
    for node, data in view.nodes(data=True):
        record: dict[str, Any] = {
            "id": ids[node],
            "label": data["label"] if labelled is None or node in labelled else "",
            "name": data["label"],
            "title": data["title"],
            "color": colours[node],
            "size": min(60.0, 8 + 4 * math.sqrt(magnitude[node])),
            "shape": "square" if data["kind"] == "Paper" else "dot",
            "search": data.get("search", data["label"]).casefold(),
        }
        if node in positions:
            record["x"], record["y"] = positions[node]
        nodes.append(record)
    edges = [
        {"from": ids[u], "to": ids[v], "value": data["weight"], "title": data["title"]}
        for u, v, data in view.edges(data=True)
    ]
    papers = sum(1 for _, kind in view.nodes(data="kind") if kind == "Paper")
    stats = ViewStats(n, view.number_of_edges(), papers, n - papers, physics, notes)
    html = _render(
        "view.html",
        title=title,
        nodes=_script_json(nodes),
        edges=_script_json(edges),
        options=_script_json(_options(physics)),
        legend=legend,
        colour=colour,
        stats=stats,
    )
    return html, stats


def _render_map(view: nx.Graph, *, title: str, notes: list[str]) -> tuple[str, ViewStats]:
    """The concept map (kg.export.overview): positions, colours and clusters come with it."""
    ids = {node: i for i, node in enumerate(view)}
    nodes = [
        {
            "id": ids[node],
            "label": data["label"],
            "name": data["label"],
            "title": data["title"],
            "color": data["colour"],
            "value": math.sqrt(data["papers"]),
            "count": data["papers"],
            "papers": data["paper_ids"],
            "x": data["x"],
            "y": data["y"],
            "search": data.get("search", data["label"]).casefold(),
        }
        for node, data in view.nodes(data=True)
    ]
    edges = []
    for u, v, data in view.edges(data=True):
        same = view.nodes[u]["community"] == view.nodes[v]["community"]
        # Links within a community in its colour, the others faint: the clusters stand out.
        colour = {"color": view.nodes[u]["colour"], "opacity": 0.5} if same else {"opacity": 0.18}
        edges.append(
            {
                "from": ids[u],
                "to": ids[v],
                "value": data["weight"],
                "title": data["title"],
                "color": colour,
            }
        )
    n = view.number_of_nodes()
    stats = ViewStats(n, view.number_of_edges(), 0, n, False, notes)
    communities = view.graph.get("communities", [])
    html = _render(
        "map.html",
        title=title,
        nodes=_script_json(nodes),
        edges=_script_json(edges),
        clusters=_script_json([{"x": c["x"], "y": c["y"]} for c in communities]),
        papers=_script_json(view.graph.get("papers", {})),
        options=_script_json(_map_options()),
        communities=communities,
        other_terms=view.graph.get("other_terms", 0),
        other_colour=OTHER_COLOUR,
        stats=stats,
    )
    return html, stats


def _map_options() -> dict[str, Any]:
    """Static layout; label size follows papers and small labels wait for a closer zoom."""
    return {
        "physics": {"enabled": False},
        "interaction": {"hover": True, "tooltipDelay": 120, "hideEdgesOnDrag": True},
        "layout": {"improvedLayout": False},
        "edges": {
            "color": {"color": "#9a9a9a", "highlight": "#333333", "opacity": 0.35},
            "smooth": False,
            "scaling": {"min": 0.5, "max": 5},
        },
        "nodes": {
            "shape": "dot",
            "borderWidth": 1,
            "scaling": {
                "min": 5,
                "max": 36,
                "label": {"enabled": True, "min": 12, "max": 34, "drawThreshold": 8},
            },
            "font": {"strokeWidth": 3, "strokeColor": "#ffffff", "color": "#222222"},
        },
    }


def _colours(view: nx.Graph, colour: str) -> tuple[dict[Any, str], list[tuple[str, str, int]]]:
    """Colour of each node, and the legend rows (label, colour, count) that explain them."""
    if colour == "type":
        kinds = dict(view.nodes(data="kind"))
        counts = Counter(kinds.values())
        legend = [(kind, c, counts[kind]) for kind, c in TYPE_COLOURS.items() if kind in counts]
        legend += [(k, OTHER_COLOUR, n) for k, n in sorted(counts.items()) if k not in TYPE_COLOURS]
        return {node: TYPE_COLOURS.get(kind, OTHER_COLOUR) for node, kind in kinds.items()}, legend
    communities = sorted(
        nx.community.louvain_communities(view, weight="weight", seed=0),
        key=lambda c: (-len(c), min(view.nodes[x]["label"] for x in c)),
    )
    colours: dict[Any, str] = {}
    legend = []
    rest = 0
    for i, members in enumerate(communities):
        if i < len(COMMUNITY_COLOURS) and len(members) > 1:
            hub = max(members, key=lambda x: (view.degree(x), view.nodes[x]["label"]))
            legend.append(
                (f"around {view.nodes[hub]['label']}", COMMUNITY_COLOURS[i], len(members))
            )
            colours.update(dict.fromkeys(members, COMMUNITY_COLOURS[i]))
        else:
            rest += len(members)
            colours.update(dict.fromkeys(members, OTHER_COLOUR))
    if rest:
        legend.append(("other communities", OTHER_COLOUR, rest))
    return colours, legend


def _options(physics: bool) -> dict[str, Any]:
    return {
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90},
            "stabilization": {"enabled": physics, "iterations": 300, "updateInterval": 50},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 120,
            "navigationButtons": False,
            "hideEdgesOnDrag": not physics,
        },
        "layout": {"improvedLayout": False},
        "edges": {
            "color": {"inherit": "both", "opacity": 0.5},
            "smooth": False,
            "scaling": {"min": 1, "max": 8},
        },
        "nodes": {"font": {"size": 14, "strokeWidth": 3, "strokeColor": "#ffffff"}},
    }


def _script_json(value: Any) -> str:
    """JSON that is safe inside a <script> element (no ``</script>`` can close it early)."""
    return (
        json.dumps(value, ensure_ascii=False)
        .replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _render(template: str, **fields: Any) -> str:
    """``kg/templates/<template>`` filled with ``fields`` and the vis-network pyvis ships."""
    lib = resources.files("pyvis").joinpath("lib/vis-9.1.2")
    page = Template(
        resources.files("kg").joinpath("templates", template).read_text("utf-8"), autoescape=True
    )
    return str(
        page.render(
            vis_js=lib.joinpath("vis-network.min.js").read_text("utf-8"),
            vis_css=lib.joinpath("vis-network.css").read_text("utf-8"),
            **fields,
        )
    )
