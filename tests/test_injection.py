"""Hostile text through every path: Cypher stays Cypher, markup stays text.

Payloads go in through paper titles, abstracts, author and organisation names, entity
names, aliases and evidence, the overrides file, `kg query -p` values and names, query
names, `--entity`/`--paper` and `kg entities show`. Afterwards the database holds exactly
what it held, every payload is stored verbatim, no label or relationship type outside
kg's own appears, and in headless Chromium no page of any view runs a payload or grows an
element from one.
"""

import csv
import json
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.models import Entity, EntityType, Graph, Paper, PaperEntity, Repository, Variant
from kg.query import list_queries
from kg.store import ENTITY_LABELS, FalkorStore, write_graph
from tests.browser import Browser, find_chromium
from tests.dumps import dump_graph

CYPHER = [
    "') DETACH DELETE n //",
    "x'}) MATCH (n) DETACH DELETE n //",
    '"}) WITH 1 AS x MATCH (n) DETACH DELETE n RETURN 1 //',
    "`) MATCH (n) DETACH DELETE n //",
    "Method`) SET e:Admin //",
    "\\') MATCH (n) SET n.pwned = true //",
    "x\n MATCH (n) DETACH DELETE n",
    "$rows {rows} $name",
    "\u2019) MATCH (n) DETACH DELETE n //",
]
MARKUP = [
    "<script>window.pwned=1</script>",
    '"><img src=x onerror="window.pwned=2">',
    "</script><script>window.pwned=3</script>",
    "' onmouseover='window.pwned=4' x='",
    "javascript:window.pwned=5",
    "<svg onload=window.pwned=6>",
    "{{ 7*7 }} {% raw %}",
    "<!-- ]]> --!>",
]
PAYLOADS = CYPHER + MARKUP
KNOWN_LABELS = {"Paper", "Entity", "Author", "Repository", *ENTITY_LABELS}
KNOWN_TYPES = {"MENTIONS", "PROPOSES", "WRITTEN_BY", "AFFILIATED_WITH", "HAS_CODE", "VARIANT_OF"}


def hostile_graph() -> Graph:
    """Papers, entities, links and variants whose every text field is a payload."""
    papers, entities, mentions, repositories, variants = [], {}, [], [], []
    for i, evil in enumerate(PAYLOADS):
        paper_id = f"p{i}:{evil}"
        papers.append(
            Paper(
                id=paper_id,
                title=f"Title {i} {evil}",
                abstract=f"Abstract {evil} with PPO.",
                date="2026-02-24",
                organization=evil,
                authors=(f"Author {evil}",),
            )
        )
        key = f"k{i} {evil}"
        entities[key] = Entity(
            key, f"Canonical {evil}", evil, EntityType.METHOD, (f"alias {evil}",)
        )
        for j in (i, (i + 1) % len(PAYLOADS)):  # two papers per entity: links in every view
            mentions.append(
                PaperEntity(
                    f"p{j}:{PAYLOADS[j]}",
                    key,
                    1,
                    f"Evidence {evil}",
                    (evil,),
                    "abstract",
                    0,
                    1,
                    j == i,
                )
            )
        repositories.append(Repository(paper_id, f"https://github.com/o/r{i}", "code", evil, 0, 1))
    keys = list(entities)
    variants = [Variant(keys[i], keys[i + 1], "affix") for i in range(0, len(keys) - 1, 2)]
    return Graph(papers, entities, mentions, [], repositories, variants)


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("hostile") / "kg.db"
    with FalkorStore(db) as store:
        write_graph(store, hostile_graph())
    return db


def snapshot(db: Path) -> dict[str, Counter[str]]:
    with FalkorStore(db) as store:
        return dump_graph(store)


def test_payloads_are_stored_verbatim_and_nothing_else_is_written(hostile_db: Path) -> None:
    with FalkorStore(hostile_db) as store:
        titles = {r[0] for r in store.run("MATCH (p:Paper) RETURN p.title").rows}
        names = {r[0] for r in store.run("MATCH (e:Entity) RETURN e.name").rows}
        evidence = {r[0] for r in store.run("MATCH ()-[m:MENTIONS]->() RETURN m.evidence").rows}
        labels = {r[0] for r in store.run("MATCH (n) UNWIND labels(n) AS l RETURN DISTINCT l").rows}
        types = {r[0] for r in store.run("MATCH ()-[r]->() RETURN DISTINCT type(r)").rows}
        pwned = store.run("MATCH (n) WHERE n.pwned IS NOT NULL RETURN count(n)").rows[0][0]
    assert titles == {f"Title {i} {evil}" for i, evil in enumerate(PAYLOADS)}
    assert names == set(PAYLOADS)
    assert evidence == {f"Evidence {evil}" for evil in PAYLOADS}
    assert labels <= KNOWN_LABELS and types <= KNOWN_TYPES and pwned == 0
    # Writing the same graph again changes nothing: MERGE found every payload key.
    before = snapshot(hostile_db)
    with FalkorStore(hostile_db) as store:
        write_graph(store, hostile_graph(), incremental=False)
    assert snapshot(hostile_db) == before


