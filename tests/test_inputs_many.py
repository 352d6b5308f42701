"""Several inputs: one that gives no paper (empty, unreadable, every record rejected) costs
only itself; it is reported and kept in rejected.jsonl, and rejected.jsonl is this run's."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kg.build import read_inputs
from kg.errors import InputError

from .conftest import ROOT, SAMPLE

DATA = ROOT / "tests" / "data"
# Daily Papers records: a JSON document of papers, as `kg fetch hf-daily` writes it.
GOOD = DATA / "hf_daily_api.json"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "kg", *args], capture_output=True, text=True, timeout=300, cwd=cwd
    )


def rejected_rows(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


@pytest.fixture()
def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    """An empty file, a JSON file and a page whose one paper each is not UTF-8."""
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    latin = tmp_path / "latin.json"
    latin.write_bytes(b'[{"title": "Caf\xe9 paper", "abstract": "Latin-1 text."}]')
    # The sample page's head and first paper, with a Latin-1 byte in its title.
    text = SAMPLE.read_bytes()
    title = text.index(b"On Data Engineering for")
    end = text.index(b"\n\n", text.index(b"Despite rapid"))
    page = tmp_path / "page.txt"
    page.write_bytes(text[:title] + b"On Data Engineering \xe9" + text[title + 19 : end] + b"\n")
    return {"empty": empty, "latin": latin, "page": page}


def test_kg_build_stores_the_good_input_and_reports_the_empty_one(tmp_path: Path) -> None:
    (tmp_path / "a.json").write_bytes(GOOD.read_bytes())
    (tmp_path / "empty.txt").write_bytes(b"")
    # An earlier run's rejected records: this run's replace them.
    (tmp_path / "rejected.jsonl").write_text('{"source": "old.txt", "reason": "stale"}\n')

    result = run("build", "a.json", "empty.txt", "--db", "kg.db", "--no-ner", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert "warning: empty.txt: file is empty" in result.stderr.splitlines()
    assert "Read 2 papers from 2 input(s); 1 input(s) gave no paper" in result.stderr
    assert "Stored 2 papers" in result.stdout
    rows = rejected_rows(tmp_path / "rejected.jsonl")
    assert [(r["source"], r["line"], r["reason"]) for r in rows] == [
        ("empty.txt", None, "file is empty")
    ]


def test_every_input_without_papers_is_a_problem_and_the_rest_is_read(
    tmp_path: Path, bad_inputs: dict[str, Path]
) -> None:
    rejected = tmp_path / "rejected.jsonl"
    inputs = [bad_inputs["empty"], GOOD, bad_inputs["latin"], bad_inputs["page"]]

    read = read_inputs(inputs, rejected=rejected)

    assert len(read.papers) == 2 and read.inputs == 4
    lost = [str(e) for e in read.lost_inputs]
    assert lost[0] == f"{bad_inputs['empty']}: file is empty"
    assert lost[1] == f"{bad_inputs['latin']}: no papers found (1 record(s) rejected)"
    assert lost[2] == f"{bad_inputs['page']}: no papers found (1 record(s) rejected)"
    assert len(lost) == 3
    # The record-level reason, and each lost input, all in rejected.jsonl.
    rows = rejected_rows(rejected)
    assert [r["reason"] for r in rows] == [e.message for e in read.problems]
    assert "not UTF-8 text in the title or abstract" in [r["reason"] for r in rows]
    assert {str(r["source"]) for r in rows} == {str(bad_inputs[k]) for k in bad_inputs}


def test_no_paper_from_any_input_is_an_error_listing_the_reasons(
    tmp_path: Path, bad_inputs: dict[str, Path]
) -> None:
    rejected = tmp_path / "rejected.jsonl"
    rejected.write_text('{"source": "old.txt", "reason": "stale"}\n')
    with pytest.raises(InputError) as raised:
        read_inputs([bad_inputs["empty"], bad_inputs["latin"]], rejected=rejected)
    message = str(raised.value)
    assert message.startswith(f"no papers found in 2 input(s) (see {rejected}): ")
    assert f"{bad_inputs['empty']}: file is empty" in message
    assert f"{bad_inputs['latin']}:1: not UTF-8 text in the title or abstract" in message
    # rejected.jsonl is this run's, not the earlier one's.
    assert [r["source"] for r in rejected_rows(rejected)] == [
        str(bad_inputs["empty"]),
        str(bad_inputs["latin"]),
        str(bad_inputs["latin"]),
    ]


def test_kg_build_with_no_paper_names_each_reason(
    tmp_path: Path, bad_inputs: dict[str, Path]
) -> None:
    result = run(
        "build", str(bad_inputs["empty"]), str(bad_inputs["latin"]), "--db", "kg.db",
        cwd=tmp_path,
    )  # fmt: skip
    assert result.returncode == 1
    (error,) = result.stderr.strip().splitlines()
    assert error.startswith("Error: no papers found in 2 input(s)")
    assert "empty.txt: file is empty" in error and "latin.json:1: not UTF-8" in error
    assert not (tmp_path / "kg.db").exists()


def test_one_input_with_one_reason_says_it_as_it_is(tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(InputError, match=f"^{re.escape(str(empty))}: file is empty$"):
        read_inputs([empty], rejected=tmp_path / "rejected.jsonl")


def test_a_run_with_nothing_rejected_leaves_no_rejected_file(tmp_path: Path) -> None:
    rejected = tmp_path / "rejected.jsonl"
    rejected.write_text('{"source": "old.txt", "reason": "stale"}\n')
    read = read_inputs([GOOD], rejected=rejected)
    assert read.papers and not read.problems
    assert not rejected.exists()


def test_strict_stops_at_an_input_without_papers(bad_inputs: dict[str, Path]) -> None:
    with pytest.raises(InputError, match="file is empty"):
        read_inputs([GOOD, bad_inputs["empty"]], strict=True)
    empty_array = bad_inputs["empty"].with_name("none.json")
    empty_array.write_text("[]")
    with pytest.raises(InputError, match=r"none\.json: no papers found$"):
        read_inputs([GOOD, empty_array], strict=True)
