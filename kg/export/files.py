"""Write a view for other tools: GraphML, GEXF (Gephi), node-link JSON, CSV edge lists."""

import csv
import io
import json
import re
from pathlib import Path
from typing import Any

import networkx as nx

from kg.atomic import atomic_open
from kg.errors import KgError

__all__ = ["FILE_FORMATS", "to_plain", "write_atomic", "write_file"]

# format -> what it is and which tools read it (the help of `kg export FORMAT`).
FILE_FORMATS: dict[str, str] = {
    "graphml": "GraphML (yEd, Cytoscape, Gephi).",
    "gexf": "GEXF (Gephi).",
    "json": "node-link JSON (d3, networkx.node_link_graph).",
    "csv": "CSV: DIR/nodes.csv and DIR/edges.csv (an edge list with weights).",
}


def write_file(view: nx.Graph, path: str | Path, *, format: str) -> list[Path]:
    """Write ``view`` in ``format`` and return the files written (``csv``: a folder's two).

    Every file is written to a temporary name and renamed, so none is left half-written.
    """
    plain = to_plain(view)
    path = Path(path)
    if format == "csv":
        nodes = _csv(["id", *_keys(d for _, d in plain.nodes(data=True))], plain.nodes(data=True))
        edge_rows = (((u, v), d) for u, v, d in plain.edges(data=True))
        edges = _csv(
            ["source", "target", *_keys(d for _, _, d in plain.edges(data=True))], edge_rows
        )
        write_atomic(path / "nodes.csv", nodes)
        write_atomic(path / "edges.csv", edges)
        return [path / "nodes.csv", path / "edges.csv"]
    if format == "json":
        data = nx.node_link_data(plain, edges="links")
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
    elif format == "graphml":
        text = "\n".join(nx.generate_graphml(plain)) + "\n"
    elif format == "gexf":
        text = "\n".join(nx.generate_gexf(plain)) + "\n"
    else:
        raise KgError(f"unknown format {format!r}; choose one of {', '.join(FILE_FORMATS)}")
    write_atomic(path, text)
    return [path]


def to_plain(view: nx.Graph) -> nx.Graph:
    """Return ``view`` with string node ids (``paper:ID``) and scalar attributes only.

    GraphML and GEXF hold neither tuples nor lists nor ``None``: lists become
    ``"; "``-joined text and missing values are left out. Characters XML cannot hold
    (control characters but tab and newline, lone surrogates, U+FFFE/U+FFFF) and the
    C1 controls are removed from ids, names and values, so every format reads back.

    >>> g = nx.Graph()
    >>> g.add_edge(("paper", "p1"), ("entity", "ppo"), weight=2, shared=["PPO", "GAE"])
    >>> to_plain(g).edges["paper:p1", "entity:ppo"]
    {'weight': 2, 'shared': 'PPO; GAE'}
    """
    plain = nx.Graph()
    for node, data in view.nodes(data=True):
        plain.add_node(_id(node), **_scalars(data))
    for u, v, data in view.edges(data=True):
        plain.add_edge(_id(u), _id(v), **_scalars(data))
    return plain


def write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, then rename it into place."""
    with atomic_open(path) as f:
        f.write(text)


# Not allowed in XML 1.0 (all C0 controls but tab, newline and CR; surrogates; U+FFFE/F),
# plus DEL and the C1 controls, which XML discourages and terminals act on.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    """Remove the characters XML cannot hold.

    >>> _clean("a\x01b\x0bc\td")
    'abc\td'
    """
    return _NOT_XML.sub("", text)


def _id(node: Any) -> str:
    return _clean(f"{node[0]}:{node[1]}" if isinstance(node, tuple) else str(node))


def _scalars(data: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in data.items():
        if value is None or key == "search":
            continue
        if isinstance(value, list | tuple):
            value = "; ".join(map(str, value))
        out[_clean(key)] = _clean(value) if isinstance(value, str) else value
    return out


def _keys(records: Any) -> list[str]:
    keys: dict[str, None] = {}
    for data in records:
        keys.update(dict.fromkeys(data))
    return list(keys)


def _csv(columns: list[str], rows: Any) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    for key, data in rows:
        first = list(key) if isinstance(key, tuple) else [key]
        writer.writerow(first + [data.get(c, "") for c in columns[len(first) :]])
    return buffer.getvalue()
