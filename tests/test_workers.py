"""Extraction in worker processes gives the graph one process gives, on real abstracts."""

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.extract import extract
from kg.extract.workers import extract_parallel
from kg.link import link
from kg.readers.ingest import read_papers

from .conftest import SAMPLE, SHARED

ACML = SHARED / "corpus" / "paperlists" / "acml" / "acml2017.json.gz"


@pytest.mark.skipif(not ACML.exists(), reason=f"shared corpus not found at {ACML}")
def test_two_workers_give_the_graph_of_one(full_nlp) -> None:  # type: ignore[no-untyped-def]
    papers = [*read_papers(SAMPLE), *read_papers(ACML, errors=[])]
    one = list(extract(full_nlp, papers))
    two = list(extract_parallel(papers, workers=2, chunk_size=16))
    assert [e.paper for e in two] == papers
    assert two == one
    assert link(two) == link(one)
    assert sum(len(e.mentions) for e in one) > 500


def test_build_with_workers_stores_what_one_worker_stores(tmp_path: Path) -> None:
    outputs = []
    for workers in ("1", "2"):
        db = tmp_path / f"{workers}.db"
        result = CliRunner().invoke(
            cli, ["build", str(SAMPLE), "--db", str(db), "--no-cache", "--workers", workers]
        )
        assert result.exit_code == 0, result.output
        outputs.append(result.output.replace(str(db), "DB"))
    assert outputs[0] == outputs[1]
    assert re.search(r"Stored 24 papers, [1-9]\d+ entities", outputs[1]), outputs[1]
