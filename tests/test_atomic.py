"""kg.atomic: a file is whole or absent under its name; temporary files do not pile up."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg.atomic import atomic_open

KG = Path(__file__).resolve().parent.parent / "kg"


def test_a_failed_write_keeps_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    out = tmp_path / "view.json"
    out.write_text("old")
    with pytest.raises(RuntimeError), atomic_open(out) as f:
        f.write("half of the new")
        raise RuntimeError("disk full")
    assert out.read_text() == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["view.json"]


def test_text_and_bytes_replace_the_file_with_the_usual_mode(tmp_path: Path) -> None:
    out = tmp_path / "sub" / "page.bin"
    with atomic_open(out, "wb") as f:
        f.write(b"\x00\x01")
    assert out.read_bytes() == b"\x00\x01"
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
    with atomic_open(out) as g:
        g.write("text")
    assert out.read_text() == "text"
    with pytest.raises(ValueError, match="mode"):
        atomic_open(out, "a")  # type: ignore[call-overload]


def test_temporary_files_of_dead_writers_are_removed_live_ones_kept(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(dead.stdout)
    live = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        left = tmp_path / f".view.html.{dead_pid}.abc123.tmp"
        other = tmp_path / f".part-1.parquet.{dead_pid}.k9_x.tmp"  # another file, same folder
        busy = tmp_path / f".view.html.{live.pid}.def456.tmp"
        unrelated = tmp_path / ".notes.tmp"
        for path in (left, other, busy, unrelated):
            path.write_text("partial")
        with atomic_open(tmp_path / "view.html") as f:
            f.write("<html></html>")
        assert not left.exists() and not other.exists()
        assert busy.exists() and unrelated.exists()
    finally:
        live.kill()
        live.wait()


# Calls that write a file; only kg/atomic.py (and kg/lock.py's lock file) may make them.
_WRITERS = {"write_text", "write_bytes", "mkstemp", "NamedTemporaryFile", "to_parquet", "to_csv"}


def _writes(node: ast.Call) -> str | None:
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    if name in _WRITERS:
        return name
    if name != "open":
        return None
    if isinstance(func, ast.Attribute) and getattr(func.value, "id", "") == "os":
        return "os.open"
    modes = [*node.args, *(k.value for k in node.keywords if k.arg == "mode")]
    for mode in modes:
        text = mode.value if isinstance(mode, ast.Constant) else None
        if (
            isinstance(text, str)
            and text
            and set(text) <= set("rwabxt+")
            and set(text) & set("wax+")
        ):
            return f"open({text!r})"
    return None


@pytest.mark.parametrize(
    ("code", "found"),
    [
        ("open(p, 'w')", "open('w')"),
        ("Path(p).open('a', encoding='utf-8')", "open('a')"),
        ("gzip.open(p, mode='wb')", "open('wb')"),
        ("p.write_text('x')", "write_text"),
        ("os.open(p, os.O_CREAT)", "os.open"),
        ("open(p)", None),
        ("p.open('rb')", None),
    ],
)
def test_the_writer_guard_sees_writes(code: str, found: str | None) -> None:
    call = ast.parse(code).body[0].value  # type: ignore[attr-defined]
    assert _writes(call) == found


def test_every_file_kg_writes_goes_through_atomic_open() -> None:
    # outputs.py only probes a folder: an empty temporary file made and removed at once.
    allowed = {KG / "atomic.py", KG / "store" / "lock.py", KG / "outputs.py"}
    found = []
    for path in sorted(KG.rglob("*.py")):
        if path in allowed:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Call) and (what := _writes(node)):
                found.append(f"{path.relative_to(KG.parent)}:{node.lineno}: {what}")
    assert not found, "write through kg.atomic.atomic_open instead:\n" + "\n".join(found)
