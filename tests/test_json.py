"""`--json` on the commands that read: one JSON document on stdout, the text output's data."""

import json
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli
from kg.query import list_queries


def run(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), prog_name="kg")
    assert result.exit_code == 0, result.output + str(result.exception)
    return result.stdout


def table_rows(text: str) -> list[list[str]]:
    """The rows of the text tables kg prints (columns split on two or more spaces)."""
    import re

    lines = text.splitlines()
    rows = []
    for i, line in enumerate(lines):
        if i and set(line) <= {"-", " "} and line.strip():
            continue
        header = i + 1 < len(lines) and lines[i + 1].strip() and set(lines[i + 1]) <= {"-", " "}
        if line.strip() and not header:
            rows.append(re.split(r"\s{2,}", line.strip()))
    return rows


def test_stats_json_holds_what_the_tables_show(sample_db: Path) -> None:
    document = json.loads(run("stats", "--db", str(sample_db), "--json"))
    assert set(document) == {"labels", "relationships", "kinds", "top_named_entities"}
    labels = {r["label"]: r["nodes"] for r in document["labels"]}
    assert labels["Paper"] == 24 and labels["Entity"] > 0
    assert set(document["relationships"][0]) == {"relationship", "count"}
    assert sum(r["entities"] for r in document["kinds"]) == labels["Entity"]
    top = document["top_named_entities"]
    assert 0 < len(top) <= 10 and set(top[0]) == {"entity", "type", "papers", "mentions"}
    assert top == sorted(top, key=lambda r: (-r["papers"], -r["mentions"], r["entity"]))
    text = run("stats", "--db", str(sample_db))
    rows = table_rows(text)
    for label, nodes in labels.items():
        assert [label, str(nodes)] in rows, label
    for entity in top:
        assert [str(v) for v in entity.values()] in rows, entity


def test_query_json_gives_the_table_rows(sample_db: Path) -> None:
    args = ("query", "top_entities", "-p", "limit", "5", "--db", str(sample_db))
    records = json.loads(run(*args, "--json"))
    assert len(records) == 5
    text_rows = table_rows(run(*args))
    assert [[str(v) for v in r.values()] for r in records] == text_rows


def test_query_list_json_names_every_query_and_its_parameters() -> None:
    listed = json.loads(run("query", "--list", "--json"))
    assert [q["name"] for q in listed] == [q.name for q in list_queries()]
    top = next(q for q in listed if q["name"] == "top_entities")
    assert top["description"].startswith("Entities mentioned by the most papers")
    limit = next(p for p in top["params"] if p["name"] == "limit")
    assert limit == {"name": "limit", "type": "int", "default": "20", "help": "most rows returned"}
    text = run("query", "--list")
    for query in listed:
        assert query["name"] in text and query["description"] in text


def test_status_json_is_a_list_of_servers() -> None:
    servers = json.loads(run("status", "--json"))
    assert isinstance(servers, list)
    for server in servers:
        assert set(server) == {"db", "pid", "socket", "state", "idle", "idle_left", "watchdog"}
        assert server["state"] in ("warm", "in use", "stale", "left")


def test_stats_counts_each_label_alone_as_the_full_scan_does(
    sample_db: Path, tmp_path: Path
) -> None:
    from kg.query import load_internal
    from kg.store import FalkorStore

    document = json.loads(run("stats", "--db", str(sample_db), "--json"))
    with FalkorStore(sample_db) as store:
        labels = store.run(load_internal("stats_labels").text).records()
        types = store.run(load_internal("stats_relationships").text).records()
    assert document["labels"] == labels and document["relationships"] == types
    # A label kg does not write is counted too (by the scan: its name never reaches the text).
    odd = tmp_path / "odd.db"
    with FalkorStore(odd) as store:
        store.run("CREATE (:`Odd label`)-[:`ODD TYPE`]->(:Paper {id: 'p'})")
    document = json.loads(run("stats", "--db", str(odd), "--json"))
    assert document["labels"] == [
        {"label": "Odd label", "nodes": 1},
        {"label": "Paper", "nodes": 1},
    ]
    assert document["relationships"] == [{"relationship": "ODD TYPE", "count": 1}]
