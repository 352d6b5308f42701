"""Warm servers: a later command on the same database uses the server an earlier one left up.

Real `kg` processes and real servers. Each test sets KG_SERVER_IDLE for the commands it
runs (the suite's default is 0) and stops what it started, even when it fails.
"""

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.errors import StoreError
from kg.store import FalkorStore
from kg.store.lock import lock_path
from kg.store.warm import alive, read_settings, recorded_pid
from tests.dumps import ROOT, SAMPLE_ARG, dump_db, kg_command, redis_servers_of


def kg(*args: str, idle: float = 60, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run `kg ARGS` with servers kept ``idle`` seconds."""
    return subprocess.run(
        kg_command(*args),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "KG_SERVER_IDLE": str(idle)},
    )


def server_of(db: Path) -> int | None:
    """The pid of the server recorded for ``db``, when it runs."""
    pid = recorded_pid(read_settings(db.resolve()))
    return pid if alive(pid) else None


def watchdog_of(db: Path) -> int | None:
    record = read_settings(db.resolve()) or {}
    return record.get("kg", {}).get("watchdog")


def wait_until(condition, timeout: float = 30.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.fixture()
def db(tmp_path: Path, sample_db: Path) -> Iterator[Path]:
    """A copy of the sample database; whatever server it has is stopped at the end."""
    path = tmp_path / "kg.db"
    shutil.copyfile(sample_db, path)
    yield path
    kg("stop", "--db", str(path))
    for pid in redis_servers_of(path):
        os.kill(pid, 9)


def test_the_next_command_uses_the_server_the_first_left_up(db: Path) -> None:
    first = kg("query", "top_entities", "--db", str(db), "--json")
    assert first.returncode == 0, first.stderr
    pid = server_of(db)
    assert pid, "the first query's server should still run"
    watchdog = watchdog_of(db)
    assert watchdog and alive(watchdog), "a watchdog stops it once idle"
    assert not lock_path(db).exists(), "a finished command holds no lock"
    # The file was loaded once: the second command connects to the same server.
    second = kg("query", "top_entities", "--db", str(db), "--json")
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout) == json.loads(first.stdout)
    assert server_of(db) == pid and redis_servers_of(db) == [pid]
    status = json.loads(kg("status", "--json").stdout)
    (listed,) = [s for s in status if s["db"] == str(db.resolve())]
    assert listed["pid"] == pid and listed["state"] == "warm"
    assert 0 < listed["idle_left"] <= 60 and listed["watchdog"] == watchdog
    assert Path(listed["socket"]).exists()
    text = kg("status").stdout
    assert str(db.resolve()) in text and str(pid) in text and "warm" in text
    assert alive(pid), "nothing stopped it before kg stop"
    stopped = kg("stop", "--db", str(db))
    assert stopped.returncode == 0, stopped.stderr
    assert stopped.stdout.strip() == f"Stopped the server of {db.resolve()} (pid {pid}).", kg(
        "status"
    ).stdout
    assert not redis_servers_of(db) and not alive(pid)
    assert wait_until(lambda: not alive(watchdog), 10), "the watchdog ends with its server"
    assert sorted(p.name for p in db.parent.iterdir()) == ["kg.db"]
    again = kg("stop", "--db", str(db))
    assert again.stdout.strip() == f"No embedded server was running for {db}."


def test_a_server_stops_itself_once_idle_and_leaves_nothing(db: Path) -> None:
    result = kg("stats", "--db", str(db), idle=2)
    assert result.returncode == 0, result.stderr
    pid, watchdog = server_of(db), watchdog_of(db)
    assert pid and watchdog
    assert wait_until(lambda: not alive(pid), 30), "the idle server should have stopped"
    assert wait_until(lambda: not alive(watchdog), 10)
    assert not redis_servers_of(db)
    assert sorted(p.name for p in db.parent.iterdir()) == ["kg.db"]


def test_with_idle_zero_nothing_stays_up(db: Path) -> None:
    result = kg("query", "top_entities", "--db", str(db), idle=0)
    assert result.returncode == 0, result.stderr
    assert not redis_servers_of(db) and server_of(db) is None
    assert sorted(p.name for p in db.parent.iterdir()) == ["kg.db"]


def test_a_build_through_a_warm_server_saves_what_a_cold_open_reads(tmp_path: Path) -> None:
    db = tmp_path / "kg.db"
    half = tmp_path / "half.txt"
    lines = (ROOT / SAMPLE_ARG).read_text("utf-8").splitlines(keepends=True)
    half.write_text("".join(lines[:100]), "utf-8")
    try:
        assert kg("build", str(half), "--no-ner", "--db", str(db)).returncode == 0
        pid = server_of(db)
        assert pid, "the build leaves its server up"
        before = json.loads(kg("stats", "--db", str(db), "--json").stdout)
        built = kg("build", SAMPLE_ARG, "--no-ner", "--db", str(db))
        assert built.returncode == 0, built.stderr
        assert server_of(db) == pid, "the second build wrote through the warm server"
        warm = json.loads(kg("stats", "--db", str(db), "--json").stdout)
        assert warm != before
        # Saved: with the server stopped, the file alone holds the grown graph.
        assert kg("stop", "--db", str(db)).returncode == 0 and not redis_servers_of(db)
        cold = kg("stats", "--db", str(db), "--json", idle=0)
        assert json.loads(cold.stdout) == warm
        # The same two builds, each with its own server, give the same graph.
        reference = tmp_path / "reference.db"
        for page in (str(half), SAMPLE_ARG):
            assert kg("build", page, "--no-ner", "--db", str(reference), idle=0).returncode == 0
        assert dump_db(db) == dump_db(reference)
    finally:
        kg("stop", "--db", str(db))


def test_a_file_replaced_under_a_warm_server_is_loaded_again(db: Path, tmp_path: Path) -> None:
    assert kg("stats", "--db", str(db)).returncode == 0
    old = server_of(db)
    assert old
    # Restore another database over it (in place, as cp does): the server's copy is stale.
    other = tmp_path / "other.db"
    with FalkorStore(other) as store:
        store.run("CREATE (:Paper {id: 'only', title: 'The only paper'})")
    shutil.copyfile(other, db)
    status = json.loads(kg("status", "--json").stdout)
    assert [s["state"] for s in status if s["db"] == str(db.resolve())] in (["stale"], [])
    result = kg("stats", "--db", str(db), "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["labels"] == [{"label": "Paper", "nodes": 1}]
    assert not alive(old) and server_of(db) not in (None, old)


def test_readers_share_the_server_and_a_writer_waits_for_them(db: Path, tmp_path: Path) -> None:
    # A reader that stays open: another reader runs beside it, a build is refused.
    script = tmp_path / "read.py"
    script.write_text(
        "import sys, time\n"
        "from kg.store import FalkorStore\n"
        "store = FalkorStore(sys.argv[1], shared=True, idle=60)\n"
        "print(store.run('MATCH (p:Paper) RETURN count(p)').rows[0][0], flush=True)\n"
        "time.sleep(120)\n"
    )
    reader = subprocess.Popen(
        [sys.executable, str(script), str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert reader.stdout is not None
        papers = int(reader.stdout.readline())
        assert papers > 0
        query = kg("stats", "--db", str(db), "--json")
        assert query.returncode == 0, query.stderr
        labels = json.loads(query.stdout)["labels"]
        assert {"label": "Paper", "nodes": papers} in labels
        build = kg("build", SAMPLE_ARG, "--no-ner", "--db", str(db))
        assert build.returncode == 1
        assert f"the database is in use by process {reader.pid} (read.py" in build.stderr
        # Nor can kg stop take the server from under a reader.
        stop = kg("stop", "--db", str(db), "--wait", "0")
        assert stop.returncode == 1 and f"in use by process {reader.pid}" in stop.stderr
        assert server_of(db)
    finally:
        reader.kill()
        reader.wait()


def test_a_shared_store_refuses_writes(db: Path) -> None:
    from kg.errors import StoreError

    with FalkorStore(db, shared=True) as store, pytest.raises(StoreError, match="refused"):
        store.run("CREATE (:Paper {id: 'x'})")
    with FalkorStore(db) as store:
        assert store.run("MATCH (p:Paper {id: 'x'}) RETURN count(p)").rows == [[0]]


def test_a_killed_writers_server_stops_itself(tmp_path: Path) -> None:
    """SIGKILL a build that keeps servers warm: its server is not left running forever."""
    db = tmp_path / "kg.db"
    proc = subprocess.Popen(
        kg_command("build", SAMPLE_ARG, "--no-ner", "--db", str(db)),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "KG_SERVER_IDLE": "2"},
    )
    try:
        assert wait_until(lambda: server_of(db) is not None and watchdog_of(db), 120)
        pid = server_of(db)
        proc.kill()
        proc.wait()
        assert wait_until(lambda: not alive(pid), 30), "the watchdog should stop it"
        assert not redis_servers_of(db)
        # And the database still works: a new build gives the whole graph.
        again = kg("build", SAMPLE_ARG, "--no-ner", "--db", str(db), idle=0)
        assert again.returncode == 0, again.stderr
        assert not redis_servers_of(db)
    finally:
        proc.kill()
        kg("stop", "--db", str(db))


def test_a_bad_idle_setting_is_one_line(db: Path) -> None:
    result = subprocess.run(
        kg_command("stats", "--db", str(db)),
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "KG_SERVER_IDLE": "soon"},
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "Error: KG_SERVER_IDLE='soon': give the seconds a server stays up after a command "
        "(0: stop it when the command ends)"
    )


def test_a_server_whose_folder_is_removed_stops_itself(tmp_path: Path, sample_db: Path) -> None:
    """A scratch folder removed with its database (rm -r, a test's tmp_path): no orphan."""
    folder = tmp_path / "scratch"
    folder.mkdir()
    db = folder / "kg.db"
    shutil.copyfile(sample_db, db)
    assert kg("stats", "--db", str(db)).returncode == 0
    pid, watchdog = server_of(db), watchdog_of(db)
    assert pid and watchdog
    # Like rm -r, go on past a file that vanishes under it: the server's record is
    # rewritten (a temporary file renamed over it) while the folder is being removed.
    for _ in range(20):
        shutil.rmtree(folder, ignore_errors=True)
        if not folder.exists():
            break
    try:
        assert wait_until(lambda: not alive(pid), 30), "its watchdog should stop it"
        assert wait_until(lambda: not alive(watchdog), 10)
        assert not folder.exists(), "stopping it does not create the folder again"
    finally:
        if alive(pid):
            os.kill(pid, 9)


SLOW_READ = (
    "UNWIND range(1, 20000) AS x UNWIND range(1, 20000) AS y WITH x, y WHERE x < y "
    "RETURN count(*)"
)


def test_a_read_that_runs_too_long_is_stopped_by_the_server(
    db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command killed mid-query cannot stop its query: the server does, after
    KG_QUERY_TIMEOUT seconds, and the next query on the same server answers."""
    monkeypatch.setenv("KG_QUERY_TIMEOUT", "0.5")
    store = FalkorStore(db, shared=True, idle=60)
    try:
        started = time.monotonic()
        with pytest.raises(StoreError, match=r"ran longer than 0\.5 s.*KG_QUERY_TIMEOUT"):
            store.run(SLOW_READ)  # 200 million rows: minutes without the limit
        assert time.monotonic() - started < 30
        assert store.run("MATCH (p:Paper) RETURN count(p)").rows[0][0] > 0
    finally:
        store.close()


def test_a_bad_query_timeout_is_named(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_QUERY_TIMEOUT", "soon")
    with pytest.raises(StoreError, match="KG_QUERY_TIMEOUT='soon': give the seconds"):
        FalkorStore(db, shared=True)
