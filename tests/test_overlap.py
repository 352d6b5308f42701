"""Overlap weighted by specificity (#18): papers built by `kg build`, pairs by the idf they share.

The corpus (tests/data/concept_pairs.json, our own wording) holds the three pairs a reader
of a Daily Papers page sees sharing a concept: two bimanual manipulation papers (written
``bimanual dexterous manipulation`` and ``bimanual robotic manipulation``), two diffusion
policy papers, and a UniGRPO paper with a GRPO-style one. Every paper also says
``accuracy``, and most say ``robustness``, ``learning`` or ``LLM``: those join nothing.
"""

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from kg.export import ViewSpec, build_view, read_graph
from kg.store import FalkorStore

from .conftest import ROOT

CORPUS = ROOT / "tests" / "data" / "concept_pairs.json"
PAIRS = {
    frozenset(
        {
            "Learning Bimanual Dexterous Manipulation from Human Videos",
            "Two Arms, One Plan: Keypoint Affordances for Bimanual Robotic Manipulation",
        }
    ): "bimanual manipulation",
    frozenset(
        {
            "Consistency Distillation Makes Diffusion Policies Fast",
            "Force-Aware Assembly with Diffusion Policies",
        }
    ): "Diffusion Policy",
    frozenset(
        {
            "UniGRPO: Reinforcement Learning for Unified Image and Text Generation",
            "Search Agents that Learn to Verify",
        }
    ): "GRPO",
}
GENERIC = {"accuracy", "robustness", "learning", "LLM", "large language model"}


def kg(*args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("overlap") / "kg.db"
    kg("build", str(CORPUS), "--db", str(path))
    return path


def pairs(db: Path, **params: str) -> list[dict[str, object]]:
    result = kg(
        "query",
        "overlapping_pairs",
        "--db",
        str(db),
        "--json",
        "-p",
        "limit",
        "50",
        *(x for item in params.items() for x in ("-p", *item)),
    )
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_the_pairs_a_reader_sees_rank_first_and_accuracy_joins_nothing(db: Path) -> None:
    rows = pairs(db)
    top = [frozenset({r["title_a"], r["title_b"]}) for r in rows[:3]]
    assert set(top) == set(PAIRS), rows
    for row in rows[:3]:
        assert PAIRS[frozenset({row["title_a"], row["title_b"]})] in row["shared"]  # type: ignore[operator]
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)  # type: ignore[type-var]
    for row in rows:
        assert not set(row["shared"]) & GENERIC, row  # type: ignore[arg-type]
        assert row["overlap"] == len(row["shared"]) == len(row["why"])  # type: ignore[arg-type]


def test_why_says_how_each_pair_shares_what_it_shares(db: Path) -> None:
    why = {frozenset({r["title_a"], r["title_b"]}): r["why"] for r in pairs(db)}
    grpo, bimanual, diffusion = (
        why[pair]
        for name in ("GRPO", "bimanual manipulation", "Diffusion Policy")
        for pair, shared in PAIRS.items()
        if shared == name
    )
    # UniGRPO is a variant of GRPO; the other paper names it only as GRPO-style: half weight.
    assert grpo == ["GRPO (variant: UniGRPO; GRPO-style, x0.5)"]
    # Neither paper says "bimanual manipulation": their phrases reach it, at full weight.
    assert len(bimanual) == 1 and bimanual[0].startswith("bimanual manipulation (concept: ")
    assert "x0." not in bimanual[0] and "dexterous" in bimanual[0].casefold()
    assert diffusion == ["Diffusion Policy"]


def test_scores_are_the_idf_the_pair_shares(db: Path) -> None:
    rows = {frozenset({r["title_a"], r["title_b"]}): r["score"] for r in pairs(db)}
    by_name = {name: rows[pair] for pair, name in PAIRS.items()}
    two_of_twelve = math.log(12 / 2)
    assert by_name["bimanual manipulation"] == pytest.approx(two_of_twelve)
    assert by_name["Diffusion Policy"] == pytest.approx(two_of_twelve)
    assert by_name["GRPO"] == pytest.approx(two_of_twelve * 0.5)
    weighted = pairs(db, variant_weight="0.25")
    grpo = next(r for r in weighted if r["shared"] == ["GRPO"])
    assert grpo["score"] == pytest.approx(two_of_twelve * 0.25)
    assert grpo["why"] == ["GRPO (variant: UniGRPO; GRPO-style, x0.25)"]


