"""notebooks/explore.ipynb runs top to bottom in a fresh kernel and is committed without outputs."""

import json
import sys
from pathlib import Path
from typing import Any

import nbformat
import pytest
from nbclient import NotebookClient

from .conftest import ROOT, SHARED

NOTEBOOK = ROOT / "notebooks" / "explore.ipynb"
# The day of Daily Papers records the notebook adds when the shared data is there (for GRPO).
GRPO_DAY = SHARED / "corpus" / "hf-daily-papers" / "papers" / "2026-02-12"


def test_committed_notebook_has_no_outputs() -> None:
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code
    for cell in code:
        assert cell.outputs == [], f"outputs left in a cell:\n{cell.source[:200]}"
        assert cell.execution_count is None, f"execution count left in:\n{cell.source[:200]}"


@pytest.fixture(scope="module")
def executed(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The notebook run in a kernel of this very Python (whatever kernels the user has)."""
    jupyter = tmp_path_factory.mktemp("jupyter")
    spec = jupyter / "kernels" / "kg-test" / "kernel.json"
    spec.parent.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    spec.write_text(json.dumps({"argv": argv, "display_name": "kg", "language": "python"}))
    notebook = nbformat.read(NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook,
        timeout=300,
        kernel_name="kg-test",
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JUPYTER_PATH", str(jupyter))  # searched before the user's own kernels
        client.execute()  # raises CellExecutionError, with the cell and traceback, on any error
    return notebook


def output_of(notebook: Any, snippet: str) -> str:
    """Everything the code cell containing ``snippet`` printed or displayed, as text/HTML."""
    cells = [c for c in notebook.cells if c.cell_type == "code" and snippet in c.source]
    assert len(cells) == 1, f"{len(cells)} cells contain {snippet!r}"
    parts = []
    for output in cells[0].outputs:
        parts.append(output.get("text", ""))
        parts += [output.get("data", {}).get(kind, "") for kind in ("text/plain", "text/html")]
    return "\n".join(parts)


def assert_rows(output: str) -> None:
    assert "<table" in output, output[:500]
    assert "Empty DataFrame" not in output, output[:500]


def test_notebook_runs_top_to_bottom(executed: Any) -> None:
    inputs = 2 if GRPO_DAY.is_dir() else 1
    assert f"entities from {inputs} input(s)" in output_of(executed, "build_from(inputs, store)")
    counts = output_of(executed, "UNWIND labels(n)")
    for name in ("Paper", "Entity", "MENTIONS", "PROPOSES"):
        assert name in counts
    # The answers depend on the extractor; each must be a table with rows, not an error.
    for snippet in ('"shared_by_papers"', '"shared_entities"', 'type="Dataset"'):
        assert_rows(output_of(executed, snippet))
    view = output_of(executed, "write_html(")
    assert "<iframe srcdoc=" in view and "vis-network" in view
    assert "shared entities, most papers first" in output_of(executed, "louvain_communities")
    assert "betweenness" in output_of(executed, "betweenness_centrality")


@pytest.mark.skipif(not GRPO_DAY.is_dir(), reason=f"{GRPO_DAY} is not there (shared data)")
def test_notebook_answers_the_grpo_question(executed: Any) -> None:
    grpo = output_of(executed, 'name="GRPO"')
    assert grpo.count("<table") == 2  # co-mentioned entities, then the papers with evidence
    assert_rows(grpo)


def test_notebook_cleans_up(executed: Any) -> None:
    removed = output_of(executed, "shutil.rmtree(WORK)").strip()
    assert removed.startswith("removed ")
    work = Path(removed.removeprefix("removed "))
    assert work.name.startswith("kg-notebook-") and not work.exists()
    assert [*NOTEBOOK.parent.glob("*.db"), *NOTEBOOK.parent.glob("*.html")] == []
