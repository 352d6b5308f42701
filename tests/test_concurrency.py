"""Two processes on one database: one is refused with a clear message, or they take turns.

Real processes, a real embedded database: never a corrupted or half-merged store.
"""

import contextlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from collections import Counter
from pathlib import Path

import pytest

from kg.store import FalkorStore
from kg.store.lock import DatabaseInUse, DatabaseLock, lock_path
from tests.dumps import (
    ROOT,
    SAMPLE_ARG,
    describe_difference,
    dump_db,
    redis_servers_of,
    run_kg,
    start_kg,
)

BUILD = ("build", SAMPLE_ARG, "--no-ner")


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Counter[str]]:
    """The graph of one uninterrupted `kg build` of the sample page."""
    db = tmp_path_factory.mktemp("reference") / "kg.db"
    result = run_kg(*BUILD, "--db", str(db))
    assert result.returncode == 0, result.stderr
    return dump_db(db)


def _holder(db: Path, tmp_path: Path) -> "subprocess.Popen[str]":
    """A process that opens ``db`` and keeps it open until killed."""
    script = tmp_path / "hold_db.py"
    script.write_text(
        textwrap.dedent(
            """
            import sys, time
            from kg.store import FalkorStore
            store = FalkorStore(sys.argv[1])
            print("open", flush=True)
            time.sleep(120)
            """
        )
    )
    proc = subprocess.Popen(
        [sys.executable, str(script), str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "open"
    return proc


def test_a_build_on_a_database_in_use_is_refused_and_says_by_whom(
    tmp_path: Path, reference: dict[str, Counter[str]]
) -> None:
    db = tmp_path / "kg.db"
    holder = _holder(db, tmp_path)
    try:
        refused = run_kg(*BUILD, "--db", str(db))
        assert refused.returncode == 1
        assert f"is in use by process {holder.pid} (hold_db.py {db})" in refused.stderr
        assert "Traceback" not in refused.stderr
    finally:
        holder.send_signal(signal.SIGKILL)  # its lock must die with it
        holder.wait()
    built = run_kg(*BUILD, "--db", str(db))
    assert built.returncode == 0, built.stderr
    got = dump_db(db)
    assert got == reference, describe_difference(got, reference)
    assert not redis_servers_of(db)
    assert not lock_path(db).exists()


def test_two_builds_at_once_take_turns_or_one_is_refused(
    tmp_path: Path, reference: dict[str, Counter[str]]
) -> None:
    """Started together (one row per write statement, so writing takes a while)."""
    db = tmp_path / "kg.db"
    for round_ in range(2):
        procs = [start_kg(*BUILD, "--db", str(db), "--batch-size", "1") for _ in range(2)]
        outcomes = [(p.wait(timeout=300), *p.communicate()) for p in procs]
        for code, _, err in outcomes:
            assert code == 0 or (code == 1 and "the database is in use by " in err), err
            assert "Traceback" not in err
        assert any(code == 0 for code, _, _ in outcomes), f"round {round_}: {outcomes}"
        got = dump_db(db)
        assert got == reference, describe_difference(got, reference)
    assert not redis_servers_of(db)
    assert not list(tmp_path.glob("temp-*.rdb"))


def test_a_waiting_store_opens_once_the_holder_closes(tmp_path: Path) -> None:
    db = tmp_path / "kg.db"
    holder = _holder(db, tmp_path)
    try:
        with pytest.raises(DatabaseInUse, match=f"process {holder.pid}"):
            FalkorStore(db)
        started = time.monotonic()
        os.kill(holder.pid, signal.SIGTERM)  # no handler: dies at once, server left behind
        with FalkorStore(db, wait=30) as store:
            store.run("CREATE (:Paper {id: 'after'})")
        assert time.monotonic() - started < 30
    finally:
        holder.kill()
        holder.wait()
    with FalkorStore(db) as store:
        assert store.run("MATCH (p:Paper) RETURN p.id").rows == [["after"]]
    assert not redis_servers_of(db)


def test_lock_is_shared_within_a_process_and_leaves_no_file(tmp_path: Path) -> None:
    db = tmp_path / "kg.db"
    with DatabaseLock(db) as outer:
        assert lock_path(db).exists()
        with DatabaseLock(db) as inner:
            assert inner.holders == 2
        assert outer.holders == 1
        assert lock_path(db).exists()
    assert not lock_path(db).exists()


def test_a_lock_file_left_by_a_killed_process_does_not_block(tmp_path: Path) -> None:
    db = tmp_path / "kg.db"
    lock_path(db).write_text('{"pid": 999999, "command": "kg build (killed)"}')
    with FalkorStore(db) as store:
        store.run("CREATE (:Paper {id: 'x'})")
    assert not lock_path(db).exists()


def test_a_server_that_does_not_answer_is_replaced(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """FalkorDB can (rarely) deadlock loading a file; a frozen server stands in for one."""
    import json

    from kg.store import falkor

    db = tmp_path / "kg.db"
    holder = _holder(db, tmp_path)
    holder.kill()  # its server lives on, recorded in kg.db.settings ...
    holder.wait()
    pidfile = Path(json.loads(Path(f"{db}.settings").read_text())["pidfile"])
    frozen = int(pidfile.read_text())
    os.kill(frozen, signal.SIGSTOP)  # ... and no longer answers
    monkeypatch.setattr(falkor, "_START_TIMEOUT", 2.0)
    try:
        with FalkorStore(db) as store:
            store.run("CREATE (:Paper {id: 'after'})")
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(frozen, signal.SIGKILL)
    assert frozen not in redis_servers_of(db)
    with FalkorStore(db) as store:
        assert store.run("MATCH (p:Paper) RETURN p.id").rows == [["after"]]
    assert not redis_servers_of(db)
