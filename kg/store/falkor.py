"""The embedded default store: FalkorDB run in-process through ``falkordblite``.

FalkorDB speaks openCypher and is schemaless like Neo4j. ``falkordblite``
starts a private ``redis-server`` with the FalkorDB module, listening on a unix
socket next to nothing but a temp folder, and persists the graph to ``path``
(a Redis RDB file).

Long because a server's whole life is here, in one place: start, reuse of a warm one,
shutdown and save, and the recovery from every way a previous process can die (records
of dead servers, stray servers, temp files); the warm servers' watchdog and records are
in :mod:`kg.store.warm`.

Traps handled here (measured with falkordblite 0.11):

* redis-py's default 5 s socket timeout made long writes time out and be
  retried, duplicating nodes: we pass ``socket_timeout=None``.
* The server outlives a SIGKILLed parent. Its ``<path>.settings`` file names its
  pid; on open we reuse a live one (and shut it down on close when we are its
  last client) and clear the record of a dead one.
* Warm servers (:mod:`kg.store.warm`): with ``idle`` > 0 (``open_store``: the
  ``KG_SERVER_IDLE`` setting) the server stays up after close, and the next store on the
  file connects to it instead of loading the file again; its watchdog stops it once
  idle. The server's memory is the truth: a writer saves it on close, and the record
  keeps the identity (inode, size, modification time) of the file it loaded or saved.
  A file that no longer matches (a copy restored over it) is loaded by a new server.
  Readers (``shared``) hold the lock together and query with ``GRAPH.RO_QUERY``, so one
  cannot change what the others read; one that finds no server takes the lock alone to
  start it.
* No ``CREATE CONSTRAINT`` and no ``IF NOT EXISTS``: :meth:`ensure_schema` creates
  plain indexes and ignores "already indexed".
* Two processes on one file would each start a server and the last to save would
  win: a store holds the database's lock (:mod:`kg.store.lock`) from open to close, and a
  second process gets "database is in use by process PID (kg build ...)".
* Redis's own background saves (``save 900 1`` ...) are turned off: a snapshot
  taken half-way through a build could be renamed over the file after we stopped
  the server. The file is written by :meth:`close` only (``SAVE``: a temporary file
  renamed into place), so it always holds the state of a finished command.
* Starting and stopping the server run under :func:`kg.interrupt.deferred`: a
  SIGTERM or Ctrl-C there waits until the server is recorded or gone.
* A signal can still land where no ``finally`` will close the store: between the
  constructor's return and the caller's ``try``, or in :meth:`close` before its
  ``deferred`` block begins (Python runs handlers between any two bytecodes). Open
  stores are therefore listed until closed, and the ``kg`` entry point closes what an
  interrupt left open (:func:`close_open_stores`) before it exits; otherwise redislite's
  exit hook would stop the server but the lock file would stay.
* FalkorDB can deadlock, rarely, while loading the file at start (seen once in ~1000
  opens): the first ping has a 60 s timeout, and a server that does not answer is
  killed and started again once.
* A server left by a process killed before it recorded its pid is found by its
  working folder and configuration, and killed (it holds nothing unsaved: the
  killed process never got to write to it).
* The file is checked before a server loads it (:func:`kg.store.rdb.check_database_file`): a
  file that does not start as an RDB file is "not a kg database", one that does not
  end as a complete save ends (the EOF byte, then the checksum) is "damaged", and a
  server that still fails to load it has its log read for the reason. Either way the
  file is left as it is (never removed or saved over) and the message says what to do.
  An empty file is a new, empty database: kg never leaves one (every save is a rename
  of a complete file), so it was made by ``touch`` or ``mktemp``, and holds nothing to
  lose; a store that writes removes it before the server starts (Redis cannot load an
  empty file), and the first save puts the database in its place.

Read-only opens (``read_only=True``; ``open_store(..., for_reading=True)`` picks it when
the database's folder or file cannot be written): the server loads the file through a
symbolic link in a private temporary folder, so even a save would replace the link,
never the file; nothing is saved on close, and neither the lock file nor the
``.settings`` record is created beside the database. Against a concurrent writer
such a store relies on how kg writes, not on the lock (which it could not create): a
writer replaces the file only by renaming a complete temporary file over it, so the
reader loads the state some command saved, whole, never a half-written file. It
neither blocks a writer nor sees what a running writer has not saved yet: it is a
snapshot of the file as it was when opened.
"""

