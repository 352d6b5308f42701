"""The kg command end to end: build, re-build, query, export, stats, and its errors."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli

from .conftest import SAMPLE


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli")
    result = run(
        "build", str(SAMPLE), "--db", str(folder / "kg.db"), "--html", str(folder / "kg.html")
    )
    assert result.returncode == 0, result.stderr
    assert "Read 24 papers" in result.stderr
    assert "Stored 24 papers" in result.stdout
    return folder


def graph_counts(db: Path) -> tuple[int, int]:
    from kg.store import FalkorStore

    with FalkorStore(db) as store:
        return (
            store.run("MATCH (n) RETURN count(n)").rows[0][0],
            store.run("MATCH ()-[r]->() RETURN count(r)").rows[0][0],
        )


def test_second_build_leaves_counts_unchanged(built: Path) -> None:
    before = graph_counts(built / "kg.db")
    result = run("build", str(SAMPLE), "--db", str(built / "kg.db"))
    assert result.returncode == 0, result.stderr
    assert graph_counts(built / "kg.db") == before


def test_html_view_is_offline_and_holds_the_nodes(built: Path) -> None:
    html = (built / "kg.html").read_text()
    assert not re.search(r"<(script|link)[^>]+(src|href)=", html), "loads something from outside"
    nodes = json.loads(re.search(r"new vis\.DataSet\((\[.*?\])\);", html).group(1))  # type: ignore[union-attr]
    labels = {n["label"] for n in nodes}
    # The default view: papers and the entities they name, coloured by type.
    assert len(nodes) > 24
    assert "CHAIN" in labels and "TTT" in labels
    # Colours are ours (the legend's), not vis-network's group palette.
    from kg.export import TYPE_COLOURS

    assert {n["color"] for n in nodes} <= set(TYPE_COLOURS.values())
    assert not any("group" in n for n in nodes)
    assert any(label.startswith("PyVision-RL") for label in labels)
    assert "</span>Paper (24)" in html, "legend lacks the papers"
    for kind in ("Method", "Dataset", "Model"):
        assert f"</span>{kind} (" in html, f"legend lacks {kind}"


def test_export_html_command(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "view.html"
    result = run("export", "html", str(out), "--db", str(built / "kg.db"))
    assert result.returncode == 0, result.stderr
    assert out.stat().st_size > 100_000  # vis-network is embedded


def test_query_prints_a_table_and_json(built: Path) -> None:
    db = str(built / "kg.db")
    table = run("query", "papers_mentioning", "-p", "name", "CHAIN", "--db", db)
    assert table.returncode == 0, table.stderr
    assert "From Perception to Action" in table.stdout
    as_json = run(
        "query", "top_entities", "-p", "type", "Dataset", "-p", "limit", "3", "--json", "--db", db
    )
    rows = json.loads(as_json.stdout)
    assert len(rows) == 3 and all(r["type"] == "Dataset" for r in rows)


def test_query_list_shows_descriptions_and_parameters() -> None:
    result = CliRunner().invoke(cli, ["query", "--list"])
    assert result.exit_code == 0
    assert "papers_mentioning" in result.output and "-p name STRING" in result.output
    assert "write_papers" not in result.output


def test_stats(built: Path) -> None:
    result = run("stats", "--db", str(built / "kg.db"))
    assert result.returncode == 0, result.stderr
    assert re.search(r"^Paper\s+24$", result.stdout, re.M)
    assert "MENTIONS" in result.stdout and "HAS_CODE" in result.stdout


def test_extract_json_lines() -> None:
    result = CliRunner().invoke(cli, ["extract", str(SAMPLE), "--json"])
    assert result.exit_code == 0
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert {"paper_id", "text", "type", "canonical", "start", "end", "proposed"} <= set(records[0])
    assert any(r["type"] == "Repository" for r in records)
    assert any(r["proposed"] for r in records)


def test_malformed_blocks_are_warned_and_good_papers_stored(tmp_path: Path) -> None:
    text = SAMPLE.read_text() + "\n\nA Dangling Title With No Abstract\n"
    page = tmp_path / "page.txt"
    page.write_text(text)
    result = run("build", str(page), "--db", str(tmp_path / "kg.db"))
    assert result.returncode == 0, result.stderr
    line = text.splitlines().index("A Dangling Title With No Abstract") + 1
    assert (
        f"warning: {page}:{line}: paper 'A Dangling Title With No Abstract' is truncated"
        in result.stderr
    )
    assert "Stored 24 papers" in result.stdout
    strict = run("build", str(page), "--db", str(tmp_path / "strict.db"), "--strict")
    assert strict.returncode == 1
    assert not (tmp_path / "strict.db").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "file is empty"),
        (b"\x00\x01\x02binary", "binary file"),
        (b"just some notes\n", "unrecognised format"),
    ],
)
def test_bad_input_is_one_clear_line(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "input.txt"
    path.write_bytes(content)
    result = run("build", str(path), "--db", str(tmp_path / "kg.db"))
    assert result.returncode == 1
    errors = result.stderr.strip().splitlines()
    assert len(errors) == 1 and errors[0].startswith(f"Error: {path}") and message in errors[0]


def test_query_errors_are_one_clear_line(built: Path, tmp_path: Path) -> None:
    missing = run("query", "papers_mentioning", "--db", str(built / "kg.db"))
    assert missing.returncode == 1 and "needs -p name" in missing.stderr
    no_db = run("query", "top_entities", "--db", str(tmp_path / "none.db"))
    assert no_db.returncode == 1 and "no such database" in no_db.stderr


def test_a_stale_ner_model_is_one_clear_line(tmp_path: Path) -> None:
    """A model trained with other features names its folder and the fix, without a traceback."""
    import shutil

    from kg.extract.pipeline import NER_PATH

    model = tmp_path / "ner"
    shutil.copytree(str(NER_PATH), model)
    cfg = model / "kg_ner" / "cfg"
    cfg.write_text(cfg.read_text("utf-8").replace('"templates"', '"templates_old"'), "utf-8")
    # The shipped model's folder is the one setting to change: the run is otherwise real.
    code = (
        "import sys, pathlib, importlib; p = importlib.import_module('kg.extract.pipeline'); "
        "p.NER_PATH = pathlib.Path(sys.argv[1]); sys.argv = ['kg', 'extract', sys.argv[2]]; "
        "from kg.cli import main; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(model), str(SAMPLE)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("Error")]
    assert errors == [
        f"Error: {model / 'kg_ner'}: this NER model was trained with other features "
        "(None feature templates; this kg uses 26). Retrain it (training/train.sh), "
        "or run with --no-ner"
    ]
    assert "Traceback" not in result.stderr


def all_commands() -> list[list[str]]:
    commands = []
    for name, command in cli.commands.items():
        sub = getattr(command, "commands", None)
        if sub:
            commands += [[name, s] for s in sub]
        commands.append([name])
    return commands


@pytest.mark.parametrize("command", all_commands(), ids=" ".join)
def test_every_command_has_help_with_an_example(command: list[str]) -> None:
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    assert "Example:" in result.output
