"""The Cypher library: every query parses its header, binds parameters and runs."""

from collections import defaultdict
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import QueryError
from kg.query import bind_params, list_queries, load_internal, load_query

from .conftest import ROOT

# Arguments that make each read query return rows on the sample page.
SAMPLE_ARGS = {
    "papers_mentioning": {"name": "Test-time training"},
    "co_mentioned": {"name": "BEIR"},
    "shared_entities": {"a": "title:24f9d8e550270b24", "b": "title:5c2eebaa81e259e3"},
    "top_entities": {"type": "Dataset"},
    "overlapping_pairs": {},
    "proposed_entities": {},
    "shared_by_papers": {},
}
READ_QUERIES = [q.name for q in list_queries()]


def test_library_has_the_documented_read_queries() -> None:
    assert set(SAMPLE_ARGS) <= set(READ_QUERIES)
    for query in list_queries(include_internal=True):
        assert query.description, f"{query.name}.cypher has no header comment"


def test_the_statements_kg_runs_itself_are_in_their_own_folder() -> None:
    internal = sorted(p.stem for p in (ROOT / "cypher" / "internal").glob("*.cypher"))
    people = sorted(p.stem for p in (ROOT / "cypher").glob("*.cypher"))
    assert people == READ_QUERIES
    everything = list_queries(include_internal=True)
    assert [q.name for q in everything if q.internal] == internal
    assert [q.name for q in everything if not q.internal] == people
    assert {"write_papers", "prune_orphan_entities", "stats_labels", "count_nodes"} <= set(internal)
    assert not set(internal) & set(people)
    statement = load_internal("write_papers")
    assert statement.internal
    assert statement.text == (ROOT / "cypher/internal/write_papers.cypher").read_text("utf-8")


def test_an_internal_statement_is_not_a_query_to_run() -> None:
    with pytest.raises(QueryError, match=r"'write_papers' is a statement kg runs itself"):
        load_query("write_papers")
    with pytest.raises(QueryError, match="no internal statement named 'papers_mentioning'"):
        load_internal("papers_mentioning")
    with pytest.raises(QueryError, match="bad query name"):
        load_query("internal/write_papers")


def test_kg_query_refuses_an_internal_statement_in_one_line(sample_db: Path) -> None:
    result = CliRunner().invoke(cli, ["query", "write_papers", "--db", str(sample_db)])
    assert result.exit_code == 1, result.output
    assert result.stderr == (
        "Error: 'write_papers' is a statement kg runs itself "
        "(cypher/internal/write_papers.cypher), not a query to run by hand; "
        "`kg query --list` shows the queries you can run\n"
    )
    assert result.stdout == ""


@pytest.mark.parametrize("name", READ_QUERIES)
def test_every_read_query_runs_and_answers(store, name: str) -> None:  # type: ignore[no-untyped-def]
    query = load_query(name)
    result = store.run(query.text, bind_params(query, SAMPLE_ARGS.get(name, {})))
    assert result.columns
    assert result.rows, f"{name} returned no rows on the sample page"


def test_papers_mentioning_finds_an_entity_by_any_alias(store) -> None:  # type: ignore[no-untyped-def]
    query = load_query("papers_mentioning")
    for name in ("TTT", "test-time training", "Test-Time Training"):
        rows = store.run(query.text, bind_params(query, {"name": name})).records()
        assert [r["title"] for r in rows] == [
            "Test-Time Training with KV Binding Is Secretly Linear Attention"
        ], name


def test_overlapping_pairs_lists_what_papers_share(store) -> None:  # type: ignore[no-untyped-def]
    query = load_query("overlapping_pairs")
    rows = store.run(query.text, bind_params(query, {"kind": "all"})).records()
    top = rows[0]
    assert top["overlap"] == len(top["shared"]) >= 2
    assert top["paper_a"] < top["paper_b"]


def test_shared_entities_of_two_papers(store) -> None:  # type: ignore[no-untyped-def]
    query = load_query("shared_entities")
    rows = store.run(query.text, bind_params(query, SAMPLE_ARGS["shared_entities"])).records()
    assert "BEIR" in {r["entity"] for r in rows}


def test_shared_by_papers_lists_each_entity_with_the_papers_naming_it(  # type: ignore[no-untyped-def]
    store, sample_graph
) -> None:
    papers_of = defaultdict(set)
    for m in sample_graph.mentions:
        papers_of[m.key].add(m.paper_id)
    methods = sorted(  # a list, not a dict: two entities may share a name (RL)
        (sample_graph.entities[key].name, sorted(ids))
        for key, ids in papers_of.items()
        if len(ids) >= 2 and sample_graph.entities[key].type == "Method"
    )
    assert methods, "the sample page should have methods named by two papers"
    query = load_query("shared_by_papers")
    params = {"type": "Method", "kind": "all", "limit": "1000"}
    rows = store.run(query.text, bind_params(query, params)).records()
    assert sorted((r["entity"], sorted(r["paper_ids"])) for r in rows) == methods
    assert all(r["papers"] == len(r["paper_ids"]) == len(r["titles"]) for r in rows)
    assert [r["papers"] for r in rows] == sorted((r["papers"] for r in rows), reverse=True)
    most = max(len(ids) for ids in papers_of.values())  # a filter that leaves some out
    assert most >= 2
    params = {"min_papers": str(most), "kind": "all", "limit": "1000"}
    rows = store.run(query.text, bind_params(query, params)).records()
    assert rows
    names = {sample_graph.entities[k].name for k, ids in papers_of.items() if len(ids) >= most}
    assert {r["entity"] for r in rows} == names


def test_parameters_are_typed_and_checked() -> None:
    query = load_query("top_entities")
    assert bind_params(query, {"limit": "3"}) == {"type": "", "kind": "named", "limit": 3}
    with pytest.raises(QueryError, match="must be int"):
        bind_params(query, {"limit": "ten"})
    with pytest.raises(QueryError, match="no parameter 'lmit'"):
        bind_params(query, {"lmit": "3"})
    with pytest.raises(QueryError, match="needs -p name"):
        bind_params(load_query("papers_mentioning"), {})


def test_a_limit_out_of_range_is_an_error_not_zero_rows() -> None:
    query = load_query("top_entities")
    assert bind_params(query, {"limit": str(2**31 - 1)})["limit"] == 2**31 - 1
    for raw in (str(2**32), str(2**31), "-1", str(2**63)):
        with pytest.raises(QueryError, match=r"'limit'.*between 0 and 2147483647"):
            bind_params(query, {"limit": raw})


def test_query_names_cannot_reach_outside_the_library() -> None:
    with pytest.raises(QueryError, match="bad query name"):
        load_query("../pyproject")
    with pytest.raises(QueryError, match="no query named 'nope'"):
        load_query("nope")


def test_injection_through_a_parameter_is_just_a_value(store) -> None:  # type: ignore[no-untyped-def]
    before = store.run("MATCH (n) RETURN count(n)").rows
    query = load_query("papers_mentioning")
    for evil in ("') DETACH DELETE n //", "x' OR 1=1 //", "`) MATCH (n) DETACH DELETE n //"):
        assert store.run(query.text, bind_params(query, {"name": evil})).rows == []
    assert store.run("MATCH (n) RETURN count(n)").rows == before