import contextlib
import json
import os
import re
import shutil
import signal
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from kg.errors import StoreError
from kg.interrupt import deferred
from kg.outputs import cannot_write_in
from kg.query import schema_statements
from kg.store import warm
from kg.store.base import Result
from kg.store.lock import DatabaseLock
from kg.store.rdb import check_database_file, damaged, load_failure

__all__ = ["FalkorStore", "close_open_stores", "writable"]

GRAPH_NAME = "kg"
_START_TIMEOUT = 60.0  # seconds for the server to answer its first ping
_START_ATTEMPTS = 2
_SCRATCH = "kg-store-"  # prefix of a store's private temporary folder: kg-store-PID-XXXX
_open: dict[int, "FalkorStore"] = {}  # id -> store of this process not closed yet


def close_open_stores() -> None:
    """Close this process's stores that are still open, newest first.

    For the entry point, when an interrupt has unwound: a signal that landed just after
    a store was opened (before the ``try`` that closes it) or just as :meth:`close` began
    left it open, its lock file in place. Raises the first :class:`StoreError` once all
    have been tried.
    """
    failed: StoreError | None = None
    for store in reversed(list(_open.values())):
        try:
            store.close()
        except StoreError as e:
            failed = failed or e
    if failed is not None:
        raise failed


class FalkorStore:
    """A graph kept in one file, queried with openCypher through an embedded FalkorDB."""

    def __init__(
        self,
        path: str | Path,
        *,
        wait: float = 0.0,
        read_only: bool = False,
        shared: bool = False,
        idle: float = 0.0,
    ):
        """Open (or create) the database at ``path``.

        With ``read_only``, open an existing database and write nothing to it or beside
        it (no lock, no save: see the module docstring). With ``shared``, open it to read
        only, sharing it with other readers: queries run read-only (``GRAPH.RO_QUERY``) and
        nothing is saved. ``idle``: seconds the server stays up after :meth:`close` for
        later commands (:mod:`kg.store.warm`; 0: it stops on close). Raises
        :class:`~kg.store.lock.DatabaseInUse` when another process holds it for longer
        than ``wait`` seconds, and :class:`StoreError` when the file is not a complete
        kg database or its folder cannot be written.
        """
        self.path = Path(path).resolve()
        self.read_only = read_only
        self.shared = shared and not read_only
        self.idle = 0.0 if read_only else max(0.0, idle)
        # A shared server's reads stop after this long (kg.store.warm; None: no limit).
        limit = warm.read_timeout_setting() if self.shared else 0.0
        self._read_timeout = max(1, round(limit * 1000)) if limit > 0 else None
        self._client: Any = None
        self._graph: Any = None
        self._pid: int | None = None  # the server's
        self._served = self.path  # the file the server loads (read-only: a link to it)
        self._lock: DatabaseLock | None = None
        self._scratch: Path | None = None
        if self.path.is_dir():
            raise StoreError(f"{path}: is a directory; --db must name a database file")
        state = check_database_file(self.path, shown=str(path))
        if read_only and state == "missing":
            raise StoreError(f"{path}: no such database")
        if not read_only:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise StoreError(
                    f"{path}: cannot create its folder ({e.strerror or e}); "
                    "choose a --db in a folder you can write"
                ) from e
            self._lock = DatabaseLock(path, wait=wait, shared=self.shared)
        try:
            with deferred():
                _open[id(self)] = self  # before the lock: whatever holds it is listed
                if self._lock is None:
                    self._start(str(path))
                else:
                    self._lock.acquire()
                    if not self._connect_warm():
                        self._lock.exclusively()  # a reader starts the server alone
                        try:
                            if not self._connect_warm():  # another reader just started it
                                self._start(str(path))
                        finally:
                            self._lock.share()
        except BaseException:
            self.close()
            raise

    def _connect_warm(self) -> bool:
        """Use the server that already holds the file (a warm one, or one a killed process
        left); False when there is none, or it holds a file that has changed since."""
        record = warm.read_settings(self.path)
        pid = warm.recorded_pid(record)
        if record is None or not warm.alive(pid):
            return False
        kg = record.get("kg", {})
        if "file" in kg and warm.identity(self.path) != kg["file"]:
            return False  # replaced under it (a copy restored): _start restarts it
        import redis
        from falkordb.graph import Graph

        client = redis.Redis(
            unix_socket_path=str(record.get("unixsocket", "")),
            decode_responses=True,
            socket_timeout=_START_TIMEOUT,  # a frozen server must not hang us
        )
        try:
            client.ping()
        except (redis.RedisError, OSError):
            client.connection_pool.disconnect()
            return False  # _start replaces it
        # Long writes must not time out (redis-py would retry them, duplicating nodes).
        client.connection_pool.connection_kwargs["socket_timeout"] = None
        client.connection_pool.disconnect()
        self._client, self._graph, self._pid = client, Graph(client, GRAPH_NAME), pid
        if self.idle > 0 and not warm.alive(kg.get("watchdog")):
            warm.update_record(self.path, watchdog=warm.start_watchdog(self.path, pid or 0))
        return True

    def _start(self, shown: str) -> None:
        # Our own folder for the server's log (read when it fails to load the file) and,
        # read-only, for the link it loads the database through.
        _remove_dead_scratch()
        self._scratch = Path(tempfile.mkdtemp(prefix=f"{_SCRATCH}{os.getpid()}-"))
        log = self._scratch / "redis.log"
        served = self.path
        # Again, holding the lock: another process may have saved since the first look.
        empty = check_database_file(self.path, shown=shown) == "empty"
        if self.read_only:
            served = self._scratch / self.path.name
            if not empty:
                served.symlink_to(self.path)
        else:
            _stop_stale_server(self.path)
            _clear_stale_server(self.path)
            _kill_unrecorded_servers(self.path)
            _remove_stale_temp_files(self.path.parent)
            if empty:  # a new database (see the module docstring); Redis cannot load it
                self.path.unlink(missing_ok=True)
        self._served = served
        from redis.exceptions import TimeoutError as RedisTimeout
        from redislite.falkordb_client import FalkorDB

        config = {"save": '""', "logfile": str(log)}
        for attempt in range(1, _START_ATTEMPTS + 1):
            try:
                # A timeout while starting: FalkorDB 4 can deadlock loading a file (a lock
                # race, rare); a server that does not answer is killed and started again.
                db = FalkorDB(str(served), socket_timeout=_START_TIMEOUT, serverconfig=config)
                break
            except RedisTimeout as e:
                _kill_recorded_server(served)
                if attempt == _START_ATTEMPTS:
                    raise StoreError(
                        f"the embedded FalkorDB for {shown} did not answer within "
                        f"{_START_TIMEOUT:.0f} s, {attempt} times: {e}"
                    ) from e
            except Exception as e:  # redislite raises plain Exceptions on start failures
                _clear_stale_server(served)  # the server died: forget its record
                damage = load_failure(log)
                if damage:
                    raise StoreError(damaged(shown, damage)) from e
                raise StoreError(f"cannot start the embedded FalkorDB for {shown}: {e}") from e
        client = db.client
        self._pid = warm.recorded_pid(warm.read_settings(served))
        # This store stops the server itself (or leaves it warm): keep redislite's exit
        # hook and __del__ from stopping it.
        client.pidfile = None
        client.redis_dir = None
        client.cleanupregistry = False
        # Long writes must not time out (redis-py would retry them, duplicating nodes).
        client.connection_pool.connection_kwargs["socket_timeout"] = None
        client.connection_pool.disconnect()
        self._client = client
        self._graph = db.select_graph(GRAPH_NAME)
        if not self.read_only:
            now = time.time()
            watchdog = warm.start_watchdog(self.path, self._pid or 0) if self.idle > 0 else None
            warm.update_record(
                self.path,
                file=warm.identity(self.path),
                started=now,
                used=now,
                idle=self.idle,
                watchdog=watchdog,
            )

    def __enter__(self) -> "FalkorStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def run(self, cypher: str, params: Mapping[str, Any] | None = None) -> Result:
        """Run one Cypher statement; nodes and relationships come back as property dicts.

        On a read-only store a write runs in memory and is never saved; a shared store
        (``shared``) refuses it, since other commands read the same server.
        """
        from redis.exceptions import RedisError

        try:
            if self.shared:
                result = self._graph.ro_query(
                    cypher, dict(params or {}), timeout=self._read_timeout
                )
            else:
                result = self._graph.query(cypher, dict(params or {}))
        except RedisError as e:
            if self._read_timeout is not None and "timed out" in str(e).lower():
                raise StoreError(
                    f"{self.path.name}: the query ran longer than {self._read_timeout / 1000:g} s "
                    f"and the server stopped it; set {warm.TIMEOUT_ENV} to the seconds a "
                    "query may run (0: no limit)"
                ) from e
            raise StoreError(f"FalkorDB ({self.path.name}) refused the query: {e}") from e
        columns = [str(h[1]) for h in result.header] if result.header else []
        rows = [[_plain(value) for value in row] for row in result.result_set]
        return Result(columns, rows)

    def ensure_schema(self) -> None:
        """Create the lookup indexes the write queries MERGE on, once."""
        from redis.exceptions import ResponseError

        for statement in schema_statements("falkor"):
            try:
                self._graph.query(statement)
            except ResponseError as e:
                if "already indexed" not in str(e):
                    raise StoreError(f"cannot create index ({statement}): {e}") from e

    def save(self) -> None:
        """Write the graph to the database file now."""
        if self.read_only or self.shared:
            raise StoreError(f"{self.path}: opened to read; nothing can be saved to it")
        self._client.save()
        warm.update_record(self.path, file=warm.identity(self.path), unsaved=False)

    def close(self) -> None:
        """Save (a writer), then stop the embedded server, or leave it up for ``idle``
        seconds; release the lock."""
        with deferred():
            client, self._client = self._client, None
            lock = self._lock
            try:
                if client is not None:
                    self._shutdown(client, last=lock is None or lock.holders <= 1)
            finally:
                _open.pop(id(self), None)
                if lock is not None:
                    lock.release()
                if self._scratch is not None:
                    shutil.rmtree(self._scratch, ignore_errors=True)
                    self._scratch = None

    def _shutdown(self, client: Any, *, last: bool) -> None:
        """Save (a writer), then stop the server behind ``client`` or leave it warm.

        A graceful ``SHUTDOWN`` returns only after the FalkorDB module's threads wind
        down (about 4 s per close, measured with falkordblite 0.11), and redislite's
        own cleanup then polls for a process that, in a container whose init does not
        reap orphans, stays a zombie. ``SAVE`` writes the RDB file atomically
        (temporary file, then rename), so after it the server can simply be killed.
        A reader (read-only or shared) saves nothing.
        """
        from redis.exceptions import RedisError

        if not last:  # another store of this process still uses the server
            client.connection_pool.disconnect()
            return
        writer = not self.read_only and not self.shared
        if writer:
            try:
                client.save()
            except (RedisError, OSError) as e:
                # Leave the server running and recorded: it holds the data, and the next
                # writer (or kg stop, or its watchdog) saves again.
                client.connection_pool.disconnect()
                warm.update_record(self.path, unsaved=True, used=time.time())
                raise StoreError(
                    f"could not save {self.path.name}: {e}; "
                    "its server keeps the data and the next kg command on it saves again"
                ) from e
        client.connection_pool.disconnect()
        if not self.read_only:
            fields: dict[str, Any] = {"used": time.time(), "idle": self.idle}
            if writer:
                fields.update(file=warm.identity(self.path), unsaved=False)
            warm.update_record(self.path, **fields)
            if self.idle > 0:
                return  # warm: its watchdog stops it
            if self.shared and self._lock is not None and not self._lock.alone():
                return  # other readers use it: the last one stops it
        record = warm.read_settings(self._served)
        if warm.recorded_pid(record) == self._pid:
            warm.kill(self._pid)
            warm.forget(self._served, record)


