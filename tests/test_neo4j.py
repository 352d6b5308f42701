"""The Neo4j path: statements and batches (no server), bulk-import files, push, errors.

Tests marked ``neo4j`` run against the server in ``NEO4J_URI`` (with ``NEO4J_USERNAME``,
``NEO4J_PASSWORD``, ``NEO4J_DATABASE``) and wipe its database; they are skipped otherwise.
"""

import csv
import json
import os
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import StoreError
from kg.models import Entity, EntityType, Graph, Paper, PaperEntity, Repository
from kg.query import bind_params, list_queries, load_internal
from kg.store import FalkorStore, write_graph
from kg.store.base import (
    ENTITY_LABELS,
    WRITE_ORDER,
    changed_rows,
    graph_rows,
    paper_hash,
    write_statements,
)
from kg.store.neo4j import Neo4jStore, schema_statements
from kg.store.neo4j_import import ARRAY_DELIMITER, import_tables, write_import_files
from kg.store.transfer import read_stored_graph

from .test_queries import SAMPLE_ARGS
from .test_store import INJECTIONS

PASSWORD = "pa55-w0rd-never-shown"


def tiny_graph(title: str = "Proximal Policy Optimisation at scale") -> Graph:
    """Two papers, one entity of each type, links of every kind."""
    papers = [
        Paper(
            id="p1",
            title=title,
            abstract="We propose PPO-X.",
            date="2026-02-24",
            upvotes=3,
            authors=("Ada Lovelace", "Alan Turing"),
            doi="10.1/x",
        ),
        Paper(id="p2", title="Another paper", abstract="We use PPO on ImageNet."),
    ]
    entities = {
        t.value.lower(): Entity(t.value.lower(), t.value, t.value[:3], t, (f"{t.value} alias",))
        for t in EntityType
    }
    mentions = [
        PaperEntity("p1", "method", 2, "We propose PPO-X.", ("PPO-X",), "abstract", 11, 16, True),
        PaperEntity("p2", "method", 1, "We use PPO.", ("PPO",), "abstract", 7, 10, False),
        PaperEntity("p2", "dataset", 1, "On ImageNet.", ("ImageNet",), "abstract", 14, 22, False),
    ]
    repos = [Repository("p1", "https://github.com/o/r", "code", "Code: github.com/o/r.", 0, 5)]
    return Graph(papers, entities, mentions, [("p1", "organization")], repos)


# -- statements and batches, no server ------------------------------------------------------


def test_the_password_scrub_replaces_whole_passwords_only() -> None:
    from kg.store.neo4j import _scrub

    assert _scrub("exception: bad x", "x") == "exception: bad x", "too short to scrub"
    assert _scrub("auth ('neo4j', 's3cret') failed", "s3cret") == "auth ('neo4j', '***') failed"
    assert _scrub("password=s3cret; s3crets", "s3cret") == "password=***; s3crets"
    assert _scrub("the pass word", "pass") == "the *** word"
    assert _scrub("a passage", "pass") == "a passage"


def test_writes_come_in_batches_in_dependency_order() -> None:
    rows = graph_rows(tiny_graph())
    statements = list(write_statements(rows, batch_size=2))
    names = [name for name, _, _ in statements]
    assert names.index("write_papers") < names.index("write_entities")
    assert (
        names.index("write_entities") < names.index("label_Method") < names.index("write_mentions")
    )
    assert names[-1] == "write_paper_hashes"
    for name in WRITE_ORDER:
        sent = [row for n, _, params in statements if n == name for row in params["rows"]]
        assert sent == rows[name], name
        assert all(len(p["rows"]) <= 2 for n, _, p in statements if n == name)
    assert [len(p["rows"]) for n, _, p in statements if n == "write_entities"] == [2, 2, 2]


def test_each_entity_gets_the_label_of_its_type_only() -> None:
    statements = [
        s for s in write_statements(graph_rows(tiny_graph())) if s[0].startswith("label_")
    ]
    assert [(name, params["keys"]) for name, _, params in statements] == [
        (f"label_{label}", [label.lower()]) for label in ENTITY_LABELS
    ]
    _, text, _ = statements[0]
    assert text == (
        "MATCH (e:Entity) WHERE e.key IN $keys "
        "REMOVE e:Dataset:Model:Task:Metric:Organization SET e:Method"
    )


