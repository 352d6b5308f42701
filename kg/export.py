"""Export the stored graph: an interactive, self-contained pyvis HTML view of concept overlap."""

import json
import math
import os
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
from jinja2 import Template
from pyvis.network import Network

from kg.query import load_query
from kg.store.base import GraphStore

__all__ = ["TYPE_COLOURS", "ViewStats", "read_graph", "to_network", "write_html"]

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
# Above this many nodes the layout is computed once in Python and physics stays off.
PHYSICS_NODE_LIMIT = 1500


@dataclass(frozen=True, slots=True)
class ViewStats:
    """What the view shows."""

    nodes: int
    edges: int
    papers: int
    entities: int
    physics: bool


def read_graph(store: GraphStore) -> nx.Graph:
    """Read papers, entities, repositories and their links from ``store`` into networkx."""
    graph = nx.Graph()
    for row in store.run(load_query("export_papers").text).records():
        graph.add_node(("paper", row["id"]), kind="Paper", **row)
    for row in store.run(load_query("export_entities").text).records():
        graph.add_node(("entity", row["key"]), kind=row["type"], **row)
    for row in store.run(load_query("export_links").text).records():
        source = ("paper", row["paper"])
        if row["rel"] == "HAS_CODE":
            target = ("repo", row["target"])
            graph.add_node(target, kind="Repository", name=row["target"], url=row["target"])
        else:
            target = ("entity", row["target"])
        if source not in graph or target not in graph:
            continue
        data = graph.get_edge_data(source, target) or {"rels": [], "count": 0, "evidence": ""}
        data["rels"] = sorted({*data["rels"], row["rel"]})
        data["count"] = max(data["count"], row["count"] or 1)
        data["evidence"] = data["evidence"] or (row["evidence"] or "")
        graph.add_edge(source, target, **data)
    return graph


def to_network(graph: nx.Graph) -> tuple[Network, ViewStats]:
    """Lay out ``graph`` as a pyvis network: colour by type, size by degree, tooltips as text."""
    net = Network(height="100%", width="100%", directed=False, cdn_resources="remote")
    ids = {node: i for i, node in enumerate(graph.nodes)}
    physics = graph.number_of_nodes() <= PHYSICS_NODE_LIMIT
    positions: dict[Any, Any] = {}
    if not physics:
        positions = nx.spring_layout(graph, seed=0, iterations=30, scale=3000)
    for node, data in graph.nodes(data=True):
        kind = data["kind"]
        degree = graph.degree(node)
        options: dict[str, Any] = {
            "label": _label(node, data),
            "title": _tooltip(data, degree),
            "color": TYPE_COLOURS.get(kind, "#bab0ac"),
            "size": 8 + 6 * math.sqrt(degree),
            "shape": "square" if kind == "Paper" else "dot",
        }
        if node in positions:
            options["x"], options["y"] = (float(v) for v in positions[node])
        net.add_node(ids[node], **options)
    for source, target, data in graph.edges(data=True):
        title = " / ".join(data["rels"])
        if data["evidence"]:
            title += f"\n\n{data['evidence']}"
        net.add_edge(ids[source], ids[target], title=title, value=data["count"])
    net.set_options(json.dumps(_options(physics)))
    papers = sum(1 for _, d in graph.nodes(data=True) if d["kind"] == "Paper")
    entities = sum(1 for node in graph.nodes if node[0] == "entity")
    stats = ViewStats(graph.number_of_nodes(), graph.number_of_edges(), papers, entities, physics)
    return net, stats


def write_html(
    store: GraphStore, path: str | Path, *, title: str = "kg: concept overlap"
) -> ViewStats:
    """Write the interactive view of the graph in ``store`` to ``path`` (works offline).

    The file embeds vis-network (shipped with pyvis) instead of loading it from a
    CDN, and is written to a temporary file first so it is never left half-written.
    """
    graph = read_graph(store)
    net, stats = to_network(graph)
    nodes, edges, _, _, _, options = net.get_network_data()
    lib = resources.files("pyvis").joinpath("lib/vis-9.1.2")
    counts: dict[str, int] = {}
    for _, data in graph.nodes(data=True):
        counts[data["kind"]] = counts.get(data["kind"], 0) + 1
    legend = [
        (kind, colour, counts[kind]) for kind, colour in TYPE_COLOURS.items() if kind in counts
    ]
    template = Template(resources.files("kg").joinpath("templates/view.html").read_text("utf-8"))
    html = template.render(
        title=title,
        vis_js=lib.joinpath("vis-network.min.js").read_text("utf-8"),
        vis_css=lib.joinpath("vis-network.css").read_text("utf-8"),
        nodes=_script_json(nodes),
        edges=_script_json(edges),
        options=options,
        legend=legend,
        stats=stats,
    )
    _write_atomic(Path(path), html)
    return stats


def _label(node: tuple[str, str], data: dict[str, Any]) -> str:
    if data["kind"] == "Paper":
        title = str(data.get("title") or node[1])
        return title if len(title) <= 40 else title[:38] + "…"
    return str(data.get("name") or node[1])


def _tooltip(data: dict[str, Any], degree: int) -> str:
    """Plain text: vis-network shows string titles as text, so markup in a title stays inert."""
    kind = data["kind"]
    if kind == "Paper":
        lines = [str(data.get("title") or ""), f"id: {data.get('id')}"]
        if data.get("date"):
            lines.append(f"date: {data['date']}")
        if data.get("organization"):
            lines.append(f"organisation: {data['organization']}")
        lines.append(f"entities: {degree}")
        return "\n".join(lines)
    if kind == "Repository":
        return f"{data.get('url')}\npapers: {degree}"
    lines = [f"{data.get('name')} ({kind})"]
    if data.get("canonical") and data.get("canonical") != data.get("name"):
        lines.append(str(data["canonical"]))
    if data.get("aliases"):
        lines.append("aliases: " + ", ".join(data["aliases"]))
    lines.append(f"papers: {degree}")
    return "\n".join(lines)


def _options(physics: bool) -> dict[str, Any]:
    return {
        "physics": {
            "enabled": physics,
            "solver": "forceAtlas2Based",
            "forceAtlas2Based": {"gravitationalConstant": -60, "springLength": 90},
            "stabilization": {"enabled": True, "iterations": 400, "updateInterval": 50},
        },
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False},
        "edges": {
            "color": {"inherit": "both", "opacity": 0.5},
            "smooth": False,
            "scaling": {"min": 1, "max": 6},
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


def _write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp creates 0600; give the usual file mode
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
