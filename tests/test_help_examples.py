"""Every Example line of every command's --help works when copy-pasted on the sample it
builds (examples/daily_papers_page.txt): it exits 0 and finds what it names."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kg.cli import cli

from .conftest import ROOT

# Example lines that cannot run offline on the sample's kg.db, each with the reason.
SKIPPED = {
    "NEO4J_PASSWORD=... kg build examples/daily_papers_page.txt --neo4j": "needs a Neo4j server",
    "export NEO4J_URI=neo4j://localhost:7687 NEO4J_PASSWORD=...": "sets up a Neo4j server",
    "kg load examples/daily_papers_page.txt --database papers": "needs a Neo4j server",
    "NEO4J_URI=neo4j://db.example.org:7687 NEO4J_PASSWORD=... kg push --from kg.db": (
        "needs a Neo4j server"
    ),
    "kg extract papers.json --engine dask --scheduler tcp://head:8786 --cache /shared/kg": (
        "needs a Dask cluster"
    ),
    "kg fetch hf-daily --date 2026-02-25": "downloads (tests/test_fetch.py uses a local server)",
    "kg fetch hf-daily --date 2026-02-25 --cache kg-cache": "downloads",
    'kg fetch arxiv --query "all:reranker" --max 200': "downloads",
    'kg update $(kg fetch arxiv --query "cat:cs.CL AND ti:reranker" --max 50) --db kg.db': (
        "downloads"
    ),
    "kg update kg-cache/hf-daily/2026-02-25.json --db kg.db": (
        "reads the file `kg fetch hf-daily --date 2026-02-25` downloads"
    ),
}
# `kg eval` scores gold annotations, not the sample's graph (tests/test_evaluate.py runs it).
SKIPPED_COMMANDS = {"kg eval": "scores gold files outside the sample"}


def help_examples(command: click.Command = cli, path: str = "kg") -> list[tuple[str, str]]:
    """(command path, example line) for the Example block of every command's help."""
    found: list[tuple[str, str]] = []
    lines = (command.help or "").splitlines()
    starts = [i for i, line in enumerate(lines) if line.strip() == "Example:"]
    for line in lines[starts[0] + 1 :] if starts else []:
        if not line.strip():
            break
        found.append((path, line.strip()))
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            found += help_examples(sub, f"{path} {name}")
    return found


EXAMPLES = help_examples()
# Each line once (the group's help repeats some of its commands').
RUN = list(
    dict.fromkeys(
        line
        for path, line in EXAMPLES
        if line not in SKIPPED and not any(path.startswith(c) for c in SKIPPED_COMMANDS)
    )
)


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder where the examples run: examples/ and the sample's graph in kg.db."""
    folder = tmp_path_factory.mktemp("examples")
    (folder / "examples").symlink_to(ROOT / "examples")
    result = subprocess.run(
        [sys.executable, "-m", "kg", "build", "examples/daily_papers_page.txt", "--db", "kg.db"],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr
    return folder


def test_every_command_has_examples_and_every_skip_is_one_of_them() -> None:
    lines = [line for _, line in EXAMPLES]
    assert len(RUN) >= 15
    assert not set(SKIPPED) - set(lines), "a skipped example no help shows any more"
    assert all(re.match(r"(\w+=\S+ )*kg |export ", line) for line in lines), lines


@pytest.mark.parametrize("line", RUN)
def test_help_example_works_on_the_sample(
    line: str, sample: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("KG_DB", "KG_CACHE", "KG_OVERRIDES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(sample)
    if "|" in line:  # a pipe: the shell runs it, with this kg first on PATH
        bin_dir = Path(sys.executable).parent
        env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
        result = subprocess.run(
            ["bash", "-c", line], capture_output=True, text=True, timeout=600, env=env
        )
        status, output, errors = result.returncode, result.stdout, result.stderr
        assert "Traceback" not in errors, errors
    else:
        args = shlex.split(line)
        assert args[0] == "kg"
        invoked = CliRunner().invoke(cli, args[1:])
        status, output, errors = invoked.exit_code, invoked.stdout, invoked.stderr
        assert invoked.exception is None or isinstance(invoked.exception, SystemExit), errors
    assert status == 0, f"{line}: {errors}{output}"
    # What it prints: rows, an entity, a file with nodes.
    assert output.strip(), f"{line} printed nothing"
    assert "(no rows)" not in output, f"{line}: {output}"
    assert not re.search(r"\b0 nodes\b", output), f"{line}: {output}"
    if line.startswith("kg entities show "):
        name = shlex.split(line)[3]
        assert output.startswith(f"{name}  ["), output
    if line.startswith("kg export ") and "neo4j-import" not in line:
        out = sample / shlex.split(line)[3]
        assert out.exists() and (out.is_dir() or out.stat().st_size > 0)
