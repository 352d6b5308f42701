"""Every Cypher file is valid Neo4j 5 Cypher, as Neo4j's own language support sees it.

The linter is ``tools/cypher-lint`` (``@neo4j-cypher/language-support`` pinned in its
``package-lock.json``), installed with ``npm ci`` on first use and run with node.
"""

import shutil
import subprocess
from pathlib import Path

import pytest

from kg.models import EntityType
from kg.store.base import graph_rows, write_statements

from .conftest import ROOT
from .test_neo4j import tiny_graph

LINT = ROOT / "tools" / "cypher-lint"
CYPHER_FILES = sorted((ROOT / "cypher").rglob("*.cypher"))


@pytest.fixture(scope="module")
def linter() -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("node and npm are needed to lint Cypher with @neo4j-cypher/language-support")
    if not (LINT / "node_modules" / "@neo4j-cypher" / "language-support").is_dir():
        result = subprocess.run(
            [npm, "ci", "--prefix", str(LINT), "--no-audit", "--no-fund"],
            capture_output=True,
            text=True,
            timeout=600,
        )
        assert result.returncode == 0, f"npm ci failed:\n{result.stdout}\n{result.stderr}"
    return LINT / "lint.mjs"


def lint(linter: Path, *files: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", str(linter), *map(str, files)], capture_output=True, text=True, timeout=120
    )


def test_every_cypher_file_is_valid_neo4j_5(linter: Path) -> None:
    assert len(CYPHER_FILES) >= 20
    assert ROOT / "cypher" / "neo4j" / "schema.cypher" in CYPHER_FILES
    internal = sorted((ROOT / "cypher" / "internal").glob("*.cypher"))
    assert ROOT / "cypher" / "internal" / "write_papers.cypher" in internal
    assert set(internal) <= set(CYPHER_FILES)
    result = lint(linter, *CYPHER_FILES)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout == ""
    assert f"Linted {len(CYPHER_FILES)} Cypher file(s) as CYPHER 5: 0 problem(s)." in result.stderr


def test_statements_built_in_code_are_valid_too(linter: Path, tmp_path: Path) -> None:
    """The type-label statements name their label in the text; lint each distinct one."""
    texts = {text for _, text, _ in write_statements(graph_rows(tiny_graph()), batch_size=1)}
    label_texts = {t for t in texts if "REMOVE e:" in t}
    assert len(label_texts) == len(EntityType)
    files = []
    for i, text in enumerate(sorted(texts)):
        path = tmp_path / f"statement_{i}.cypher"
        path.write_text("// $rows: []\n// $keys: []\n" + text)
        files.append(path)
    result = lint(linter, *files)
    assert result.returncode == 0, result.stdout


@pytest.mark.parametrize(
    ("snippet", "problem"),
    [
        ("MATCH (n:Paper RETURN n", "error: Invalid input 'RETURN'"),
        ("MATCH (p:Paper) RETURN q", "error: Variable `q` not defined"),
        ("MATCH (p:Paper) WHERE exists(p.title) RETURN p", "error: The property existence syntax"),
        ("MATCH (p:Paper) RETURN id(p)", "warning: The query used a deprecated function"),
        (
            "CREATE CONSTRAINT ON (p:Paper) ASSERT p.id IS UNIQUE",
            "error: Invalid constraint syntax",
        ),
        ("MATCH (p:Paper {id: $id}) RETURN p", "error: Parameter $id is not defined"),
    ],
)
def test_the_linter_catches(linter: Path, tmp_path: Path, snippet: str, problem: str) -> None:
    path = tmp_path / "bad.cypher"
    path.write_text("// A deliberately bad query.\n" + snippet + "\n")
    result = lint(linter, path)
    assert result.returncode == 1
    assert result.stdout.startswith(f"{path}:2:"), result.stdout
    assert problem in result.stdout


def test_declared_parameters_are_accepted(linter: Path, tmp_path: Path) -> None:
    path = tmp_path / "ok.cypher"
    path.write_text(
        "// Fine.\n// @param id string  a paper id\nMATCH (p:Paper {id: $id}) RETURN p\n"
    )
    assert lint(linter, path).returncode == 0