def test_entities_carry_papers_idf_and_specific(db: Path) -> None:
    with FalkorStore(db) as store:
        rows = store.run("MATCH (e:Entity) RETURN e.name, e.papers, e.idf, e.specific").rows
    stored = {name: (papers, idf, specific) for name, papers, idf, specific in rows}
    assert stored["accuracy"][0] >= 10 and stored["accuracy"][2] is False
    assert stored["robustness"][2] is False  # in the generic list, whatever the corpus size
    papers, idf, specific = stored["bimanual manipulation"]
    assert (papers, specific) == (2, True) and idf == pytest.approx(math.log(6))
    # GRPO counts the UniGRPO paper: one mentions it, the other its variant.
    assert stored["GRPO"][:2] == (2, pytest.approx(math.log(6)))
    assert all(specific is False for papers, _, specific in stored.values() if papers == 1)


@pytest.mark.parametrize("command", ["build", "update"])
def test_a_grown_corpus_keeps_every_idf_right(tmp_path: Path, command: str) -> None:
    """Entities no new paper mentions are not written again, but their idf still changes."""
    records = json.loads(CORPUS.read_text("utf-8"))
    first, last = tmp_path / "first.json", tmp_path / "last.json"
    first.write_text(json.dumps(records[:-1]), "utf-8")
    last.write_text(json.dumps(records[-1:]), "utf-8")
    db = tmp_path / "kg.db"
    kg("build", str(first), "--db", str(db))
    query = "MATCH (e:Entity {name: 'bimanual manipulation'}) RETURN e.papers, e.idf"
    with FalkorStore(db) as store:
        assert store.run(query).rows == [[2, pytest.approx(math.log(11 / 2))]]
    kg(command, str(CORPUS if command == "build" else last), "--db", str(db))
    with FalkorStore(db) as store:
        assert store.run(query).rows == [[2, pytest.approx(math.log(12 / 2))]]
        total = store.run("MATCH (p:Paper) RETURN count(p)").rows[0][0]
        accuracy = store.run("MATCH (e:Entity {key: 'accuracy'})<-[:MENTIONS]-(p) RETURN count(p)")
        stored = store.run("MATCH (e:Entity {key: 'accuracy'}) RETURN e.papers, e.idf").rows[0]
    assert total == 12
    assert stored == [accuracy.rows[0][0], pytest.approx(math.log(12 / accuracy.rows[0][0]))]


def test_the_overlap_view_weighs_links_by_the_idf_shared(db: Path) -> None:
    with FalkorStore(db) as store:
        graph = read_graph(store)
    view, _ = build_view(graph, ViewSpec(view="overlap", kind="all"))
    edges = sorted(view.edges(data=True), key=lambda e: -e[2]["weight"])
    titles = {node: graph.nodes[node].get("title") for node in view}
    top = {frozenset({titles[a], titles[b]}) for a, b, _ in edges[:2]}
    assert top == {p for p, name in PAIRS.items() if name != "GRPO"}  # GRPO needs the variant
    for _, _, data in edges:
        assert not set(data["shared"]) & GENERIC
        assert data["overlap"] == len(data["shared"])
        assert "the sum of their idf" in data["title"]
    assert edges[0][2]["weight"] == pytest.approx(math.log(6), abs=1e-3)


def test_entities_show_explains_a_concept_key(db: Path) -> None:
    shown = kg("entities", "show", "bimanual manipulation", "--db", str(db)).stdout
    assert "concept key of 4 phrase(s): " in shown  # the title's phrase too
    assert "Bimanual dexterous manipulation" in shown and "bimanual robotic manipulation" in shown
    assert shown.count("concept ") >= 2  # each paper's link says it came by its concept key


def test_two_records_with_one_abstract_are_no_pair(tmp_path: Path) -> None:
    """A source that copied one abstract under another title (25 pairs among the 51k
    conference papers) would otherwise top the ranking: the copy shares everything."""
    records = json.loads(CORPUS.read_text("utf-8"))
    copy = {**records[0], "id": "copied", "title": "A Different Paper Whose Abstract Was Lost"}
    corpus = tmp_path / "copied.json"
    corpus.write_text(json.dumps([*records, copy]), "utf-8")
    db = tmp_path / "kg.db"
    kg("build", str(corpus), "--db", str(db))
    found = {frozenset({r["title_a"], r["title_b"]}) for r in pairs(db)}
    assert frozenset({records[0]["title"], copy["title"]}) not in found
    assert set(PAIRS) <= found  # the copy still pairs with the papers it overlaps
