"""The overrides file: forced merges, splits, types and ignores (#5)."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import InputError
from kg.extract import extract
from kg.link import link
from kg.link.overrides import load_overrides, parse_overrides
from kg.models import EntityType, Paper
from kg.readers.ids import paper_id


def papers(*abstracts: str) -> list[Paper]:
    return [
        Paper(id=paper_id(f"Paper {i}"), title=f"Paper {i}", abstract=a)
        for i, a in enumerate(abstracts)
    ]


def names(graph) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return sorted((e.canonical, e.type.value) for e in graph.entities.values())


ABSTRACTS = (
    "We propose Gradient Echo Sampling (GES) and compare with Proximal Policy Optimization.",
    "Unlike GES and the LoCoMo benchmark, our method uses PPO-style updates.",
)


def test_without_overrides(nlp) -> None:  # type: ignore[no-untyped-def]
    assert names(link(extract(nlp, papers(*ABSTRACTS)))) == [
        ("Gradient Echo Sampling", "Method"),
        ("LoCoMo", "Dataset"),
        ("Proximal Policy Optimization", "Method"),
    ]


def test_ignore_merge_split_and_types(nlp) -> None:  # type: ignore[no-untyped-def]
    overrides = parse_overrides(
        'ignore = ["LoCoMo"]\nsplit = ["GES"]\n'
        '[merge]\n"Gradient Echo Sampling" = "PPO"\n'
        '[types]\n"Proximal Policy Optimization" = "Model"\n'
    )
    graph = link(extract(nlp, papers(*ABSTRACTS)), overrides=overrides)
    assert names(graph) == [("Proximal Policy Optimization", "Model")]
    # The merged acronym's bare use in the second paper is not linked: GES is split.
    first = graph.papers[0].id
    assert sorted((m.paper_id == first, m.surfaces) for m in graph.mentions) == [
        (False, ("PPO",)),
        (True, ("GES", "Gradient Echo Sampling", "Proximal Policy Optimization")),
    ]


def test_split_keeps_a_bare_acronym_apart(nlp) -> None:  # type: ignore[no-untyped-def]
    graph = link(extract(nlp, papers(*ABSTRACTS)), overrides=parse_overrides('split = ["GES"]'))
    second = graph.papers[1].id
    assert "gradient echo sampling" not in {m.key for m in graph.mentions if m.paper_id == second}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ignore = [", "not valid TOML"),
        ('ignore = "x"', "ignore must be a list of names"),
        ("[merge]\nA = 1", "[merge] must map names to names"),
        ('[types]\nA = "Gadget"', "types: 'Gadget' for 'A' is not one of Method, Dataset"),
        ('merges = ["x"]', "unknown setting(s) merges; expected ignore, split, merge, types"),
    ],
)
def test_mistakes_are_named(text: str, message: str) -> None:
    with pytest.raises(InputError, match=r"^x\.toml: ") as info:
        parse_overrides(text, source="x.toml")
    assert message in str(info.value)


def test_build_reads_the_overrides_file(tmp_path: Path) -> None:
    page = tmp_path / "papers.jsonl"
    page.write_text(
        '{"title": "A paper", "abstract": "We use the LoCoMo benchmark and PPO."}\n', "utf-8"
    )
    overrides = tmp_path / "kg.toml"
    overrides.write_text('[types]\nLoCoMo = "Metric"\n', "utf-8")
    assert load_overrides(overrides).types == {"locomo": EntityType.METRIC}
    db = tmp_path / "kg.db"
    args = ["build", str(page), "--db", str(db), "--no-ner", "--overrides", str(overrides)]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    query = ["query", "top_entities", "-p", "type", "Metric", "--db", str(db), "--json"]
    result = CliRunner().invoke(cli, query)
    assert result.exit_code == 0, result.output
    assert "LoCoMo" in result.stdout


def test_missing_overrides_file_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["build", "x.txt", "--overrides", str(tmp_path / "no.toml")])
    assert result.exit_code == 2
    assert "no.toml" in result.stderr
