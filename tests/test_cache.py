"""The Parquet extraction cache: hits, changed papers, extractor versions, broken files."""

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.extract import PaperExtraction, extract, workers
from kg.extract.cache import ExtractionCache, extractor_version, from_row, paper_key, to_row
from kg.extract.workers import ExtractionCounts, extract_all
from kg.models import Paper
from kg.readers.ingest import read_papers

from .conftest import ROOT, SAMPLE


@pytest.fixture()
def counted(monkeypatch: pytest.MonkeyPatch) -> list[Paper]:
    """Every paper the extractor really runs on (in this process: ``--workers 1``)."""
    seen: list[Paper] = []

    def counting(nlp, papers):  # type: ignore[no-untyped-def]
        for extraction in extract(nlp, papers):
            seen.append(extraction.paper)
            yield extraction

    monkeypatch.setattr(workers, "extract", counting)
    return seen


def build(folder: Path, page: Path) -> str:
    result = CliRunner().invoke(
        cli, ["build", str(page), "--db", str(folder / "kg.db"), "--no-ner"]
    )
    assert result.exit_code == 0, result.output
    return result.output


def test_second_build_takes_every_paper_from_the_cache(
    tmp_path: Path, counted: list[Paper]
) -> None:
    first = build(tmp_path, SAMPLE)
    assert len(counted) == 24
    assert "Extracted 24 papers; 0 taken from the cache" in first
    assert list((tmp_path / "kg-cache" / "extractions").glob("*/part-*.parquet"))
    counted.clear()
    second = build(tmp_path, SAMPLE)
    assert counted == []
    assert "Extracted 0 papers; 24 taken from the cache" in second
    assert "(24 unchanged, not sent again)" in second


def test_a_changed_abstract_is_extracted_alone(tmp_path: Path, counted: list[Paper]) -> None:
    page = tmp_path / "page.txt"
    shutil.copy(SAMPLE, page)
    build(tmp_path, page)
    papers = list(read_papers(page))
    target = papers[3]
    sentence = target.abstract.split(". ")[0]
    text = page.read_text("utf-8")
    assert text.count(sentence) == 1
    page.write_text(text.replace(sentence, sentence + " using ImageNet"), "utf-8")
    counted.clear()
    output = build(tmp_path, page)
    assert [p.title for p in counted] == [target.title]
    assert "Extracted 1 papers; 23 taken from the cache" in output


def test_a_new_extractor_version_extracts_everything_again(tmp_path: Path) -> None:
    papers = list(read_papers(SAMPLE))[:6]
    first, second = ExtractionCounts(), ExtractionCounts()
    old = list(extract_all(papers, ner=False, cache=cache(tmp_path, "old"), counts=first))
    new = list(extract_all(papers, ner=False, cache=cache(tmp_path, "new"), counts=second))
    assert (first.extracted, second.extracted, second.cached) == (6, 6, 0)
    assert new == old
    again = ExtractionCounts()
    list(extract_all(papers, ner=False, cache=cache(tmp_path, "old"), counts=again))
    assert (again.extracted, again.cached) == (0, 6)


def test_the_version_follows_the_content_of_the_catalog_and_the_model(tmp_path: Path) -> None:
    shipped = ROOT / "kg" / "data" / "catalog.jsonl"
    copy = tmp_path / "copy.jsonl"
    shutil.copy(shipped, copy)
    edited = tmp_path / "edited.jsonl"
    edited.write_text(
        shipped.read_text("utf-8") + '{"canonical": "Foo", "type": "Method", "aliases": []}\n'
    )
    assert extractor_version(catalog=str(copy)) == extractor_version(catalog=str(shipped))
    assert extractor_version(catalog=str(edited)) != extractor_version(catalog=str(shipped))
    assert extractor_version(ner=False) != extractor_version(ner=True)
    assert extractor_version() != extractor_version(catalog=str(shipped))  # 3 files vs 1


def test_rows_give_back_the_extraction_under_any_paper_id(nlp) -> None:  # type: ignore[no-untyped-def]
    papers = list(read_papers(SAMPLE))
    for extraction in extract(nlp, papers):
        renamed = Paper("other:1", extraction.paper.title, extraction.paper.abstract)
        again = from_row(renamed, to_row(paper_key(renamed), extraction))
        assert again == PaperExtraction(
            renamed,
            [replace(m, paper_id="other:1") for m in extraction.mentions],
            [replace(r, paper_id="other:1") for r in extraction.repositories],
        )
        assert from_row(extraction.paper, to_row("k", extraction)) == extraction


