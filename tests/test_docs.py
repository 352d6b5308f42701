"""The README's generated sections match the code, so the documentation cannot go stale."""

import ast
import importlib.util
import re
import subprocess
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import pytest

from kg.store import ENTITY_LABELS, graph_rows

from .conftest import ROOT
from .test_neo4j import tiny_graph

README = ROOT / "README.md"
STALE = "README.md is stale: run .venv/bin/python scripts/cli_reference.py and commit the result"


@pytest.fixture(scope="module")
def cli_reference() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "cli_reference", ROOT / "scripts" / "cli_reference.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_generated_sections_are_current(cli_reference: ModuleType) -> None:
    text = README.read_text(encoding="utf-8")
    assert cli_reference.update_sections(text) == text, STALE


@pytest.mark.slow
def test_readme_command_outputs_are_what_the_commands_print(cli_reference: ModuleType) -> None:
    """Runs every ``<!-- run`` block of the README (about 45 s) and compares the output."""
    text = README.read_text(encoding="utf-8")
    blocks = cli_reference.RUN.findall(text)
    assert len(blocks) >= 5
    assert any("kg build examples/daily_papers_page.txt" in block[1] for block in blocks)
    assert cli_reference.update_runs(text) == text, STALE


def test_command_reference_covers_every_command(cli_reference: ModuleType) -> None:
    text = README.read_text(encoding="utf-8")
    names = [" ".join(path) for path, _ in cli_reference.commands()]
    assert {"kg", "kg build", "kg query", "kg export html", "kg entities show"} <= set(names)
    for name in names:
        assert f"<summary><code>{name}</code></summary>" in text, f"{name}: {STALE}"


def test_a_changed_help_text_makes_the_readme_stale(cli_reference: ModuleType) -> None:
    text = README.read_text(encoding="utf-8")
    edited = text.replace("Stop at the first malformed record.", "Stop early.", 1)
    assert edited != text
    assert cli_reference.update_sections(edited) == text


def test_cypher_index_lists_every_read_query_file() -> None:
    """Checked against the files themselves, not through the code that writes the index."""
    text = README.read_text(encoding="utf-8")
    index = text[text.index("<!-- cypher-index:start") : text.index("<!-- cypher-index:end")]
    # cypher/*.cypher are the queries for people; kg's own statements are in cypher/internal.
    read = sorted(p.stem for p in (ROOT / "cypher").glob("*.cypher"))
    assert read, "no read queries found in cypher/"
    listed = re.findall(r"\[`(\w+)`\]\(cypher/\1\.cypher\)", index)
    assert listed == read
    for name in read:
        header = (ROOT / "cypher" / f"{name}.cypher").read_text(encoding="utf-8").splitlines()[0]
        assert header.lstrip("/ ").rstrip() in index, f"{name}: {STALE}"


def test_graph_drawing_names_everything_the_writes_create() -> None:
    """Labels, relationship types and properties of cypher/internal/write_*.cypher are drawn."""
    text = README.read_text(encoding="utf-8")
    drawing = text[text.index("```mermaid") :]
    drawing = drawing[: drawing.index("```\n", 3)]
    writes = "\n".join(
        line
        for path in sorted((ROOT / "cypher" / "internal").glob("write_*.cypher"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if not line.startswith("//")
    )
    labels = set(re.findall(r"\(\w+:(\w+)", writes)) | set(ENTITY_LABELS)
    relationships = set(re.findall(r"\[\w*:(\w+)\]", writes))
    properties = set(re.findall(r"\b[a-z]\.(\w+)\s*=", writes))  # SET x.prop = ...
    properties |= set(re.findall(r"\{(\w+): row\.", writes))  # MERGE (x:L {prop: row.…})
    properties |= set(graph_rows(tiny_graph())["write_papers"][0]["props"])  # SET p += row.props
    assert {"Paper", "Entity", "Author", "Repository"} <= labels
    assert {"MENTIONS", "PROPOSES", "VARIANT_OF", "WRITTEN_BY"} <= relationships
    assert {"evidence", "content_hash", "title"} <= properties
    words = set(re.findall(r"\w+", drawing))
    missing = sorted((labels | relationships | properties) - words)
    assert not missing, f"the README's graph drawing lacks {missing}"


def test_readme_python_example_runs(tmp_path: Path) -> None:
    text = README.read_text(encoding="utf-8")
    section = text[text.index("## Using kg from Python") :]
    code = section[section.index("```python\n") + 10 : section.index("```\n", 10)]
    (tmp_path / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    rows = ast.literal_eval(result.stdout.strip())
    assert len(rows) == 5 and all(isinstance(row[0], str) for row in rows)
    assert (tmp_path / "kg.db").is_file()


def test_contributing_lists_every_benchmark_and_marker() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for script in sorted((ROOT / "benchmarks").glob("*.py")):
        assert f"`benchmarks/{script.name}" in text, f"CONTRIBUTING.md: add {script.name}"
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    markers = [m.split(":")[0] for m in config["tool"]["pytest"]["ini_options"]["markers"]]
    assert {"neo4j", "slow"} <= set(markers)
    for marker in markers:
        assert f"| `{marker}` |" in text, f"CONTRIBUTING.md: add the {marker!r} marker"


def test_changelog_keeps_a_changelog() -> None:
    """https://keepachangelog.com/en/1.1.0/: versions newest first, known section names."""
    lines = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# Changelog"
    versions = [line for line in lines if line.startswith("## ")]
    assert versions[0] == "## [Unreleased]"
    for version in versions[1:]:
        assert re.fullmatch(r"## \[\d+\.\d+\.\d+\] - \d{4}-\d{2}-\d{2}", version), version
    kinds = {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}
    seen: set[str] = set()
    for line in lines[1:]:
        if line.startswith("## "):
            seen = set()
        elif line.startswith("### "):
            kind = line.removeprefix("### ")
            assert kind in kinds, f"CHANGELOG.md: unknown section {line!r}"
            assert kind not in seen, f"CHANGELOG.md: two {line!r} sections in one version"
            seen.add(kind)
        elif line.startswith("#"):
            raise AssertionError(f"CHANGELOG.md: unexpected heading {line!r}")