def writable(path: str | Path) -> bool:
    """Whether a store could write the database ``path``: create files in its folder
    (the lock, the saved file), and the file itself, when there, is not read-only."""
    path = Path(path).resolve()
    if path.exists() and not os.access(path, os.W_OK):
        return False
    return cannot_write_in(path.parent) is None


def _stop_stale_server(path: Path) -> None:
    """Stop the recorded server of ``path`` that :meth:`FalkorStore._connect_warm` could not
    use (its file changed under it, or it does not answer); we hold the lock exclusively."""
    record = warm.read_settings(path)
    pid = warm.recorded_pid(record)
    if warm.alive(pid):
        warm.kill(pid)
        warm.forget(path, record)


def _wait_until_gone(pid: int, psutil: Any, timeout: float = 10.0) -> None:
    """Wait until ``pid`` has exited (a zombie counts: it holds no files or sockets)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return
        except psutil.NoSuchProcess:
            return
        time.sleep(0.01)


def _plain(value: Any) -> Any:
    """Turn FalkorDB nodes/edges into property dicts so results print and serialise."""
    properties = getattr(value, "properties", None)
    if isinstance(properties, dict):
        labels = getattr(value, "labels", None) or [getattr(value, "relation", "")]
        return {"_labels": list(labels), **properties}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _kill_recorded_server(path: Path) -> None:
    """Kill the server the settings file names (it does not answer) and forget it."""
    import psutil

    pid = _recorded_pid(path)
    if pid:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        _wait_until_gone(pid, psutil)
    _clear_stale_server(path)


def _kill_unrecorded_servers(path: Path) -> None:
    """Kill servers of ``path`` that no settings file names (their starter was killed).

    We hold the database's lock, so no live kg process uses them; a server named in
    the settings file is left for redislite to reuse (it may hold unsaved writes).
    """
    import psutil

    recorded = _recorded_pid(path)
    for pid, folder in _servers_of(path, psutil):
        if pid != recorded:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)  # not SIGTERM: that would save its stale copy
            _wait_until_gone(pid, psutil)
            _remove_server_folder(folder)


def _servers_of(path: Path, psutil: Any) -> Iterator[tuple[int, Path]]:
    """Pid and folder of each live redis-server whose configuration names ``path``."""
    for proc in psutil.process_iter(["name", "cmdline"]):
        try:
            if proc.info["name"] != "redis-server" or proc.status() == psutil.STATUS_ZOMBIE:
                continue
            found = re.search(r"unixsocket:(\S+)", " ".join(proc.info["cmdline"] or []))
            if not found:
                continue
            folder = Path(found.group(1)).parent
            config = (folder / "redis.config").read_text()
        except (psutil.Error, OSError):
            continue
        settings = dict(line.split(" ", 1) for line in config.splitlines() if " " in line.strip())
        where = settings.get("dir", "").strip("'\"")
        name = settings.get("dbfilename", "").strip("'\"")
        if where and name and Path(where, name) == path:
            yield proc.pid, folder


def _recorded_pid(path: Path) -> int | None:
    try:
        pidfile = json.loads(Path(f"{path}.settings").read_text())["pidfile"]
        return int(Path(pidfile).read_text().strip())
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _remove_stale_temp_files(folder: Path) -> None:
    """Remove ``temp-PID.rdb`` files a server killed while saving left in ``folder``."""
    for temp in folder.glob("temp-*.rdb"):
        match = re.fullmatch(r"temp-(\d+)\.rdb", temp.name)
        if match is None:
            continue
        try:
            os.kill(int(match.group(1)), 0)
        except ProcessLookupError:
            temp.unlink(missing_ok=True)
        except OSError:
            continue


def _clear_stale_server(path: Path) -> None:
    """Remove the server record (and folder) a killed process left when its server is gone.

    A live server is left alone: redislite reconnects to it. A zombie is gone.
    """
    import psutil

    settings = Path(f"{path}.settings")
    if not settings.exists():
        return
    try:
        pidfile = Path(json.loads(settings.read_text())["pidfile"])
    except (OSError, ValueError, KeyError, TypeError):
        settings.unlink(missing_ok=True)
        return
    try:
        if psutil.Process(int(pidfile.read_text().strip())).status() != psutil.STATUS_ZOMBIE:
            return
    except psutil.AccessDenied:  # someone else's live process
        return
    except (OSError, ValueError, psutil.Error):
        pass
    _remove_server_folder(pidfile.parent)
    settings.unlink(missing_ok=True)


def _remove_dead_scratch() -> None:
    """Remove the private folders of stores whose process was killed, and their servers.

    A read-only store's server is found by nothing else: its configuration names the
    link in that folder, not the database.
    """
    dead = []
    for folder in Path(tempfile.gettempdir()).glob(f"{_SCRATCH}*-*"):
        found = re.fullmatch(rf"{_SCRATCH}(\d+)-\w+", folder.name)
        if found is None:
            continue
        try:
            os.kill(int(found.group(1)), 0)
        except ProcessLookupError:
            dead.append(folder)
        except OSError:
            continue
    if not dead:
        return
    import psutil

    for folder in dead:
        for record in folder.glob("*.settings"):  # redislite's record of the server
            for pid, server_folder in _servers_of(record.with_suffix(""), psutil):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
                _wait_until_gone(pid, psutil)
                _remove_server_folder(server_folder)
        shutil.rmtree(folder, ignore_errors=True)


def _remove_server_folder(folder: Path) -> None:
    """Remove a redislite temporary folder (socket, pid, log, config), and nothing else."""
    if (folder / "redis.config").exists() and folder != folder.parent:
        shutil.rmtree(folder, ignore_errors=True)
