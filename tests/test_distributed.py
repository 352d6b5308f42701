"""kg extract --engine dask on a LocalCluster: the same Parquet rows, then a build from them."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import KgError
from kg.extract.cache import ExtractionCache, extractor_version
from kg.extract.dask import extract_on_dask
from kg.extract.workers import extract_all
from kg.readers.ingest import read_papers

from .conftest import SAMPLE

distributed = pytest.importorskip("distributed")


@pytest.fixture(scope="module")
def scheduler() -> Iterator[str]:
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, dashboard_address=":0"
    ) as cluster:
        yield cluster.scheduler_address


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.output


def test_dask_writes_the_rows_local_extraction_writes(tmp_path: Path, scheduler: str) -> None:
    common = ["--no-ner", "--cache", str(tmp_path / "dask")]
    output = invoke(
        "extract", str(SAMPLE), *common, "--engine", "dask", "--scheduler", scheduler,
        "--partition-size", "5",
    )  # fmt: skip
    assert "Extracted 24 papers in 5 partitions on 2 Dask worker(s); 0 already in" in output
    papers = list(read_papers(SAMPLE))
    version = extractor_version(ner=False)
    dask_cache = ExtractionCache(tmp_path / "dask", version)
    local_cache = ExtractionCache(tmp_path / "local", version)
    list(extract_all(papers, ner=False, cache=local_cache))
    keys = dask_cache.keys()
    assert len(keys) == 24
    assert dask_cache.lookup(keys) == local_cache.lookup(keys)
    again = invoke("extract", str(SAMPLE), *common, "--engine", "dask", "--scheduler", scheduler)
    assert "Extracted 0 papers in 0 partitions" in again and "24 already in" in again
    # A build from the Dask results extracts nothing.
    built = invoke("build", str(SAMPLE), "--db", str(tmp_path / "kg.db"), *common)
    assert "Extracted 0 papers; 24 taken from the cache" in built


def test_workers_of_another_extractor_are_refused(tmp_path: Path, scheduler: str) -> None:
    cache = ExtractionCache(tmp_path, "not-this-version")
    with pytest.raises(KgError, match="Dask workers run another extractor"):
        extract_on_dask(read_papers(SAMPLE), cache, scheduler=scheduler, ner=False)


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path: Path) -> None:
    cache = ExtractionCache(tmp_path, extractor_version(ner=False))
    with pytest.raises(KgError, match=r"Cannot reach the Dask scheduler at tcp://127\.0\.0\.1:9 "):
        extract_on_dask([], cache, scheduler="tcp://127.0.0.1:9", ner=False, timeout=1)
