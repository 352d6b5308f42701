"""Views and exports of the stored graph, and the HTML page as headless Chromium draws it."""

import base64
import csv
import json
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.export import ViewSpec, build_view, from_rows, read_graph, render_html, write_html
from kg.store import FalkorStore
from tests.browser import Browser, find_chromium

needs_chromium = pytest.mark.skipif(
    find_chromium() is None, reason="chromium is not installed (apt-get install chromium)"
)


@pytest.fixture(scope="module")
def graph(sample_db: Path) -> nx.Graph:
    with FalkorStore(sample_db) as store:
        return read_graph(store)


def test_overlap_joins_papers_by_what_they_share_and_why(graph: nx.Graph) -> None:
    view, notes = build_view(graph, ViewSpec(view="overlap", kind="all"))
    assert {kind for _, kind in view.nodes(data="kind")} == {"Paper"}
    assert view.number_of_nodes() == 24 and notes == []
    u, v, data = max(view.edges(data=True), key=lambda e: e[2]["weight"])
    # Weighted by the idf the pair shares (#18), not by how many entities.
    assert data["overlap"] == len(data["shared"]) >= 2 and data["weight"] > data["overlap"]
    # The tooltip names each shared entity with each paper's evidence sentence.
    shared = data["shared"][0]
    entity = next(n for n in graph if graph.nodes[n].get("name") == shared and n[0] != "paper")
    assert graph.edges[u, entity]["evidence"] in data["title"]
    assert graph.edges[v, entity]["evidence"] in data["title"]


def test_concepts_and_bipartite_views(graph: nx.Graph) -> None:
    concepts, _ = build_view(graph, ViewSpec(view="concepts", kind="all"))
    assert "Paper" not in {kind for _, kind in concepts.nodes(data="kind")}
    assert all(
        w == len(d["papers"]) for _, _, d in concepts.edges(data=True) for w in [d["weight"]]
    )
    bipartite, _ = build_view(graph, ViewSpec(view="bipartite", kind="all"))
    assert (bipartite.number_of_nodes(), bipartite.number_of_edges()) == (
        graph.number_of_nodes(),
        graph.number_of_edges(),
    )


def test_ego_view_by_alias_and_depth(graph: nx.Graph) -> None:
    near, _ = build_view(
        graph, ViewSpec(view="ego", entity="test-time training", depth=1, kind="all")
    )
    labels = {d["label"] for _, d in near.nodes(data=True)}
    assert "TTT" in labels and all(k in ("Paper", "Method") for _, k in near.nodes(data="kind"))
    wider, _ = build_view(graph, ViewSpec(view="ego", entity="TTT", depth=2, kind="all"))
    assert wider.number_of_nodes() > near.number_of_nodes()


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        (ViewSpec(view="ego"), "exactly one of --entity"),
        (ViewSpec(view="ego", entity="no such thing"), "no entity named 'no such thing'"),
        (ViewSpec(view="ego", paper="nope"), "no paper with id 'nope'"),
    ],
)
def test_ego_view_errors(graph: nx.Graph, spec: ViewSpec, message: str) -> None:
    from kg.errors import KgError

    with pytest.raises(KgError, match=message):
        build_view(graph, spec)


def test_filters_say_what_they_dropped(graph: nx.Graph) -> None:
    view, notes = build_view(graph, ViewSpec(view="bipartite", since="2026-01-01", top=10))
    assert view.number_of_nodes() == 10
    assert any("without a date" in n for n in notes)
    assert any("--top" in n for n in notes)
    typed, _ = build_view(graph, ViewSpec(view="bipartite", types=("dataset",)))
    assert {k for _, k in typed.nodes(data="kind")} == {"Paper", "Dataset"}
    heavy, notes = build_view(graph, ViewSpec(view="overlap", min_weight=2))
    assert all(w >= 2 for _, _, w in heavy.edges(data="weight")) and notes


@pytest.mark.parametrize("format_", ["graphml", "gexf", "json", "csv"])
def test_file_exports_read_back(
    graph: nx.Graph, sample_db: Path, tmp_path: Path, format_: str
) -> None:
    out = tmp_path / ("out" if format_ == "csv" else f"kg.{format_}")
    args = ["export", format_, str(out), "--db", str(sample_db), "--view", "overlap", "--kind"]
    args.append("all")
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    if format_ == "graphml":
        back = nx.read_graphml(out)
    elif format_ == "gexf":
        back = nx.read_gexf(out)
    elif format_ == "json":
        back = nx.node_link_graph(json.loads(out.read_text()), edges="links")
    else:
        with (out / "edges.csv").open() as f:
            back = nx.Graph((r["source"], r["target"]) for r in csv.DictReader(f))
        with (out / "nodes.csv").open() as f:
            back.add_nodes_from(r["id"] for r in csv.DictReader(f))
    # The file holds the whole view: every paper, and each overlapping pair once.
    view, _ = build_view(graph, ViewSpec(view="overlap", kind="all"))
    # Only specific entities join papers (#18): LLM, accuracy and the like join none.
    assert view.number_of_nodes() == 24 and view.number_of_edges() >= 5
    assert (back.number_of_nodes(), back.number_of_edges()) == (24, view.number_of_edges())
    assert not list(tmp_path.rglob(".*")), "a temporary file was left behind"