def test_a_broken_cache_file_is_reported_and_rebuilt(tmp_path: Path, counted: list[Paper]) -> None:
    build(tmp_path, SAMPLE)
    (part,) = (tmp_path / "kg-cache" / "extractions").glob("*/part-*.parquet")
    part.write_bytes(part.read_bytes()[: part.stat().st_size // 2])  # a half-written file
    counted.clear()
    output = build(tmp_path, SAMPLE)
    assert f"warning: {part}: unreadable extraction cache file" in output
    assert "Extracted 24 papers; 0 taken from the cache" in output
    counted.clear()
    assert "Extracted 0 papers; 24 taken" in build(tmp_path, SAMPLE)
    assert counted == []


def test_no_cache_reads_and_writes_nothing(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["build", str(SAMPLE), "--db", str(tmp_path / "kg.db"), "--no-ner", "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    assert "taken from the cache" not in result.output
    assert not (tmp_path / "kg-cache").exists()


def test_many_small_files_are_merged_into_one(tmp_path: Path, nlp) -> None:  # type: ignore[no-untyped-def]
    papers = list(read_papers(SAMPLE))
    for extraction in extract(nlp, papers):  # one file per build of one paper
        one = cache(tmp_path, "v")
        one.add(paper_key(extraction.paper), extraction)
        one.flush()
    files = list((tmp_path / "extractions" / "v").glob("part-*.parquet"))
    assert 1 <= len(files) <= 16
    counts = ExtractionCounts()
    list(extract_all(papers, ner=False, cache=cache(tmp_path, "v"), counts=counts))
    assert (counts.extracted, counts.cached) == (0, 24)


def cache(folder: Path, version: str) -> ExtractionCache:
    return ExtractionCache(folder, version)


def test_a_cache_that_cannot_be_written_is_a_warning(tmp_path: Path) -> None:
    (tmp_path / "kg-cache").mkdir()
    (tmp_path / "kg-cache" / "extractions").write_text("not a folder")
    output = build(tmp_path, SAMPLE)
    assert "cannot write the extraction cache" in output
    assert "Stored 24 papers" in output


# Runs the extractor in a fresh process where ``kg`` is a bare package (its __init__, which
# imports every stage, is not run): the kg modules then loaded are those extraction needs,
# and an audit hook records every file opened under kg/data.
_WHAT_EXTRACTION_LOADS = """
import importlib.util, json, sys
from pathlib import Path
root = Path(sys.argv[1])
spec = importlib.util.spec_from_file_location(
    "kg", root / "__init__.py", submodule_search_locations=[str(root)]
)
sys.modules["kg"] = importlib.util.module_from_spec(spec)  # not executed
opened = set()
def hook(event, args):
    if event == "open" and isinstance(args[0], (str, Path)):
        path = Path(args[0]).resolve()
        if (root / "data") in path.parents:
            opened.add(str(path))
sys.addaudithook(hook)
from kg.extract.workers import extract_all
from kg.models import Paper
papers = [Paper("p", "PPO on MuJoCo", "We use Proximal Policy Optimization (PPO) on MuJoCo.")]
for ner in (True, False):
    list(extract_all(papers, workers=1, ner=ner))
modules = sorted(m for m in sys.modules if m.startswith("kg.") and sys.modules[m] is not None)
print(json.dumps({"modules": modules, "opened": sorted(opened)}))
"""


def test_the_cache_version_covers_every_module_and_file_extraction_loads() -> None:
    import json
    import subprocess
    import sys

    from kg.extract.cache import extractor_data, extractor_modules

    kg_root = ROOT / "kg"
    run = subprocess.run(
        [sys.executable, "-c", _WHAT_EXTRACTION_LOADS, str(kg_root)],
        capture_output=True,
        text=True,
        check=True,
    )
    loaded = json.loads(run.stdout.splitlines()[-1])
    assert "kg.extract.pipeline" in loaded["modules"]  # the probe really extracted
    missing = sorted(set(loaded["modules"]) - set(extractor_modules()))
    assert not missing, f"modules extraction imports but the cache version ignores: {missing}"
    covered = [Path(str(d)).resolve() for d in extractor_data(ner=True)]
    assert loaded["opened"], "the probe opened no data file: the audit hook saw nothing"
    uncovered = [
        f
        for f in loaded["opened"]
        if not any(c == Path(f) or c in Path(f).parents for c in covered)
    ]
    assert not uncovered, f"data files extraction reads but the cache version ignores: {uncovered}"


def test_a_module_outside_kg_extract_that_the_extractor_imports_changes_the_version() -> None:
    from kg.extract.cache import extractor_modules

    # kg.names holds the name keys the extractor's catalog lookups use: not in kg/extract.
    assert "kg.names" in extractor_modules()
    assert "kg.link.corpus" not in extractor_modules()  # the linker reuses every row
