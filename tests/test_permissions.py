"""Unwritable outputs fail at once in one line; a read-only database is still queried (#16).

As root, ``chmod`` stops nothing: there ``kg`` runs under ``setpriv`` with the
capabilities that let root ignore permissions dropped, so a folder of mode 555 is as
unwritable to it as to any user (the tests skip when that cannot be arranged).
"""

import functools
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.dumps import ROOT, kg_command

SAMPLE = str(ROOT / "examples" / "daily_papers_page.txt")
DROP = "--bounding-set=-dac_override,-dac_read_search,-fowner"


@functools.cache
def _prefix() -> tuple[str, ...]:
    """What runs a command without the power to ignore permissions (empty: not root)."""
    if os.geteuid() != 0:
        return ()
    setpriv = shutil.which("setpriv")
    if setpriv is None or subprocess.run([setpriv, DROP, "true"]).returncode != 0:
        return ("unavailable",)
    return (setpriv, DROP)


def kg(*args: str) -> subprocess.CompletedProcess[str]:
    """Run `kg ARGS` as a user who cannot write where permissions say no."""
    prefix = _prefix()
    if prefix == ("unavailable",):
        pytest.skip("root without a working setpriv: cannot make a folder unwritable")
    return subprocess.run(
        [*prefix, *kg_command(*args)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )


def one_line_error(result: subprocess.CompletedProcess[str]) -> str:
    """The single `Error: ...` line a refused command prints (asserting there is no more)."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    return lines[0]


def listing(folder: Path) -> dict[str, str]:
    """Each file in ``folder`` and the hash of its bytes."""
    return {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "folder"
        for p in sorted(folder.iterdir())
    }


@pytest.fixture()
def locked(tmp_path: Path) -> Iterator[Path]:
    """A folder no file can be created in (mode 555), holding a copy of nothing yet."""
    folder = tmp_path / "locked"
    folder.mkdir()
    yield folder
    folder.chmod(0o755)


def lock(folder: Path) -> None:
    """Make ``folder`` unwritable (skip when it stays writable to the user kg runs as)."""
    folder.chmod(0o555)
    prefix = _prefix()
    if prefix == ("unavailable",):
        pytest.skip("root without a working setpriv: cannot make a folder unwritable")
    check = subprocess.run([*prefix, "touch", str(folder / "probe")], capture_output=True)
    if check.returncode == 0:
        (folder / "probe").unlink()
        pytest.skip(f"{folder} stays writable here (a file system that ignores modes)")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of the sample page built by `kg build`, in a writable folder."""
    db = tmp_path_factory.mktemp("built") / "kg.db"
    result = kg("build", SAMPLE, "--no-ner", "--db", str(db))
    assert result.returncode == 0, result.stderr
    return db


@pytest.mark.parametrize(
    ("export", "name"),
    [
        ("graphml", "kg.graphml"),  # gexf and json are written the same way
        ("html", "kg.html"),
        ("csv", "csv"),
        ("neo4j-import", "import"),
    ],
)
def test_an_export_into_an_unwritable_folder_fails_in_one_line(
    built: Path, locked: Path, export: str, name: str
) -> None:
    lock(locked)
    out = locked / name
    error = one_line_error(kg("export", export, str(out), "--db", str(built)))
    assert f"{out}: cannot write the export: permission denied in {locked}" in error
    assert listing(locked) == {}


def _build_cases(tmp_path: Path, locked: Path) -> dict[str, tuple[list[str], str]]:
    """Each way a build or update has an output it cannot write: its arguments, and the
    path the message must name."""
    writable = tmp_path / "w"
    writable.mkdir()
    cache = tmp_path / "w2" / "kg-cache"  # the default cache beside the database, locked
    cache.mkdir(parents=True)
    (tmp_path / "w3" / "rejected.jsonl").mkdir(parents=True)  # a folder in the file's place
    return {
        "database": (["build", "--db", str(locked / "kg.db")], str(locked / "kg.db")),
        "update": (["update", "--db", str(locked / "kg.db")], str(locked / "kg.db")),
        "html": (
            ["build", "--db", str(writable / "kg.db"), "--html", str(locked / "kg.html")],
            str(locked / "kg.html"),
        ),
        "cache": (["build", "--db", str(writable / "kg.db"), "--cache", str(locked)], str(locked)),
        "default cache": (["build", "--db", str(cache.parent / "kg.db")], str(cache)),
        "rejected": (
            ["build", "--db", str(tmp_path / "w3" / "kg.db")],
            str(tmp_path / "w3" / "rejected.jsonl"),
        ),
    }


@pytest.mark.parametrize(
    "case", ["database", "update", "html", "cache", "default cache", "rejected"]
)
def test_a_build_that_cannot_write_an_output_fails_before_reading(
    tmp_path: Path, locked: Path, built: Path, case: str
) -> None:
    args, named = _build_cases(tmp_path, locked)[case]
    if case == "update":
        shutil.copy(built, locked / "kg.db")
    if case == "default cache":
        lock(Path(named))
    lock(locked)
    before = listing(locked)
    command, *options = args
    result = kg(command, SAMPLE, "--no-ner", *options)
    error = one_line_error(result)  # nothing else: not even "Read 24 papers"
    assert error.startswith(f"Error: {named}: cannot write "), error
    assert listing(locked) == before


def test_an_os_error_no_check_foresaw_is_one_line(tmp_path: Path) -> None:
    """A folder kg may not even look into (mode 000) fails wherever it is met."""
    closed = tmp_path / "closed"
    closed.mkdir()
    closed.chmod(0o000)
    try:
        for args in (["stats"], ["build", SAMPLE, "--no-ner"]):
            error = one_line_error(kg(*args, "--db", str(closed / "kg.db")))
            assert f"{closed / 'kg.db'}: " in error and "permission denied" in error.lower()
    finally:
        closed.chmod(0o755)


def _reads(db: Path, out: Path) -> list[str]:
    """What the read-only commands print about ``db`` (the export written to ``out``)."""
    outputs = []
    for args in (
        ["query", "top_entities", "-p", "limit", "5", "--json"],
        ["stats"],
        ["entities", "show", "LLM", "--json"],
        ["export", "graphml", str(out)],
    ):
        result = kg(*args, "--db", str(db))
        assert result.returncode == 0, (args, result.stderr)
        assert "Traceback" not in result.stderr
        outputs.append(result.stdout.replace(str(out), "OUT"))
    outputs.append(out.read_text())
    return outputs


@pytest.fixture(scope="module")
def expected_reads(built: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """What the read commands print on a writable copy of the database."""
    folder = tmp_path_factory.mktemp("writable")
    shutil.copy(built, folder / "kg.db")
    reads = _reads(folder / "kg.db", folder / "expected.graphml")
    assert json.loads(reads[0]), "the sample's top entities"
    return reads


@pytest.mark.slow
@pytest.mark.parametrize("how", ["folder", "file"])
def test_a_read_only_database_is_queried_and_left_untouched(
    tmp_path: Path, locked: Path, built: Path, expected_reads: list[str], how: str
) -> None:
    """In a read-only folder (no lock file can be made) or read-only itself."""
    expected = expected_reads
    db = locked / "kg.db"
    shutil.copy(built, db)
    if how == "file":
        db.chmod(0o444)
        folder_mode_locked = False
    else:
        lock(locked)
        folder_mode_locked = True
    before = listing(locked)
    assert _reads(db, tmp_path / "got.graphml") == expected
    assert listing(locked) == before  # no lock, no .settings, no save
    if not folder_mode_locked:
        assert db.stat().st_mode & 0o777 == 0o444
        build = kg("build", SAMPLE, "--no-ner", "--db", str(db))
        assert "the file is read-only; make it writable" in one_line_error(build)
        assert listing(locked) == before
