"""`kg entities show`: how an entity was formed, read back from the store (#5)."""

import json
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli
from kg.entities import describe_entities
from kg.extract import PaperExtraction, extract
from kg.link import link
from kg.link.overrides import parse_overrides
from kg.models import EntityType, Graph, Mention, Paper
from kg.names import name_key
from kg.readers.ids import paper_id
from kg.store import FalkorStore, write_graph
from kg.store.neo4j_import import ARRAY_DELIMITER, import_tables
from kg.store.transfer import read_stored_graph


def test_an_acronym_finds_its_entity_with_spellings_and_papers(store) -> None:  # type: ignore[no-untyped-def]
    (report,) = describe_entities(store, "test-time training")
    assert (report.key, report.canonical, report.name, report.type, report.aliases) == (
        "test time training",
        "Test-time training",
        "TTT",
        "Method",
        ("TTT",),
    )
    assert report.spellings == ["TTT", "Test-time training"]
    assert [(p["title"], p["count"]) for p in report.papers] == [
        ("Test-Time Training with KV Binding Is Secretly Linear Attention", 6)
    ]
    assert describe_entities(store, "TTT") == [report]


def test_show_prints_variants_as_json(sample_db: Path) -> None:
    args = ["entities", "show", "Nemotron-Terminal-8B", "--db", str(sample_db), "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)
    assert report["variants"] == [
        {
            "link": "variant of",
            "name": "Nemotron-Terminal",
            "key": "nemotron terminal",
            "reason": "size",
        }
    ]


def test_show_prints_the_parent_and_its_variants(sample_db: Path) -> None:
    result = CliRunner().invoke(
        cli, ["entities", "show", "Nemotron-Terminal", "--db", str(sample_db)]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:5] == [
        "Nemotron-Terminal  [Model, named]  Nemotron-Terminal  "
        "(key: nemotron terminal; 1 paper(s))",
        "  also called: -",
        "  spelled in papers: Nemotron-Terminal",
        "  formed by: -",
        "  has variant: Nemotron-Terminal-14B (size), Nemotron-Terminal-32B (size), "
        "Nemotron-Terminal-8B (size)",
    ]


def test_unknown_name_is_an_error(sample_db: Path) -> None:
    result = CliRunner().invoke(cli, ["entities", "show", "No Such Thing", "--db", str(sample_db)])
    assert result.exit_code == 1
    assert "no entity goes by 'No Such Thing'" in result.stderr


def formed_graph(nlp) -> Graph:  # type: ignore[no-untyped-def]
    """GES defined in one paper, used bare in another, spelled apart in a third, defined
    again in a fourth (a bare 3-letter acronym takes a meaning three papers give), and a
    fifth paper's "Gradient Echo Sampler" merged in by the overrides file."""
    texts = [
        "We propose Gradient Echo Sampling (GES) for fast training.",
        "Unlike GES, our sampler needs no warm-up.",
        "Gradient-Echo Sampling (GES) is slow on graphs.",
        "We extend Gradient Echo Sampling (GES) to text.",
        "The Gradient Echo Sampler is our baseline.",
    ]
    papers = [Paper(paper_id(f"P{i}"), f"P{i}", t) for i, t in enumerate(texts)]
    extractions = list(extract(nlp, papers[:4]))
    last = papers[4]
    start = last.abstract.index("Gradient Echo Sampler")
    sampler = Mention(
        last.id,
        "Gradient Echo Sampler",
        EntityType.METHOD,
        "Gradient Echo Sampler",
        start,
        start + 21,
        last.abstract,
        rule="ner",
    )
    extractions.append(PaperExtraction(last, [sampler], []))
    overrides = parse_overrides('[merge]\n"Gradient Echo Sampler" = "GES"')
    return link(extractions, overrides=overrides)


def test_merge_reasons_are_stored_and_read_back(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    graph = formed_graph(nlp)
    with FalkorStore(tmp_path / "kg.db") as store:
        write_graph(store, graph)
        (report,) = describe_entities(store, "GES")
        stored = read_stored_graph(store)
    assert report.formed == (
        "acronym GES = Gradient Echo Sampling",
        "corpus acronym GES",
        "override merge: Gradient Echo Sampler",
        "spelling: Gradient-Echo Sampling",
    )
    via = {p["paper"]: p["via"] for p in report.papers}
    assert via == {
        paper_id("P0"): ["acronym"],
        paper_id("P1"): ["corpus-acronym"],
        paper_id("P2"): ["acronym"],
        paper_id("P3"): ["acronym"],
        paper_id("P4"): ["ner", "override"],
    }
    key = name_key("Gradient Echo Sampling")
    assert stored.entities[key].formed == graph.entities[key].formed == report.formed
    assert {m.via for m in stored.mentions if m.key == key} == {
        m.via for m in graph.mentions if m.key == key
    }


def test_show_prints_how_an_entity_was_formed(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    db = tmp_path / "kg.db"
    with FalkorStore(db) as store:
        write_graph(store, formed_graph(nlp))
    result = CliRunner().invoke(cli, ["entities", "show", "GES", "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    at = lines.index("  formed by:")
    assert lines[at + 1 : at + 3] == [
        "    acronym GES = Gradient Echo Sampling",
        "    corpus acronym GES",
    ]
    assert "ner, override" in result.stdout  # the via column of the fourth paper
    as_json = CliRunner().invoke(cli, ["entities", "show", "GES", "--db", str(db), "--json"])
    (report,) = json.loads(as_json.stdout)
    assert "override merge: Gradient Echo Sampler" in report["formed"]
    assert ["ner", "override"] in [p["via"] for p in report["papers"]]


def test_neo4j_import_files_carry_the_merge_reasons(nlp) -> None:  # type: ignore[no-untyped-def]
    graph = formed_graph(nlp)
    tables = {t.name: t for t in import_tables(graph)}
    entities, mentions = tables["Entity"], tables["MENTIONS"]
    formed = entities.header.index("formed:string[]")
    key = name_key("Gradient Echo Sampling")
    (row,) = [r for r in entities.rows if r[0] == key]
    assert row[formed].split(ARRAY_DELIMITER) == list(graph.entities[key].formed)
    via = mentions.header.index("via:string[]")
    assert (
        sorted(r[via] for r in mentions.rows if r[1] == key)[-1] == f"ner{ARRAY_DELIMITER}override"
    )


def test_show_lists_every_entity_answering_to_a_name(nlp, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """Three entities go by GT: two meanings and the ambiguous bare acronym (#18)."""
    import subprocess
    import sys

    texts = [
        *["We compare predictions with the ground truth (GT) labels."] * 3,
        *["We model the auction with game theory (GT)."] * 2,
        "Unlike the GT-based baseline, ours needs no labels.",
    ]
    papers = [Paper(paper_id(f"P{i}"), f"P{i}", t) for i, t in enumerate(texts)]
    db = tmp_path / "kg.db"
    with FalkorStore(db) as store:
        write_graph(store, link(extract(nlp, papers)))
    kg = [sys.executable, "-m", "kg", "entities", "show", "GT", "--db", str(db)]
    shown = subprocess.run(kg, capture_output=True, text=True, check=True).stdout.splitlines()
    assert shown[:4] == [
        "3 entities go by 'GT', most papers first:",
        "  ground truth  [Method, named]  3 paper(s)  ground truth  "
        "formed by: acronym GT = ground truth",
        "  game theory  [Method, named]  2 paper(s)  game theory  "
        "formed by: acronym GT = game theory",
        "  GT  [Method, ambiguous]  1 paper(s)  GT  formed by: ambiguous acronym GT: no dominant "
        "meaning among ground truth (3); game theory (2)",
    ]
    assert "GT  [Method, ambiguous]  GT  (key: gt; 1 paper(s))" in shown
    as_json = subprocess.run([*kg, "--json"], capture_output=True, text=True, check=True).stdout
    assert [(r["key"], r["kind"], r["paper_count"]) for r in json.loads(as_json)] == [
        ("ground truth", "named", 3),
        ("game theory", "named", 2),
        ("gt", "ambiguous", 1),
    ]