@pytest.mark.parametrize("evil", INJECTIONS)
def test_statements_never_contain_input_values(evil: str) -> None:
    """Names, titles and ids travel only as parameters; the text is the library's."""
    entity = Entity(evil, evil, evil, EntityType.METHOD, (evil,))
    link = PaperEntity(evil, evil, 1, evil, (evil,), "abstract", 0, 1, True)
    graph = Graph(
        [Paper(id=evil, title=evil, abstract=evil, organization=evil)],
        {evil: entity},
        [link],
        [(evil, evil)],
        [Repository(evil, f"https://github.com/{evil}", "code", evil, 0, 1)],
    )
    after = ("prune_orphan_entities", "write_specificity", "write_specificity_variants")
    library = {load_internal(name).text for name in (*WRITE_ORDER, *after)}
    statements = list(write_statements(graph_rows(graph)))
    assert statements
    for name, text, params in statements:
        assert evil not in text
        assert text in library or name.startswith("label_"), name
        assert params or name == "prune_orphan_entities"  # the one statement with no values
    assert any(evil in str(params) for _, _, params in statements)


def test_only_new_or_changed_papers_are_sent_again() -> None:
    rows = graph_rows(tiny_graph())
    stored = {r["id"]: r["hash"] for r in rows["write_paper_hashes"]}
    unchanged = changed_rows(rows, stored)
    assert {name for name, kept in unchanged.items() if kept} == {"write_entities"}
    # Entities no paper links to cannot be skipped with a paper: they are always sent.
    assert {r["key"] for r in unchanged["write_entities"]} == {"model", "task", "metric"}

    retitled = graph_rows(tiny_graph(title="A new title"))
    changed = changed_rows(retitled, stored)
    assert [r["id"] for r in changed["write_papers"]] == ["p1"]
    assert {r["paper"] for r in changed["write_mentions"]} == {"p1"}
    # Entities p1 links to are resent; those only p2 links to are not; unlinked ones always are.
    keys = {r["key"] for r in changed["write_entities"]}
    assert {"method", "organization"} <= keys and "dataset" not in keys
    assert {"model", "task", "metric"} <= keys


def test_the_hash_ignores_row_order_but_not_content() -> None:
    graph = tiny_graph()
    hashes = {r["id"]: r["hash"] for r in graph_rows(graph)["write_paper_hashes"]}
    reordered = replace(graph, mentions=list(reversed(graph.mentions)))
    assert {r["id"]: r["hash"] for r in graph_rows(reordered)["write_paper_hashes"]} == hashes
    recounted = replace(graph, mentions=[replace(graph.mentions[0], count=5), *graph.mentions[1:]])
    new = {r["id"]: r["hash"] for r in graph_rows(recounted)["write_paper_hashes"]}
    assert new["p1"] != hashes["p1"] and new["p2"] == hashes["p2"]


def test_the_hash_is_the_paper_hash_of_each_papers_rows() -> None:
    # graph_rows joins the hash text from rows serialised once (a row, an entity shared by
    # papers); it must be exactly paper_hash of the rows, so stored hashes stay valid.
    graph = tiny_graph(title='A "quoted" title, ünïcode and a newline\n')
    rows = graph_rows(graph)
    entities = {row["key"]: row for row in rows["write_entities"]}
    for paper in graph.papers:
        parts: dict[str, Any] = {
            "write_papers": [r for r in rows["write_papers"] if r["id"] == paper.id],
            "write_entities": {},
        }
        for name in ("write_mentions", "write_proposes", "write_affiliations"):
            for row in rows[name]:
                if row["paper"] == paper.id:
                    parts.setdefault(name, []).append(row)
                    parts["write_entities"][row["key"]] = entities[row["key"]]
        for name in ("write_authors", "write_repositories", "prune_paper_links"):
            mine = [row for row in rows[name] if row["paper"] == paper.id]
            if mine:
                parts[name] = sorted(
                    mine, key=lambda row: json.dumps(row, sort_keys=True, ensure_ascii=False)
                )
        expected = paper_hash(parts)
        assert [r["hash"] for r in rows["write_paper_hashes"] if r["id"] == paper.id] == [expected]


