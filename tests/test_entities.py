"""`kg entities show`: how an entity was formed, read back from the store (#5)."""

import json
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli
from kg.entities import describe_entities


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
    assert result.stdout.splitlines()[:4] == [
        "Nemotron-Terminal  [Model]  Nemotron-Terminal  (key: nemotron terminal)",
        "  also called: -",
        "  spelled in papers: Nemotron-Terminal",
        "  has variant: Nemotron-Terminal-14B (size), Nemotron-Terminal-32B (size), "
        "Nemotron-Terminal-8B (size)",
    ]


def test_unknown_name_is_an_error(sample_db: Path) -> None:
    result = CliRunner().invoke(cli, ["entities", "show", "No Such Thing", "--db", str(sample_db)])
    assert result.exit_code == 1
    assert "no entity goes by 'No Such Thing'" in result.stderr
