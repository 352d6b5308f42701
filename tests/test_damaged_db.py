"""A damaged or foreign database file is named as such and left alone; an empty one is new (#16).

Each kind of bad file, given to a command that reads and to one that writes: one line
saying what the file is and what to do, never "Connection refused", the file's bytes as
they were and nothing left beside it.
"""

import hashlib
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.dumps import ROOT, redis_servers_of, run_kg

SAMPLE = str(ROOT / "examples" / "daily_papers_page.txt")


@pytest.fixture(scope="module")
def good_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("good") / "kg.db"
    built = run_kg("build", SAMPLE, "--no-ner", "--db", str(db))
    assert built.returncode == 0, built.stderr
    return db


def _truncated(good: bytes) -> bytes:
    return good[:1000]  # head -c 1000 good.db


def _cut_at_the_end(good: bytes) -> bytes:
    return good[:-1]


def _flipped_in_the_middle(good: bytes) -> bytes:
    """Both ends intact: only the server, loading it, finds the damage."""
    data = bytearray(good)
    data[len(data) // 2] ^= 0xFF
    return bytes(data)


def _text(good: bytes) -> bytes:
    return b"my notes, not a database\n"


BAD: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "truncated": (_truncated, "the database file is damaged"),
    "last byte cut": (_cut_at_the_end, "the database file is damaged"),
    "flipped byte": (_flipped_in_the_middle, "the database file is damaged"),
    "text file": (_text, "not a kg database"),
}


def _one_line(result: subprocess.CompletedProcess[str], *, after_reading: bool = False) -> str:
    """The one error line; ``after_reading``: a build may say what it read before it."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    *before, last = result.stderr.strip().splitlines()
    assert last.startswith("Error: "), result.stderr
    assert all(line.startswith("Read ") for line in before) if after_reading else not before
    return last


@pytest.mark.parametrize(
    "kind",
    [pytest.param(k, marks=pytest.mark.slow) if k == "flipped byte" else k for k in BAD],
)
def test_a_bad_database_file_is_named_and_left_alone(
    tmp_path: Path, good_db: Path, kind: str
) -> None:
    spoil, said = BAD[kind]
    db = tmp_path / "kg.db"
    db.write_bytes(spoil(good_db.read_bytes()))
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    for args in (
        ["query", "top_entities"],
        ["stats"],
        ["build", SAMPLE, "--no-ner"],
    ):
        # Damage inside the file is found by the server, when the build opens the store.
        late = kind == "flipped byte" and args[0] == "build"
        error = _one_line(run_kg(*args, "--db", str(db)), after_reading=late)
        assert error.startswith(f"Error: {db}: "), error
        assert said in error and "Connection refused" not in error, error
        assert "move it away" in error, error  # what to do
        assert hashlib.sha256(db.read_bytes()).hexdigest() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["kg.db"]
    assert not redis_servers_of(db)


def test_a_truncated_file_is_refused_before_the_build_reads(tmp_path: Path, good_db: Path) -> None:
    db = tmp_path / "kg.db"
    db.write_bytes(_truncated(good_db.read_bytes()))
    result = run_kg("build", SAMPLE, "--no-ner", "--db", str(db))
    assert "damaged" in _one_line(result)  # the only line: no "Read 24 papers" before it


@pytest.mark.slow
def test_an_empty_file_is_a_new_database(tmp_path: Path, good_db: Path) -> None:
    """`: > kg.db` (or mktemp): nothing to read from it yet, and a build fills it."""
    db = tmp_path / "kg.db"
    db.touch()
    error = _one_line(run_kg("stats", "--db", str(db)))
    assert error == f"Error: {db}: the database is empty (0 bytes); run `kg build INPUT --db {db}`"
    assert db.read_bytes() == b""
    built = run_kg("build", SAMPLE, "--no-ner", "--db", str(db))
    assert built.returncode == 0, built.stderr
    copy = tmp_path / "copy.db"
    shutil.copy(good_db, copy)
    query = ["query", "top_entities", "--json"]
    assert run_kg(*query, "--db", str(db)).stdout == run_kg(*query, "--db", str(copy)).stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.db", "kg-cache", "kg.db"]