def test_schema_is_neo4j_5_ddl_kept_out_of_the_query_list() -> None:
    assert schema_statements() == [
        "CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (p:Paper) REQUIRE p.id IS UNIQUE",
        "CREATE CONSTRAINT entity_key IF NOT EXISTS FOR (e:Entity) REQUIRE e.key IS UNIQUE",
        "CREATE CONSTRAINT repository_url IF NOT EXISTS FOR (r:Repository) REQUIRE r.url IS UNIQUE",
        "CREATE CONSTRAINT author_key IF NOT EXISTS FOR (a:Author) REQUIRE a.key IS UNIQUE",
        "CREATE FULLTEXT INDEX entity_names IF NOT EXISTS "
        "FOR (e:Entity) ON EACH [e.name, e.canonical, e.aliases]",
    ]
    names = {q.name for q in list_queries()}
    assert not any(n.startswith(("dump_", "lookup_", "write_")) or "schema" in n for n in names)


# -- the embedded store: incremental writes and read-back ------------------------------------


def test_a_rerun_sends_only_changed_papers(tmp_path: Path) -> None:
    with FalkorStore(tmp_path / "kg.db") as store:
        first = write_graph(store, tiny_graph())
        assert first.rows["write_papers"] == 2 and first.papers_unchanged == 0
        again = write_graph(store, tiny_graph())
        assert again.papers_unchanged == 2
        assert again.rows == {"write_entities": 3}  # the three entities no paper links to
        retitled = write_graph(store, tiny_graph(title="A new title"))
        assert retitled.rows["write_papers"] == 1 and retitled.papers_unchanged == 1
        assert store.run("MATCH (p:Paper {id: 'p1'}) RETURN p.title").rows == [["A new title"]]
        forced = write_graph(store, tiny_graph(title="A new title"), incremental=False)
        assert forced.rows["write_papers"] == 2


def test_the_stored_graph_reads_back_as_written(sample_db: Path, sample_graph: Graph) -> None:
    with FalkorStore(sample_db) as store:
        back = read_stored_graph(store)
    expected, got = graph_rows(sample_graph), graph_rows(back)
    for name in expected:
        assert sorted(map(repr, got[name])) == sorted(map(repr, expected[name])), name


# -- bulk-import files -----------------------------------------------------------------------


def read_csv(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def test_neo4j_import_files_have_typed_headers_and_every_row(tmp_path: Path) -> None:
    graph = tiny_graph()
    graph.papers[0] = replace(graph.papers[0], abstract='Line one,\n"quoted"; two.')
    files = write_import_files(graph, tmp_path / "import")
    folder = tmp_path / "import"
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{stem}{suffix}"
        for stem in (
            "papers",
            "entities",
            "repositories",
            "mentions",
            "proposes",
            "affiliated_with",
            "has_code",
            "authors",
            "written_by",
            "variant_of",
        )
        for suffix in (".header.csv", ".csv")
    )
    assert read_csv(folder / "papers.header.csv") == [
        [
            "id:ID(Paper)",
            "title",
            "abstract",
            "date",
            "upvotes:int",
            "authors_count:int",
            "organization",
            "arxiv_id",
            "doi",
            "published",
            "title_key",
            "source",
            "line:int",
            "record",
            "input_order:int",
            "content_hash",
        ]
    ]
    papers = read_csv(folder / "papers.csv")
    assert papers[0][:5] == [
        "p1",
        graph.papers[0].title,
        'Line one,\n"quoted"; two.',
        "2026-02-24",
        "3",
    ]
    assert papers[0][8] == "10.1/x"
    assert json.loads(papers[0][13])["authors"] == list(graph.papers[0].authors)  # the record
    assert papers[0][14] == "0"  # input_order: the corpus order a later build merges in
    assert len(papers[0][15]) == 32  # the content hash: a later push skips these papers
    entities = {row[0]: row for row in read_csv(folder / "entities.csv")}
    assert read_csv(folder / "entities.header.csv")[0] == [
        "key:ID(Entity)",
        "canonical",
        "name",
        "type",
        "aliases:string[]",
        "names:string[]",
        "formed:string[]",
        ":LABEL",
        "kind",
    ]
    assert entities["method"][4] == "Method alias"
    assert entities["method"][7] == "Method"
    assert ARRAY_DELIMITER in entities["method"][5]  # names: several spellings
    assert read_csv(folder / "mentions.header.csv")[0] == [
        ":START_ID(Paper)",
        ":END_ID(Entity)",
        "count:int",
        "evidence",
        "surfaces:string[]",
        "section",
        "start:int",
        "end:int",
        "via:string[]",
        "kind",
    ]
    assert read_csv(folder / "mentions.csv")[0] == [
        "p1",
        "method",
        "2",
        "We propose PPO-X.",
        "PPO-X",
        "abstract",
        "11",
        "16",
        "",
        "named",
    ]
    assert read_csv(folder / "has_code.csv") == [
        ["p1", "https://github.com/o/r", "Code: github.com/o/r."]
    ]
    assert read_csv(folder / "affiliated_with.csv") == [["p1", "organization"]]
    assert read_csv(folder / "authors.header.csv") == [["key:ID(Author)", "name"]]
    assert read_csv(folder / "written_by.csv") == [
        ["p1", "ada lovelace", "1"],
        ["p1", "alan turing", "2"],
    ]
    assert files.counts() == {
        "Paper": 2,
        "Entity": 6,
        "Repository": 1,
        "MENTIONS": 3,
        "PROPOSES": 1,
        "AFFILIATED_WITH": 1,
        "HAS_CODE": 1,
        "Author": 2,
        "WRITTEN_BY": 2,
        "VARIANT_OF": 0,
    }
    assert files.command.startswith("neo4j-admin database import full neo4j \\\n")
    assert f"--nodes=Paper={folder.resolve()}/papers.header.csv,{folder.resolve()}/papers.csv" in (
        files.command
    )
    assert "--array-delimiter=U+001F --multiline-fields=true" in files.command


