"""kg/build.py: one pipeline for `kg build`, `kg update` and Python, so one input, one graph."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg import build_from, open_store
from kg.build import extract_papers, read_inputs, rejected_path
from kg.cli import cli
from kg.errors import InputError, KgError

from .conftest import ROOT, SAMPLE
from .dumps import describe_difference, dump_db

DATA = ROOT / "tests" / "data"
# The sample page, Daily Papers records of which two are on it (merged as duplicates), and
# a BibTeX file with malformed entries (rejected): every step of reading shapes the graph.
INPUTS = [str(SAMPLE), str(DATA / "hf_daily_api.json"), str(DATA / "papers.bib")]


def invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args))
    assert result.exit_code == 0, result.output
    return result.stderr


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The inputs through `kg build`, with its extraction cache in ``cache/``."""
    folder = tmp_path_factory.mktemp("built")
    invoke("build", *INPUTS, "--db", str(folder / "kg.db"), "--cache", str(folder / "cache"))
    return folder


def test_read_inputs_merges_duplicates_and_collects_rejected_records(tmp_path: Path) -> None:
    rejected = tmp_path / "rejected.jsonl"
    read = read_inputs(INPUTS, rejected=rejected)
    assert (read.merged, read.inputs) == (2, 3)
    assert len(read.papers) == read.records - 2 == len({paper.id for paper in read.papers})
    # Both records of the Daily Papers file are on the sample page: no new paper.
    assert len(read_inputs(INPUTS[:2]).papers) == len(read_inputs(INPUTS[:1]).papers)
    lines = rejected.read_text("utf-8").splitlines()
    assert len(lines) == len(read.problems) > 0
    assert {json.loads(line)["source"] for line in lines} == {str(DATA / "papers.bib")}


def test_read_inputs_strict_stops_at_the_first_malformed_record() -> None:
    with pytest.raises(InputError, match=r"papers\.bib"):
        read_inputs(INPUTS, strict=True)


def test_read_inputs_stops_after_limit_records() -> None:
    read = read_inputs(INPUTS, limit=5)
    assert (len(read.papers), read.records) == (5, 5)


def test_update_into_an_empty_db_and_python_give_the_graph_kg_build_gives(
    built: Path, tmp_path: Path
) -> None:
    want = dump_db(built / "kg.db")
    assert want["nodes"] and want["relationships"]

    updated = tmp_path / "updated.db"
    printed = invoke("update", *INPUTS, "--db", str(updated), "--workers", "2", "--no-cache")
    assert "Extracted" not in printed  # no cache, no cache line
    got = dump_db(updated)
    assert got == want, describe_difference(got, want)

    with open_store(str(tmp_path / "python.db")) as store:
        result = build_from(INPUTS, store)
    assert result.read.merged == 2
    assert len(result.graph.papers) == len(read_inputs(INPUTS).papers)
    got = dump_db(tmp_path / "python.db")
    assert got == want, describe_difference(got, want)


def test_update_takes_its_extractions_from_the_cache_kg_build_filled(
    built: Path, tmp_path: Path
) -> None:
    db = tmp_path / "other.db"
    printed = invoke("update", *INPUTS, "--db", str(db), "--cache", str(built / "cache"))
    papers = len(read_inputs(INPUTS).papers)
    assert f"Extracted 0 papers; {papers} taken from the cache in {built / 'cache'}." in printed
    assert dump_db(db) == dump_db(built / "kg.db")


def test_update_caches_beside_the_database_by_default(tmp_path: Path) -> None:
    db = tmp_path / "kg.db"
    first = invoke("update", str(SAMPLE), "--db", str(db), "--no-ner")
    assert f"Extracted 24 papers; 0 taken from the cache in {tmp_path / 'kg-cache'}." in first
    assert (tmp_path / "kg-cache" / "extractions").is_dir()
    # A second database beside the first: all its papers are new, all in the cache.
    second = invoke("update", str(SAMPLE), "--db", str(tmp_path / "two.db"), "--no-ner")
    assert f"Extracted 0 papers; 24 taken from the cache in {tmp_path / 'kg-cache'}." in second


def test_rejected_records_go_beside_the_database(tmp_path: Path) -> None:
    db = tmp_path / "kg.db"
    invoke("update", str(DATA / "papers.bib"), "--db", str(db), "--no-ner", "--no-cache")
    assert rejected_path(db) == tmp_path / "rejected.jsonl"
    assert rejected_path(db).read_text("utf-8").count("\n") >= 1


def test_an_unknown_engine_is_refused() -> None:
    with pytest.raises(KgError, match="unknown extraction engine 'spark'"):
        extract_papers([], engine="spark")


def test_the_dask_engine_needs_a_cache() -> None:
    with pytest.raises(KgError, match="give a cache folder"):
        extract_papers([], engine="dask")


def test_linking_pauses_the_garbage_collector_and_turns_it_back_on() -> None:
    import gc

    from kg.build import build_graph

    papers = read_inputs([SAMPLE]).papers[:3]
    extractions = list(extract_papers(papers))
    seen: list[bool] = []

    def watched(fail: bool):  # type: ignore[no-untyped-def]
        for extraction in extractions:
            seen.append(gc.isenabled())
            yield extraction
        if fail:
            raise KgError("extraction failed")

    graph = build_graph(watched(False))
    assert len(graph.papers) == 3 and seen == [False] * 3 and gc.isenabled()
    with pytest.raises(KgError, match="extraction failed"):
        build_graph(watched(True))
    assert gc.isenabled()