def test_every_query_parameter_takes_every_payload_as_a_value(hostile_db: Path) -> None:
    before = snapshot(hostile_db)
    runner = CliRunner()
    tried = 0
    for query in list_queries():
        if not any(p.type == "string" for p in query.params):
            continue
        for evil in PAYLOADS:  # every string parameter at once, the others at a default
            args = ["query", query.name, "--db", str(hostile_db), "--json"]
            for p in query.params:
                if p.type == "string":
                    args += ["-p", p.name, evil]
                elif p.default is None:
                    args += ["-p", p.name, "1"]
            result = runner.invoke(cli, args)
            assert result.exit_code == 0, (query.name, evil, result.output)
            json.loads(result.stdout)
            tried += 1
    assert tried >= 5 * len(PAYLOADS)
    for evil in CYPHER:  # a payload as a parameter's name, or as the query's name
        named = runner.invoke(
            cli, ["query", "top_entities", "-p", evil, "1", "--db", str(hostile_db)]
        )
        assert named.exit_code == 1 and "has no parameter" in named.stderr
        query = runner.invoke(cli, ["query", evil, "--db", str(hostile_db)])
        assert query.exit_code == 1 and "Traceback" not in query.output
    for evil in PAYLOADS:  # looked up by canonical name, which holds the payload
        args = ["entities", "show", f"Canonical {evil}", "--db", str(hostile_db), "--json"]
        shown = runner.invoke(cli, args)
        assert shown.exit_code == 0, shown.output
        assert [r["name"] for r in json.loads(shown.stdout)] == [evil]
    assert snapshot(hostile_db) == before


def test_overrides_with_payloads_are_values_too(tmp_path: Path) -> None:
    page = Path(__file__).parent.parent / "examples" / "daily_papers_page.txt"
    evil = CYPHER[0] + MARKUP[0]
    overrides = tmp_path / "kg.toml"
    overrides.write_text(
        f"ignore = [{json.dumps(evil)}]\nsplit = [{json.dumps(evil)}]\n"
        f'[merge]\n{json.dumps(evil)} = "PPO"\n"PPO" = {json.dumps(evil)}\n'
        f'[types]\n{json.dumps(evil)} = "Dataset"\n'
    )
    db = tmp_path / "kg.db"
    args = ["build", str(page), "--no-ner", "--db", str(db), "--overrides", str(overrides)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    with FalkorStore(db) as store:
        assert store.run("MATCH (p:Paper) RETURN count(p)").rows == [[24]]
    overrides.write_text(f'[types]\n"PPO" = {json.dumps("Method:Admin" + evil)}\n')
    refused = CliRunner().invoke(cli, args)
    assert refused.exit_code == 1 and str(overrides) in refused.stderr
    assert "Traceback" not in refused.output


def test_file_exports_carry_payloads_as_data(hostile_db: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    for format_ in ("graphml", "gexf", "json", "csv"):
        out = tmp_path / (format_ if format_ == "csv" else f"view.{format_}")
        args = ["export", format_, str(out), "--db", str(hostile_db), "--view", "bipartite"]
        result = runner.invoke(cli, args)
        assert result.exit_code == 0, result.output
        if format_ in ("graphml", "gexf"):
            root = ET.parse(out).getroot()  # well-formed, and gives back the text as it was
            text = "\n".join((e.text or "") + " ".join(e.attrib.values()) for e in root.iter())
        elif format_ == "json":
            text = "\n".join(strings(json.loads(out.read_text("utf-8"))))
        else:
            with (out / "nodes.csv").open(encoding="utf-8", newline="") as f:
                text = json.dumps(list(csv.reader(f)), ensure_ascii=False)
        for evil in MARKUP:  # the XML parser gives back the text, so it was escaped
            assert json.dumps(evil, ensure_ascii=False)[1:-1] in text or evil in text, (
                format_,
                evil,
            )
    assert not list(tmp_path.rglob(".*.tmp"))


def strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in strings(v)]
    return []


@pytest.mark.skipif(find_chromium() is None, reason="chromium is not installed")
@pytest.mark.parametrize("view", ["overlap", "concepts", "bipartite", "ego"])
def test_views_show_payloads_as_text_in_chromium(
    hostile_db: Path, tmp_path: Path, view: str
) -> None:
    page = tmp_path / f"{view}.html"
    args = ["export", "html", str(page), "--db", str(hostile_db), "--view", view]
    if view == "ego":
        args += ["--entity", MARKUP[1]]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    with Browser() as browser:
        browser.open(page, timeout=30)
        data = browser.evaluate("JSON.stringify(nodes.get()) + JSON.stringify(edges.get())")
        assert any(evil in data for evil in MARKUP), "the payloads should be in the view's data"
        points = browser.evaluate(NODE_POINTS)
        shown = 0
        for x, y in points[:6]:  # hover through real input events: vis shows the tooltip
            for _ in range(2):
                browser.call("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": x + 1, "y": y})
            browser.evaluate("new Promise(r => setTimeout(r, 450))")
            tooltip = browser.evaluate(
                "(() => { const t = document.querySelector('div.vis-tooltip');"
                " return t && t.style.visibility !== 'hidden' ? [t.textContent,"
                " t.querySelectorAll('script, img, svg').length] : null; })()"
            )
            if tooltip:
                shown += 1
                assert tooltip[1] == 0, tooltip
        assert shown, "no tooltip appeared"
        browser.evaluate(SEARCH_EVERY_PAYLOAD % json.dumps(PAYLOADS))
        assert browser.evaluate("typeof window.pwned") == "undefined"
        assert browser.evaluate("document.querySelectorAll('img, svg, iframe, object').length") == 0
        scripts = browser.evaluate("document.querySelectorAll('script').length")
        assert scripts == 2, "only kg's two script elements (vis.js and the view)"
        assert browser.errors == []


# Where each node is drawn, in page coordinates.
NODE_POINTS = """
nodes.getIds().map(id => {
  const p = network.canvasToDOM(network.getPositions([id])[id]);
  return [p.x, p.y];
})
"""
SEARCH_EVERY_PAYLOAD = """
(async () => {
  const form = document.getElementById('search-form');
  for (const text of %s) {
    document.getElementById('search-input').value = text;
    form.dispatchEvent(new Event('submit', {cancelable: true}));
    await new Promise(r => setTimeout(r, 20));
  }
})()
"""