def test_array_values_cannot_smuggle_a_delimiter() -> None:
    graph = tiny_graph()
    graph.entities["method"] = replace(graph.entities["method"], aliases=(f"a{ARRAY_DELIMITER}b",))
    entities = next(t for t in import_tables(graph) if t.name == "Entity")
    row = next(r for r in entities.rows if r[0] == "method")
    assert row[4] == "a b"


def test_export_neo4j_import_prints_the_command(sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "import"
    result = CliRunner().invoke(cli, ["export", "neo4j-import", str(out), "--db", str(sample_db)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("neo4j-admin database import full neo4j")
    assert f"--relationships=MENTIONS={out.resolve()}/mentions.header.csv," in result.stdout
    assert "Wrote 20 CSV files" in result.stderr
    assert not list(out.glob(".*.tmp")), "a temporary file was left behind"
    assert len(read_csv(out / "papers.csv")) == 24


# -- connection errors, without a server -----------------------------------------------------


def test_an_unreachable_server_is_one_line_naming_the_uri_not_the_password() -> None:
    with pytest.raises(StoreError) as info:
        Neo4jStore("bolt://127.0.0.1:1", password=PASSWORD, connection_timeout=2)
    message = str(info.value)
    assert message.startswith("Cannot reach Neo4j at bolt://127.0.0.1:1 (")
    assert "NEO4J_URI" in message and "\n" not in message
    assert PASSWORD not in message


def test_a_bad_uri_is_refused_before_connecting() -> None:
    with pytest.raises(StoreError, match="Bad Neo4j URI 'localhost:7687': the scheme must be"):
        Neo4jStore("localhost:7687", password=PASSWORD)


def test_the_password_is_not_kept_or_shown() -> None:
    store = Neo4jStore("bolt://127.0.0.1:1", user="alice", password=PASSWORD, verify=False)
    try:
        assert repr(store) == "Neo4jStore(uri='bolt://127.0.0.1:1', user='alice', database=None)"
        assert PASSWORD not in repr(vars(store))
    finally:
        store.close()


@pytest.mark.parametrize("command", [["push", "--from", "{db}"], ["load", "{page}"]])
def test_cli_reports_an_unreachable_neo4j_in_one_line(
    command: list[str], sample_db: Path, tmp_path: Path
) -> None:
    from .conftest import SAMPLE

    args = [a.format(db=sample_db, page=SAMPLE) for a in command]
    env = {"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": PASSWORD}
    result = CliRunner().invoke(cli, args, env=env)
    assert result.exit_code == 1, result.output
    assert result.stderr.splitlines()[-1].startswith(
        "Error: Cannot reach Neo4j at bolt://127.0.0.1:1"
    )
    assert PASSWORD not in result.output


def test_cli_asks_for_a_password_only_on_a_terminal() -> None:
    env = {"NEO4J_URI": "bolt://127.0.0.1:1", "NEO4J_PASSWORD": None}
    result = CliRunner().invoke(cli, ["push", "--from", "missing.db"], env=env)
    assert result.exit_code == 1
    assert "missing.db: no such database" in result.stderr
    result = CliRunner().invoke(cli, ["load", "x.txt"], env=env)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: No password for Neo4j at bolt://127.0.0.1:1: "
        "set NEO4J_PASSWORD (or pass --password).\n"
    )


# -- a live server -----------------------------------------------------------------------------

live = pytest.mark.skipif(
    not os.environ.get("NEO4J_URI"),
    reason="NEO4J_URI is not set: no Neo4j server to test against (these tests wipe its database)",
)


@pytest.fixture()
def neo4j():  # type: ignore[no-untyped-def]
    store = Neo4jStore(
        os.environ["NEO4J_URI"],
        user=os.environ.get("NEO4J_USERNAME", "neo4j"),
        password=os.environ.get("NEO4J_PASSWORD", ""),
        database=os.environ.get("NEO4J_DATABASE"),
    )
    store.run("MATCH (n) DETACH DELETE n")
    yield store
    store.close()


def counts(store) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    return (
        store.run("MATCH (n) RETURN count(n)").rows[0][0],
        store.run("MATCH ()-[r]->() RETURN count(r)").rows[0][0],
    )


@pytest.mark.neo4j
@live
def test_neo4j_holds_what_the_embedded_store_holds(neo4j, sample_db: Path, sample_graph) -> None:  # type: ignore[no-untyped-def]
    stats = write_graph(neo4j, sample_graph, batch_size=50)
    assert stats.rows["write_papers"] == 24
    with FalkorStore(sample_db) as embedded:
        assert counts(neo4j) == counts(embedded)
        for query in list_queries():
            params = bind_params(query, SAMPLE_ARGS.get(query.name, {}))
            assert neo4j.run(query.text, params).rows == embedded.run(query.text, params).rows, (
                query.name
            )


@pytest.mark.neo4j
@live
def test_neo4j_reruns_change_nothing_and_send_nothing(neo4j, sample_graph) -> None:  # type: ignore[no-untyped-def]
    write_graph(neo4j, sample_graph)
    before = counts(neo4j)
    again = write_graph(neo4j, sample_graph)
    assert again.rows == {} and again.papers_unchanged == 24
    write_graph(neo4j, sample_graph, incremental=False)
    assert counts(neo4j) == before
    constraints = {r[0] for r in neo4j.run("SHOW CONSTRAINTS YIELD name RETURN name").rows}
    assert {"paper_id", "entity_key", "repository_url", "author_key"} <= constraints
    indexes = {r[0] for r in neo4j.run("SHOW FULLTEXT INDEXES YIELD name RETURN name").rows}
    assert "entity_names" in indexes


@pytest.mark.neo4j
@live
@pytest.mark.parametrize("evil", INJECTIONS)
def test_neo4j_stores_injection_strings_as_plain_values(neo4j, evil: str) -> None:  # type: ignore[no-untyped-def]
    write_graph(neo4j, Graph([Paper(id="safe", title="Safe", abstract="Safe.")], {}, [], [], []))
    entity = Entity(key=evil, canonical=evil, name=evil, type=EntityType.METHOD, aliases=(evil,))
    write_graph(
        neo4j, Graph([Paper(id=evil, title=evil, abstract=evil)], {evil: entity}, [], [], [])
    )
    assert neo4j.run("MATCH (p:Paper) RETURN count(p)").rows == [[2]]
    assert neo4j.run("MATCH (p:Paper {id: $id}) RETURN p.title", {"id": evil}).rows == [[evil]]
    assert neo4j.run("MATCH (e:Entity:Method) RETURN e.canonical").rows == [[evil]]
    assert neo4j.run("MATCH (p:Paper {id: 'safe'}) RETURN p.title").rows == [["Safe"]]


@pytest.mark.neo4j
@live
def test_kg_push_copies_the_embedded_graph(neo4j, sample_db: Path) -> None:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(cli, ["push", "--from", str(sample_db)])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Pushed 24 papers, ")
    with FalkorStore(sample_db) as embedded:
        assert counts(neo4j) == counts(embedded)
    again = CliRunner().invoke(cli, ["push", "--from", str(sample_db)])
    assert "(24 unchanged, not sent again)" in again.stdout