def test_export_html_options(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "ego.html"
    args = ["export", "html", str(out), "--db", str(sample_db), "--view", "ego", "--entity", "TTT"]
    result = CliRunner().invoke(
        cli, [*args, "--colour", "community", "--top", "2", "--kind", "all"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {out}: 2 nodes, 1 links.\n"
    assert "note: kept the 2 most connected nodes (--top)" in result.stderr
    clash = CliRunner().invoke(cli, ["export", "html", str(out), "--entity", "TTT"])
    assert clash.exit_code == 2 and "--entity and --paper go with --view ego" in clash.stderr


def hostile_graph() -> nx.Graph:
    """Two papers sharing an entity whose name and evidence hold markup."""
    evil = "<script>window.pwned=1</script><img src=x onerror=window.pwned=2>"
    papers = [{"id": f"p{i}", "title": f"Paper {i}", "date": None} for i in (1, 2)]
    entities = [{"key": "evil", "name": evil, "type": "Method", "aliases": ["needle alias"]}]
    links = [
        {"paper": f"p{i}", "target": "evil", "rel": "MENTIONS", "count": 1, "evidence": evil}
        for i in (1, 2)
    ]
    return from_rows(papers, entities, links)


def test_markup_in_names_never_reaches_the_page_as_markup() -> None:
    view, _ = build_view(hostile_graph(), ViewSpec(view="bipartite"))
    html, _ = render_html(view, colour="community")
    body = html[html.index("<body>") :]
    assert "<script>window.pwned" not in body and "<img src=x" not in body


# Count, in a region of a PNG, the pixels that are not the page background.
COUNT_INK = """
new Promise(resolve => {
  const image = new Image();
  image.onload = () => {
    const canvas = document.createElement("canvas");
    canvas.width = image.width; canvas.height = image.height;
    const context = canvas.getContext("2d");
    context.drawImage(image, 0, 0);
    const data = context.getImageData(300, 150, 600, 500).data;
    let ink = 0;
    for (let i = 0; i < data.length; i += 4) {
      const d = Math.abs(data[i] - 250) + Math.abs(data[i + 1] - 250) + Math.abs(data[i + 2] - 250);
      if (d > 30) ink++;
    }
    resolve(ink);
  };
  image.src = "data:image/png;base64,%s";
})
"""


@needs_chromium
@pytest.mark.parametrize("view_name", ["overlap", "concepts", "bipartite"])
def test_page_draws_in_chromium(graph: nx.Graph, tmp_path: Path, view_name: str) -> None:
    view, _ = build_view(graph, ViewSpec(view=view_name))
    page = tmp_path / "view.html"
    stats = write_html(view, page, colour="community" if view_name == "concepts" else "type")
    with Browser() as browser:
        browser.open(page, timeout=30)
        assert browser.evaluate("nodes.length") == stats.nodes == view.number_of_nodes()
        assert browser.evaluate("Object.keys(network.getPositions()).length") == stats.nodes
        legend = browser.evaluate("document.getElementById('legend').innerText")
        assert legend.splitlines()[1].endswith(")")  # at least one legend row with a count
        assert browser.evaluate("document.getElementById('layout-state').textContent") == "ready"
        png = base64.b64encode(browser.screenshot()).decode()
        assert browser.evaluate(COUNT_INK % png) > 2000, "the graph area looks blank"
        assert browser.errors == []


@needs_chromium
def test_page_shows_markup_as_text_and_finds_aliases(tmp_path: Path) -> None:
    view, _ = build_view(hostile_graph(), ViewSpec(view="bipartite"))
    page = tmp_path / "hostile.html"
    write_html(view, page, colour="community")
    with Browser() as browser:
        browser.open(page, timeout=30)
        # Hover the entity: vis-network shows its string title as text.
        x, y = browser.evaluate(
            "(() => { const id = nodes.get({filter: n => n.shape === 'dot'})[0].id;"
            " const p = network.canvasToDOM(network.getPositions([id])[id]);"
            " return [p.x, p.y]; })()"
        )
        for event in ("mouseMoved", "mouseMoved"):
            browser.call("Input.dispatchMouseEvent", {"type": event, "x": x + 1, "y": y})
        browser.evaluate("new Promise(r => setTimeout(r, 600))")
        tooltip = browser.evaluate(
            "(() => { const t = document.querySelector('div.vis-tooltip');"
            " return t && [t.textContent, t.querySelectorAll('script, img').length]; })()"
        )
        assert tooltip is not None and "<script>window.pwned=1</script>" in tooltip[0]
        assert tooltip[1] == 0
        assert browser.evaluate("window.pwned === undefined")
        browser.evaluate(
            "document.getElementById('search-input').value = 'needle alias';"
            "document.getElementById('search-form').requestSubmit()"
        )
        selected = browser.evaluate("nodes.get(network.getSelectedNodes()[0]).shape")
        assert selected == "dot"
        assert browser.errors == []


@pytest.mark.parametrize("format_", ["graphml", "gexf"])
def test_control_characters_in_titles_still_give_readable_xml(tmp_path: Path, format_: str) -> None:
    from kg.export import write_file

    bad = "Bell\x01 \x0bvertical\x1f tab\x7f ok\ufffe end"
    papers = [{"id": f"p{i}", "title": f"{bad} {i}", "date": None} for i in (1, 2)]
    entities = [{"key": "e\x02", "name": "Name\x08", "type": "Method", "aliases": []}]
    links = [
        {"paper": f"p{i}", "target": "e\x02", "rel": "MENTIONS", "count": 1, "evidence": bad}
        for i in (1, 2)
    ]
    view, _ = build_view(from_rows(papers, entities, links), ViewSpec(view="bipartite"))
    out = tmp_path / f"kg.{format_}"
    write_file(view, out, format=format_)
    back = nx.read_graphml(out) if format_ == "graphml" else nx.read_gexf(out)
    assert back.number_of_nodes() == 3 and back.number_of_edges() == 2
    titles = sorted(str(d.get("title", d.get("label"))) for n, d in back.nodes(data=True))
    assert any("Bell vertical tab ok end 1" in t for t in titles), titles
