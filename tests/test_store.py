"""The embedded FalkorDB store: idempotent writes, persistence, injection, stale servers."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.errors import StoreError
from kg.models import Entity, EntityType, Graph, Paper, PaperEntity
from kg.query import schema_statements
from kg.store import FalkorStore, write_graph
from kg.store.base import graph_rows, write_statements


def counts(store: FalkorStore) -> tuple[int, int]:
    nodes = store.run("MATCH (n) RETURN count(n)").rows[0][0]
    rels = store.run("MATCH ()-[r]->() RETURN count(r)").rows[0][0]
    return nodes, rels


def test_sample_graph_holds_papers_entities_and_repositories(store, sample_graph) -> None:  # type: ignore[no-untyped-def]
    papers = store.run("MATCH (p:Paper) RETURN count(p)").rows[0][0]
    assert papers == 24
    titles = {r[0] for r in store.run("MATCH (p:Paper) RETURN p.title").rows}
    assert "PyVision-RL: Forging Open Agentic Vision Models via RL" in titles
    repos = {
        r[0] for r in store.run("MATCH (:Paper)-[:HAS_CODE]->(r:Repository) RETURN r.url").rows
    }
    assert {
        "https://github.com/hanxiangqin/omni-col-press",
        "https://github.com/ZDCSlab/PETS",
        "https://github.com/cxcscmu/General-AgentBench",
        "https://github.com/david3684/flm",
        "https://github.com/google-deepmind/superhuman",
    } <= repos
    # Acronym-linked entity: one node with its long form and its acronym.
    rows = store.run(
        "MATCH (e:Entity:Dataset) WHERE 'CHAIN' IN e.aliases RETURN e.canonical, e.name"
    ).rows
    assert rows == [["Causal Hierarchy of Actions and Interactions", "CHAIN"]]
    labels = {r[0] for r in store.run("MATCH (n) UNWIND labels(n) AS l RETURN DISTINCT l").rows}
    assert {"Paper", "Entity", "Method", "Dataset", "Model", "Organization", "Repository"} <= labels
    rels = {r[0] for r in store.run("MATCH ()-[r]->() RETURN DISTINCT type(r)").rows}
    assert rels == {"MENTIONS", "PROPOSES", "AFFILIATED_WITH", "HAS_CODE", "VARIANT_OF"}


def test_every_entity_has_exactly_one_type_label(store) -> None:  # type: ignore[no-untyped-def]
    rows = store.run("MATCH (e:Entity) RETURN e.type, labels(e)").rows
    for type_, labels in rows:
        assert sorted(labels) == sorted(["Entity", type_])


def test_rewriting_the_same_graph_changes_nothing(tmp_path: Path, sample_graph: Graph) -> None:
    with FalkorStore(tmp_path / "kg.db") as store:
        write_graph(store, sample_graph, batch_size=7)
        first = counts(store)
        snapshot = store.run(
            "MATCH (p:Paper)-[m:MENTIONS]->(e:Entity) RETURN p.id, e.key, m.count, m.evidence "
            "ORDER BY p.id, e.key"
        ).rows
        write_graph(store, sample_graph, batch_size=1000)
        assert counts(store) == first
        assert (
            store.run(
                "MATCH (p:Paper)-[m:MENTIONS]->(e:Entity) RETURN p.id, e.key, m.count, m.evidence "
                "ORDER BY p.id, e.key"
            ).rows
            == snapshot
        )


def test_graph_persists_after_close(tmp_path: Path, sample_graph: Graph) -> None:
    path = tmp_path / "kg.db"
    with FalkorStore(path) as store:
        write_graph(store, sample_graph)
        before = counts(store)
    assert path.stat().st_size > 0
    assert not Path(f"{path}.settings").exists(), "the embedded server was not shut down"
    with FalkorStore(path) as store:
        assert counts(store) == before


def test_links_a_paper_no_longer_has_are_pruned(tmp_path: Path, sample_graph: Graph) -> None:
    with FalkorStore(tmp_path / "kg.db") as store:
        write_graph(store, sample_graph)
        first_paper = sample_graph.papers[0].id
        dropped = {m.key for m in sample_graph.mentions if m.paper_id == first_paper}
        smaller = Graph(
            sample_graph.papers,
            sample_graph.entities,
            [m for m in sample_graph.mentions if m.paper_id != first_paper],
            sample_graph.affiliations,
            sample_graph.repositories,
        )
        write_graph(store, smaller)
        left = store.run(
            "MATCH (p:Paper {id: $id})-[:MENTIONS]->(e) RETURN count(e)", {"id": first_paper}
        ).rows[0][0]
        assert dropped and left == 0


INJECTIONS = [
    "') DETACH DELETE n //",
    "x'}) MATCH (n) DETACH DELETE n //",
    "`) MATCH (n) DETACH DELETE n //",
    'a" OR 1=1 //',
    "<script>alert('x')</script>",
]


@pytest.mark.parametrize("evil", INJECTIONS)
def test_injection_strings_are_stored_as_plain_values(tmp_path: Path, evil: str) -> None:
    paper = Paper(id=evil, title=evil, abstract=evil)
    entity = Entity(key=evil, canonical=evil, name=evil, type=EntityType.METHOD, aliases=(evil,))
    graph = Graph([Paper(id="safe", title="Safe", abstract="Safe.")], {}, [], [], [])
    with FalkorStore(tmp_path / "kg.db") as store:
        write_graph(store, graph)
        link = PaperEntity(evil, evil, 1, evil, (evil,), "abstract", 0, 1, True)
        write_graph(store, Graph([paper], {entity.key: entity}, [link], [], []))
        assert store.run("MATCH (p:Paper) RETURN count(p)").rows[0][0] == 2
        assert store.run("MATCH (:Paper)-[m:MENTIONS]->() RETURN m.evidence").rows == [[evil]]
        assert store.run("MATCH (p:Paper {id: $id}) RETURN p.title", {"id": evil}).rows == [[evil]]
        assert store.run("MATCH (e:Entity) RETURN e.canonical").rows == [[evil]]
        assert store.run("MATCH (p:Paper {id: 'safe'}) RETURN p.title").rows == [["Safe"]]


def test_rows_carry_values_only_as_parameters(sample_graph: Graph) -> None:
    rows = graph_rows(sample_graph)
    assert set(rows) >= {"write_papers", "write_entities", "write_mentions", "write_repositories"}
    assert len(rows["write_papers"]) == 24
    json.dumps(rows)  # plain data, ready to send as $rows


def test_not_a_database_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("my notes")
    with pytest.raises(StoreError, match="not a kg database"):
        FalkorStore(path)
    assert path.read_text() == "my notes"


def test_server_left_by_a_killed_process_is_adopted_and_stopped(tmp_path: Path) -> None:
    """A SIGKILLed kg leaves its redis-server running; the next open must not leak it."""
    path = tmp_path / "kg.db"
    script = (
        "import os, signal, sys\n"
        "from kg.store import FalkorStore\n"
        "s = FalkorStore(sys.argv[1])\n"
        "s.run(\"CREATE (:Paper {id: 'x'})\")\n"
        "s.save()\n"
        "os.kill(os.getpid(), signal.SIGKILL)\n"
    )
    subprocess.run([sys.executable, "-c", script, str(path)], check=False, timeout=60)
    settings = Path(f"{path}.settings")
    assert settings.exists(), "expected the killed process to leave its server record"
    pid = int(Path(json.loads(settings.read_text())["pidfile"]).read_text())
    with FalkorStore(path) as store:
        assert store.run("MATCH (p:Paper) RETURN p.id").rows == [["x"]]
    assert not settings.exists()
    with pytest.raises(ProcessLookupError):
        for _ in range(50):
            os.kill(pid, 0)
            import time

            time.sleep(0.1)


def test_stale_record_of_a_dead_server_is_cleared(tmp_path: Path) -> None:
    path = tmp_path / "kg.db"
    pidfile = tmp_path / "redis.pid"
    pidfile.write_text("999999")
    Path(f"{path}.settings").write_text(json.dumps({"pidfile": str(pidfile)}))
    with FalkorStore(path) as store:
        store.run("CREATE (:Paper {id: 'y'})")
        assert store.run("MATCH (p:Paper) RETURN count(p)").rows == [[1]]


def test_building_on_more_papers_leaves_no_stale_entity(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    """An entity whose key changes as the corpus grows must not stay behind as a duplicate.

    Alone, the first paper's bare ``ZQT`` is its own entity; once three more papers define
    it, it joins ``Zonal Query Transformer`` and the old node must go.
    """
    from kg.extract import extract
    from kg.link import link

    first = Paper(id="p1", title="One", abstract="We compare against the ZQT-style baseline.")
    # Three papers define it: a bare acronym of 3 letters takes a meaning three papers give.
    second, third, fourth = (
        Paper(id=f"p{i}", title=t, abstract=f"We {v} the Zonal Query Transformer (ZQT).")
        for i, t, v in ((2, "Two", "propose"), (3, "Three", "use"), (4, "Four", "extend"))
    )
    path = tmp_path / "kg.db"
    with FalkorStore(path) as store:
        write_graph(store, link(extract(nlp, [first])))
        assert store.run("MATCH (e:Entity) RETURN e.key").rows == [["zqt"]]
        write_graph(store, link(extract(nlp, [first, second, third, fourth])))
        keys = {r[0] for r in store.run("MATCH (e:Entity) RETURN e.key").rows}
    with FalkorStore(tmp_path / "fresh.db") as fresh:
        write_graph(fresh, link(extract(nlp, [first, second, third, fourth])))
        fresh_keys = {r[0] for r in fresh.run("MATCH (e:Entity) RETURN e.key").rows}
    assert keys == fresh_keys
    assert "zqt" not in keys


def test_a_batch_size_below_one_is_a_store_error(store, sample_graph) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(StoreError) as raised:
        write_graph(store, sample_graph, batch_size=0)
    assert str(raised.value) == (
        "cannot write in batches of 0 rows: the batch size must be 1 or more (--batch-size)"
    )


def test_an_entity_of_an_unknown_type_is_a_store_error() -> None:
    from .test_neo4j import tiny_graph

    rows = graph_rows(tiny_graph())
    rows["write_entities"][0]["type"] = "Robot"
    key = rows["write_entities"][0]["key"]
    with pytest.raises(StoreError) as raised:
        list(write_statements(rows))
    assert str(raised.value) == (
        f"cannot label entity {key!r}: its type 'Robot' is not one of "
        "Method, Dataset, Model, Task, Metric, Organization; "
        "give it one of these (kg.models.EntityType)"
    )


def test_the_indexes_come_from_cypher_falkor_schema(tmp_path: Path) -> None:
    assert schema_statements("falkor") == [
        "CREATE INDEX FOR (p:Paper) ON (p.id)",
        "CREATE INDEX FOR (e:Entity) ON (e.key)",
        "CREATE INDEX FOR (r:Repository) ON (r.url)",
        "CREATE INDEX FOR (a:Author) ON (a.key)",
    ]
    with FalkorStore(tmp_path / "kg.db") as store:
        store.ensure_schema()
        store.ensure_schema()  # an index that exists already is skipped
        indexes = store.run(
            "CALL db.indexes() YIELD label, properties RETURN label, properties ORDER BY label"
        ).rows
    assert indexes == [
        ["Author", ["key"]],
        ["Entity", ["key"]],
        ["Paper", ["id"]],
        ["Repository", ["url"]],
    ]
